import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import type { FeatureSet } from './catalog.js';
import { compatibilityMatrix, distinctFeatureSets } from './pairs.js';

/** Random sets over a few catalog features (so that subsets, equal sets and strangers all occur). */
const POOL = catalog.features.slice(0, 70);
const setArb = fc.array(fc.integer({ min: 0, max: POOL.length - 1 }), { maxLength: 40 }).map((ix) => {
  const s = catalog.emptySet();
  for (const i of ix) s.add(POOL[i]!);
  return s;
});
/** Sets that are mostly one big set with a few bits removed: deep subset chains, like a real fleet. */
const nestedArb = fc.array(fc.array(fc.integer({ min: 0, max: POOL.length - 1 }), { maxLength: 4 }), { maxLength: 40 }).map((drops) =>
  drops.map((d) => {
    const s = catalog.emptySet();
    for (const f of POOL) s.add(f);
    for (const i of d) s.delete(POOL[i]!);
    return s;
  }),
);

function naive(sets: readonly FeatureSet[], i: number, j: number): boolean {
  return sets[i]!.isSubsetOf(sets[j]!);
}

describe('compatibilityMatrix (the all-pairs kernel)', () => {
  it('agrees with isSubsetOf on every ordered pair, relation and blockers included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(setArb, { maxLength: 45 }), nestedArb), (sets) => {
        const m = compatibilityMatrix(sets);
        let count = 0;
        for (let i = 0; i < sets.length; i++) {
          for (let j = 0; j < sets.length; j++) {
            const ok = naive(sets, i, j);
            expect(m.canMigrate(i, j)).toBe(ok);
            if (ok && i !== j) count++;
            const back = naive(sets, j, i);
            expect(m.relation(i, j)).toBe(ok && back ? 'both' : ok ? 'forward' : back ? 'backward' : 'neither');
            expect(m.blockers(i, j).ids()).toEqual(sets[i]!.minus(sets[j]!).ids());
          }
        }
        expect(m.countCompatible()).toBe(count);
      }),
      { numRuns: 150 },
    );
  });

  it('crosses block boundaries (600 CPUs: 3 blocks) without losing a pair', () => {
    const base = catalog.emptySet();
    for (const f of POOL) base.add(f);
    const sets = Array.from({ length: 600 }, (_, i) => base.clone().delete(POOL[i % POOL.length]!).delete(POOL[(i * 7 + 3) % POOL.length]!));
    const m = compatibilityMatrix(sets);
    for (const [i, j] of [[0, 599], [599, 0], [255, 256], [256, 255], [300, 511], [511, 512], [70, 0], [0, 70]] as const) {
      expect(m.canMigrate(i, j), `${i}→${j}`).toBe(naive(sets, i, j));
    }
    expect(m.canMigrate(0, POOL.length)).toBe(true); // same two bits removed: equal sets
  });

  it('distinctFeatureSets maps identical sets to one entry, in order of first appearance', () => {
    fc.assert(
      fc.property(fc.array(setArb, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), (sets, picks) => {
        const fleet = sets.length === 0 ? [] : picks.map((p) => sets[p % sets.length]!.clone());
        const d = distinctFeatureSets(fleet);
        fleet.forEach((s, i) => expect(d.sets[d.indexOf[i]!]!.equals(s)).toBe(true));
        for (let a = 0; a < d.sets.length; a++) for (let b = a + 1; b < d.sets.length; b++) expect(d.sets[a]!.equals(d.sets[b]!)).toBe(false);
        expect([...d.counts].reduce((x, y) => x + y, 0)).toBe(fleet.length);
        const firsts = d.sets.map((s) => fleet.findIndex((f) => f.equals(s)));
        expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
      }),
    );
  });
});
