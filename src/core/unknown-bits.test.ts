import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import { checkMigration } from './check.js';
import { decodeHost } from './host.js';
import { getProfile } from './profiles.js';
import { flagMask, unknownBits } from './unknown-bits.js';
import type { CpuidDump } from './cpuid.js';
import { summarize } from '../report/host.js';
import { checkToJson } from '../report/check.js';
import { importText } from '../formats/readers.js';
import { syntheticDump } from '../test-support/hosts.js';
import { filesUnder, hasShared, shared } from '../test-support/shared.js';

const IVY = 0x306a9;
const ids = ['sse2', 'sse4_2', 'lm', 'nx', 'popcnt'];

/** A synthetic host, with extra raw bits OR-ed into 0x80000008 EBX. */
function host(extra8ebx: number) {
  const d = syntheticDump({ vendor: 'GenuineIntel', signature: IVY, ids });
  const r = d.get(0x8000_0008) ?? { eax: 0, ebx: 0, ecx: 0, edx: 0 };
  d.set(0x8000_0008, 0, { ...r, ebx: (r.ebx | extra8ebx) >>> 0 });
  return decodeHost(d);
}

describe('set bits the catalog does not name', () => {
  it('0x80000008 EBX bit 10 is not named by the catalog (the premise of these tests)', () => {
    expect(catalog.at(0x8000_0008, 0, 'ebx', 10)).toBeUndefined();
  });

  it('appear in show --json as `unknown`, with their location as id', () => {
    const j = summarize(host(1 << 10));
    expect(j.features).toContainEqual({ id: '0x80000008.ebx.10', name: 'unknown', leaf: 0x8000_0008, subleaf: 0, reg: 'ebx', bit: 10, kind: 'unknown', category: 'unknown', enforcement: 'unknown' });
    expect(summarize(host(0)).features.some((f) => f.name === 'unknown')).toBe(false);
  });

  it('are compared by check --profile raw; ESXi and KVM hide bits they do not know', () => {
    const a = host(1 << 10);
    const b = host(0);
    const raw = checkMigration(a, b, { profile: getProfile('raw') });
    expect(raw.compatible).toBe(false);
    expect(checkToJson(raw).blockers).toEqual([expect.objectContaining({ id: '0x80000008.ebx.10', kind: 'unknown-bit', leaf: 0x8000_0008, reg: 'ebx', bit: 10 })]);
    expect(checkMigration(b, a, { profile: getProfile('raw') }).compatible).toBe(true);
    expect(checkMigration(a, b, { profile: getProfile('esxi') }).compatible).toBe(true);
    expect(checkMigration(a, b, { profile: getProfile('kvm') }).compatible).toBe(true);
    // The hiding rule is an unconfirmed profile rule: the answer says so where it decides.
    const esxi = checkMigration(a, b, { profile: getProfile('esxi') });
    expect(esxi.notes.join('\n')).toMatch(/0x80000008\.ebx\.10\) and is not compared: ESXi .*\(unconfirmed/);
    expect(checkMigration(b, b, { profile: getProfile('esxi') }).notes).toEqual([]);
    expect(getProfile('esxi').unknownBits?.shown).toBe(false);
    expect(getProfile('kvm').unknownBits?.shown).toBe(false);
  });

  it('numeric fields are not bits: the AVX10 version in 0x24 EBX', () => {
    const d = syntheticDump({ vendor: 'GenuineIntel', signature: IVY, ids });
    d.set(0, 0, { ...d.get(0)!, eax: 0x24 });
    d.set(0x24, 0, { eax: 0, ebx: 0x2, ecx: 0, edx: 0 });
    expect(unknownBits(d)).toEqual([]);
  });
});

/** A plain walk of every feature register's set bits (flags only), as `leaf.subleaf.reg.bit`. */
function bitWalk(dump: CpuidDump): string[] {
  const out: string[] = [];
  for (const rm of catalog.registers()) {
    if (!dump.isValidLeaf(rm.leaf, rm.subleaf)) continue;
    const v = dump.reg(rm.leaf, rm.subleaf, rm.reg)! & flagMask(rm.leaf, rm.subleaf, rm.reg);
    for (let bit = 0; bit < 32; bit++) if ((v >>> bit) & 1) out.push(`${rm.leaf}.${rm.subleaf}.${rm.reg}.${bit}`);
  }
  return out.sort();
}

function listed(dump: CpuidDump): string[] {
  return summarize(decodeHost(dump)).features.map((f) => `${f.leaf}.${f.subleaf}.${f.reg}.${f.bit}`).sort();
}


describe.skipIf(!hasShared)('show --json lists every set bit of every feature register on real dumps (needs ../shared)', () => {
  it('the 118 InstLatx64 dumps', () => {
    const files = hasShared ? filesUnder(shared('oracle', 'instlatx64'), (n) => n.endsWith('.txt') && n !== 'README.md') : [];
    expect(files).toHaveLength(118);
    let unknown = 0;
    for (const f of files) {
      const dump = importText(readFileSync(f, 'latin1'), { file: f }).dump;
      expect(listed(dump), f).toEqual(bitWalk(dump));
      unknown += unknownBits(dump).length;
    }
    expect(unknown).toBeGreaterThan(0);
  });

  it('the 61 libvirt dumps', () => {
    const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
    const files = hasShared
      ? readdirSync(dir).filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline')).sort()
      : [];
    expect(files).toHaveLength(61);
    for (const f of files) {
      const dump = importText(readFileSync(join(dir, f), 'utf8'), { file: f }).dump;
      expect(listed(dump), f).toEqual(bitWalk(dump));
    }
  });
});
