import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findModel } from '../../core/models.js';
import { openevcCpuMeaning } from '../../node/qemu/compare.js';
import { expandWithQemu, parseCpuOption } from '../../node/qemu/cpu-model.js';
import { qemuBinary } from '../../node/qemu/tools.js';
import { describeKvmGoldens, expressible, kvmTargets, parseCpuHelp } from '../../test-support/kvm-targets.js';
import { skipQemu } from '../../test-support/qemu.js';
import { closeOverNamed } from '../common/kvm-cpu.js';
import { qemuExporter } from './writer.js';

/** The `-cpu` argument of the exporter's output. */
function cpuArg(text: string): string {
  const m = /^-cpu (\S+)\n$/.exec(text);
  if (!m) throw new Error(`not a single -cpu line: ${JSON.stringify(text)}`);
  return m[1]!;
}

describeKvmGoldens(qemuExporter);

describe('qemu exporter: what the -cpu string means to openevc', () => {
  it('names the model as users type it (one spelling with libvirt, Proxmox, Nova, KubeVirt), lists +features before -features, and ends with enforce', () => {
    for (const t of kvmTargets()) {
      const option = parseCpuOption(cpuArg(qemuExporter.render(t.target).text));
      const model = findModel(option.model);
      expect(model?.isVersioned, `${t.name}: ${option.model}`).toBe(false);
      expect(option.props.enforce, t.name).toBe(true);
      const flags = option.text.split(',').slice(1, -1);
      const firstOff = flags.findIndex((f) => f.startsWith('-'));
      if (firstOff >= 0) expect(flags.slice(firstOff).every((f) => f.startsWith('-')), t.name).toBe(true);
    }
  });

  it('re-read (parseCpuOption + openevc model expansion) gives exactly the target, on every feature QEMU names', () => {
    for (const t of kvmTargets()) {
      const meaning = openevcCpuMeaning(cpuArg(qemuExporter.render(t.target).text)).filter((f) => f.kind === 'feature');
      const want = expressible(t.target, 'qemu');
      expect(meaning.minus(want).ids(), `${t.name}: beyond the target`).toEqual([]);
      expect(want.minus(meaning).ids(), `${t.name}: missing from the target`).toEqual([]);
    }
  });
});

describe.skipIf(skipQemu)('qemu exporter checked by QEMU itself (needs qemu-system-x86_64)', () => {
  const help = skipQemu ? undefined : parseCpuHelp(execFileSync(qemuBinary(), ['-cpu', 'help'], { encoding: 'utf8' }));
  /** Targets whose model QEMU 7.2 knows (all of them here; a newer model would be listed as drift). */
  const targets = kvmTargets();

  it('knows every model and flag name written (-cpu help: models and "Recognized CPUID flags")', () => {
    for (const t of targets) {
      const option = parseCpuOption(cpuArg(qemuExporter.render(t.target).text));
      expect(help!.models.has(option.model), `${t.name}: ${option.model}`).toBe(true);
      const unknown = Object.keys(option.props).filter((p) => p !== 'enforce' && !help!.flags.has(p));
      expect(unknown, t.name).toEqual([]);
    }
  });

  it("QEMU's own expansion (query-cpu-model-expansion) of each -cpu string is exactly the target, on every feature QEMU names", async () => {
    const cpus = targets.map((t) => cpuArg(qemuExporter.render(t.target).text));
    const expanded = await expandWithQemu(cpus, 'full');
    targets.forEach((t, i) => {
      const x = expanded[i]!;
      expect(x.name, t.name).toBe(parseCpuOption(cpus[i]!).model);
      const got = closeOverNamed(x.features, 'qemu').filter((f) => f.kind === 'feature');
      const want = expressible(t.target, 'qemu');
      expect(got.minus(want).ids(), `${t.name}: QEMU gives beyond the target`).toEqual([]);
      expect(want.minus(got).ids(), `${t.name}: QEMU lacks of the target`).toEqual([]);
    });
  });

  it('the same models without the drift flags would not be the target: the drift data is what makes them exact', async () => {
    // Haswell-noTSX hosts without RDRAND and ABM: the plain model gives a QEMU guest both.
    const t = targets.find((x) => x.name === 'synthetic-drift')!;
    const cpu = cpuArg(qemuExporter.render(t.target).text);
    expect(cpu).toContain('-rdrand');
    expect(cpu).toContain('-abm');
    const [plain] = await expandWithQemu([cpu.replace(/,-(rdrand|abm)/g, '')], 'full');
    const extra = closeOverNamed(plain!.features, 'qemu').filter((f) => f.kind === 'feature').minus(expressible(t.target, 'qemu'));
    expect(extra.ids()).toEqual(['rdrand', 'abm']);
  });
});
