import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VmxDocument } from '../vmx/document.js';
import { readVmxCpu } from '../vmx/cpu.js';
import { evcTarget, minimalTarget } from '../../core/target.js';
import { getProfile } from '../../core/profiles.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { SEED002, SUBLEAF_HOSTS, TARGET_CASES, caseTarget, describeExport, effectiveGuest, exampleHost, linesMask } from '../../test-support/targets.js';
import { featMaskExporter, featMaskSettings } from './writer.js';

const FIX = join(import.meta.dirname, 'fixtures');

describe('featmask exporter', () => {
  for (const c of TARGET_CASES) {
    it(`${c.name}: golden`, () => {
      expectGolden(describeExport(featMaskExporter.render(caseTarget(c, featMaskExporter.defaultProfile))), join(FIX, `${c.name}.txt`));
    });
  }

  it('seed 002 minimal: one Val:0 line per hidden feature, named by its VMware key', () => {
    expect(featMaskSettings(caseTarget(TARGET_CASES[0]!, 'esxi')).lines).toEqual([
      'featMask.vm.cpuid.pcid = "Val:0"',
      'featMask.vm.cpuid.movbe = "Val:0"',
      'featMask.vm.cpuid.xsave = "Val:0"',
      'featMask.vm.cpuid.avx = "Val:0"',
      'featMask.vm.cpuid.f16c = "Val:0"',
      'featMask.vm.cpuid.fsgsbase = "Val:0"',
      'featMask.vm.cpuid.xcr0_master_sse = "Val:0"',
      'featMask.vm.cpuid.xcr0_master_ymm_h = "Val:0"',
      'featMask.vm.cpuid.xsaveopt = "Val:0"',
      'featMask.vm.cpuid.3dnprefetch = "Val:0"',
    ]);
  });

  it('reads back through the project\'s parser: every key known, the same settings (every case)', () => {
    for (const c of TARGET_CASES) {
      const s = featMaskSettings(caseTarget(c, 'esxi'));
      const cpu = readVmxCpu(VmxDocument.parse(`${s.lines.join('\n')}\n`, c.name));
      expect(cpu.diagnostics, c.name).toEqual([]);
      expect(cpu.featMasks.map((f) => `${f.entry.key}=${f.entry.op}:${f.entry.value}`)).toEqual(s.entries.map((e) => `${e.key}=${e.op}:${e.value}`));
      for (const f of cpu.featMasks) expect(f.entry.target.kind, f.key).not.toBe('unknown');
    }
  });

  it('applied on every host, gives each the target\'s features (minimal and EVC, esxi cases)', () => {
    for (const c of TARGET_CASES.filter((x) => x.profile === undefined)) {
      const t = caseTarget(c, 'esxi');
      const mask = linesMask(featMaskExporter.render(t).text);
      for (const h of t.hosts) expect(effectiveGuest(h, mask, t.profile).ids(), `${c.name}: ${h.dump.source.path}`).toEqual(t.features.ids());
    }
  });

  it('EVC: the vendor requirement, Val:1 for each feature the mode gives, Val:0 for each it hides, and says what is unconfirmed', () => {
    const t = evcTarget(SEED002.map(exampleHost), 'intel-westmere', { profile: getProfile('esxi') });
    const s = featMaskSettings(t);
    expect(s.lines[0]).toBe('featMask.vm.cpuid.intel = "Min:1"');
    const given = s.entries.filter((e) => e.op === 'Val' && e.value === 1n).map((e) => (e.target.kind === 'feature' ? e.target.feature.id : e.key));
    expect(given).toEqual(t.features.ids());
    expect(s.lines).toContain('featMask.vm.cpuid.avx = "Val:0"');
    expect(s.diagnostics.map((d) => d.message).join('\n')).toContain('unconfirmed');
  });

  it('warns about hidden features VMware has no key for', () => {
    const s = featMaskSettings(minimalTarget(SUBLEAF_HOSTS, { profile: getProfile('kvm') }));
    expect(s.lines).toEqual(['featMask.vm.cpuid.avx_vnni = "Val:0"']);
    expect(s.unnamed.map((f) => f.id)).toEqual(['fzrm']);
  });
});
