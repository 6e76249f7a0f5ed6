/**
 * A libvirt `<cpu>` definition as written, and the names libvirt gives policies and vendors: what
 * the XML reader (cpu-reader.ts) and the fast path for virsh's own layout (cpu-scan.ts) both build.
 */
import type { Vendor } from '../../core/catalog.js';
import type { CpuSignature } from '../../core/models.js';

export type FeaturePolicy = 'force' | 'require' | 'optional' | 'disable' | 'forbid';
export const POLICIES: readonly FeaturePolicy[] = ['force', 'require', 'optional', 'disable', 'forbid'];

/** libvirt's vendor names (cpu_map x86_vendors.xml) and the CPUID vendor strings they stand for. */
export const LIBVIRT_VENDORS: Readonly<Record<string, { vendor: Vendor; cpuid: string }>> = {
  Intel: { vendor: 'intel', cpuid: 'GenuineIntel' },
  AMD: { vendor: 'amd', cpuid: 'AuthenticAMD' },
  Hygon: { vendor: 'hygon', cpuid: 'HygonGenuine' },
};

/** Largest values `<signature>` takes: family (base + extended), model (with extended), stepping. */
export const SIGNATURE_MAX = { family: 0xff + 0xf, model: 0xff, stepping: 0xf } as const;

export interface LibvirtFeatureRef {
  readonly name: string;
  /** Absent in host-form definitions (capabilities, cputest `-host.xml`): the feature is present. */
  readonly policy: FeaturePolicy | undefined;
  readonly line: number;
}

/** One CPU definition as written. */
export interface LibvirtCpuDefinition {
  readonly line: number;
  /** `cpu`, or `host-model` for domain capabilities' `<mode name='host-model'>`. */
  readonly kind: 'cpu' | 'host-model';
  readonly mode: string | undefined;
  readonly model: string | undefined;
  readonly modelLine: number | undefined;
  readonly fallback: string | undefined;
  /** libvirt's vendor name (`Intel`, `AMD`, `Hygon`). */
  readonly vendor: string | undefined;
  readonly signature: CpuSignature | undefined;
  readonly features: readonly LibvirtFeatureRef[];
}
