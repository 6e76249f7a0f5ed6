/**
 * Which (leaf, subleaf) pairs a CPU really answers, discovered by asking it: the walk a
 * probe does over a live CPU (or anything that can answer CPUID, such as a recorded dump).
 * Each leaf's own fields say how far to go (max subleaf, cache type 0, level type 0, XCR0
 * bits), so nothing absent is invented and nothing present is missed.
 */
import type { DumpSource, Regs } from './cpuid.js';
import { CpuidDump, rangeBase } from './cpuid.js';

/** Answers CPUID for one (leaf, subleaf). */
export type CpuidReader = (leaf: number, subleaf: number) => Regs;

const MAX_SUBLEAVES = 64;
const MAX_LEAVES_PER_RANGE = 0x100;

export function collectCpuid(read: CpuidReader, source: DumpSource): CpuidDump {
  const dump = new CpuidDump(source);
  const put = (leaf: number, sub: number): Regs => {
    const r = read(leaf, sub);
    dump.set(leaf, sub, r);
    return r;
  };

  const l0 = put(0, 0);
  const maxBasic = Math.min(l0.eax, MAX_LEAVES_PER_RANGE - 1);
  for (let leaf = 1; leaf <= maxBasic; leaf++) walkLeaf(leaf, put);

  // Hypervisor leaves only exist when CPUID.1:ECX[31] says a hypervisor is there.
  const l1 = dump.get(1);
  if (l1 && (l1.ecx >>> 31) === 1) walkRange(0x4000_0000, put);
  walkRange(0x8000_0000, put);
  const vendor = vendorString(l0);
  if (vendor === 'CentaurHauls' || vendor === '  Shanghai  ') walkRange(0xc000_0000, put);
  if (vendor === 'GenuineTMx86' || vendor === 'TransmetaCPU') walkRange(0x8086_0000, put);
  return dump;
}

function vendorString(r: Regs): string {
  let s = '';
  for (const v of [r.ebx, r.edx, r.ecx]) for (let i = 0; i < 4; i++) s += String.fromCharCode((v >>> (8 * i)) & 0xff);
  return s;
}

function walkRange(base: number, put: (leaf: number, sub: number) => Regs): void {
  const first = put(base, 0);
  if (rangeBase(first.eax) !== base || first.eax < base) return;
  const last = Math.min(first.eax, base + MAX_LEAVES_PER_RANGE - 1);
  for (let leaf = base + 1; leaf <= last; leaf++) walkLeaf(leaf, put);
}

function walkLeaf(leaf: number, put: (leaf: number, sub: number) => Regs): void {
  switch (leaf) {
    case 0x4:
    case 0x8000_001d: {
      // Deterministic cache parameters: stop at cache type 0 (EAX[4:0]).
      for (let s = 0; s < MAX_SUBLEAVES; s++) if ((put(leaf, s).eax & 0x1f) === 0) break;
      return;
    }
    case 0xb:
    case 0x1f:
    case 0x8000_0026: {
      // Topology: stop at level type 0 (ECX[15:8]); subleaf 0 is always kept.
      for (let s = 0; s < MAX_SUBLEAVES; s++) if (((put(leaf, s).ecx >>> 8) & 0xff) === 0 && s > 0) break;
      return;
    }
    case 0xd: {
      const s0 = put(leaf, 0);
      const s1 = put(leaf, 1);
      const lo = (s0.eax | s1.ecx) >>> 0;
      const hi = (s0.edx | s1.edx) >>> 0;
      for (let bit = 2; bit < 64; bit++) {
        const set = bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1;
        if (set) put(leaf, bit);
      }
      return;
    }
    case 0x7:
    case 0x14:
    case 0x17:
    case 0x18:
    case 0x1d:
    case 0x20:
    case 0x24: {
      // EAX of subleaf 0 is the highest valid subleaf.
      const max = Math.min(put(leaf, 0).eax, MAX_SUBLEAVES - 1);
      for (let s = 1; s <= max; s++) put(leaf, s);
      return;
    }
    case 0xf:
    case 0x10: {
      // Resource monitoring / allocation: subleaf 0 is a bitmap of the valid resource ids.
      const map = put(leaf, 0);
      const bits = leaf === 0xf ? map.edx : map.ebx;
      for (let s = 1; s < 32; s++) if ((bits >>> s) & 1) put(leaf, s);
      return;
    }
    case 0x12: {
      // SGX: subleaves 0 and 1, then EPC sections until a section of type 0.
      put(leaf, 0);
      put(leaf, 1);
      for (let s = 2; s < MAX_SUBLEAVES; s++) if ((put(leaf, s).eax & 0xf) === 0) break;
      return;
    }
    case 0x23: {
      // Architectural PMU extended leaf: EAX of subleaf 0 is a bitmap of valid subleaves.
      const map = put(leaf, 0).eax;
      for (let s = 1; s < 32; s++) if ((map >>> s) & 1) put(leaf, s);
      return;
    }
    case 0x8000_0020: {
      // AMD platform QoS: EBX of subleaf 0 is a bitmap of valid subleaves.
      const map = put(leaf, 0).ebx;
      for (let s = 1; s < 32; s++) if ((map >>> s) & 1) put(leaf, s);
      return;
    }
    default:
      put(leaf, 0);
  }
}

/** A reader answering from a recorded dump (absent pairs answer zero), for tests and replays. */
export function readerFromDump(dump: CpuidDump): CpuidReader {
  const zero: Regs = { eax: 0, ebx: 0, ecx: 0, edx: 0 };
  return (leaf, sub) => dump.get(leaf, sub) ?? zero;
}
