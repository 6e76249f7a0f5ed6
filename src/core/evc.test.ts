import type { FeatureId } from '../data/features.js';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import type { FeatureSet } from './catalog.js';
import {
  builtinEvcModes,
  buildEvcModes,
  evcModes,
  featuresUnderMode,
  lostUnderMode,
  maxEvcMode,
  modeAdding,
  modeFeatures,
  supportsMode,
} from './evc.js';
import type { EvcMode, EvcModeRow } from './evc.js';
import { getProfile, visibleFeatures } from './profiles.js';
import { EVC_MODE_TABLE, EVC_SOURCES } from '../data/evc-modes.js';
import { compared, mode } from '../test-support/evc.js';

const esxi = getProfile('esxi');

describe('EVC mode table', () => {
  it('has every mode of the facts, Intel Merom..Sapphire Rapids and AMD Rev. E..Zen 4, in ladder order', () => {
    expect(evcModes('intel').map((m) => m.key)).toEqual([
      'intel-merom', 'intel-penryn', 'intel-nehalem', 'intel-westmere', 'intel-sandybridge', 'intel-ivybridge', 'intel-haswell',
      'intel-broadwell', 'intel-skylake', 'intel-cascadelake', 'intel-icelake', 'intel-sapphirerapids',
    ]);
    expect(evcModes('amd').map((m) => m.key)).toEqual([
      'amd-rev-e', 'amd-rev-f', 'amd-greyhound-no3dnow', 'amd-greyhound', 'amd-bulldozer', 'amd-piledriver', 'amd-steamroller',
      'amd-zen', 'amd-zen2', 'amd-zen3', 'amd-zen4',
    ]);
    expect(evcModes().length).toBe(23);
  });

  it('puts AMD modes on two tracks joined at Generation 3 (no 3DNow!)', () => {
    const tracks = builtinEvcModes().tracks('amd');
    expect(tracks.get('A')!.map((m) => m.key)).toEqual(['amd-rev-e', 'amd-rev-f', 'amd-greyhound-no3dnow', 'amd-greyhound']);
    expect(tracks.get('B')!.map((m) => m.key)).toEqual([
      'amd-greyhound-no3dnow', 'amd-bulldozer', 'amd-piledriver', 'amd-steamroller', 'amd-zen', 'amd-zen2', 'amd-zen3', 'amd-zen4',
    ]);
    // The 3DNow! split: the shared mode removes 3DNow!, Generation 3 adds it back, B modes never have it.
    expect(mode('amd-rev-f').features.has('3dnow')).toBe(true);
    expect(mode('amd-greyhound-no3dnow').features.has('3dnow')).toBe(false);
    expect(mode('amd-greyhound').features.has('3dnow')).toBe(true);
    for (const m of tracks.get('B')!) expect(m.features.has('3dnow')).toBe(false);
    expect(mode('amd-greyhound').features.minus(mode('amd-greyhound-no3dnow').features).ids()).toEqual(['3dnow']);
  });

  it('grows along every track: each mode holds everything below it, except what the 3DNow! split removes', () => {
    for (const vendor of ['intel', 'amd'] as const) {
      for (const [track, modes] of builtinEvcModes().tracks(vendor)) {
        for (let i = 1; i < modes.length; i++) {
          const lower = modes[i - 1]!;
          const upper = modes[i]!;
          expect(upper.tier, `${track}: ${upper.key}`).toBeGreaterThan(lower.tier);
          const lost = lower.features.minus(upper.features).ids();
          expect(lost, `${lower.key} → ${upper.key}`).toEqual(upper.removes.flatMap((r) => r.features.map((f) => f.id)));
        }
      }
    }
  });

  it('cites a known source for every key, label, level and fact, and marks unconfirmed facts', () => {
    for (const row of EVC_MODE_TABLE) {
      for (const id of Object.values(row.source)) expect(EVC_SOURCES).toHaveProperty([id!]);
      for (const fact of [...row.adds, ...(row.removes ?? []), ...(row.passes ?? []), ...(row.lacks ?? [])]) {
        expect(EVC_SOURCES, `${row.key}: ${fact.source}`).toHaveProperty([fact.source]);
        // Only these sources confirm anything; the recalled KB tables and inferences never do.
        if (fact.source === 'kb1005764-recalled' || fact.source === 'inferred') expect(fact.confirmed, row.key).toBe(false);
      }
    }
    // Keys the facts call unconfirmed carry no key source; labels only where a source prints them.
    for (const key of ['amd-zen2', 'amd-zen3', 'amd-zen4']) expect(mode(key).keyConfirmed).toBe(false);
    expect(mode('intel-merom').labelConfirmed).toBe(true);
    expect(mode('intel-nehalem').labelConfirmed).toBe(false);
  });

  it('rejects a table that names an unknown feature or source, or puts a parent after its child', () => {
    const base: EvcModeRow = { key: 'intel-x', label: 'x', vendor: 'intel', tracks: ['intel'], level: 'L0', tier: 0, source: {}, adds: [] };
    expect(() => buildEvcModes([{ ...base, adds: [{ ids: ['no_such_feature' as FeatureId], source: 'inferred', confirmed: false }] }])).toThrow(/unknown feature/);
    expect(() => buildEvcModes([{ ...base, adds: [{ ids: ['sse3'], source: 'nowhere', confirmed: false }] }])).toThrow(/unknown source/);
    expect(() => buildEvcModes([{ ...base, parent: 'intel-y' }])).toThrow(/must come first/);
    expect(() => buildEvcModes([base, { ...base, key: 'intel-y', parent: 'intel-x', tier: 0 }])).toThrow(/higher tier/);
  });
});

