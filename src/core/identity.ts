/**
 * Who a CPU says it is: vendor, family/model/stepping, brand string, leaf ranges,
 * and whether a hypervisor sits in between.
 */
import type { CpuidDump, Regs } from './cpuid.js';
import { bitIsSet } from './cpuid.js';
import type { Vendor } from './catalog.js';
import { microarchitecture } from './uarch.js';

export interface CpuIdentity {
  /** Raw 12-character vendor string from leaf 0 (`GenuineIntel`, `AuthenticAMD`...), '' when absent. */
  readonly vendorString: string;
  /** Normalized vendor, or undefined for vendors openevc has no feature data for. */
  readonly vendor: Vendor | undefined;
  /** Display family/model (extended fields applied as the SDM and APM say), stepping. */
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
  /** CPUID.1:EAX with the reserved and processor-type bits cleared (0x000306A9). */
  readonly signature: number;
  /** Brand string from leaves 0x80000002..4, trimmed; '' when absent. */
  readonly brand: string;
  readonly maxBasicLeaf: number | undefined;
  readonly maxExtendedLeaf: number | undefined;
  /** CPUID.1:ECX[31]: the dump was taken inside a virtual machine. */
  readonly hypervisor: boolean;
  /** Vendor signature of leaf 0x40000000 (`KVMKVMKVM`, `VMwareVMware`, `Microsoft Hv`...), when present. */
  readonly hypervisorVendor: string | undefined;
  /** Microarchitecture name ("Ivy Bridge", "Silvermont (Avoton)", "Zen 3"), when known. */
  readonly microarchitecture: string | undefined;
}

/** CPUID leaf-0 vendor strings (12 characters, spaces included) of the vendors openevc has data for. */
export const VENDORS: Readonly<Record<string, Vendor>> = {
  GenuineIntel: 'intel',
  AuthenticAMD: 'amd',
  HygonGenuine: 'hygon',
  CentaurHauls: 'centaur',
  '  Shanghai  ': 'zhaoxin',
};

export function regsToString(...values: number[]): string {
  const codes = new Array<number>(values.length * 4);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    for (let i = 0; i < 4; i++) codes[k * 4 + i] = (v >>> (8 * i)) & 0xff;
  }
  return String.fromCharCode(...codes);
}

function vendorOf(r: Regs | undefined): string {
  if (!r) return '';
  return regsToString(r.ebx, r.edx, r.ecx);
}

/** Display family, model, stepping from CPUID.1:EAX. */
export function decodeSignature(eax: number): { family: number; model: number; stepping: number } {
  const stepping = eax & 0xf;
  const baseModel = (eax >>> 4) & 0xf;
  const baseFamily = (eax >>> 8) & 0xf;
  const extModel = (eax >>> 16) & 0xf;
  const extFamily = (eax >>> 20) & 0xff;
  // The extended family counts only when the base family is 0xF (Intel SDM, AMD APM). The
  // extended model counts from display family 6 up, for every vendor (this is what Linux does,
  // and it is right for Intel 6/15, AMD 0xF+ and Zhaoxin/Centaur family 7).
  const family = baseFamily === 0xf ? baseFamily + extFamily : baseFamily;
  const model = family >= 0x6 ? (extModel << 4) | baseModel : baseModel;
  return { family, model, stepping };
}

/** Signature with reserved bits (31:28) and processor type (13:12) cleared. */
export function signatureOf(eax: number): number {
  return (eax & 0x0fff_0fff) >>> 0;
}

/** Brand strings as read, cleaned (a fleet repeats a few dozen of them thousands of times). */
const cleanBrands = new Map<string, string>();

/** The brand string up to its first NUL, printable ASCII only, runs of spaces as one, trimmed. */
function cleanBrand(raw: string): string {
  let brand = cleanBrands.get(raw);
  if (brand === undefined) {
    const nul = raw.indexOf('\0');
    brand = (nul >= 0 ? raw.slice(0, nul) : raw).replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
    if (cleanBrands.size >= 4096) cleanBrands.clear();
    cleanBrands.set(raw, brand);
  }
  return brand;
}

export function identify(dump: CpuidDump): CpuIdentity {
  const leaf0 = dump.get(0);
  const vendorString = vendorOf(leaf0);
  const vendor = VENDORS[vendorString];
  const eax1 = dump.get(1)?.eax ?? 0;
  const { family, model, stepping } = decodeSignature(eax1);
  const hypervisor = bitIsSet(dump.get(1)?.ecx ?? 0, 31);
  const maxExt = dump.get(0x8000_0000)?.eax;
  const maxExtendedLeaf = maxExt !== undefined && maxExt >= 0x8000_0000 && maxExt < 0x8001_0000 ? maxExt : undefined;

  let brand = '';
  if (maxExtendedLeaf !== undefined && maxExtendedLeaf >= 0x8000_0004) {
    const values: number[] = [];
    for (let l = 0x8000_0002; l <= 0x8000_0004; l++) {
      const r = dump.get(l);
      if (r) values.push(r.eax, r.ebx, r.ecx, r.edx);
    }
    brand = cleanBrand(regsToString(...values));
  }

  let hypervisorVendor: string | undefined;
  const hv = dump.get(0x4000_0000);
  if (hypervisor && hv) {
    const s = regsToString(hv.ebx, hv.ecx, hv.edx).replace(/\0+$/g, '').replace(/[^\x20-\x7e]/g, '');
    if (s.length > 0) hypervisorVendor = s;
  }

  return {
    vendorString,
    vendor,
    family,
    model,
    stepping,
    signature: signatureOf(eax1),
    brand,
    maxBasicLeaf: leaf0?.eax,
    maxExtendedLeaf,
    hypervisor,
    hypervisorVendor,
    microarchitecture: microarchitecture(vendor, family, model, stepping),
  };
}

/** `06_3AH` style is Intel's; openevc prints family/model/stepping in hex: `6/0x3a/9`. */
export function formatSignature(id: Pick<CpuIdentity, 'family' | 'model' | 'stepping'>): string {
  return `family 0x${id.family.toString(16)} model 0x${id.model.toString(16)} stepping 0x${id.stepping.toString(16)}`;
}
