/**
 * The streaming fleet (one entry per distinct CPU) against the generic path (every host kept):
 * the same baseline, text and JSON, byte for byte, on random fleets with repeated CPUs drawn from
 * the example fleet and, when ../shared is there, from libvirt's and InstLatx64's real CPUs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBaseline } from './baseline.js';
import { Fleet, fleetBaseline } from './fleet.js';
import { decodeHost } from './host.js';
import type { Host } from './host.js';
import { getProfile, profileIds } from './profiles.js';
import { importText } from '../formats/readers.js';
import { baselineToJson, renderBaseline } from '../report/baseline.js';
import { REPO_ROOT, hasShared, shared } from '../test-support/shared.js';

interface Source {
  readonly file: string;
  readonly text: string;
}

function files(dir: string, keep: (name: string) => boolean): Source[] {
  return readdirSync(dir)
    .filter(keep)
    .sort()
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'latin1') }));
}

/** A fresh Host per pick, as the CLI decodes every file anew (so hosts of one CPU are distinct objects). */
function decode(s: Source): Host {
  return decodeHost(importText(s.text, { file: s.file }).dump);
}

function checkSame(sources: readonly Source[], picks: readonly number[], profile: string): void {
  const chosen = picks.map((p) => sources[p % sources.length]!);
  const paths = chosen.map((s, i) => `${i}/${s.file}`);
  const opts = { profile: getProfile(profile) };
  let generic;
  try {
    generic = computeBaseline(chosen.map(decode), opts);
  } catch (e) {
    expect(() => fleetBaseline(chosen.map(decode), opts)).toThrow((e as Error).message);
    return;
  }
  const fleet = new Fleet({ keepDumps: picks.length % 2 === 0 });
  for (const s of chosen) fleet.add(decode(s));
  const fast = fleet.baseline(opts);
  expect(fleet.size).toBe(chosen.length);
  expect(fleet.distinct).toBeLessThanOrEqual(new Set(chosen).size);
  const json = `${JSON.stringify(baselineToJson(generic, paths), null, 2)}\n`;
  expect(`${JSON.stringify(baselineToJson(fast, paths), null, 2)}\n`).toBe(json);
  for (const long of [false, true]) expect(renderBaseline(fast, paths, { long })).toBe(renderBaseline(generic, paths, { long }));
}

const pickArb = (n: number) => fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 40 });

describe('Fleet: streaming baseline over distinct CPUs equals the generic baseline', () => {
  const examples = ['seed-000', 'seed-002', 'cluster', 'amd'].flatMap((d) => files(join(REPO_ROOT, 'examples', d), (f) => f.endsWith('.json')));

  it('on random fleets from the example fleet (repeats, mixed vendors, every profile)', () => {
    fc.assert(
      fc.property(pickArb(examples.length), fc.constantFrom(...profileIds()), (picks, profile) => checkSame(examples, picks, profile)),
      { numRuns: 60 },
    );
  });

  it('on the whole example fleet, twice over, and on one host repeated', () => {
    const all = examples.map((_, i) => i);
    for (const profile of profileIds()) {
      checkSame(examples, [...all, ...all], profile);
      checkSame(examples, [3, 3, 3], profile);
      checkSame(examples, [3], profile);
    }
  });

  describe.skipIf(!hasShared)('on real CPUs (needs ../shared)', () => {
    const libvirt = hasShared
      ? files(shared('oracle', 'libvirt-cputestdata', 'cputestdata'), (f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
      : [];
    const intel = hasShared ? files(shared('oracle', 'instlatx64', 'GenuineIntel'), (f) => f.endsWith('.txt')) : [];

    it('libvirt cputestdata fleets', () => {
      fc.assert(
        fc.property(pickArb(libvirt.length), fc.constantFrom(...profileIds()), (picks, profile) => checkSame(libvirt, picks, profile)),
        { numRuns: 25 },
      );
    });

    it('InstLatx64 Intel fleets', () => {
      fc.assert(
        fc.property(pickArb(intel.length), fc.constantFrom(...profileIds()), (picks, profile) => checkSame(intel, picks, profile)),
        { numRuns: 25 },
      );
    });
  });
});
