/**
 * A CPUID dump rebuilt from a list of features, for inputs that name features instead of giving
 * registers (/proc/cpuinfo flags, libvirt `<cpu>` definitions). Each feature's bit is set where
 * the catalog places it (MSR-backed features in the dump's MSRs), identity goes where CPUID keeps
 * it (leaf 0 vendor string, leaf 1 EAX signature, 0x80000002..4 brand string), and every leaf
 * range's first leaf reports the highest leaf set, so the rebuilt dump decodes to exactly the
 * features it was built from. Such a dump is lossy by nature; callers mark its source so.
 */
import type { Feature, FeatureSet } from './catalog.js';
import { catalog } from './catalog.js';
import { CpuidDump, SUBLEAF_LIMIT, rangeBase } from './cpuid.js';
import type { DumpSource, Register } from './cpuid.js';

/** Who the rebuilt CPU says it is, and register contents that are not feature bits. */
export interface DumpIdentity {
  /** The 12-character CPUID vendor string (`GenuineIntel`); without it leaf 0 is left out. */
  readonly vendor?: string;
  /** CPUID.1:EAX (see {@link signatureEax}). */
  readonly signature?: number;
  /** Brand string for leaves 0x80000002..4 (at most 47 bytes are kept). */
  readonly brand?: string;
  /** Leaf 0 EAX at least this (the input's own highest basic leaf). */
  readonly maxBasicLeaf?: number;
  /** Other register contents to OR in (leaf 1 EBX fields, address sizes...). */
  readonly registers?: readonly { readonly leaf: number; readonly subleaf?: number; readonly reg: Register; readonly value: number }[];
}

/**
 * CPUID.1:EAX for a display family/model/stepping. The extended family holds what exceeds 0xF;
 * model bits 7:4 go to the extended-model field from family 6 up (the inverse of how the SDM and
 * the APM combine them).
 */
export function signatureEax(family: number, model: number, stepping: number): number {
  const baseFamily = family >= 0xf ? 0xf : family;
  const extFamily = family >= 0xf ? family - 0xf : 0;
  const baseModel = model & 0xf;
  const extModel = baseFamily >= 0x6 ? (model >>> 4) & 0xf : 0;
  return ((extFamily << 20) | (extModel << 16) | (baseFamily << 8) | (baseModel << 4) | (stepping & 0xf)) >>> 0;
}

/** Four little-endian 32-bit words from up to 16 bytes starting at `offset`. */
function bytesToRegs(bytes: Uint8Array, offset: number): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let r = 0; r < 4; r++) {
    let v = 0;
    for (let k = 3; k >= 0; k--) v = (v << 8) | (bytes[offset + r * 4 + k] ?? 0);
    out[r] = v >>> 0;
  }
  return out;
}

/** Builds a dump holding exactly these features and this identity. */
export function dumpFromFeatures(features: Iterable<Feature>, identity: DumpIdentity, source: DumpSource): CpuidDump {
  const regs = new Map<number, { leaf: number; subleaf: number; r: Record<Register, number> }>();
  const entry = (leaf: number, subleaf = 0): Record<Register, number> => {
    // A number per (leaf, subleaf), not a string: a file of 1,000 definitions sets 100,000 bits.
    const k = leaf * SUBLEAF_LIMIT + subleaf;
    let e = regs.get(k);
    if (!e) regs.set(k, (e = { leaf, subleaf, r: { eax: 0, ebx: 0, ecx: 0, edx: 0 } }));
    return e.r;
  };
  const dump = new CpuidDump(source);

  for (const f of features) {
    if (f.loc.type === 'cpuid') {
      const r = entry(f.loc.leaf, f.loc.subleaf);
      r[f.loc.reg] = (r[f.loc.reg] | (1 << f.loc.bit)) >>> 0;
    } else {
      dump.msrs.set(f.loc.index, (dump.msrs.get(f.loc.index) ?? 0n) | (1n << BigInt(f.loc.bit)));
    }
  }
  if (identity.signature !== undefined) entry(1).eax = identity.signature >>> 0;
  for (const x of identity.registers ?? []) {
    const r = entry(x.leaf, x.subleaf ?? 0);
    r[x.reg] = (r[x.reg] | x.value) >>> 0;
  }

  // Leaf 7 subleaf 0 EAX: the highest subleaf.
  let max7 = -1;
  for (const e of regs.values()) if (e.leaf === 7) max7 = Math.max(max7, e.subleaf);
  if (max7 > 0) entry(7).eax = max7;

  if (identity.brand) {
    const bytes = new Uint8Array(48);
    bytes.set(new TextEncoder().encode(identity.brand).slice(0, 47));
    for (let i = 0; i < 3; i++) {
      const [eax, ebx, ecx, edx] = bytesToRegs(bytes, i * 16);
      Object.assign(entry(0x8000_0002 + i), { eax, ebx, ecx, edx });
    }
  }

  // Each leaf range's first leaf reports the highest leaf of the range; leaf 0 also the vendor.
  const maxima = new Map<number, number>();
  if (identity.vendor !== undefined) maxima.set(0, Math.max(1, identity.maxBasicLeaf ?? 0));
  for (const e of regs.values()) {
    const base = rangeBase(e.leaf);
    if (base === 0 && identity.vendor === undefined) continue;
    maxima.set(base, Math.max(maxima.get(base) ?? base, e.leaf));
  }
  for (const [base, max] of maxima) entry(base).eax = max >>> 0;
  if (identity.vendor !== undefined) {
    const v = new TextEncoder().encode(identity.vendor.padEnd(12, ' ').slice(0, 12));
    const [ebx, edx, ecx] = bytesToRegs(v, 0);
    Object.assign(entry(0), { ebx, edx, ecx });
  }

  for (const e of regs.values()) dump.set(e.leaf, e.subleaf, e.r);
  return dump;
}

/**
 * XSAVE state components a feature list has no words for (neither /proc/cpuinfo nor libvirt names
 * them) but that its features prove: XSAVE implies the x87 state, AVX needs the YMM state, AVX-512
 * the opmask and ZMM states, and so on through the catalog's dependencies. `named` says which
 * features the list could have named; those are never inferred. Returns what to add, in catalog order.
 */
export function impliedXsaveState(features: FeatureSet, named: (f: Feature) => boolean): Feature[] {
  const out: Feature[] = [];
  const have = features.clone();
  const x87 = catalog.get('xsave_x87');
  const xsave = catalog.get('xsave');
  if (x87 && xsave && have.has(xsave) && !have.has(x87)) {
    have.add(x87);
    out.push(x87);
  }
  for (const f of catalog.requirements(have)) {
    if (have.has(f) || f.cat !== 'xsave' || f.kind === 'os' || named(f) || f.loc.type !== 'cpuid') continue;
    out.push(f);
  }
  return out;
}
