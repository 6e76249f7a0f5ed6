/**
 * Property tests for the KVM-family exporters: over random host sets (the example fleet always;
 * libvirt's 61 CPUs and the InstLatx64 dumps when ../shared is there), every output read back by
 * openevc's own readers gives exactly the target's features (those the format names), and the
 * output depends only on the target: the same for the same hosts in any order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHost } from '../../core/host.js';
import type { Host } from '../../core/host.js';
import { minimalTarget } from '../../core/target.js';
import type { MigrationTarget } from '../../core/target.js';
import { getProfile } from '../../core/profiles.js';
import { importText } from '../readers.js';
import { readLibvirtCpus } from '../libvirt/cpu-reader.js';
import { openevcCpuMeaning } from '../../node/qemu/compare.js';
import { definitionMeaning, expressible, fleet } from '../../test-support/kvm-targets.js';
import { cpuModelFlags, readCpuModelsConf } from '../../test-support/proxmox-config.js';
import { filesUnder, hasShared, shared } from '../../test-support/shared.js';
import { EXPORTERS } from '../writers.js';
import { closeOverNamed } from './kvm-cpu.js';
import { kubevirtExporter } from '../kubevirt/writer.js';
import { libvirtExporter } from '../libvirt/writer.js';
import { novaExporter } from '../nova/writer.js';
import { proxmoxExporter } from '../proxmox/writer.js';
import { qemuExporter } from '../qemu/writer.js';

/** nova.conf's [libvirt] keys, read line by line (the output is one section of `key = value` lines). */
function novaKeys(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+) = (.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Every output of a target, read back, against the target: a list of disagreements (empty when all agree). */
function disagreements(target: MigrationTarget): string[] {
  const out: string[] = [];
  const compare = (format: string, got: ReturnType<typeof expressible>, eco: 'qemu' | 'libvirt') => {
    const want = expressible(target, eco);
    const extra = got.minus(want).ids();
    const missing = want.minus(got).ids();
    if (extra.length > 0 || missing.length > 0) out.push(`${format}: beyond the target [${extra.join(', ')}], missing [${missing.join(', ')}]`);
  };
  const cpu = /^-cpu (\S+)\n$/.exec(qemuExporter.render(target).text)![1]!;
  compare('qemu', openevcCpuMeaning(cpu).filter((f) => f.kind === 'feature'), 'qemu');
  const [lv] = readLibvirtCpus(libvirtExporter.render(target).text, 'libvirt.xml');
  compare('libvirt', closeOverNamed(lv!.features, 'libvirt'), 'libvirt');
  const [section] = readCpuModelsConf(proxmoxExporter.render(target).text);
  compare('proxmox', definitionMeaning(section!.options.get('reported-model')!.value, cpuModelFlags(section!), 'qemu'), 'qemu');
  const nova = novaKeys(novaExporter.render(target).text);
  const flags = (nova.cpu_model_extra_flags ?? '').split(', ').filter(Boolean);
  compare('nova', definitionMeaning(nova.cpu_models!, flags.map((f) => (f.startsWith('-') ? { name: f.slice(1), on: false } : { name: f, on: true })), 'libvirt'), 'libvirt');
  return out;
}

/** What every KVM-family exporter writes for a target (text and diagnostics). */
function allOutputs(target: MigrationTarget): string {
  return EXPORTERS.filter((e) => e.defaultProfile === 'kvm').map((e) => {
    const r = e.render(target);
    return `${e.format}\n${r.text}${r.diagnostics.map((d) => `${d.level}: ${d.message}`).join('\n')}`;
  }).join('\n');
}

function checkHostSets(hosts: readonly Host[], runs: number, seed: number) {
  const kvm = getProfile('kvm');
  fc.assert(
    fc.property(fc.subarray([...hosts.keys()], { minLength: 1, maxLength: 6 }), fc.boolean(), (picked, nested) => {
      const set = picked.map((i) => hosts[i]!);
      const target = minimalTarget(set, { profile: kvm, nested });
      expect(disagreements(target), set.map((h) => h.id.brand).join(' + ')).toEqual([]);
      const again = minimalTarget([...set].reverse(), { profile: kvm, nested });
      expect(allOutputs(again)).toBe(allOutputs(target));
    }),
    { numRuns: runs, seed },
  );
}

describe('KVM-family exporters: read back, the output is the target (property)', () => {
  it('on random sets of the example fleet', () => {
    checkHostSets(fleet(), 80, 4);
  });

  it('covers every exporter of the KVM family', () => {
    expect(EXPORTERS.filter((e) => e.defaultProfile === 'kvm').map((e) => e.format)).toEqual(['qemu', 'libvirt', 'proxmox', 'nova', 'kubevirt']);
    expect(kubevirtExporter.defaultProfile).toBe('kvm');
  });
});


describe.skipIf(!hasShared)('KVM-family exporters on the corpus (needs ../shared)', () => {
  it("on random sets of libvirt's 61 CPUs", () => {
    const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
    const files = readdirSync(dir).filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'));
    expect(files).toHaveLength(61);
    const hosts = files.sort().map((f) => decodeHost(importText(readFileSync(join(dir, f), 'utf8'), { file: f }).dump));
    checkHostSets(hosts, 60, 7);
  });

  it('on random sets of the InstLatx64 dumps (every x86 vendor there)', () => {
    const files = filesUnder(shared('oracle', 'instlatx64')).filter((p) => p.endsWith('.txt') && p.includes('_CPUID'));
    const hosts = files.map((p) => decodeHost(importText(readFileSync(p, 'latin1'), { file: p }).dump));
    checkHostSets(hosts, 60, 11);
  });
});