describe('EVC modes against their confirmed facts', () => {
  it('Penryn adds exactly SSE4.1 over Merom (vSphere docs, seed 000)', () => {
    expect(mode('intel-penryn').features.minus(mode('intel-merom').features).ids()).toEqual(['sse4_1']);
  });

  it('Merom lacks SSE4.2 and POPCNT (KB 391911), and every recorded absence holds', () => {
    expect(mode('intel-merom').features.has('sse4_2')).toBe(false);
    expect(mode('intel-merom').features.has('popcnt')).toBe(false);
    for (const m of evcModes()) for (const fact of m.lacks) for (const f of fact.features) expect(m.features.has(f), `${m.key} lacks ${f.id}`).toBe(false);
  });

  it('every mode with evidence matches it in everything vMotion compares', () => {
    const withEvidence = evcModes().filter((m) => m.evidence);
    expect(withEvidence.map((m) => m.key)).toEqual(['intel-westmere', 'intel-sandybridge', 'intel-broadwell']);
    for (const m of withEvidence) {
      expect(compared(m.features.union(m.passes), m), m.key).toEqual(compared(m.evidence!.features, m));
    }
  });

  it("decodes seed 002's Westmere mask: what it passes and what it hides", () => {
    const w = mode('intel-westmere');
    const decoded = w.evidence!.features;
    expect(compared(decoded, w)).toEqual(['aes', 'cx16', 'lahf_lm', 'lm', 'nx', 'pclmulqdq', 'popcnt', 'rdtscp', 'ss', 'sse3', 'sse4_1', 'sse4_2', 'ssse3']);
    // The mask hides the newer bits of both hosts in seed 002 (MOVBE, PCID, XSAVE, AVX, F16C, 1 GiB pages, FSGSBASE, 3DNow! PREFETCH).
    for (const id of ['movbe', 'pcid', 'xsave', 'avx', 'f16c', 'rdrand', 'pdpe1gb', 'fsgsbase', 'smep', '3dnowprefetch', 'xsave_sse', 'xsave_ymm']) {
      expect(decoded.has(id), id).toBe(false);
    }
    // It passes host-only bits ESXi never shows a VM; the esxi view hides them and says why.
    for (const id of ['monitor', 'vmx', 'ds', 'dtes64', 'pdcm', 'xtpr']) {
      expect(decoded.has(id), id).toBe(true);
      expect(visibleFeatures(decoded, esxi, 'intel').has(id), id).toBe(false);
    }
  });

  it("Sandy Bridge differs from Westmere by AVX, XSAVE, TSC-deadline and the XSAVE states (seed 002's second mask)", () => {
    const snb = mode('intel-sandybridge');
    const wsm = mode('intel-westmere');
    expect(snb.evidence!.features.minus(wsm.evidence!.features).ids()).toEqual(['tsc_deadline_timer', 'xsave', 'avx', 'xsave_x87', 'xsave_sse', 'xsave_ymm']);
    expect(compared(snb.features.minus(wsm.features), snb)).toEqual(['avx', 'xsave', 'xsave_sse', 'xsave_ymm']);
  });

  it("equals the Broadwell VM's requirement list (govc dump), key for key through the catalog", () => {
    // The list as the dump spells it (vSphere keys). `intel` is the vendor, not a feature; `ibpb`
    // names AMD's own bit, while Intel enumerates IBPB with IBRS (the catalog's spec_ctrl).
    const keys = [
      '3dnprefetch', 'abm', 'adx', 'aes', 'avx', 'avx2', 'bmi1', 'bmi2', 'cmpxchg16b', 'enfstrg', 'f16c', 'fcmd', 'fma', 'fsgsbase', 'ibpb', 'ibrs',
      'intel', 'invpcid', 'lahf64', 'lm', 'mdclear', 'movbe', 'nx', 'pcid', 'pclmulqdq', 'pdpe1gb', 'popcnt', 'rdrand', 'rdseed', 'rdtscp', 'smap',
      'smep', 'ss', 'ssbd', 'sse3', 'sse41', 'sse42', 'ssse3', 'stibp', 'xcr0_master_sse', 'xcr0_master_ymm_h', 'xsave', 'xsaveopt',
    ];
    const resolved = catalog.emptySet();
    const unresolved: string[] = [];
    for (const k of keys) {
      const f = catalog.resolve(k, 'vmware');
      if (f && f.vendors.includes('intel')) resolved.add(f);
      else unresolved.push(k);
    }
    expect(unresolved).toEqual(['ibpb', 'intel']);
    const bdw = mode('intel-broadwell');
    expect(compared(bdw.features.union(bdw.passes), bdw)).toEqual(resolved.ids().sort());
    // The Spectre-era bits are passed, not required: hosts without the microcode still support the mode.
    expect(bdw.passes.ids().sort()).toEqual(['flush_l1d', 'intel_stibp', 'md_clear', 'spec_ctrl', 'spec_ctrl_ssbd']);
  });

  it('marks a mode confirmed only when evidence or every step up to it is', () => {
    const confirmed = evcModes().filter((m) => m.confirmed).map((m) => m.key);
    expect(confirmed).toEqual(['intel-westmere', 'intel-sandybridge', 'intel-broadwell']);
  });
});

