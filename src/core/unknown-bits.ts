/**
 * Set bits the catalog does not name. Every register the catalog describes is a feature register:
 * a set bit in it that no catalog row names (and that is not a numeric field) is still a fact about
 * the CPU, so openevc lists it (`0x80000008.ebx.10`, name `unknown`) instead of dropping it, and
 * compares it where the profile passes bits it does not know (raw CPUID; ESXi and KVM hide them).
 */
import type { CpuidDump, Register } from './cpuid.js';
import { hexLeaf } from './cpuid.js';
import { catalog, parseLocation } from './catalog.js';
import type { ProfileDef } from './profiles.js';
import { REGISTER_FIELDS } from '../data/register-fields.js';

export interface UnknownBit {
  /** `0x80000008.ebx.10` (leaf in hex; `0x7.1.eax.3` when the subleaf is not 0). */
  readonly id: string;
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: Register;
  readonly bit: number;
}

let fieldMasks: Map<string, number> | undefined;
function fields(): Map<string, number> {
  if (!fieldMasks) {
    fieldMasks = new Map();
    for (const f of REGISTER_FIELDS) {
      const loc = parseLocation(`${f.at}.0`);
      if (loc.type !== 'cpuid') throw new Error(`register field '${f.at}' is not a CPUID register`);
      const k = `${loc.leaf}.${loc.subleaf}.${loc.reg}`;
      fieldMasks.set(k, (fieldMasks.get(k) ?? 0) | f.mask);
    }
  }
  return fieldMasks;
}

/** The id of an unnamed bit: `0x80000008.ebx.10`, `0x7.1.eax.3`. */
export function unknownBitId(leaf: number, subleaf: number, reg: Register, bit: number): string {
  return `${hexLeaf(leaf)}${subleaf === 0 ? '' : `.${subleaf}`}.${reg}.${bit}`;
}

/** The bits of a register that flag features (not numeric fields). */
export function flagMask(leaf: number, subleaf: number, reg: Register): number {
  return ~(fields().get(`${leaf}.${subleaf}.${reg}`) ?? 0) >>> 0;
}

/** Every set bit of the catalog's feature registers that the catalog does not name, in register and bit order. */
export function unknownBits(dump: CpuidDump): UnknownBit[] {
  const out: UnknownBit[] = [];
  for (const rm of catalog.registers()) {
    if (!dump.isValidLeaf(rm.leaf, rm.subleaf)) continue;
    let v = (dump.reg(rm.leaf, rm.subleaf, rm.reg)! & ~rm.mask & flagMask(rm.leaf, rm.subleaf, rm.reg)) >>> 0;
    while (v !== 0) {
      const bit = 31 - Math.clz32(v & -v);
      out.push({ id: unknownBitId(rm.leaf, rm.subleaf, rm.reg, bit), leaf: rm.leaf, subleaf: rm.subleaf, reg: rm.reg, bit });
      v = (v & (v - 1)) >>> 0;
    }
  }
  return out;
}

/** Whether a profile shows guests (and so compares) bits it does not know. */
export function showsUnknownBits(profile: ProfileDef): boolean {
  return profile.unknownBits?.shown === true;
}
