import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBaseline } from './baseline.js';
import { decodeHost } from './host.js';
import type { Host } from './host.js';
import { x86_64Level } from './levels.js';
import { closeUnderDependencies, hostsUniverse } from './target.js';
import { getProfile, guestFeatures } from './profiles.js';
import { importText } from '../formats/readers.js';
import { REPO_ROOT } from '../test-support/shared.js';

const load = (p: string): Host => decodeHost(importText(readFileSync(join(REPO_ROOT, 'examples', p), 'utf8'), { file: p }).dump);
const CLUSTER = ['cluster/esx-11-xeon-e5-2650v3.json', 'cluster/esx-12-xeon-e5-2650v4.json', 'cluster/esx-13-xeon-gold-6148.json', 'cluster/esx-14-xeon-platinum-8268.json'].map(load);
const SEEDS = ['seed-000/esx-01-xeon-e5310.json', 'seed-000/esx-04-xeon-e5420.json', 'seed-002/host-a-atom-c2750.json', 'seed-002/host-b-core-i7-3770.json'].map(load);
const AMD = ['amd/kvm-21-epyc-7601.json', 'amd/kvm-22-epyc-7502.json'].map(load);
const INTEL = [...CLUSTER, ...SEEDS];

describe('computeBaseline', () => {
  it('gives the EVC mode, QEMU model and level of a cluster, and who holds it down', () => {
    const b = computeBaseline(CLUSTER);
    expect(b.vendor).toBe('intel');
    expect(b.evc?.key).toBe('intel-haswell');
    expect(b.qemu?.model.name).toBe('Haswell-noTSX');
    expect(b.level).toBe(3);
    // The Haswell host alone holds the cluster at Haswell: without it, Broadwell.
    expect(b.limiting.map((l) => l.index)).toEqual([0]);
    expect(b.limiting[0]!.evc?.key).toBe('intel-broadwell');
    expect(b.limiting[0]!.gains.ids()).toEqual(expect.arrayContaining(['adx', 'rdseed', 'smap', '3dnowprefetch']));
    // What each host loses under the EVC mode grows with its generation.
    const lost = b.hosts.map((h) => h.lostUnderEvc!.size);
    expect(lost[0]).toBeLessThan(lost[1]!);
    expect(lost[2]).toBeLessThan(lost[3]!);
    expect(b.hosts[3]!.lostUnderEvc!.has('avx512f')).toBe(true);
  });

  it('reproduces the seed labs: Merom for seed 000, Westmere for seed 002', () => {
    expect(computeBaseline(SEEDS.slice(0, 2)).evc?.key).toBe('intel-merom');
    expect(computeBaseline(SEEDS.slice(2)).evc?.key).toBe('intel-westmere');
  });

  it('says when hosts mix vendors, and still gives the common set', () => {
    const b = computeBaseline([...CLUSTER, ...AMD], { profile: getProfile('kvm') });
    expect(b.vendor).toBeUndefined();
    expect(b.vendorMismatch).toMatch(/GenuineIntel and AuthenticAMD/);
    expect(b.evc).toBeUndefined();
    expect(b.qemu).toBeUndefined();
    expect(b.features.has('sse4_2') && b.features.has('avx2')).toBe(true);
  });

  it('uses prefix/suffix intersections that agree with recomputing each host-less baseline', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: INTEL.length - 1 }), { minLength: 2, maxLength: INTEL.length }), (picks) => {
        const hosts = picks.map((i) => INTEL[i]!);
        const view = getProfile('esxi');
        const b = computeBaseline(hosts, { profile: view });
        const universe = hostsUniverse(hosts, view);
        hosts.forEach((_, i) => {
          const others = hosts.filter((_, j) => j !== i);
          const common = others.map((h) => guestFeatures(h, view)).reduce((a, g) => a.intersection(g));
          const gains = closeUnderDependencies(common, universe).minus(b.features);
          const kvm = getProfile('kvm');
          const otherLevel = x86_64Level(closeUnderDependencies(others.map((h) => guestFeatures(h, kvm)).reduce((a, g) => a.intersection(g)), hostsUniverse(hosts, kvm)));
          const entry = b.limiting.find((l) => l.index === i);
          if (gains.isEmpty && otherLevel <= b.level && !entry?.evc && !entry?.qemuModel) expect(entry).toBeUndefined();
          else expect(entry?.gains.ids() ?? []).toEqual(gains.ids());
        });
        // Every host offers every common feature; the common set is closed under dependencies.
        for (const h of hosts) expect(b.features.isSubsetOf(guestFeatures(h, view))).toBe(true);
        expect(closeUnderDependencies(b.features, universe).equals(b.features)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
