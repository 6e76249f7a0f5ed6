import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import { ModeNotSupportedError, closeUnderDependencies, evcTarget, minimalTarget } from './target.js';
import { getProfile, profileUniverse } from './profiles.js';
import { syntheticHost } from '../test-support/hosts.js';

const esxi = getProfile('esxi');
const kvm = getProfile('kvm');

/** Base x86-64 features every host here has; vSphere has keys for none of SSE2, PAE, CMOV, SYSCALL. */
const BASE = ['fpu', 'tsc', 'pae', 'cx8', 'apic', 'cmov', 'mmx', 'fxsr', 'sse', 'sse2', 'syscall', 'nx', 'lm', 'lahf_lm', 'sse3', 'ssse3', 'cx16', 'ss'];
const nehalem = syntheticHost({ vendor: 'GenuineIntel', signature: 0x106a5, ids: [...BASE, 'sse4_1', 'sse4_2', 'popcnt', 'rdtscp'], path: 'nehalem' });
const westmere = syntheticHost({ vendor: 'GenuineIntel', signature: 0x206c2, ids: [...BASE, 'sse4_1', 'sse4_2', 'popcnt', 'rdtscp', 'aes', 'pclmulqdq'], path: 'westmere' });
const sandy = syntheticHost({
  vendor: 'GenuineIntel',
  signature: 0x206d7,
  ids: [...BASE, 'sse4_1', 'sse4_2', 'popcnt', 'rdtscp', 'aes', 'pclmulqdq', 'xsave', 'xsave_sse', 'xsave_ymm', 'avx', 'tsc_deadline_timer', 'x2apic'],
  path: 'sandy',
});
const epyc = syntheticHost({ vendor: 'AuthenticAMD', signature: 0x800f12, ids: [...BASE, 'sse4_1', 'sse4_2', 'popcnt', 'aes'], path: 'epyc' });

describe('closeUnderDependencies', () => {
  it('drops a feature whose dependency is missing, transitively', () => {
    const set = catalog.setOf(['xsave', 'avx', 'f16c', 'sse4_2']);
    expect(closeUnderDependencies(set).ids()).not.toContain('avx');
    expect(closeUnderDependencies(set).ids()).not.toContain('f16c');
  });

  it('with a universe, only dependencies inside it count as missing', () => {
    // LM needs PAE and SSE2, which the ESXi view neither shows nor compares.
    const set = catalog.setOf(['lm', 'nx', 'pcid']);
    expect(closeUnderDependencies(set).has('lm')).toBe(false);
    expect(closeUnderDependencies(set, profileUniverse(esxi, 'intel')).ids().sort()).toEqual(['lm', 'nx', 'pcid']);
  });
});

describe('minimalTarget', () => {
  it('hides only what stands between the hosts, and keeps LM and NX under esxi (no key for SSE2 or PAE)', () => {
    const t = minimalTarget([westmere, sandy], { profile: esxi });
    expect(t.hidden.ids().sort()).toEqual(['avx', 'xsave', 'xsave_sse', 'xsave_ymm']);
    expect(t.hiddenOn[0]!.ids()).toEqual([]);
    expect(t.features.has('lm') && t.features.has('nx') && t.features.has('sse3')).toBe(true);
    expect(t.advisory.ids()).toEqual([]);
  });

  it('lists advisory hides: SSE4.1/4.2 and POPCNT still execute when hidden', () => {
    const old = syntheticHost({ vendor: 'GenuineIntel', signature: 0x6f6, ids: BASE, path: 'merom' });
    const t = minimalTarget([old, nehalem], { profile: esxi });
    expect(t.advisory.ids().sort()).toEqual(['popcnt', 'sse4_1', 'sse4_2']);
    expect(t.hidden.ids().sort()).toEqual(['popcnt', 'rdtscp', 'sse4_1', 'sse4_2']);
  });

  it('hides nothing for one host, or hosts that agree', () => {
    expect(minimalTarget([sandy], { profile: kvm }).hidden.isEmpty).toBe(true);
    expect(minimalTarget([westmere, westmere], { profile: esxi }).hidden.isEmpty).toBe(true);
  });

  it('spans vendors (only a KVM custom model can use that) with vendor undefined', () => {
    const t = minimalTarget([westmere, epyc], { profile: kvm });
    expect(t.vendor).toBeUndefined();
    expect(t.hiddenOn[0]!.ids().sort()).toEqual(['pclmulqdq', 'rdtscp']);
  });
});

describe('evcTarget', () => {
  it('presents the mode: what the hosts have beyond it is hidden', () => {
    const t = evcTarget([westmere, sandy], 'intel-nehalem', { profile: esxi });
    expect(t.kind).toBe('evc');
    expect(t.mode?.key).toBe('intel-nehalem');
    expect(t.hiddenOn[0]!.ids().sort()).toEqual(['aes', 'pclmulqdq']);
    // TSC-deadline too: vSphere does not compare it, but the Nehalem mode's mask (as Westmere's) clears it (issue 9).
    expect(t.hiddenOn[1]!.ids().sort()).toEqual(['aes', 'avx', 'pclmulqdq', 'tsc_deadline_timer', 'xsave', 'xsave_sse', 'xsave_ymm']);
  });

  it('under a profile other than esxi, keeps what no mode defines when every host has it (CMOV, SYSCALL, APIC)', () => {
    const t = evcTarget([westmere, sandy], 'intel-westmere', { profile: kvm });
    for (const id of ['cmov', 'syscall', 'apic', 'mmx', 'sse2', 'lm']) expect(t.features.has(id), id).toBe(true);
    // TSC-deadline is named by the Sandy Bridge mode, so Westmere hides it even where KVM would offer it.
    expect(t.features.has('tsc_deadline_timer')).toBe(false);
    // The Westmere mask (seed 002) also clears x2APIC (1.ecx bit 21) and every leaf-7 EBX bit (TSC_ADJUST): hidden under any profile.
    expect(t.hiddenOn[1]!.ids().sort()).toEqual(['avx', 'tsc_adjust', 'tsc_deadline_timer', 'x2apic', 'xsave', 'xsave_sse', 'xsave_ymm']);
  });

  it('refuses, naming host and missing features, when a host cannot present the mode', () => {
    let err: unknown;
    try {
      evcTarget([nehalem, sandy], 'intel-westmere', { profile: esxi });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModeNotSupportedError);
    expect((err as Error).message).toBe('not every host can present EVC mode intel-westmere: nehalem lacks pclmulqdq, aes');
  });

  it('refuses modes of another vendor and mixed vendors', () => {
    expect(() => evcTarget([epyc], 'intel-merom', { profile: esxi })).toThrow('EVC mode intel-merom is for intel CPUs; these hosts are amd');
    expect(() => evcTarget([westmere, epyc], 'intel-merom', { profile: esxi })).toThrow('needs hosts of one vendor');
  });
});