describe('host support and maximum modes', () => {
  const supportSet = (m: EvcMode): FeatureSet => visibleFeatures(m.features, esxi, m.vendor);

  it("a mode's own feature set supports the mode and nothing above it on its tracks", () => {
    for (const m of evcModes()) {
      const f = supportSet(m);
      expect(supportsMode(f, m), m.key).toBe(true);
      expect(maxEvcMode(f, m.vendor)?.key, m.key).toBe(m.key);
    }
  });

  it('judges AMD per track: a CPU without 3DNow! is on sequence B only', () => {
    const no3dnow = supportSet(mode('amd-zen2'));
    const byTrack = builtinEvcModes().maxByTrack(no3dnow, 'amd');
    expect([...byTrack].map(([t, m]) => `${t}=${m.key}`)).toEqual(['B=amd-zen2']);
    const k10 = supportSet(mode('amd-greyhound'));
    expect([...builtinEvcModes().maxByTrack(k10, 'amd')].map(([t, m]) => `${t}=${m.key}`)).toEqual(['A=amd-greyhound', 'B=amd-greyhound-no3dnow']);
    expect(maxEvcMode(k10, 'amd')?.key).toBe('amd-greyhound');
  });

  it('has no mode for other vendors or for CPUs below the first mode', () => {
    const westmere = supportSet(mode('intel-westmere'));
    expect(maxEvcMode(westmere, 'hygon')).toBeUndefined();
    expect(maxEvcMode(westmere, undefined)).toBeUndefined();
    expect(maxEvcMode(westmere.minus(catalog.setOf(['lahf_lm'])), 'intel')).toBeUndefined();
    expect(maxEvcMode(westmere, 'amd')).toBeUndefined();
  });

  it('tells what a host keeps and loses under a mode', () => {
    const ivy = supportSet(mode('intel-ivybridge')).unionWith(catalog.setOf(['spec_ctrl_ssbd']));
    const wsm = mode('intel-westmere');
    expect(lostUnderMode(ivy, wsm).ids().sort()).toEqual(['avx', 'erms', 'f16c', 'fsgsbase', 'rdrand', 'smep', 'spec_ctrl_ssbd', 'xsave', 'xsave_sse', 'xsave_ymm']);
    // Under its own mode the host keeps the SSBD bit the Ivy Bridge mode passes.
    expect(featuresUnderMode(ivy, mode('intel-ivybridge')).has('spec_ctrl_ssbd')).toBe(true);
    expect(modeFeatures(wsm)).toBe(wsm.features);
  });

  it('names the generation that brings a feature', () => {
    expect(modeAdding(catalog.require('sse4_1'), 'intel')?.key).toBe('intel-penryn');
    expect(modeAdding(catalog.require('movbe'), 'intel')?.key).toBe('intel-haswell');
    expect(modeAdding(catalog.require('sse4_1'), 'amd')?.key).toBe('amd-bulldozer');
    expect(modeAdding(catalog.require('3dnow'), 'amd')?.key).toBe('amd-rev-e');
    expect(modeAdding(catalog.require('sse4_1'), 'centaur')).toBeUndefined();
  });
});
