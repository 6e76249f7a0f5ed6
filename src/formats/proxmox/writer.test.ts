import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { bootProbe } from '../../node/qemu/boot.js';
import { compareGuest, formatGuestComparison, predictWithOpenevc, probeScope } from '../../node/qemu/compare.js';
import { tcgSupportedFeatures } from '../../node/qemu/cpu-model.js';
import { removeProbeBuilds } from '../../node/qemu/guest/build.js';
import { qemuBinary } from '../../node/qemu/tools.js';
import { definitionMeaning, describeKvmGoldens, expressible, kvmTargets, parseCpuHelp } from '../../test-support/kvm-targets.js';
import { cpuModelFlags, readCpuModelsConf, readVmCpuLine } from '../../test-support/proxmox-config.js';
import { skipQemu } from '../../test-support/qemu.js';
import { planKvmCpu } from '../common/kvm-cpu.js';
import { DEFAULT_PROXMOX_MODEL, proxmoxExporter } from './writer.js';

describeKvmGoldens(proxmoxExporter);

describe('the cpu-models.conf reader used to check the proxmox exporter', () => {
  const ok = 'cpu-model: base\n\tflags +aes;-hle\n    reported-model Haswell-noTSX\n\n# comment\ncpu-model: other\n\tphys-bits host\n';
  it('reads sections, options and flags as documented', () => {
    const s = readCpuModelsConf(ok);
    expect(s.map((x) => [x.type, x.id, [...x.options.keys()]])).toEqual([
      ['cpu-model', 'base', ['flags', 'reported-model']],
      ['cpu-model', 'other', ['phys-bits']],
    ]);
    expect(cpuModelFlags(s[0]!)).toEqual([
      { name: 'aes', on: true },
      { name: 'hle', on: false },
    ]);
  });

  it('rejects what the format does not allow, naming the line', () => {
    const bad: Array<[string, RegExp]> = [
      ['\tflags +aes\n', /:1: expected options only inside a section/],
      ['cpu-model: a\n\tflavour x\n', /:2: expected a cpu-model option/],
      ['cpu-model: a\n\tflags aes\n', /:2: expected flags as '\+FLAG' or '-FLAG'/],
      ['cpu-model: a\n\thidden 2\n', /:2: expected hidden as 0 or 1/],
      ['cpu-model: a\n\tflags +aes\n\tflags -aes\n', /:3: expected 'flags' once per section/],
      ['cpu-model: a\ncpu-model: b\n', /:2: expected a blank line before the next section/],
      ['cpu-model: a\n\ncpu-model: a\n', /:3: expected each cpu-model defined once/],
      ['vm: a\n', /:1: expected a section of type 'cpu-model'/],
      ['cpu-model: a\nflags +aes\n', /:2: expected a section header/],
      ['cpu-model: a \n', /:1: expected no trailing whitespace/],
    ];
    for (const [text, message] of bad) expect(() => readCpuModelsConf(text), text).toThrow(message);
  });

  it('reads the VM line', () => {
    expect(readVmCpuLine('cpu: custom-openevc')).toEqual({ cputype: 'custom-openevc', custom: 'openevc' });
    expect(readVmCpuLine('cpu: x86-64-v2-AES,flags=+pcid')).toEqual({ cputype: 'x86-64-v2-AES', custom: undefined });
    expect(() => readVmCpuLine('cpu custom-openevc')).toThrow(/expected a VM line/);
  });
});

/** The cpu-model section and the VM line of an export. */
function readExport(text: string) {
  const sections = readCpuModelsConf(text);
  const vm = /^# {3}(cpu: .*)$/m.exec(text)?.[1];
  if (!vm) throw new Error('no VM line in the comment');
  return { sections, vm: readVmCpuLine(vm) };
}

describe('proxmox exporter: what the custom model means', () => {
  it('is one cpu-model section, named as asked, whose reported model and flags give exactly the target; the VM line names it', () => {
    for (const t of kvmTargets()) {
      const { sections, vm } = readExport(proxmoxExporter.render(t.target).text);
      expect(sections.map((s) => s.id), t.name).toEqual([DEFAULT_PROXMOX_MODEL]);
      expect(vm.custom, t.name).toBe(DEFAULT_PROXMOX_MODEL);
      const reported = sections[0]!.options.get('reported-model')!.value;
      expect(reported, t.name).toBe(planKvmCpu(t.target, 'qemu').model.name);
      const meaning = definitionMeaning(reported, cpuModelFlags(sections[0]!), 'qemu');
      const want = expressible(t.target, 'qemu');
      expect(meaning.minus(want).ids(), `${t.name}: beyond the target`).toEqual([]);
      expect(want.minus(meaning).ids(), `${t.name}: missing from the target`).toEqual([]);
    }
  });

  it('takes the custom model name from the options, and refuses one Proxmox could not store', () => {
    const t = kvmTargets()[0]!.target;
    const { sections, vm } = readExport(proxmoxExporter.render(t, { name: 'rack-7.lab_v2' }).text);
    expect([sections[0]!.id, vm.custom]).toEqual(['rack-7.lab_v2', 'rack-7.lab_v2']);
    expect(() => proxmoxExporter.render(t, { name: 'my model' })).toThrow(UsageError);
    expect(() => proxmoxExporter.render(t, { name: '-x' })).toThrow(/letters, digits/);
  });
});

describe.skipIf(skipQemu)('proxmox exporter checked by QEMU (needs qemu-system-x86_64 and nasm)', () => {
  afterAll(removeProbeBuilds);

  it('QEMU knows the reported model and every flag', () => {
    const help = parseCpuHelp(execFileSync(qemuBinary(), ['-cpu', 'help'], { encoding: 'utf8' }));
    for (const t of kvmTargets()) {
      const { sections } = readExport(proxmoxExporter.render(t.target).text);
      expect(help.models.has(sections[0]!.options.get('reported-model')!.value), t.name).toBe(true);
      expect(cpuModelFlags(sections[0]!).filter((f) => !help.flags.has(f.name)), t.name).toEqual([]);
    }
  });

  it('a guest started with the reported model and flags (as Proxmox passes them to QEMU, on a pc machine) sees what openevc predicts', async () => {
    const scope = probeScope(await tcgSupportedFeatures());
    for (const name of ['cluster', 'seed-002', 'amd']) {
      const t = kvmTargets().find((x) => x.name === name)!;
      const { sections } = readExport(proxmoxExporter.render(t.target).text);
      const flags = cpuModelFlags(sections[0]!).map((f) => `${f.on ? '+' : '-'}${f.name}`);
      const cpu = [sections[0]!.options.get('reported-model')!.value, ...flags].join(',');
      const [guest, predicted] = await Promise.all([bootProbe({ cpu }), predictWithOpenevc(cpu)]);
      const c = compareGuest(guest.dump, predicted.features, scope, predicted.identity);
      expect(c.ok, formatGuestComparison(c, `${name}: ${cpu}`)).toBe(true);
    }
  });
});
