/**
 * Seed 002 on real hardware: the four merged lines the seed's author put in a .vmx to move a VM
 * between an Atom C2750 (Avoton) and a Core i7-3770 (Ivy Bridge) host, applied to InstLatx64 dumps
 * of those two CPUs (the i7-3770K stands in for the 3770S: same die, same signature 0x306A9).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import type { CpuidDump } from '../../core/cpuid.js';
import { loadInput } from '../../node/load.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { CpuidMask, applyMask, charAt, maskRequirements, unmetRequirements } from '../../core/masks/engine.js';
import { readVmxCpu } from './cpu.js';
import { VmxDocument } from './document.js';

const dumpPath = (name: string) => shared('oracle', 'instlatx64', 'GenuineIntel', name);
const merged = readVmxCpu(VmxDocument.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'seed002-merged.vmx'), 'utf8'), 'seed002-merged.vmx')).mask;

/** What vCenter reported in the seed, by catalog id: host A (Avoton) → B, then B (Ivy Bridge) → A. */
const A_TO_B = ['movbe', '3dnowprefetch'];
const B_TO_A = ['pcid', 'xsave', 'avx', 'f16c', 'fsgsbase', 'xsave_sse', 'xsave_ymm'];

const unmetIds = (mask: CpuidMask, from: CpuidDump, to: CpuidDump) =>
  unmetRequirements(maskRequirements(mask, from), to).bits.map((u) => u.requirement.feature?.id ?? '?').sort();

describe.skipIf(!hasShared)('seed 002 masks on the Avoton and Ivy Bridge dumps (needs ../shared)', () => {
  let avoton: CpuidDump;
  let ivy: CpuidDump;
  beforeAll(async () => {
    avoton = (await loadInput(dumpPath('GenuineIntel00406D8_Avoton_CPUID.txt'))).dump;
    ivy = (await loadInput(dumpPath('GenuineIntel00306A9_IvyBridge_CPUID.txt'))).dump;
  });

  it('hides on each host exactly the seed features it has, and nothing else', () => {
    for (const [h, expected] of [
      [avoton, A_TO_B],
      [ivy, B_TO_A],
    ] as const) {
      const before = catalog.decode(h);
      const after = catalog.decode(applyMask(merged, h));
      expect(before.minus(after).ids().sort()).toEqual([...expected].sort());
      expect(after.minus(before).ids()).toEqual([]);
      for (const id of [...A_TO_B, ...B_TO_A]) expect(after.has(id)).toBe(false);
    }
  });

  it('changes no register bit outside the masked positions', () => {
    for (const h of [avoton, ivy]) {
      const guest = applyMask(merged, h);
      for (const e of h.list()) {
        for (const reg of ['eax', 'ebx', 'ecx', 'edx'] as const) {
          const diff = (e[reg] ^ guest.reg(e.leaf, e.subleaf, reg)!) >>> 0;
          const bits = merged.effective(e.leaf, e.subleaf, reg, 'intel');
          for (let bit = 0; bit < 32; bit++) if ((diff >>> bit) & 1) expect(charAt(bits, bit)).toBe('0');
        }
      }
    }
  });

  it('without masks, a vMotion needs what vCenter listed in the seed, in each direction', () => {
    const aToB = unmetIds(CpuidMask.EMPTY, avoton, ivy);
    const bToA = unmetIds(CpuidMask.EMPTY, ivy, avoton);
    expect(aToB).toEqual(expect.arrayContaining(A_TO_B));
    expect(bToA).toEqual(expect.arrayContaining(B_TO_A));
    // What else openevc finds is what an ESXi guest is not shown (leaf 6 power reporting,
    // TSC_ADJUST), which vCenter therefore did not list: the ESXi view has to account for it.
    expect(aToB.filter((id) => !A_TO_B.includes(id))).toEqual(['tsc_adjust']);
    expect(bToA.filter((id) => !B_TO_A.includes(id))).toEqual(['ecmd', 'pln', 'pts']);
  });

  it('with the four merged lines, none of the seed features blocks either direction', () => {
    for (const [from, to] of [
      [avoton, ivy],
      [ivy, avoton],
    ] as const) {
      const left = unmetIds(merged, from, to);
      for (const id of [...A_TO_B, ...B_TO_A]) expect(left).not.toContain(id);
    }
    expect(unmetIds(merged, avoton, ivy)).toEqual(['tsc_adjust']);
    expect(unmetIds(merged, ivy, avoton)).toEqual(['ecmd', 'pln', 'pts']);
  });
});
