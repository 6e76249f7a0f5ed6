/**
 * Synthetic hosts for tests: a vendor, a signature and a list of catalog ids become a CPUID dump
 * with exactly those bits set (locations looked up in the catalog, never written out here).
 */
import { catalog } from '../core/catalog.js';
import { CpuidDump, withBit } from '../core/cpuid.js';
import type { Register } from '../core/cpuid.js';
import { decodeHost } from '../core/host.js';
import type { Host } from '../core/host.js';

/** Four ASCII characters as the little-endian register value CPUID returns. */
function str4(s: string): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= (s.charCodeAt(i) || 0) << (8 * i);
  return v >>> 0;
}

export interface SyntheticHost {
  /** Leaf-0 vendor string (`GenuineIntel`, `AuthenticAMD`). */
  readonly vendor: string;
  /** CPUID.1:EAX. */
  readonly signature: number;
  /** Catalog ids of the CPUID features to set. */
  readonly ids: readonly string[];
  readonly brand?: string;
  readonly path?: string;
}

export function syntheticDump(spec: SyntheticHost): CpuidDump {
  const d = new CpuidDump({ format: 'synthetic', lossy: false, ...(spec.path ? { path: spec.path } : {}) });
  const v = spec.vendor.padEnd(12, ' ');
  d.set(0, 0, { eax: 0xd, ebx: str4(v.slice(0, 4)), edx: str4(v.slice(4, 8)), ecx: str4(v.slice(8, 12)) });
  d.set(1, 0, { eax: spec.signature, ebx: 0, ecx: 0, edx: 0 });
  d.set(0x8000_0000, 0, { eax: 0x8000_0008, ebx: 0, ecx: 0, edx: 0 });
  const brand = (spec.brand ?? '').padEnd(48, '\0').slice(0, 48);
  for (let i = 0; i < 3; i++) {
    const p = brand.slice(i * 16, i * 16 + 16);
    d.set(0x8000_0002 + i, 0, { eax: str4(p.slice(0, 4)), ebx: str4(p.slice(4, 8)), ecx: str4(p.slice(8, 12)), edx: str4(p.slice(12, 16)) });
  }
  for (const id of spec.ids) {
    const loc = catalog.require(id).loc;
    if (loc.type !== 'cpuid') throw new Error(`synthetic host: ${id} is not a CPUID bit`);
    const regs = { ...(d.get(loc.leaf, loc.subleaf) ?? { eax: 0, ebx: 0, ecx: 0, edx: 0 }) };
    regs[loc.reg as Register] = withBit(regs[loc.reg as Register], loc.bit, true);
    d.set(loc.leaf, loc.subleaf, regs);
  }
  return d;
}

export function syntheticHost(spec: SyntheticHost): Host {
  return decodeHost(syntheticDump(spec));
}
