/**
 * What one row of the feature catalog (src/data/features.ts) is made of. Kept apart from the other
 * row types (schema.ts), which name features by the catalog's own ids and so depend on the table.
 */

/** CPU vendors a bit is defined for. Hygon follows AMD; Zhaoxin and VIA (Centaur) follow Intel in most leaves. */
export type Vendor = 'intel' | 'amd' | 'hygon' | 'centaur' | 'zhaoxin';

export type FeatureKind =
  /** A capability software can detect and use: compared across hosts. */
  | 'feature'
  /** Mirrors operating-system state (CR4.OSXSAVE, CR4.PKE), not hardware: never compared. */
  | 'os'
  /** Set only by a hypervisor (CPUID.1:ECX[31]): never compared. */
  | 'hypervisor'
  /** Information, not a capability (topology hints, core type, ...): never compared. */
  | 'info';

/**
 * Whether hiding the bit really takes the feature away from a guest.
 * - `enforced`: the feature needs state or a mode the OS must enable through XCR0, CR4, EFER
 *   or a VMX/SVM execution control, which the hypervisor refuses when the bit is hidden.
 * - `advisory`: the instructions still execute when CPUID hides them (SSE4.x, AES, MOVBE, POPCNT...);
 *   only software that checks CPUID is protected.
 */
export type Enforcement = 'enforced' | 'advisory';

export type Category =
  | 'legacy' // x87, MMX, CMOV, CX8, TSC... the i586/i686 base
  | 'simd' // SSE ... AVX-512, AMX compute
  | 'crypto' // AES, SHA, PCLMULQDQ, VAES, GFNI, RDRAND/RDSEED, KeyLocker
  | 'bitmanip' // BMI1/2, ABM/LZCNT, POPCNT, ADX, TBM, MOVBE
  | 'memory' // paging and address space: PAE, NX, PDPE1GB, LA57, PCID, INVPCID, cache-line ops
  | 'xsave' // XSAVE family and XSAVE state components
  | 'security' // SMEP, SMAP, UMIP, PKU, CET, SGX, SME/SEV, TME
  | 'mitigation' // IBRS, STIBP, SSBD, MD_CLEAR, *_NO vulnerability properties
  | 'tsx' // HLE, RTM, TSXLDTRK
  | 'virtualization' // VMX, SVM and its sub-features, VMX capability MSRs
  | 'system' // APIC, x2APIC, MSR, MTRR, PAT, TSC features, SYSCALL/SYSENTER, FSGSBASE
  | 'power' // leaf 6, EST, TM, MONITOR/MWAIT, HWP
  | 'debug' // DS, PEBS, PDCM, performance monitoring, Processor Trace
  | 'info'; // identification and topology hints

/** Ecosystem spellings. `null` = the ecosystem knows the bit but deliberately shows no name. */
export interface EcosystemNames {
  /** Linux /proc/cpuinfo flag. */
  readonly linux?: string | null;
  /** QEMU -cpu property. */
  readonly qemu?: string;
  /** libvirt cpu_map feature name (also used by KubeVirt and Nova). */
  readonly libvirt?: string;
  /** VMware feature key, without the `cpuid.` prefix (FeatureMask / featMask.vm.cpuid.NAME). */
  readonly vmware?: string;
  /** Xen cpufeatureset.h name, lower case (xl cpuid= key). */
  readonly xen?: string;
}

export const ECOSYSTEMS = ['linux', 'qemu', 'libvirt', 'vmware', 'xen'] as const;

export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** One row of the declarative table, as written in src/data/features.ts. */
export interface FeatureRow extends EcosystemNames {
  /** Canonical id: short, lower case, snake_case (`sse4_1`, `avx512f`, `xsave_ymm`). */
  readonly id: string;
  /**
   * Location, compact: `<leaf hex>[.<subleaf>].<reg>.<bit>` for CPUID (`1.ecx.19`, `7.0.ebx.5`,
   * `80000001.ecx.8`, `d.1.eax.0`) or `msr.<index hex>.<bit>` (`msr.10a.5`).
   */
  readonly at: string;
  /** Display name; vSphere's wording where it is known. */
  readonly name: string;
  readonly cat: Category;
  /** Defaults to `feature`. */
  readonly kind?: FeatureKind;
  /** Defaults to `advisory`. */
  readonly enforce?: Enforcement;
  /** What enforces it when hidden: `XCR0.YMM`, `CR4.FSGSBASE`, `VMX secondary control`, ... */
  readonly gate?: string;
  /** Vendors that define this bit. Defaults to intel + amd. */
  readonly vendors?: readonly Vendor[];
  /** Ids of the features this one cannot work without (AVX needs XSAVE and XSAVE YMM state). */
  readonly deps?: readonly string[];
  /** Other spellings seen in the wild (documentation, older tools). */
  readonly aliases?: readonly string[];
  /** Ecosystem names below are unconfirmed guesses and must be labelled so. */
  readonly unconfirmed?: readonly Ecosystem[];
  /** False when live migration cannot carry the feature (invtsc without a pinned TSC frequency...). */
  readonly migratable?: boolean;
  /**
   * libvirt's own mark (x86_features.xml `migratable='no'`), only where it differs from
   * `migratable`; the note says why. libvirt's list of unmigratable features derives from the
   * two columns (src/core/models.ts), so there is one place to change either fact.
   */
  readonly libvirtMigratable?: boolean;
  /**
   * Linux's X86_FEATURE_* macro, lower case and without the prefix, where Linux hides the flag
   * (`linux: null`) and the macro is not the id (`apx` for `apx_f`). Found by `features`.
   */
  readonly linuxMacro?: string;
  readonly note?: string;
}
