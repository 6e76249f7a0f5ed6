/**
 * Seed 002 reproduced by `openevc mask`: the four merged lines its author wrote by hand between an
 * Atom C2750 (Avoton) and a Core i7-3770 (Ivy Bridge) host, and the "poor man's EVC" Westmere lines
 * of its TL;DR. On the InstLatx64 dumps of those CPUs (needs ../shared; the i7-3770K stands in for
 * the 3770S: same die, same signature) and on the project's own example files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { charAt } from '../../core/masks/engine.js';
import type { CpuidMask } from '../../core/masks/engine.js';
import { VmxDocument } from '../../formats/vmx/document.js';
import { readVmxCpu } from '../../formats/vmx/cpu.js';
import { decodeHost } from '../../core/host.js';
import type { Host } from '../../core/host.js';
import { getProfile, profileUniverse } from '../../core/profiles.js';
import { loadInput } from '../../node/load.js';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT, hasShared, shared } from '../../test-support/shared.js';
import { effectiveGuest, linesMask } from '../../test-support/targets.js';

const esxi = getProfile('esxi');

/** The bits the seed's merged lines hide, as `<register>:<bit>`. */
const SEED_MERGED_ZEROS = ['0x80000001 ecx:8', '0x1 ecx:29', '0x1 ecx:28', '0x1 ecx:26', '0x1 ecx:22', '0x1 ecx:17', '0x7 ebx:0', '0xd eax:2', '0xd eax:1'];

/** Every `0` of a mask as `<leaf> <reg>:<bit>`, sorted. */
function zeros(mask: CpuidMask): string[] {
  const out: string[] = [];
  for (const r of mask.list()) for (let bit = 0; bit < 32; bit++) if (charAt(r.bits, bit) === '0') out.push(`0x${r.leaf.toString(16)} ${r.reg}:${bit}`);
  return out.sort();
}

/** The seed's TL;DR lines (fixture of the mask engine): register and bit of every `0` naming a real feature. */
function tldrFeatureZeros(): { leaf: number; reg: string; bit: number; id: string }[] {
  const cpu = readVmxCpu(VmxDocument.parse(readFileSync(join(REPO_ROOT, 'src', 'formats', 'vmx', 'fixtures', 'seed002-westmere.vmx'), 'utf8'), 'tldr'));
  const out: { leaf: number; reg: string; bit: number; id: string }[] = [];
  for (const r of cpu.mask.list()) {
    for (let bit = 0; bit < 32; bit++) {
      const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
      if (charAt(r.bits, bit) === '0' && f?.kind === 'feature') out.push({ leaf: r.leaf, reg: r.reg, bit, id: f.id });
    }
  }
  return out;
}

function checkSeed(paths: () => readonly [string, string], hosts: () => readonly Host[]) {
  it('openevc mask A B: lines whose 0 bits are exactly those of the seed\'s four merged lines', async () => {
    const r = await runCli('mask', ...paths());
    expect(r.code).toBe(0);
    const cpu = readVmxCpu(VmxDocument.parse(r.stdout, 'stdout'));
    expect(cpu.featMasks).toEqual([]);
    expect(zeros(cpu.mask)).toEqual([...SEED_MERGED_ZEROS].sort());
  });

  it('openevc mask --evc intel-westmere A B: either host shows the same guest view, and every real feature the TL;DR zeroes is hidden', async () => {
    const r = await runCli('mask', '--evc', 'intel-westmere', ...paths());
    expect(r.code).toBe(0);
    const mask = linesMask(r.stdout);
    const [a, b] = hosts().map((h) => effectiveGuest(h, mask, esxi));
    expect(a!.ids()).toEqual(b!.ids());
    const universe = profileUniverse(esxi, 'intel');
    const tldr = tldrFeatureZeros();
    expect(tldr.length).toBeGreaterThan(40);
    for (const z of tldr) {
      // Hidden on both hosts...
      for (const g of [a!, b!]) expect(g.has(z.id), z.id).toBe(false);
      // ...and by a 0 of these lines wherever an ESXi guest could be shown the feature.
      const f = catalog.require(z.id);
      if (universe.has(f) && f.vendors.includes('intel')) expect(charAt(mask.effective(z.leaf, 0, z.reg as 'ecx', 'intel'), z.bit), z.id).toBe('0');
    }
  });
}

describe.skipIf(!hasShared)('seed 002 on the InstLatx64 Avoton and Ivy Bridge dumps (needs ../shared)', () => {
  const dump = (name: string) => shared('oracle', 'instlatx64', 'GenuineIntel', name);
  const paths = [dump('GenuineIntel00406D8_Avoton_CPUID.txt'), dump('GenuineIntel00306A9_IvyBridge_CPUID.txt')] as const;
  let hosts: Host[] = [];
  beforeAll(async () => {
    hosts = await Promise.all(paths.map(async (p) => decodeHost((await loadInput(p)).dump)));
  });
  checkSeed(() => paths, () => hosts);
});

describe('seed 002 on the example files (examples/seed-002)', () => {
  const paths = ['examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json'] as const;
  let hosts: Host[] = [];
  beforeAll(async () => {
    hosts = await Promise.all(paths.map(async (p) => decodeHost((await loadInput(p)).dump)));
  });
  checkSeed(() => paths, () => hosts);

  it('the Ivy Bridge example has XSAVEOPT (leaf 0xD subleaf 1), which the dump lacks: hidden through XSAVE, so the lines are the same', async () => {
    expect(hosts[1]!.features.has('xsaveopt')).toBe(true);
    const r = await runCli('mask', ...paths);
    expect(r.stderr).toContain('XSAVEOPT (xsaveopt, 0xd.1:EAX[0]) gets no line');
    expect(effectiveGuest(hosts[1]!, linesMask(r.stdout), esxi).has('xsaveopt')).toBe(false);
  });
});
