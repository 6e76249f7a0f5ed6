import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { charAt } from '../../core/masks/engine.js';
import { VmxDocument } from './document.js';
import { readVmxCpu } from './cpu.js';
import { minimalTarget } from '../../core/target.js';
import { getProfile, profileUniverse } from '../../core/profiles.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { syntheticHost } from '../../test-support/hosts.js';
import { SEED002, SUBLEAF_HOSTS, TARGET_CASES, caseTarget, describeExport, effectiveGuest, exampleHost, linesMask } from '../../test-support/targets.js';
import { evcTarget } from '../../core/target.js';
import { vmxExporter, vmxSettings } from './writer.js';

const FIX = join(import.meta.dirname, 'fixtures', 'writer');

describe('vmx exporter', () => {
  for (const c of TARGET_CASES) {
    it(`${c.name}: golden`, () => {
      expectGolden(describeExport(vmxExporter.render(caseTarget(c, vmxExporter.defaultProfile))), join(FIX, `${c.name}.txt`));
    });
  }

  it('seed 002 examples: exactly the bits of the seed\'s four merged lines', () => {
    const s = vmxSettings(caseTarget(TARGET_CASES[0]!, 'esxi'));
    expect(s.lines).toEqual([
      'cpuid.1.ecx = "--00-0---0----0-----------------"',
      'cpuid.7.ebx = "-------------------------------0"',
      'cpuid.d.eax = "-----------------------------00-"',
      'cpuid.80000001.ecx = "-----------------------0--------"',
    ]);
    // The Ivy Bridge example has XSAVEOPT (leaf 0xD subleaf 1): it goes with XSAVE, no line needed.
    expect(s.implied.map((i) => `${i.feature.id}<-${i.by.id}`)).toEqual(['xsaveopt<-xsave']);
  });

  it('reads back through the project\'s .vmx parser as the same mask and featMask settings (every case)', () => {
    for (const c of TARGET_CASES) {
      const s = vmxSettings(caseTarget(c, 'esxi'));
      const cpu = readVmxCpu(VmxDocument.parse(`${s.lines.join('\n')}\n`, c.name));
      expect(cpu.mask.equals(s.mask), c.name).toBe(true);
      expect(cpu.featMasks.map((f) => `${f.entry.key}=${f.entry.op}:${f.entry.value}`), c.name).toEqual(s.featMasks.map((e) => `${e.key}=${e.op}:${e.value}`));
      expect(cpu.diagnostics, c.name).toEqual([]);
    }
  });

  it('applied on every host, gives each the same guest view: the target\'s features (esxi cases)', () => {
    for (const c of TARGET_CASES.filter((x) => x.profile === undefined)) {
      const t = caseTarget(c, 'esxi');
      const mask = linesMask(vmxExporter.render(t).text);
      for (const h of t.hosts) expect(effectiveGuest(h, mask, t.profile).ids(), `${c.name}: ${h.dump.source.path}`).toEqual(t.features.ids());
    }
  });

  it('writes only 0 and -, and only registers with a 0', () => {
    for (const c of TARGET_CASES) {
      for (const r of vmxSettings(caseTarget(c, 'esxi')).mask.list()) {
        expect(r.bits, c.name).toMatch(/^[-0]{32}$/);
        expect(r.bits, c.name).toContain('0');
        expect(r.subleaf).toBe(0);
      }
    }
  });

  it('EVC: 0 for every capability of the covered registers that the mode does not give, - elsewhere', () => {
    const t = evcTarget(SEED002.map(exampleHost), 'intel-westmere', { profile: getProfile('esxi') });
    const s = vmxSettings(t);
    const universe = profileUniverse(t.profile, 'intel');
    for (const r of s.mask.list()) {
      for (let bit = 0; bit < 32; bit++) {
        const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
        // ...and what the mode's own mask clears, compared by vSphere or not (SMX, TSC-deadline: issue 9).
        const shouldHide = f !== undefined && ((universe.has(f) && f.vendors.includes('intel') && !t.features.has(f)) || t.modeHides!.has(f));
        expect(charAt(r.bits, bit), `${r.leaf.toString(16)}.${r.reg}[${bit}] ${f?.id}`).toBe(shouldHide ? '0' : '-');
      }
    }
    // VT-x is left to vhv.enable: ESXi hides it from VMs unless nested virtualization is on.
    expect(charAt(s.mask.get({ leaf: 1, subleaf: 0, reg: 'ecx' })!.bits, catalog.require('vmx').loc.bit)).toBe('-');
  });

  it('a feature on another subleaf: featMask when VMware has a key, a warning when not (subleaf-kvm case)', () => {
    const s = vmxSettings(minimalTarget(SUBLEAF_HOSTS, { profile: getProfile('kvm') }));
    expect(s.lines).toEqual(['featMask.vm.cpuid.avx_vnni = "Val:0"']);
    expect(s.unwritten.map((f) => f.id)).toEqual(['fzrm']);
    expect(s.diagnostics.map((d) => d.level)).toEqual(['warning']);
  });

  it('hosts that agree: an explicit comment, not an empty output', () => {
    const r = vmxExporter.render(caseTarget(TARGET_CASES.find((c) => c.name === 'same-host')!, 'esxi'));
    expect(r.text).toBe('# openevc: nothing to hide: these hosts already show VMs the same features under the esxi profile\n');
  });

  it('refuses hosts of mixed vendors: vSphere never live-migrates between Intel and AMD', () => {
    const intel = syntheticHost({ vendor: 'GenuineIntel', signature: 0x306a9, ids: ['sse2', 'lm'], path: 'intel-host' });
    const amd = syntheticHost({ vendor: 'AuthenticAMD', signature: 0x800f12, ids: ['sse2', 'lm'], path: 'amd-host' });
    expect(() => vmxExporter.render(minimalTarget([intel, amd], { profile: getProfile('esxi') }))).toThrow(
      '--format vmx: these hosts mix CPU vendors (intel: intel-host; amd: amd-host). vSphere never live-migrates between Intel and AMD CPUs',
    );
  });
});
