/**
 * Helpers shared by the mask tests: small synthetic hosts and random masks. Test-only (imported by
 * *.test.ts files; never by the library).
 */
import fc from 'fast-check';
import { CpuidDump } from '../core/cpuid.js';
import type { Regs } from '../core/cpuid.js';
import { catalog } from '../core/catalog.js';
import { CpuidMask, MASK_CHARS } from '../core/masks/engine.js';
import type { MaskChar, RegisterMask } from '../core/masks/engine.js';

/** Vendor string registers of leaf 0 (EBX, EDX, ECX order in the string). */
function vendorRegs(vendor: string): Pick<Regs, 'ebx' | 'ecx' | 'edx'> {
  const word = (s: string) => [...s].reduce((v, c, i) => v | (c.charCodeAt(0) << (8 * i)), 0) >>> 0;
  return { ebx: word(vendor.slice(0, 4)), edx: word(vendor.slice(4, 8)), ecx: word(vendor.slice(8, 12)) };
}

/** Sets the listed catalog features in a dump (each id must be a CPUID feature). */
function withFeatures(dump: CpuidDump, ids: readonly string[]): CpuidDump {
  for (const id of ids) {
    const loc = catalog.require(id).loc;
    if (loc.type !== 'cpuid') throw new Error(`${id} is not a CPUID feature`);
    const r = dump.get(loc.leaf, loc.subleaf)!;
    dump.set(loc.leaf, loc.subleaf, { ...r, [loc.reg]: (r[loc.reg] | (1 << loc.bit)) >>> 0 });
  }
  return dump;
}

/**
 * A synthetic host answering leaves 0, 1, 7.0, 0xD.0, 0xD.1, 0x80000000 and 0x80000001 (all
 * zero) with the given catalog features set.
 */
export function host(ids: readonly string[], vendor = 'GenuineIntel', signature = 0x000306a9): CpuidDump {
  const d = new CpuidDump({ format: 'synthetic', lossy: false, label: ids.join(' ') });
  const zero = { eax: 0, ebx: 0, ecx: 0, edx: 0 };
  d.set(0, 0, { eax: 0xd, ...vendorRegs(vendor) });
  d.set(1, 0, { ...zero, eax: signature });
  d.set(7, 0, zero);
  d.set(0xd, 0, zero);
  d.set(0xd, 1, zero);
  d.set(0x8000_0000, 0, { ...zero, eax: 0x8000_0001 });
  d.set(0x8000_0001, 0, zero);
  return withFeatures(d, ids);
}

export const LEAVES = [1, 7, 0xd, 0x8000_0001] as const;

/** 32 random mask characters, optionally from a subset. */
export function maskBits(chars: readonly MaskChar[] = MASK_CHARS): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...chars), { minLength: 32, maxLength: 32 }).map((a) => a.join(''));
}

/** A random register mask on subleaf 0 of a leaf the synthetic host answers. */
export function registerMaskArb(chars: readonly MaskChar[] = MASK_CHARS, vendors = true): fc.Arbitrary<RegisterMask> {
  return fc.record({
    leaf: fc.constantFrom(...LEAVES),
    reg: fc.constantFrom('eax' as const, 'ebx' as const, 'ecx' as const, 'edx' as const),
    vendor: vendors ? fc.constantFrom(undefined, 'amd' as const, 'intel' as const) : fc.constant(undefined),
    bits: maskBits(chars),
  }).map(({ vendor, ...r }) => ({ ...r, subleaf: 0, ...(vendor ? { vendor } : {}) }));
}

export function maskArb(chars: readonly MaskChar[] = MASK_CHARS, vendors = true): fc.Arbitrary<CpuidMask> {
  return fc.array(registerMaskArb(chars, vendors), { maxLength: 6 }).map((l) => CpuidMask.of(l));
}

/** A random host: the synthetic leaves with random register values. */
export const hostArb: fc.Arbitrary<CpuidDump> = fc
  .record({ vendor: fc.constantFrom('GenuineIntel', 'AuthenticAMD'), values: fc.array(fc.nat({ max: 0xffff_ffff }), { minLength: 16, maxLength: 16 }) })
  .map(({ vendor, values }) => {
    const d = host([], vendor);
    LEAVES.forEach((leaf, i) => {
      const [eax, ebx, ecx, edx] = values.slice(i * 4, i * 4 + 4) as [number, number, number, number];
      d.set(leaf, 0, leaf === 1 ? { eax: 0x000306a9, ebx, ecx, edx } : { eax, ebx, ecx, edx });
    });
    return d;
  });
