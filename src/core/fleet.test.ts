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
import { evcTarget, minimalTarget } from './target.js';
import { exporterFor } from '../formats/writers.js';
import { explainTarget } from '../report/mask.js';
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

describe('Fleet.addLight: hosts without registers give the same migration target', () => {
  const examples = ['seed-000', 'seed-002', 'cluster', 'amd'].flatMap((d) => files(join(REPO_ROOT, 'examples', d), (f) => f.endsWith('.json')));
  const formats = ['vmx', 'json', 'libvirt', 'xen'];

  /** What `mask` prints for these hosts (configuration and explanation), or the error it stops at. */
  function printed(hosts: readonly Host[], profile: string, evc: string | undefined): string {
    try {
      const opts = { profile: getProfile(profile) };
      const target = evc === undefined ? minimalTarget(hosts, opts) : evcTarget(hosts, evc, opts);
      return [explainTarget(target), ...formats.map((f) => exporterFor(f).render(target).text)].join('\n---\n');
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  }

  it('on random fleets from the example fleet, every profile, minimal and EVC targets', () => {
    fc.assert(
      fc.property(pickArb(examples.length), fc.constantFrom(...profileIds()), fc.constantFrom(undefined, 'intel-merom', 'intel-sandybridge', 'amd-rev-e'), (picks, profile, evc) => {
        const chosen = picks.map((p, i) => ({ s: examples[p % examples.length]!, path: `${i}/${examples[p % examples.length]!.file}` }));
        // Named by their place, as mask names each input by the path given.
        const whole = chosen.map(({ s, path }) => decodeHost(importText(s.text, { file: s.file }).dump.clone({ ...importText(s.text, { file: s.file }).dump.source, path })));
        const fleet = new Fleet({ keepDumps: false });
        const light = whole.map((h) => fleet.addLight(h));
        expect(printed(light, profile, evc)).toBe(printed(whole, profile, evc));
        light.forEach((h, i) => {
          expect(h.dump.size).toBe(0);
          expect(h.dump.source).toBe(whole[i]!.dump.source);
          expect(h.features).toBe(fleet.representative(fleet.entryIndex(i)).features);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('hosts of one CPU share their guest view and what they lose', () => {
    const s = examples.find((x) => x.file.includes('cluster'))!;
    const fleet = new Fleet({ keepDumps: false });
    const hosts = [0, 1, 2].map((i) => fleet.addLight(decodeHost(importText(s.text, { file: `${i}.json` }).dump)));
    const target = minimalTarget(hosts, { profile: getProfile('kvm') });
    expect(target.guest[1]).toBe(target.guest[0]);
    expect(target.hiddenOn[2]).toBe(target.hiddenOn[0]);
    expect(fleet.distinct).toBe(1);
    expect(() => fleet.representative(1)).toThrow(RangeError);
  });
});
