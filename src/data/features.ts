/**
 * THE feature catalog: one row per named CPUID (or MSR) feature bit. Everything else in
 * openevc (decoding, names in every ecosystem, dependency closure, masks, models) derives
 * from this table; no other file may restate a bit position or an ecosystem's spelling.
 *
 * Sources of the facts (bit positions, ecosystem names): the Intel SDM vol. 2A CPUID
 * chapter, the AMD APM vol. 3 appendix E, Linux arch/x86/include/asm/cpufeatures.h (late 2025,
 * NCAPINTS 22; only quoted names are shown), scattered.c and cpuid-deps.c, QEMU target/i386/cpu.c
 * feature_word_info (a late-2025 tree), libvirt src/cpu_map/x86_features.xml (v11.3.0) and the
 * 2026 cpu_map model files for the names added since, Xen
 * xen/include/public/arch-x86/cpufeatureset.h and xen/tools/gen-cpuid.py (2026), the
 * x86-cpuid-db bitfield table (v3.0) and the vSphere facts in shared/facts/vmware-evc.md.
 * scripts/catalog-diff.mjs lists what still differs from each upstream file (docs/features.md).
 * Display names are openevc's own wording, except where vSphere's wording is known (seed 002
 * lists nine; those rows say "vSphere wording" in their note).
 *
 * Row fields: see FeatureRow in src/core/catalog.ts. Conventions:
 * - `id`: lower-case snake_case, chosen in this order: the Linux /proc/cpuinfo name; the Linux
 *   X86_FEATURE_* macro name, lower-cased, when Linux hides the flag; QEMU's property name with
 *   `-` turned into `_`; the x86-cpuid-db short name; Xen's name. Exceptions: SSE3 is `sse3`
 *   (Linux says `pni`) and the debug store is `ds` (Linux says `dts`). MSR-backed rows use QEMU's
 *   name (`ibrs_all`, `vmx_ept`). XSAVE state components are `xsave_<component>` (XCR0, leaf
 *   0xD.0) and `xss_<component>` (IA32_XSS, leaf 0xD.1 ECX); AMD's copies of CPUID.1:EDX bits in
 *   0x80000001 EDX are `e_<id>`.
 * - `at`: `<leaf hex>[.<subleaf>].<reg>.<bit>` or `msr.<index hex>.<bit>` (bit 0..63 of the
 *   64-bit value, so an `edx=` mask in libvirt's XML is bit 32 and up). For the VMX control
 *   MSRs (0x48b, 0x48d..0x490) the bit is the control's own position, as libvirt and QEMU number
 *   them: the hardware reports those "allowed-1" settings in bits 63:32 of the raw MSR.
 * - `kind`: `feature` is compared across hosts; `os` mirrors CR4 state (OSXSAVE, OSPKE);
 *   `hypervisor` is set only by a hypervisor; `info` is information rather than a capability
 *   (topology hints, core types, power-management reporting) or an inverted bit whose 1 means
 *   something was taken away (FDP_EXCPTN_ONLY, RSBA, NO_LMSL): intersecting those across
 *   hosts would be wrong, so openevc never compares them.
 * - `enforce`/`gate`: `enforced` when hiding the bit really takes the feature away because it
 *   needs state or a mode enabled through XCR0, IA32_XSS, CR4, EFER or an MSR the hypervisor
 *   intercepts, or because a VMX/SVM control governs it; `gate` names that control. Everything
 *   else is `advisory`: the instructions still run, only software that asks CPUID is protected.
 * - `linux: null` means Linux knows the bit but hides it from /proc/cpuinfo; `linuxMacro` then
 *   gives its X86_FEATURE_* name (lower case) where that is not the id. Where Linux folds
 *   several vendor bits into one synthetic flag (`ibpb`, `stibp`, `ssbd`), the bits carry no
 *   Linux name; where a synthetic flag follows exactly one bit (`nonstop_tsc` from the invariant
 *   TSC, `ibrs_enhanced` from ARCH_CAPABILITIES.IBRS_ALL) that bit carries it.
 * - `qemu` is the `-cpu` property as QEMU spells it; `libvirt` the cpu_map name (libvirt's
 *   `<alias source='qemu'>` spellings that differ only in `-`/`_` resolve anyway, the others are
 *   in `aliases`). A missing ecosystem name means that ecosystem has no spelling for the bit.
 * - `unconfirmed` lists the ecosystems whose spelling is a guess (VMware keys outside the list
 *   in facts/vmware-evc.md §3.3).
 * - `deps` lists direct needs only; closures are computed. They follow the architecture and
 *   what Linux cpuid-deps.c and Xen gen-cpuid.py encode (AVX needs XSAVE and the YMM state,
 *   every AVX-512 bit needs AVX512F, AMX needs the tile states, SPEC_CTRL sub-bits need IBRS...).
 */
import type { Category, FeatureRow } from './feature-row.js';

const INTEL = ['intel', 'centaur', 'zhaoxin'] as const;
const AMD = ['amd', 'hygon'] as const;
const CENTAUR = ['centaur', 'zhaoxin'] as const;

// Gates shared by many rows.
const YMM = 'XCR0.YMM';
const ZMM = 'XCR0.opmask+ZMM_Hi256+Hi16_ZMM';
const TILE = 'XCR0.TILECFG+TILEDATA';
const NESTED_VMX = 'nested VMX: the L0 hypervisor refuses VMCS settings this MSR does not allow';
const NESTED_SVM = 'nested SVM: the L0 hypervisor emulates only what this leaf offers';
const AVX512_STATE = ['avx2', 'xsave_opmask', 'xsave_zmm_hi256', 'xsave_hi16_zmm'] as const;

/**
 * A row whose id and dependencies keep their literal types, so that the table's ids become a type
 * ({@link FeatureId}) and a dependency that names no row fails the typecheck.
 */
type Typed<I extends string, D extends string> = FeatureRow & { readonly id: I; readonly deps?: readonly D[] };

/** A list of rows, typed (see {@link Typed}). */
function rows<const I extends string, const D extends string = never>(list: readonly Typed<I, D>[]): readonly Typed<I, D>[] {
  return list;
}

/** A row of a group whose shared columns (category, vendors, gate...) are given once by {@link group}. */
type Draft<I extends string, D extends string> = Omit<Typed<I, D>, 'cat'> & { readonly cat?: Category };

/** Applies the columns a group of rows shares; a row's own values win. */
function group<const I extends string, const D extends string = never>(
  shared: Omit<Partial<FeatureRow>, 'id' | 'at' | 'name' | 'deps'> & { readonly deps?: readonly D[] },
  list: readonly Draft<I, D>[],
): readonly Typed<I, D>[] {
  return list.map((row) => {
    const cat = row.cat ?? shared.cat;
    if (cat === undefined) throw new Error(`feature table: '${row.id}' has no category`);
    return { ...shared, ...row, cat };
  });
}

// ---- CPUID.01H:ECX ----------------------------------------------------------------------
const LEAF1_ECX = rows([
  { id: 'sse3', at: '1.ecx.0', name: 'SSE3', cat: 'simd', linux: 'pni', qemu: 'pni', libvirt: 'pni', vmware: 'sse3', xen: 'sse3', aliases: ['pni'], deps: ['sse2'] },
  { id: 'pclmulqdq', at: '1.ecx.1', name: 'Carry-less multiplication (PCLMULQDQ)', cat: 'crypto', linux: 'pclmulqdq', qemu: 'pclmulqdq', libvirt: 'pclmuldq', vmware: 'pclmulqdq', xen: 'pclmulqdq', deps: ['sse2'] },
  { id: 'dtes64', at: '1.ecx.2', name: '64-bit debug store (DTES64)', cat: 'debug', linux: 'dtes64', qemu: 'dtes64', libvirt: 'dtes64', xen: 'dtes64', vendors: INTEL, deps: ['ds'] },
  { id: 'monitor', at: '1.ecx.3', name: 'MONITOR/MWAIT', cat: 'power', linux: 'monitor', qemu: 'monitor', libvirt: 'monitor', vmware: 'mwait', xen: 'monitor', enforce: 'enforced', gate: 'VMX/SVM MONITOR and MWAIT exiting' },
  { id: 'ds_cpl', at: '1.ecx.4', name: 'CPL-qualified debug store (DS-CPL)', cat: 'debug', linux: 'ds_cpl', qemu: 'ds-cpl', libvirt: 'ds_cpl', xen: 'dscpl', vendors: INTEL, deps: ['ds'] },
  { id: 'vmx', at: '1.ecx.5', name: 'Intel VT-x (VMX)', cat: 'virtualization', linux: 'vmx', qemu: 'vmx', libvirt: 'vmx', vmware: 'vmx', xen: 'vmx', vendors: INTEL, enforce: 'enforced', gate: 'CR4.VMXE' },
  { id: 'smx', at: '1.ecx.6', name: 'Safer mode extensions (SMX, TXT)', cat: 'security', linux: 'smx', qemu: 'smx', libvirt: 'smx', xen: 'smx', vendors: INTEL, enforce: 'enforced', gate: 'CR4.SMXE' },
  { id: 'est', at: '1.ecx.7', name: 'Enhanced SpeedStep (EST)', cat: 'power', linux: 'est', qemu: 'est', libvirt: 'est', xen: 'eist', vendors: INTEL },
  { id: 'tm2', at: '1.ecx.8', name: 'Thermal monitor 2 (TM2)', cat: 'power', linux: 'tm2', qemu: 'tm2', libvirt: 'tm2', xen: 'tm2', vendors: INTEL },
  { id: 'ssse3', at: '1.ecx.9', name: 'SSSE3', cat: 'simd', linux: 'ssse3', qemu: 'ssse3', libvirt: 'ssse3', vmware: 'ssse3', xen: 'ssse3', deps: ['sse3'] },
  { id: 'cid', at: '1.ecx.10', name: 'L1 context ID (CNXT-ID)', cat: 'system', linux: 'cid', qemu: 'cid', libvirt: 'cid', vendors: INTEL },
  { id: 'sdbg', at: '1.ecx.11', name: 'Silicon debug interface (SDBG)', cat: 'debug', linux: 'sdbg', xen: 'sdbg', vendors: INTEL },
  { id: 'fma', at: '1.ecx.12', name: 'Fused multiply-add (FMA3)', cat: 'simd', linux: 'fma', qemu: 'fma', libvirt: 'fma', vmware: 'fma', xen: 'fma', enforce: 'enforced', gate: YMM, deps: ['avx'] },
  { id: 'cx16', at: '1.ecx.13', name: 'CMPXCHG16B', cat: 'legacy', linux: 'cx16', qemu: 'cx16', libvirt: 'cx16', vmware: 'cmpxchg16b', xen: 'cx16', deps: ['lm'], note: 'Needs a REX.W prefix, so only 64-bit code can use it' },
  { id: 'xtpr', at: '1.ecx.14', name: 'xTPR update control', cat: 'system', linux: 'xtpr', qemu: 'xtpr', libvirt: 'xtpr', xen: 'xtpr', vendors: INTEL },
  { id: 'pdcm', at: '1.ecx.15', name: 'Perfmon and debug capability MSR (PDCM)', cat: 'debug', linux: 'pdcm', qemu: 'pdcm', libvirt: 'pdcm', xen: 'pdcm', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_PERF_CAPABILITIES' },
  { id: 'pcid', at: '1.ecx.17', name: 'PCID', cat: 'memory', linux: 'pcid', qemu: 'pcid', libvirt: 'pcid', vmware: 'pcid', xen: 'pcid', enforce: 'enforced', gate: 'CR4.PCIDE', deps: ['lm'], note: 'vSphere wording' },
  { id: 'dca', at: '1.ecx.18', name: 'Direct cache access (DCA)', cat: 'system', linux: 'dca', qemu: 'dca', libvirt: 'dca', xen: 'dca', vendors: INTEL },
  { id: 'sse4_1', at: '1.ecx.19', name: 'SSE4.1', cat: 'simd', linux: 'sse4_1', qemu: 'sse4.1', libvirt: 'sse4.1', vmware: 'sse41', xen: 'sse4_1', aliases: ['sse41', 'sse4-1'], deps: ['ssse3'] },
  { id: 'sse4_2', at: '1.ecx.20', name: 'SSE4.2', cat: 'simd', linux: 'sse4_2', qemu: 'sse4.2', libvirt: 'sse4.2', vmware: 'sse42', xen: 'sse4_2', aliases: ['sse42', 'sse4-2'], deps: ['sse4_1'] },
  { id: 'x2apic', at: '1.ecx.21', name: 'x2APIC', cat: 'system', linux: 'x2apic', qemu: 'x2apic', libvirt: 'x2apic', xen: 'x2apic', enforce: 'enforced', gate: 'IA32_APIC_BASE.EXTD', deps: ['apic'] },
  { id: 'movbe', at: '1.ecx.22', name: 'MOVBE', cat: 'bitmanip', linux: 'movbe', qemu: 'movbe', libvirt: 'movbe', vmware: 'movbe', xen: 'movbe', note: 'vSphere wording' },
  { id: 'popcnt', at: '1.ecx.23', name: 'POPCNT', cat: 'bitmanip', linux: 'popcnt', qemu: 'popcnt', libvirt: 'popcnt', vmware: 'popcnt', xen: 'popcnt' },
  { id: 'tsc_deadline_timer', at: '1.ecx.24', name: 'TSC-deadline APIC timer', cat: 'system', linux: 'tsc_deadline_timer', qemu: 'tsc-deadline', libvirt: 'tsc-deadline', xen: 'tsc_deadline', aliases: ['tsc_deadline'], enforce: 'enforced', gate: 'APIC LVT timer TSC-deadline mode (emulated APIC)', deps: ['apic', 'tsc'] },
  { id: 'aes', at: '1.ecx.25', name: 'AES-NI', cat: 'crypto', linux: 'aes', qemu: 'aes', libvirt: 'aes', vmware: 'aes', xen: 'aesni', aliases: ['aes_ni', 'aesni'], deps: ['sse2'] },
  { id: 'xsave', at: '1.ecx.26', name: 'XSAVE', cat: 'xsave', linux: 'xsave', qemu: 'xsave', libvirt: 'xsave', vmware: 'xsave', xen: 'xsave', enforce: 'enforced', gate: 'CR4.OSXSAVE', deps: ['fxsr'], note: 'vSphere wording' },
  { id: 'osxsave', at: '1.ecx.27', name: 'XSAVE enabled by the OS (OSXSAVE)', cat: 'xsave', kind: 'os', linux: null, libvirt: 'osxsave', xen: 'osxsave', deps: ['xsave'], note: 'Copy of CR4.OSXSAVE; QEMU computes it and has no property for it' },
  { id: 'avx', at: '1.ecx.28', name: 'Advanced Vector Extensions (AVX)', cat: 'simd', linux: 'avx', qemu: 'avx', libvirt: 'avx', vmware: 'avx', xen: 'avx', enforce: 'enforced', gate: YMM, deps: ['xsave', 'xsave_ymm', 'sse4_2'], note: 'vSphere wording. AVX adds VEX forms of every SSE..SSE4.2 instruction, hence the SSE4.2 need' },
  { id: 'f16c', at: '1.ecx.29', name: 'Half-precision conversion instructions (F16C)', cat: 'simd', linux: 'f16c', qemu: 'f16c', libvirt: 'f16c', vmware: 'f16c', xen: 'f16c', enforce: 'enforced', gate: YMM, deps: ['avx'], note: 'vSphere wording' },
  { id: 'rdrand', at: '1.ecx.30', name: 'RDRAND', cat: 'crypto', linux: 'rdrand', qemu: 'rdrand', libvirt: 'rdrand', vmware: 'rdrand', xen: 'rdrand', enforce: 'enforced', gate: 'VMX RDRAND exiting (Intel hosts; SVM cannot trap RDRAND)' },
  { id: 'hypervisor', at: '1.ecx.31', name: 'Running under a hypervisor', cat: 'info', kind: 'hypervisor', linux: 'hypervisor', qemu: 'hypervisor', libvirt: 'hypervisor', xen: 'hypervisor' },
]);

// ---- CPUID.01H:EDX ----------------------------------------------------------------------
const LEAF1_EDX = rows([
  { id: 'fpu', at: '1.edx.0', name: 'x87 FPU', cat: 'legacy', linux: 'fpu', qemu: 'fpu', libvirt: 'fpu', xen: 'fpu' },
  { id: 'vme', at: '1.edx.1', name: 'Virtual-8086 mode extensions (VME)', cat: 'legacy', linux: 'vme', qemu: 'vme', libvirt: 'vme', xen: 'vme', enforce: 'enforced', gate: 'CR4.VME' },
  { id: 'de', at: '1.edx.2', name: 'Debugging extensions (DE)', cat: 'debug', linux: 'de', qemu: 'de', libvirt: 'de', xen: 'de', enforce: 'enforced', gate: 'CR4.DE' },
  { id: 'pse', at: '1.edx.3', name: 'Page size extension (4 MiB pages)', cat: 'memory', linux: 'pse', qemu: 'pse', libvirt: 'pse', xen: 'pse', enforce: 'enforced', gate: 'CR4.PSE' },
  { id: 'tsc', at: '1.edx.4', name: 'Time-stamp counter (RDTSC)', cat: 'system', linux: 'tsc', qemu: 'tsc', libvirt: 'tsc', xen: 'tsc' },
  { id: 'msr', at: '1.edx.5', name: 'Model-specific registers (RDMSR/WRMSR)', cat: 'system', linux: 'msr', qemu: 'msr', libvirt: 'msr', xen: 'msr' },
  { id: 'pae', at: '1.edx.6', name: 'Physical address extension (PAE)', cat: 'memory', linux: 'pae', qemu: 'pae', libvirt: 'pae', xen: 'pae', enforce: 'enforced', gate: 'CR4.PAE' },
  { id: 'mce', at: '1.edx.7', name: 'Machine-check exception (MCE)', cat: 'system', linux: 'mce', qemu: 'mce', libvirt: 'mce', xen: 'mce', enforce: 'enforced', gate: 'CR4.MCE' },
  { id: 'cx8', at: '1.edx.8', name: 'CMPXCHG8B', cat: 'legacy', linux: 'cx8', qemu: 'cx8', libvirt: 'cx8', xen: 'cx8' },
  { id: 'apic', at: '1.edx.9', name: 'On-chip APIC', cat: 'system', linux: 'apic', qemu: 'apic', libvirt: 'apic', xen: 'apic' },
  { id: 'sep', at: '1.edx.11', name: 'SYSENTER/SYSEXIT', cat: 'system', linux: 'sep', qemu: 'sep', libvirt: 'sep', xen: 'sep' },
  { id: 'mtrr', at: '1.edx.12', name: 'Memory type range registers (MTRR)', cat: 'memory', linux: 'mtrr', qemu: 'mtrr', libvirt: 'mtrr', xen: 'mtrr' },
  { id: 'pge', at: '1.edx.13', name: 'Global pages (PGE)', cat: 'memory', linux: 'pge', qemu: 'pge', libvirt: 'pge', xen: 'pge', enforce: 'enforced', gate: 'CR4.PGE' },
  { id: 'mca', at: '1.edx.14', name: 'Machine-check architecture (MCA)', cat: 'system', linux: 'mca', qemu: 'mca', libvirt: 'mca', xen: 'mca' },
  { id: 'cmov', at: '1.edx.15', name: 'Conditional moves (CMOV, FCMOV)', cat: 'legacy', linux: 'cmov', qemu: 'cmov', libvirt: 'cmov', xen: 'cmov', deps: ['fxsr'], note: 'Needs FXSR as Linux cpuid-deps.c encodes it (the FCMOV forms act on x87 state)' },
  { id: 'pat', at: '1.edx.16', name: 'Page attribute table (PAT)', cat: 'memory', linux: 'pat', qemu: 'pat', libvirt: 'pat', xen: 'pat' },
  { id: 'pse36', at: '1.edx.17', name: '36-bit page size extension (PSE-36)', cat: 'memory', linux: 'pse36', qemu: 'pse36', libvirt: 'pse36', xen: 'pse36', deps: ['pse'] },
  { id: 'pn', at: '1.edx.18', name: 'Processor serial number (PSN)', cat: 'system', linux: 'pn', qemu: 'pn', libvirt: 'pn', vendors: INTEL },
  { id: 'clflush', at: '1.edx.19', name: 'CLFLUSH', cat: 'memory', linux: 'clflush', qemu: 'clflush', libvirt: 'clflush', xen: 'clflush' },
  { id: 'ds', at: '1.edx.21', name: 'Debug store (DS)', cat: 'debug', linux: 'dts', qemu: 'ds', libvirt: 'ds', vmware: 'ds', xen: 'ds', vendors: INTEL },
  { id: 'acpi', at: '1.edx.22', name: 'Thermal monitor and clock control MSRs (ACPI)', cat: 'power', linux: 'acpi', qemu: 'acpi', libvirt: 'acpi', xen: 'acpi', vendors: INTEL },
  { id: 'mmx', at: '1.edx.23', name: 'MMX', cat: 'simd', linux: 'mmx', qemu: 'mmx', libvirt: 'mmx', xen: 'mmx', deps: ['fpu', 'fxsr'], note: 'Needs FXSR as Linux cpuid-deps.c encodes it (MMX registers alias the x87 state FXSAVE saves)' },
  { id: 'fxsr', at: '1.edx.24', name: 'FXSAVE/FXRSTOR', cat: 'legacy', linux: 'fxsr', qemu: 'fxsr', libvirt: 'fxsr', xen: 'fxsr', deps: ['fpu'] },
  { id: 'sse', at: '1.edx.25', name: 'SSE', cat: 'simd', linux: 'sse', qemu: 'sse', libvirt: 'sse', xen: 'sse', enforce: 'enforced', gate: 'CR4.OSFXSR', deps: ['fxsr'] },
  { id: 'sse2', at: '1.edx.26', name: 'SSE2', cat: 'simd', linux: 'sse2', qemu: 'sse2', libvirt: 'sse2', xen: 'sse2', deps: ['sse'] },
  { id: 'ss', at: '1.edx.27', name: 'Cache self-snoop (SS)', cat: 'system', linux: 'ss', qemu: 'ss', libvirt: 'ss', vmware: 'ss', xen: 'ss' },
  { id: 'ht', at: '1.edx.28', name: 'More than one logical processor per package (HTT)', cat: 'info', kind: 'info', linux: 'ht', qemu: 'ht', libvirt: 'ht', xen: 'htt', note: 'Topology hint: says leaf 1 EBX[23:16] is meaningful, not that SMT exists' },
  { id: 'tm', at: '1.edx.29', name: 'Thermal monitor 1 (TM1)', cat: 'power', linux: 'tm', qemu: 'tm', libvirt: 'tm', xen: 'tm1', vendors: INTEL },
  { id: 'ia64', at: '1.edx.30', name: 'IA-64 processor running x86 code', cat: 'info', kind: 'info', linux: 'ia64', qemu: 'ia64', libvirt: 'ia64', vendors: INTEL },
  { id: 'pbe', at: '1.edx.31', name: 'Pending break enable (PBE)', cat: 'power', linux: 'pbe', qemu: 'pbe', libvirt: 'pbe', xen: 'pbe', vendors: INTEL },
]);

/** CPUID.1:EDX bits that AMD repeats, at the same positions, in CPUID.80000001H:EDX. */
const MIRRORED_BY_AMD: ReadonlySet<string> = new Set(['fpu', 'vme', 'de', 'pse', 'tsc', 'msr', 'pae', 'mce', 'cx8', 'apic', 'mtrr', 'pge', 'mca', 'cmov', 'pat', 'pse36', 'mmx', 'fxsr']);

/**
 * AMD's copy of a CPUID.1:EDX row. The copy carries no ecosystem names (Linux, QEMU and libvirt
 * fill it in from the leaf-1 bit) and depends on the original, so hiding the original hides both.
 */
function amdCopy(row: FeatureRow): FeatureRow {
  const bit = row.at.slice(row.at.lastIndexOf('.') + 1);
  return {
    id: `e_${row.id}`,
    at: `80000001.edx.${bit}`,
    name: `${row.name}, extended-leaf copy`,
    cat: row.cat,
    vendors: AMD,
    deps: [row.id],
    ...(row.enforce !== undefined ? { enforce: row.enforce } : {}),
    ...(row.gate !== undefined ? { gate: row.gate } : {}),
    note: `Mirrors CPUID.1:EDX[${bit}]; AMD reports both, Intel leaves this bit 0`,
  };
}

// ---- CPUID.06H (thermal and power management) ----------------------------------------------
const LEAF6 = rows([
  { id: 'dtherm', at: '6.eax.0', name: 'Digital thermal sensor', cat: 'power', linux: 'dtherm', vendors: INTEL },
  { id: 'ida', at: '6.eax.1', name: 'Turbo Boost available (IDA)', cat: 'power', kind: 'info', linux: 'ida', vendors: INTEL },
  { id: 'arat', at: '6.eax.2', name: 'Always-running APIC timer (ARAT)', cat: 'system', linux: 'arat', qemu: 'arat', libvirt: 'arat' },
  { id: 'pln', at: '6.eax.4', name: 'Power limit notification', cat: 'power', linux: 'pln', vendors: INTEL },
  { id: 'ecmd', at: '6.eax.5', name: 'Clock modulation duty-cycle extension', cat: 'power', vendors: INTEL },
  { id: 'pts', at: '6.eax.6', name: 'Package thermal status', cat: 'power', linux: 'pts', vendors: INTEL },
  { id: 'hwp', at: '6.eax.7', name: 'Hardware-controlled P-states (HWP)', cat: 'power', linux: 'hwp', vendors: INTEL },
  { id: 'hwp_notify', at: '6.eax.8', name: 'HWP change notification', cat: 'power', linux: 'hwp_notify', vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_act_window', at: '6.eax.9', name: 'HWP activity window', cat: 'power', linux: 'hwp_act_window', vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_epp', at: '6.eax.10', name: 'HWP energy/performance preference', cat: 'power', linux: 'hwp_epp', vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_pkg_req', at: '6.eax.11', name: 'HWP package-level request', cat: 'power', linux: 'hwp_pkg_req', vendors: INTEL, deps: ['hwp'] },
  { id: 'hdc_base_regs', at: '6.eax.13', name: 'Hardware duty cycling (HDC) registers', cat: 'power', vendors: INTEL },
  { id: 'turbo_boost_3_0', at: '6.eax.14', name: 'Turbo Boost Max 3.0 available', cat: 'power', kind: 'info', vendors: INTEL },
  { id: 'hwp_highest_perf_change', at: '6.eax.15', name: 'HWP highest performance may change at run time', cat: 'power', kind: 'info', linux: null, vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_peci_override', at: '6.eax.16', name: 'HWP requests can be overridden over PECI', cat: 'power', kind: 'info', vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_flexible', at: '6.eax.17', name: 'Flexible HWP', cat: 'power', vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_fast', at: '6.eax.18', name: 'Fast access mode for IA32_HWP_REQUEST', cat: 'power', vendors: INTEL, deps: ['hwp'] },
  { id: 'hfi', at: '6.eax.19', name: 'Hardware feedback interface (HFI)', cat: 'power', linux: 'hfi', vendors: INTEL },
  { id: 'hwp_ignore_idle', at: '6.eax.20', name: 'HWP ignores requests of idle logical processors', cat: 'power', kind: 'info', vendors: INTEL, deps: ['hwp'] },
  { id: 'hwp_ctl', at: '6.eax.22', name: 'IA32_HWP_CTL MSR', cat: 'power', vendors: INTEL, deps: ['hwp'] },
  { id: 'thread_director', at: '6.eax.23', name: 'Thread Director (HFI classes)', cat: 'power', vendors: INTEL, deps: ['hfi'] },
  { id: 'therm_interrupt_bit25', at: '6.eax.24', name: 'IA32_THERM_INTERRUPT bit 25', cat: 'power', vendors: INTEL },
  { id: 'aperfmperf', at: '6.ecx.0', name: 'APERF/MPERF effective-frequency MSRs', cat: 'power', linux: 'aperfmperf' },
  { id: 'epb', at: '6.ecx.3', name: 'Energy/performance bias (IA32_ENERGY_PERF_BIAS)', cat: 'power', linux: 'epb', vendors: INTEL },
]);

// ---- CPUID.07H.0:EBX --------------------------------------------------------------------
const LEAF7_0_EBX = rows([
  { id: 'fsgsbase', at: '7.0.ebx.0', name: 'Instructions to read and write FS and GS base registers', cat: 'system', linux: 'fsgsbase', qemu: 'fsgsbase', libvirt: 'fsgsbase', vmware: 'fsgsbase', xen: 'fsgsbase', enforce: 'enforced', gate: 'CR4.FSGSBASE', deps: ['lm'], note: 'vSphere wording (RDFSBASE, WRFSBASE, RDGSBASE, WRGSBASE)' },
  { id: 'tsc_adjust', at: '7.0.ebx.1', name: 'IA32_TSC_ADJUST MSR', cat: 'system', linux: 'tsc_adjust', qemu: 'tsc-adjust', libvirt: 'tsc_adjust', xen: 'tsc_adjust', enforce: 'enforced', gate: 'MSR IA32_TSC_ADJUST', deps: ['tsc'] },
  { id: 'sgx', at: '7.0.ebx.2', name: 'Software Guard Extensions (SGX)', cat: 'security', linux: 'sgx', qemu: 'sgx', libvirt: 'sgx', xen: 'sgx', vendors: INTEL, enforce: 'enforced', gate: 'IA32_FEATURE_CONTROL.SGX_ENABLE, VMX ENCLS exiting', migratable: false, libvirtMigratable: true, note: 'Enclave page cache contents cannot be moved: QEMU blocks live migration of guests with SGX memory (an sgx-epc device is a migration blocker); libvirt does not mark sgx migratable=\'no\' in x86_features.xml, because the blocker is the EPC device, not the CPUID bit' },
  { id: 'bmi1', at: '7.0.ebx.3', name: 'Bit manipulation instructions 1 (BMI1)', cat: 'bitmanip', linux: 'bmi1', qemu: 'bmi1', libvirt: 'bmi1', vmware: 'bmi1', xen: 'bmi1', note: 'VEX-encoded but operates on general registers, so it needs no XCR0 state' },
  { id: 'hle', at: '7.0.ebx.4', name: 'Hardware lock elision (HLE)', cat: 'tsx', linux: 'hle', qemu: 'hle', libvirt: 'hle', vmware: 'hle', xen: 'hle', unconfirmed: ['vmware'], vendors: INTEL },
  { id: 'avx2', at: '7.0.ebx.5', name: 'Advanced Vector Extensions 2 (AVX2)', cat: 'simd', linux: 'avx2', qemu: 'avx2', libvirt: 'avx2', vmware: 'avx2', xen: 'avx2', enforce: 'enforced', gate: YMM, deps: ['avx'] },
  { id: 'fdp_excptn_only', at: '7.0.ebx.6', name: 'x87 data pointer updated only on exceptions', cat: 'legacy', kind: 'info', linux: null, qemu: 'fdp-excptn-only', libvirt: 'fdp-excptn-only', xen: 'fdp_excp_only', vendors: INTEL, note: 'Inverted: 1 means the processor stopped maintaining the x87 data pointer' },
  { id: 'smep', at: '7.0.ebx.7', name: 'Supervisor mode execution prevention (SMEP)', cat: 'security', linux: 'smep', qemu: 'smep', libvirt: 'smep', vmware: 'smep', xen: 'smep', enforce: 'enforced', gate: 'CR4.SMEP' },
  { id: 'bmi2', at: '7.0.ebx.8', name: 'Bit manipulation instructions 2 (BMI2)', cat: 'bitmanip', linux: 'bmi2', qemu: 'bmi2', libvirt: 'bmi2', vmware: 'bmi2', xen: 'bmi2', note: 'VEX-encoded but operates on general registers, so it needs no XCR0 state' },
  { id: 'erms', at: '7.0.ebx.9', name: 'Enhanced REP MOVSB/STOSB', cat: 'memory', linux: 'erms', qemu: 'erms', libvirt: 'erms', vmware: 'enfstrg', xen: 'erms' },
  { id: 'invpcid', at: '7.0.ebx.10', name: 'INVPCID', cat: 'memory', linux: 'invpcid', qemu: 'invpcid', libvirt: 'invpcid', vmware: 'invpcid', xen: 'invpcid', enforce: 'enforced', gate: 'VMX enable-INVPCID control / SVM INVPCID intercept' },
  { id: 'rtm', at: '7.0.ebx.11', name: 'Restricted transactional memory (RTM)', cat: 'tsx', linux: 'rtm', qemu: 'rtm', libvirt: 'rtm', vmware: 'rtm', xen: 'rtm', unconfirmed: ['vmware'], vendors: INTEL },
  { id: 'cqm', at: '7.0.ebx.12', name: 'Cache QoS monitoring (RDT-M)', cat: 'system', linux: 'cqm', libvirt: 'cmt', xen: 'pqm' },
  { id: 'zero_fcs_fds', at: '7.0.ebx.13', name: 'x87 CS and DS selectors deprecated (stored as 0)', cat: 'legacy', kind: 'info', linux: null, qemu: 'zero-fcs-fds', libvirt: 'zero-fcs-fds', xen: 'no_fpu_sel', vendors: INTEL, note: 'Inverted: 1 means a capability was removed' },
  { id: 'mpx', at: '7.0.ebx.14', name: 'Memory protection extensions (MPX)', cat: 'security', linux: 'mpx', qemu: 'mpx', libvirt: 'mpx', vmware: 'mpx', xen: 'mpx', unconfirmed: ['vmware'], vendors: INTEL, enforce: 'enforced', gate: 'XCR0.BNDREGS+BNDCSR', deps: ['xsave_bndregs', 'xsave_bndcsr'] },
  { id: 'rdt_a', at: '7.0.ebx.15', name: 'Resource Director Technology allocation (RDT-A)', cat: 'system', linux: 'rdt_a', xen: 'pqe' },
  { id: 'avx512f', at: '7.0.ebx.16', name: 'AVX-512 foundation', cat: 'simd', linux: 'avx512f', qemu: 'avx512f', libvirt: 'avx512f', vmware: 'avx512f', xen: 'avx512f', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: AVX512_STATE },
  { id: 'avx512dq', at: '7.0.ebx.17', name: 'AVX-512 doubleword and quadword', cat: 'simd', linux: 'avx512dq', qemu: 'avx512dq', libvirt: 'avx512dq', vmware: 'avx512dq', xen: 'avx512dq', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'rdseed', at: '7.0.ebx.18', name: 'RDSEED', cat: 'crypto', linux: 'rdseed', qemu: 'rdseed', libvirt: 'rdseed', vmware: 'rdseed', xen: 'rdseed', enforce: 'enforced', gate: 'VMX RDSEED exiting (Intel hosts; SVM cannot trap RDSEED)' },
  { id: 'adx', at: '7.0.ebx.19', name: 'Multi-precision add-carry (ADX)', cat: 'bitmanip', linux: 'adx', qemu: 'adx', libvirt: 'adx', vmware: 'adx', xen: 'adx' },
  { id: 'smap', at: '7.0.ebx.20', name: 'Supervisor mode access prevention (SMAP)', cat: 'security', linux: 'smap', qemu: 'smap', libvirt: 'smap', vmware: 'smap', xen: 'smap', enforce: 'enforced', gate: 'CR4.SMAP' },
  { id: 'avx512ifma', at: '7.0.ebx.21', name: 'AVX-512 integer fused multiply-add (IFMA)', cat: 'simd', linux: 'avx512ifma', qemu: 'avx512ifma', libvirt: 'avx512ifma', vmware: 'avx512ifma', xen: 'avx512_ifma', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'pcommit', at: '7.0.ebx.22', name: 'PCOMMIT (withdrawn before shipping)', cat: 'memory', qemu: 'pcommit', libvirt: 'pcommit', vendors: INTEL, note: 'Intel withdrew PCOMMIT; no processor sets this bit' },
  { id: 'clflushopt', at: '7.0.ebx.23', name: 'CLFLUSHOPT', cat: 'memory', linux: 'clflushopt', qemu: 'clflushopt', libvirt: 'clflushopt', vmware: 'clflushopt', xen: 'clflushopt', unconfirmed: ['vmware'] },
  { id: 'clwb', at: '7.0.ebx.24', name: 'CLWB', cat: 'memory', linux: 'clwb', qemu: 'clwb', libvirt: 'clwb', vmware: 'clwb', xen: 'clwb', unconfirmed: ['vmware'] },
  { id: 'intel_pt', at: '7.0.ebx.25', name: 'Processor Trace (PT)', cat: 'debug', linux: 'intel_pt', qemu: 'intel-pt', libvirt: 'intel-pt', xen: 'proc_trace', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_RTIT_CTL' },
  { id: 'avx512pf', at: '7.0.ebx.26', name: 'AVX-512 prefetch (Xeon Phi)', cat: 'simd', linux: 'avx512pf', qemu: 'avx512pf', libvirt: 'avx512pf', xen: 'avx512pf', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'avx512er', at: '7.0.ebx.27', name: 'AVX-512 exponential and reciprocal (Xeon Phi)', cat: 'simd', linux: 'avx512er', qemu: 'avx512er', libvirt: 'avx512er', xen: 'avx512er', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'avx512cd', at: '7.0.ebx.28', name: 'AVX-512 conflict detection', cat: 'simd', linux: 'avx512cd', qemu: 'avx512cd', libvirt: 'avx512cd', vmware: 'avx512cd', xen: 'avx512cd', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'sha_ni', at: '7.0.ebx.29', name: 'SHA-1/SHA-256 instructions (SHA-NI)', cat: 'crypto', linux: 'sha_ni', qemu: 'sha-ni', libvirt: 'sha-ni', vmware: 'sha', xen: 'sha', unconfirmed: ['vmware'], deps: ['sse2'] },
  { id: 'avx512bw', at: '7.0.ebx.30', name: 'AVX-512 byte and word', cat: 'simd', linux: 'avx512bw', qemu: 'avx512bw', libvirt: 'avx512bw', vmware: 'avx512bw', xen: 'avx512bw', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'avx512vl', at: '7.0.ebx.31', name: 'AVX-512 128/256-bit vector lengths (VL)', cat: 'simd', linux: 'avx512vl', qemu: 'avx512vl', libvirt: 'avx512vl', vmware: 'avx512vl', xen: 'avx512vl', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
]);

// ---- CPUID.07H.0:ECX --------------------------------------------------------------------
const LEAF7_0_ECX = rows([
  { id: 'prefetchwt1', at: '7.0.ecx.0', name: 'PREFETCHWT1 (Xeon Phi)', cat: 'memory', xen: 'prefetchwt1', vendors: INTEL },
  { id: 'avx512vbmi', at: '7.0.ecx.1', name: 'AVX-512 vector byte manipulation (VBMI)', cat: 'simd', linux: 'avx512vbmi', qemu: 'avx512vbmi', libvirt: 'avx512vbmi', vmware: 'avx512vbmi', xen: 'avx512_vbmi', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512bw'] },
  { id: 'umip', at: '7.0.ecx.2', name: 'User-mode instruction prevention (UMIP)', cat: 'security', linux: 'umip', qemu: 'umip', libvirt: 'umip', vmware: 'umip', xen: 'umip', unconfirmed: ['vmware'], enforce: 'enforced', gate: 'CR4.UMIP' },
  { id: 'pku', at: '7.0.ecx.3', name: 'Protection keys for user pages (PKU)', cat: 'security', linux: 'pku', qemu: 'pku', libvirt: 'pku', vmware: 'pku', xen: 'pku', unconfirmed: ['vmware'], enforce: 'enforced', gate: 'CR4.PKE', deps: ['xsave_pkru', 'lm'] },
  { id: 'ospke', at: '7.0.ecx.4', name: 'Protection keys enabled by the OS (OSPKE)', cat: 'security', kind: 'os', linux: 'ospke', libvirt: 'ospke', xen: 'ospke', deps: ['pku'], note: 'Copy of CR4.PKE; QEMU computes it and has no property for it' },
  { id: 'waitpkg', at: '7.0.ecx.5', name: 'User-level wait (UMONITOR, UMWAIT, TPAUSE)', cat: 'power', linux: 'waitpkg', qemu: 'waitpkg', libvirt: 'waitpkg', xen: 'waitpkg', vendors: INTEL, enforce: 'enforced', gate: 'VMX enable-user-wait-and-pause control' },
  { id: 'avx512_vbmi2', at: '7.0.ecx.6', name: 'AVX-512 vector byte manipulation 2 (VBMI2)', cat: 'simd', linux: 'avx512_vbmi2', qemu: 'avx512vbmi2', libvirt: 'avx512vbmi2', vmware: 'avx512vbmi2', xen: 'avx512_vbmi2', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512bw', 'avx512vl'] },
  { id: 'shstk', at: '7.0.ecx.7', name: 'CET shadow stacks', qemu: 'cet-ss', libvirt: 'cet-ss', cat: 'security', linux: null, xen: 'cet_ss', enforce: 'enforced', gate: 'CR4.CET with IA32_U_CET/IA32_S_CET', deps: ['xsaves', 'xss_cet_u', 'xss_cet_s'], note: 'Linux shows user_shstk once it enables user shadow stacks' },
  { id: 'gfni', at: '7.0.ecx.8', name: 'Galois field instructions (GFNI)', cat: 'crypto', linux: 'gfni', qemu: 'gfni', libvirt: 'gfni', vmware: 'gfni', xen: 'gfni', unconfirmed: ['vmware'], deps: ['sse2'], note: 'The legacy SSE encodings need no XCR0 state; the VEX/EVEX forms also need AVX/AVX-512' },
  { id: 'vaes', at: '7.0.ecx.9', name: 'Vector AES (VAES)', cat: 'crypto', linux: 'vaes', qemu: 'vaes', libvirt: 'vaes', vmware: 'vaes', xen: 'vaes', unconfirmed: ['vmware'], enforce: 'enforced', gate: YMM, deps: ['avx2', 'aes'] },
  { id: 'vpclmulqdq', at: '7.0.ecx.10', name: 'Vector carry-less multiplication (VPCLMULQDQ)', cat: 'crypto', linux: 'vpclmulqdq', qemu: 'vpclmulqdq', libvirt: 'vpclmulqdq', vmware: 'vpclmulqdq', xen: 'vpclmulqdq', unconfirmed: ['vmware'], enforce: 'enforced', gate: YMM, deps: ['avx2', 'pclmulqdq'] },
  { id: 'avx512_vnni', at: '7.0.ecx.11', name: 'AVX-512 vector neural network instructions (VNNI)', cat: 'simd', linux: 'avx512_vnni', qemu: 'avx512vnni', libvirt: 'avx512vnni', vmware: 'avx512vnni', xen: 'avx512_vnni', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512vl'] },
  { id: 'avx512_bitalg', at: '7.0.ecx.12', name: 'AVX-512 bit algorithms (BITALG)', cat: 'simd', linux: 'avx512_bitalg', qemu: 'avx512bitalg', libvirt: 'avx512bitalg', vmware: 'avx512bitalg', xen: 'avx512_bitalg', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512bw', 'avx512vl'] },
  { id: 'tme', at: '7.0.ecx.13', name: 'Total memory encryption (TME)', cat: 'security', linux: 'tme', xen: 'tme', vendors: INTEL },
  { id: 'avx512_vpopcntdq', at: '7.0.ecx.14', name: 'AVX-512 population count of dwords and qwords', cat: 'simd', linux: 'avx512_vpopcntdq', qemu: 'avx512-vpopcntdq', libvirt: 'avx512-vpopcntdq', vmware: 'avx512vpopcntdq', xen: 'avx512_vpopcntdq', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'la57', at: '7.0.ecx.16', name: '5-level paging (57-bit linear addresses)', cat: 'memory', linux: 'la57', qemu: 'la57', libvirt: 'la57', xen: 'la57', enforce: 'enforced', gate: 'CR4.LA57', deps: ['lm'] },
  { id: 'rdpid', at: '7.0.ecx.22', name: 'RDPID', cat: 'system', linux: 'rdpid', qemu: 'rdpid', libvirt: 'rdpid', vmware: 'rdpid', xen: 'rdpid', unconfirmed: ['vmware'], enforce: 'enforced', gate: 'VMX enable-RDTSCP control (Intel hosts)' },
  { id: 'key_locker', at: '7.0.ecx.23', name: 'Key Locker', cat: 'crypto', vendors: INTEL, enforce: 'enforced', gate: 'CR4.KL' },
  { id: 'bus_lock_detect', at: '7.0.ecx.24', name: 'Bus-lock detection (#DB after a bus lock)', cat: 'debug', linux: 'bus_lock_detect', qemu: 'bus-lock-detect', libvirt: 'bus-lock-detect', xen: 'bld', enforce: 'enforced', gate: 'IA32_DEBUGCTL.BUS_LOCK_DETECT' },
  { id: 'cldemote', at: '7.0.ecx.25', name: 'Cache line demote (CLDEMOTE)', cat: 'memory', linux: 'cldemote', qemu: 'cldemote', libvirt: 'cldemote', xen: 'cldemote', vendors: INTEL },
  { id: 'movdiri', at: '7.0.ecx.27', name: 'Direct store of a doubleword (MOVDIRI)', cat: 'memory', linux: 'movdiri', qemu: 'movdiri', libvirt: 'movdiri', xen: 'movdiri', vendors: INTEL },
  { id: 'movdir64b', at: '7.0.ecx.28', name: 'Direct store of 64 bytes (MOVDIR64B)', cat: 'memory', linux: 'movdir64b', qemu: 'movdir64b', libvirt: 'movdir64b', xen: 'movdir64b', vendors: INTEL },
  { id: 'enqcmd', at: '7.0.ecx.29', name: 'Enqueue stores (ENQCMD, ENQCMDS)', cat: 'system', linux: 'enqcmd', xen: 'enqcmd', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_PASID with IA32_XSS.PASID', deps: ['xsaves', 'xss_pasid'] },
  { id: 'sgx_lc', at: '7.0.ecx.30', name: 'SGX launch configuration', cat: 'security', linux: 'sgx_lc', qemu: 'sgxlc', libvirt: 'sgxlc', xen: 'sgx_lc', vendors: INTEL, enforce: 'enforced', gate: 'MSRs IA32_SGXLEPUBKEYHASH0..3', deps: ['sgx'] },
  { id: 'pks', at: '7.0.ecx.31', name: 'Protection keys for supervisor pages (PKS)', cat: 'security', qemu: 'pks', libvirt: 'pks', xen: 'pks', vendors: INTEL, enforce: 'enforced', gate: 'CR4.PKS', deps: ['lm'] },
]);

// ---- CPUID.07H.0:EDX --------------------------------------------------------------------
const LEAF7_0_EDX = rows([
  { id: 'sgx_keys', at: '7.0.edx.1', name: 'SGX attestation services (SGX-KEYS)', cat: 'security', xen: 'sgx_keys', vendors: INTEL, deps: ['sgx'] },
  { id: 'avx512_4vnniw', at: '7.0.edx.2', name: 'AVX-512 4-iteration neural network (Xeon Phi)', cat: 'simd', linux: 'avx512_4vnniw', qemu: 'avx512-4vnniw', libvirt: 'avx512-4vnniw', xen: 'avx512_4vnniw', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'avx512_4fmaps', at: '7.0.edx.3', name: 'AVX-512 4-iteration multiply-accumulate (Xeon Phi)', cat: 'simd', linux: 'avx512_4fmaps', qemu: 'avx512-4fmaps', libvirt: 'avx512-4fmaps', xen: 'avx512_4fmaps', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx512f'] },
  { id: 'fsrm', at: '7.0.edx.4', name: 'Fast short REP MOVSB', cat: 'memory', linux: 'fsrm', qemu: 'fsrm', libvirt: 'fsrm', vmware: 'fsrm', xen: 'fsrm', unconfirmed: ['vmware'] },
  { id: 'uintr', at: '7.0.edx.5', name: 'User interrupts (UINTR)', cat: 'system', xen: 'uintr', vendors: INTEL, enforce: 'enforced', gate: 'CR4.UINTR with IA32_XSS.UINTR', deps: ['xsaves', 'xss_uintr'] },
  { id: 'avx512_vp2intersect', at: '7.0.edx.8', name: 'AVX-512 vector pair intersection (VP2INTERSECT)', cat: 'simd', linux: 'avx512_vp2intersect', qemu: 'avx512-vp2intersect', libvirt: 'avx512-vp2intersect', xen: 'avx512_vp2intersect', enforce: 'enforced', gate: ZMM, deps: ['avx512vl'] },
  { id: 'srbds_ctrl', at: '7.0.edx.9', name: 'SRBDS mitigation control (IA32_MCU_OPT_CTRL)', cat: 'mitigation', linux: null, xen: 'srbds_ctrl', vendors: INTEL },
  { id: 'md_clear', at: '7.0.edx.10', name: 'VERW clears CPU buffers (MD_CLEAR)', cat: 'mitigation', linux: 'md_clear', qemu: 'md-clear', libvirt: 'md-clear', vmware: 'mdclear', xen: 'md_clear', vendors: INTEL },
  { id: 'rtm_always_abort', at: '7.0.edx.11', name: 'TSX switched off by microcode (XBEGIN always aborts)', cat: 'tsx', kind: 'info', linux: null, xen: 'rtm_always_abort', vendors: INTEL, note: 'Inverted: 1 means RTM no longer works even though XBEGIN does not fault' },
  { id: 'tsx_force_abort', at: '7.0.edx.13', name: 'TSX_FORCE_ABORT MSR', cat: 'tsx', linux: null, xen: 'tsx_force_abort', vendors: INTEL },
  { id: 'serialize', at: '7.0.edx.14', name: 'SERIALIZE', cat: 'system', linux: 'serialize', qemu: 'serialize', libvirt: 'serialize', vmware: 'serialize', xen: 'serialize', unconfirmed: ['vmware'] },
  { id: 'hybrid_cpu', at: '7.0.edx.15', name: 'Hybrid processor (more than one core type)', cat: 'info', kind: 'info', linux: null, xen: 'hybrid', vendors: INTEL },
  { id: 'tsxldtrk', at: '7.0.edx.16', name: 'TSX suspend load address tracking (TSXLDTRK)', cat: 'tsx', linux: 'tsxldtrk', qemu: 'tsx-ldtrk', libvirt: 'tsx-ldtrk', xen: 'tsxldtrk', vendors: INTEL, deps: ['rtm'] },
  { id: 'pconfig', at: '7.0.edx.18', name: 'Platform configuration (PCONFIG)', cat: 'security', linux: 'pconfig', libvirt: 'pconfig', xen: 'pconfig', vendors: INTEL, enforce: 'enforced', gate: 'VMX enable-PCONFIG control' },
  { id: 'arch_lbr', at: '7.0.edx.19', name: 'Architectural last branch records', cat: 'debug', linux: 'arch_lbr', qemu: 'arch-lbr', libvirt: 'arch-lbr', xen: 'arch_lbr', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_LBR_CTL with IA32_XSS.LBR', deps: ['xsaves', 'xss_lbr'] },
  { id: 'ibt', at: '7.0.edx.20', name: 'CET indirect branch tracking (IBT)', qemu: 'cet-ibt', libvirt: 'cet-ibt', cat: 'security', linux: 'ibt', xen: 'cet_ibt', vendors: INTEL, enforce: 'enforced', gate: 'CR4.CET with IA32_U_CET/IA32_S_CET' },
  { id: 'amx_bf16', at: '7.0.edx.22', name: 'AMX bfloat16 tile operations', cat: 'simd', linux: 'amx_bf16', qemu: 'amx-bf16', libvirt: 'amx-bf16', xen: 'amx_bf16', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile'] },
  { id: 'avx512_fp16', at: '7.0.edx.23', name: 'AVX-512 half precision (FP16)', cat: 'simd', linux: 'avx512_fp16', qemu: 'avx512-fp16', libvirt: 'avx512-fp16', xen: 'avx512_fp16', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx512bw'] },
  { id: 'amx_tile', at: '7.0.edx.24', name: 'AMX tile architecture', cat: 'simd', linux: 'amx_tile', qemu: 'amx-tile', libvirt: 'amx-tile', vmware: 'amx_tile', xen: 'amx_tile', unconfirmed: ['vmware'], vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['xsave_tilecfg', 'xsave_tiledata', 'xfd', 'lm'] },
  { id: 'amx_int8', at: '7.0.edx.25', name: 'AMX 8-bit integer tile operations', cat: 'simd', linux: 'amx_int8', qemu: 'amx-int8', libvirt: 'amx-int8', xen: 'amx_int8', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile'] },
  { id: 'spec_ctrl', at: '7.0.edx.26', name: 'IBRS and IBPB (IA32_SPEC_CTRL, IA32_PRED_CMD)', cat: 'mitigation', linux: null, qemu: 'spec-ctrl', libvirt: 'spec-ctrl', vmware: 'ibrs', xen: 'ibrsb', vendors: INTEL, enforce: 'enforced', gate: 'MSRs IA32_SPEC_CTRL and IA32_PRED_CMD', note: "On Intel hosts VMware's IBPB key reads this bit as well; Linux derives its ibrs and ibpb flags from it" },
  { id: 'intel_stibp', at: '7.0.edx.27', name: 'Single-thread indirect branch predictors (STIBP)', cat: 'mitigation', linux: null, qemu: 'stibp', libvirt: 'stibp', vmware: 'stibp', xen: 'stibp', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.STIBP', deps: ['spec_ctrl'] },
  { id: 'flush_l1d', at: '7.0.edx.28', name: 'L1D flush command (IA32_FLUSH_CMD)', cat: 'mitigation', linux: 'flush_l1d', qemu: 'flush-l1d', libvirt: 'flush-l1d', vmware: 'fcmd', xen: 'l1d_flush', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_FLUSH_CMD' },
  { id: 'arch_capabilities', at: '7.0.edx.29', name: 'IA32_ARCH_CAPABILITIES MSR', cat: 'mitigation', linux: 'arch_capabilities', qemu: 'arch-capabilities', libvirt: 'arch-capabilities', xen: 'arch_caps', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_ARCH_CAPABILITIES' },
  { id: 'core_capabilities', at: '7.0.edx.30', name: 'IA32_CORE_CAPABILITIES MSR', cat: 'system', linux: null, qemu: 'core-capability', libvirt: 'core-capability', xen: 'core_caps', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_CORE_CAPABILITIES' },
  { id: 'spec_ctrl_ssbd', at: '7.0.edx.31', name: 'Speculative store bypass disable (SSBD)', cat: 'mitigation', linux: null, qemu: 'ssbd', libvirt: 'ssbd', vmware: 'ssbd', xen: 'ssbd', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.SSBD', deps: ['spec_ctrl'] },
]);

// ---- CPUID.07H.1 and 07H.2 --------------------------------------------------------------
const LEAF7_1_2 = rows([
  { id: 'sha512', at: '7.1.eax.0', name: 'SHA-512 instructions', cat: 'crypto', linux: null, qemu: 'sha512', libvirt: 'sha512', xen: 'sha512', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx2'] },
  { id: 'sm3', at: '7.1.eax.1', name: 'SM3 hash instructions', cat: 'crypto', linux: null, qemu: 'sm3', libvirt: 'sm3', xen: 'sm3', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx'] },
  { id: 'sm4', at: '7.1.eax.2', name: 'SM4 cipher instructions', cat: 'crypto', linux: null, qemu: 'sm4', libvirt: 'sm4', xen: 'sm4', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx2'] },
  { id: 'avx_vnni', at: '7.1.eax.4', name: 'AVX neural network instructions (VEX-encoded VNNI)', cat: 'simd', linux: 'avx_vnni', qemu: 'avx-vnni', libvirt: 'avx-vnni', vmware: 'avx_vnni', xen: 'avx_vnni', unconfirmed: ['vmware'], enforce: 'enforced', gate: YMM, deps: ['avx2'] },
  { id: 'avx512_bf16', at: '7.1.eax.5', name: 'AVX-512 bfloat16', cat: 'simd', linux: 'avx512_bf16', qemu: 'avx512-bf16', libvirt: 'avx512-bf16', vmware: 'avx512bf16', xen: 'avx512_bf16', unconfirmed: ['vmware'], enforce: 'enforced', gate: ZMM, deps: ['avx512bw', 'avx512vl'] },
  { id: 'lass', at: '7.1.eax.6', name: 'Linear address space separation (LASS)', linux: 'lass', cat: 'security', xen: 'lass', vendors: INTEL, enforce: 'enforced', gate: 'CR4.LASS', deps: ['lm'] },
  { id: 'cmpccxadd', at: '7.1.eax.7', name: 'Compare and add if condition (CMPccXADD)', cat: 'system', linux: null, qemu: 'cmpccxadd', libvirt: 'cmpccxadd', xen: 'cmpccxadd', vendors: INTEL, deps: ['lm'] },
  { id: 'arch_perfmon_ext', at: '7.1.eax.8', name: 'Architectural performance monitoring leaf 0x23', cat: 'debug', linux: null, xen: 'arch_perf_mon', vendors: INTEL },
  { id: 'fzrm', at: '7.1.eax.10', name: 'Fast zero-length REP MOVSB', cat: 'memory', linux: null, qemu: 'fzrm', libvirt: 'fzrm', xen: 'fzrm', vendors: INTEL },
  { id: 'fsrs', at: '7.1.eax.11', name: 'Fast short REP STOSB', cat: 'memory', linux: null, qemu: 'fsrs', libvirt: 'fsrs', xen: 'fsrs', vendors: INTEL },
  { id: 'fsrc', at: '7.1.eax.12', name: 'Fast short REP CMPSB/SCASB', cat: 'memory', linux: null, qemu: 'fsrc', libvirt: 'fsrc', xen: 'fsrcs', vendors: INTEL },
  { id: 'fred', at: '7.1.eax.17', name: 'Flexible return and event delivery (FRED)', cat: 'system', linux: 'fred', qemu: 'fred', libvirt: 'fred', xen: 'fred', vendors: INTEL, enforce: 'enforced', gate: 'CR4.FRED', deps: ['lkgs', 'wrmsrns', 'lm'] },
  { id: 'lkgs', at: '7.1.eax.18', name: 'Load kernel GS base (LKGS)', cat: 'system', linux: null, qemu: 'lkgs', libvirt: 'lkgs', xen: 'lkgs', vendors: INTEL, deps: ['lm'] },
  { id: 'wrmsrns', at: '7.1.eax.19', name: 'Non-serializing WRMSR (WRMSRNS)', cat: 'system', linux: null, qemu: 'wrmsrns', libvirt: 'wrmsrns', xen: 'wrmsrns', vendors: INTEL },
  { id: 'nmi_src', at: '7.1.eax.20', name: 'NMI-source reporting (FRED)', cat: 'system', xen: 'nmi_src', vendors: INTEL, deps: ['fred'] },
  { id: 'amx_fp16', at: '7.1.eax.21', name: 'AMX half-precision tile operations', cat: 'simd', linux: null, qemu: 'amx-fp16', libvirt: 'amx-fp16', xen: 'amx_fp16', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile'] },
  { id: 'hreset', at: '7.1.eax.22', name: 'History reset (HRESET)', cat: 'system', vendors: INTEL, enforce: 'enforced', gate: 'MSR IA32_HRESET_ENABLE' },
  { id: 'avx_ifma', at: '7.1.eax.23', name: 'AVX integer fused multiply-add (VEX-encoded IFMA)', cat: 'simd', linux: null, qemu: 'avx-ifma', libvirt: 'avx-ifma', xen: 'avx_ifma', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx2'] },
  { id: 'lam', at: '7.1.eax.26', name: 'Linear address masking (LAM)', cat: 'memory', linux: 'lam', qemu: 'lam', libvirt: 'lam', xen: 'lam', vendors: INTEL, enforce: 'enforced', gate: 'CR3.LAM_U48/LAM_U57 and CR4.LAM_SUP', deps: ['lm'] },
  { id: 'rd_wr_msrlist', at: '7.1.eax.27', name: 'Read and write MSR lists (RDMSRLIST, WRMSRLIST)', cat: 'system', xen: 'msrlist', vendors: INTEL, deps: ['lm'] },
  { id: 'no_invd', at: '7.1.eax.30', name: 'INVD unusable', cat: 'info', kind: 'info', xen: 'no_invd', vendors: INTEL, note: 'Inverted: 1 means the INVD instruction was taken away' },
  { id: 'movrs', at: '7.1.eax.31', name: 'Read-shared loads (MOVRS)', qemu: 'movrs', libvirt: 'movrs', linux: null, cat: 'memory', xen: 'movrs', vendors: INTEL, deps: ['lm'] },
  { id: 'intel_ppin', at: '7.1.ebx.0', name: 'Protected processor inventory number (PPIN)', cat: 'system', linux: 'intel_ppin', xen: 'intel_ppin', vendors: INTEL },
  { id: 'msr_imm', at: '7.1.ecx.5', name: 'Immediate-operand RDMSR and WRMSRNS', qemu: 'msr-imm', cat: 'system', linux: null, vendors: INTEL, deps: ['wrmsrns', 'lm'] },
  { id: 'avx_vnni_int8', at: '7.1.edx.4', name: 'AVX neural network instructions on 8-bit integers', cat: 'simd', qemu: 'avx-vnni-int8', libvirt: 'avx-vnni-int8', xen: 'avx_vnni_int8', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx2'] },
  { id: 'avx_ne_convert', at: '7.1.edx.5', name: 'AVX no-exception bfloat16/FP16 conversions', cat: 'simd', qemu: 'avx-ne-convert', libvirt: 'avx-ne-convert', xen: 'avx_ne_convert', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx'] },
  { id: 'amx_complex', at: '7.1.edx.8', name: 'AMX complex-number tile operations', cat: 'simd', qemu: 'amx-complex', libvirt: 'amx-complex', xen: 'amx_complex', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile'] },
  { id: 'avx_vnni_int16', at: '7.1.edx.10', name: 'AVX neural network instructions on 16-bit integers', cat: 'simd', qemu: 'avx-vnni-int16', libvirt: 'avx-vnni-int16', xen: 'avx_vnni_int16', vendors: INTEL, enforce: 'enforced', gate: YMM, deps: ['avx2'] },
  { id: 'prefetchiti', at: '7.1.edx.14', name: 'Instruction prefetch (PREFETCHIT0/1)', cat: 'memory', qemu: 'prefetchiti', libvirt: 'prefetchiti', xen: 'prefetchi', vendors: INTEL, deps: ['lm'] },
  { id: 'uiret_uif', at: '7.1.edx.17', name: 'UIRET sets UIF from the saved RFLAGS', cat: 'system', xen: 'uiret_uif', vendors: INTEL, deps: ['uintr'] },
  { id: 'cet_sss', at: '7.1.edx.18', name: 'Supervisor shadow stacks are safe to use', cat: 'security', xen: 'cet_sss', vendors: INTEL, deps: ['shstk'] },
  { id: 'avx10', at: '7.1.edx.19', name: 'AVX10 converged vector ISA (version in leaf 0x24)', cat: 'simd', qemu: 'avx10', libvirt: 'avx10', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: AVX512_STATE },
  { id: 'apx_f', at: '7.1.edx.21', name: 'Advanced performance extensions (APX: 32 general registers)', qemu: 'apxf', libvirt: 'apxf', linux: null, linuxMacro: 'apx', cat: 'system', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.APX', deps: ['xsave_apx', 'lm'] },
  { id: 'slsm', at: '7.1.edx.24', name: 'Static lockstep mode', cat: 'info', kind: 'info', xen: 'slsm', vendors: INTEL },
  { id: 'intel_psfd', at: '7.2.edx.0', name: 'Predictive store forwarding disable (Intel PSFD)', cat: 'mitigation', qemu: 'intel-psfd', libvirt: 'intel-psfd', xen: 'intel_psfd', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.PSFD', deps: ['spec_ctrl'] },
  { id: 'ipred_ctrl', at: '7.2.edx.1', name: 'Indirect predictor control (IPRED_DIS)', cat: 'mitigation', qemu: 'ipred-ctrl', libvirt: 'ipred-ctrl', xen: 'ipred_ctrl', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.IPRED_DIS_U/S', deps: ['spec_ctrl'] },
  { id: 'rrsba_ctrl', at: '7.2.edx.2', name: 'RRSBA behaviour control (RRSBA_DIS)', cat: 'mitigation', linux: null, qemu: 'rrsba-ctrl', libvirt: 'rrsba-ctrl', xen: 'rrsba_ctrl', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.RRSBA_DIS_U/S', deps: ['spec_ctrl'] },
  { id: 'ddpd_u', at: '7.2.edx.3', name: 'Data-dependent prefetcher disable (DDPD_U)', cat: 'mitigation', qemu: 'ddpd-u', libvirt: 'ddpd-u', xen: 'ddp_ctrl', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.DDPD_U', deps: ['spec_ctrl'] },
  { id: 'bhi_ctrl', at: '7.2.edx.4', name: 'Branch history injection control (BHI_DIS_S)', cat: 'mitigation', linux: null, qemu: 'bhi-ctrl', libvirt: 'bhi-ctrl', xen: 'bhi_ctrl', vendors: INTEL, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.BHI_DIS_S', deps: ['spec_ctrl'] },
  { id: 'mcdt_no', at: '7.2.edx.5', name: 'No MXCSR-configuration-dependent timing (MCDT_NO)', cat: 'mitigation', qemu: 'mcdt-no', libvirt: 'mcdt-no', xen: 'mcdt_no', vendors: INTEL },
  { id: 'uc_lock_disable', at: '7.2.edx.6', name: 'UC-lock disable', cat: 'system', xen: 'uc_lock_dis', vendors: INTEL },
]);

// ---- CPUID.0DH — XSAVE ------------------------------------------------------------------
const LEAF_D = rows([
  { id: 'xsave_x87', at: 'd.0.eax.0', name: 'XSAVE x87 State', cat: 'xsave', kind: 'info', deps: ['xsave'], note: 'XCR0 bit 0 is always 1 where XSAVE exists: carries no information of its own' },
  { id: 'xsave_sse', at: 'd.0.eax.1', name: 'XSAVE SSE State', cat: 'xsave', vmware: 'xcr0_master_sse', enforce: 'enforced', gate: 'XCR0.SSE', deps: ['xsave'], note: 'vSphere wording' },
  { id: 'xsave_ymm', at: 'd.0.eax.2', name: 'XSAVE YMM State', cat: 'xsave', vmware: 'xcr0_master_ymm_h', enforce: 'enforced', gate: 'XCR0.YMM', deps: ['xsave', 'xsave_sse'], note: 'vSphere wording' },
  { id: 'xsave_bndregs', at: 'd.0.eax.3', name: 'XSAVE MPX Bound Register State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.BNDREGS', deps: ['xsave'] },
  { id: 'xsave_bndcsr', at: 'd.0.eax.4', name: 'XSAVE MPX Bound Configuration State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.BNDCSR', deps: ['xsave'] },
  { id: 'xsave_opmask', at: 'd.0.eax.5', name: 'XSAVE AVX-512 Opmask State', cat: 'xsave', enforce: 'enforced', gate: 'XCR0.opmask', deps: ['xsave_ymm'] },
  { id: 'xsave_zmm_hi256', at: 'd.0.eax.6', name: 'XSAVE AVX-512 ZMM_Hi256 State (upper halves of ZMM0-15)', cat: 'xsave', enforce: 'enforced', gate: 'XCR0.ZMM_Hi256', deps: ['xsave_ymm'] },
  { id: 'xsave_hi16_zmm', at: 'd.0.eax.7', name: 'XSAVE AVX-512 Hi16_ZMM State (ZMM16-31)', cat: 'xsave', enforce: 'enforced', gate: 'XCR0.Hi16_ZMM', deps: ['xsave_ymm'] },
  { id: 'xsave_pkru', at: 'd.0.eax.9', name: 'XSAVE PKRU State', cat: 'xsave', enforce: 'enforced', gate: 'XCR0.PKRU', deps: ['xsave'] },
  { id: 'xsave_tilecfg', at: 'd.0.eax.17', name: 'XSAVE AMX Tile Configuration State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.TILECFG', deps: ['xsave'] },
  { id: 'xsave_tiledata', at: 'd.0.eax.18', name: 'XSAVE AMX Tile Data State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.TILEDATA', deps: ['xsave_tilecfg'], note: 'XCR0 accepts TILECFG and TILEDATA only together' },
  { id: 'xsave_apx', at: 'd.0.eax.19', name: 'XSAVE APX Extended GPR State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.APX', deps: ['xsave'] },
  { id: 'xsave_lwp', at: 'd.0.edx.30', name: 'XSAVE LWP State (XCR0 bit 62)', cat: 'xsave', vendors: AMD, enforce: 'enforced', gate: 'XCR0.LWP', deps: ['xsave'] },
  { id: 'xsaveopt', at: 'd.1.eax.0', name: 'XSAVEOPT', cat: 'xsave', linux: 'xsaveopt', qemu: 'xsaveopt', libvirt: 'xsaveopt', vmware: 'xsaveopt', xen: 'xsaveopt', deps: ['xsave'] },
  { id: 'xsavec', at: 'd.1.eax.1', name: 'XSAVEC (compacted XSAVE)', cat: 'xsave', linux: 'xsavec', qemu: 'xsavec', libvirt: 'xsavec', vmware: 'xsavec', xen: 'xsavec', unconfirmed: ['vmware'], deps: ['xsave'] },
  { id: 'xgetbv1', at: 'd.1.eax.2', name: 'XGETBV with ECX=1 (XINUSE)', cat: 'xsave', linux: 'xgetbv1', qemu: 'xgetbv1', libvirt: 'xgetbv1', vmware: 'xgetbv_ecx1', xen: 'xgetbv1', unconfirmed: ['vmware'], deps: ['xsave'] },
  { id: 'xsaves', at: 'd.1.eax.3', name: 'XSAVES/XRSTORS and IA32_XSS', cat: 'xsave', linux: 'xsaves', qemu: 'xsaves', libvirt: 'xsaves', vmware: 'xsaves', xen: 'xsaves', unconfirmed: ['vmware'], enforce: 'enforced', gate: 'VMX enable-XSAVES control and MSR IA32_XSS', deps: ['xsave'], migratable: false, note: "libvirt marks it migratable='no', after QEMU could not migrate IA32_XSS state" },
  { id: 'xfd', at: 'd.1.eax.4', name: 'Extended feature disable (XFD)', cat: 'xsave', linux: null, qemu: 'xfd', libvirt: 'xfd', xen: 'xfd', vendors: INTEL, enforce: 'enforced', gate: 'MSRs IA32_XFD and IA32_XFD_ERR', deps: ['xsaves', 'xgetbv1'] },
  { id: 'xss_pt', at: 'd.1.ecx.8', name: 'XSAVES Processor Trace State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'IA32_XSS.PT', deps: ['xsaves'] },
  { id: 'xss_pasid', at: 'd.1.ecx.10', name: 'XSAVES PASID State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'IA32_XSS.PASID', deps: ['xsaves'] },
  { id: 'xss_cet_u', at: 'd.1.ecx.11', name: 'XSAVES CET User State', cat: 'xsave', enforce: 'enforced', gate: 'IA32_XSS.CET_U', deps: ['xsaves'] },
  { id: 'xss_cet_s', at: 'd.1.ecx.12', name: 'XSAVES CET Supervisor State', cat: 'xsave', enforce: 'enforced', gate: 'IA32_XSS.CET_S', deps: ['xsaves'] },
  { id: 'xss_hdc', at: 'd.1.ecx.13', name: 'XSAVES Hardware Duty Cycling State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'IA32_XSS.HDC', deps: ['xsaves'] },
  { id: 'xss_uintr', at: 'd.1.ecx.14', name: 'XSAVES User Interrupt State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'IA32_XSS.UINTR', deps: ['xsaves'] },
  { id: 'xss_lbr', at: 'd.1.ecx.15', name: 'XSAVES Last Branch Record State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'IA32_XSS.LBR', deps: ['xsaves'] },
  { id: 'xss_hwp', at: 'd.1.ecx.16', name: 'XSAVES HWP Request State', cat: 'xsave', vendors: INTEL, enforce: 'enforced', gate: 'IA32_XSS.HWP', deps: ['xsaves'] },
]);

// ---- CPUID.0FH, 12H, 14H, 24H -----------------------------------------------------------
const LEAVES_F_12_14_24 = rows([
  { id: 'cqm_llc', at: 'f.0.edx.1', name: 'L3 cache QoS monitoring', cat: 'system', linux: 'cqm_llc', deps: ['cqm'] },
  { id: 'cqm_occup_llc', at: 'f.1.edx.0', name: 'L3 cache occupancy monitoring', cat: 'system', linux: 'cqm_occup_llc', deps: ['cqm_llc'] },
  { id: 'cqm_mbm_total', at: 'f.1.edx.1', name: 'L3 total memory-bandwidth monitoring', cat: 'system', linux: 'cqm_mbm_total', libvirt: 'mbm_total', deps: ['cqm_llc'] },
  { id: 'cqm_mbm_local', at: 'f.1.edx.2', name: 'L3 local memory-bandwidth monitoring', cat: 'system', linux: 'cqm_mbm_local', libvirt: 'mbm_local', deps: ['cqm_llc'] },
  // CPUID.10H: Resource Director Technology allocation (RDT-A), enumerated when CPUID.7.0:EBX[15] is set
  { id: 'cat_l3', at: '10.0.ebx.1', name: 'L3 cache allocation (CAT)', cat: 'system', linux: 'cat_l3', deps: ['rdt_a'] },
  { id: 'cat_l2', at: '10.0.ebx.2', name: 'L2 cache allocation (CAT)', cat: 'system', linux: 'cat_l2', vendors: INTEL, deps: ['rdt_a'] },
  { id: 'rdt_mba', at: '10.0.ebx.3', name: 'Memory bandwidth allocation (Intel RDT)', cat: 'system', vendors: INTEL, deps: ['rdt_a'], note: "Linux sets its mba flag from this bit and from AMD's CPUID.80000008H:EBX[6]; the catalog gives the name to the AMD row, where it is the only source" },
  { id: 'cdp_l3', at: '10.1.ecx.2', name: 'L3 code and data prioritization (CDP)', cat: 'system', linux: 'cdp_l3', deps: ['cat_l3'] },
  { id: 'cdp_l2', at: '10.2.ecx.2', name: 'L2 code and data prioritization (CDP)', cat: 'system', linux: 'cdp_l2', vendors: INTEL, deps: ['cat_l2'] },
  { id: 'per_thread_mba', at: '10.3.ecx.0', name: 'Per-thread memory bandwidth allocation', cat: 'system', linux: null, vendors: INTEL, deps: ['rdt_mba'] },
  { id: 'sgx1', at: '12.0.eax.0', name: 'SGX1 leaf functions', cat: 'security', linux: null, qemu: 'sgx1', libvirt: 'sgx1', vendors: INTEL, deps: ['sgx'] },
  { id: 'sgx2', at: '12.0.eax.1', name: 'SGX2 enclave dynamic memory management', cat: 'security', linux: null, qemu: 'sgx2', libvirt: 'sgx2', vendors: INTEL, deps: ['sgx1'] },
  { id: 'enclv_leaves', at: '12.0.eax.5', name: 'SGX ENCLV leaf functions (EPC oversubscription)', cat: 'security', vendors: INTEL, deps: ['sgx1'] },
  { id: 'encls_leaves', at: '12.0.eax.6', name: 'SGX additional ENCLS leaf functions', cat: 'security', vendors: INTEL, deps: ['sgx1'] },
  { id: 'enclu_everifyreport2', at: '12.0.eax.7', name: 'SGX ENCLU EVERIFYREPORT2', cat: 'security', vendors: INTEL, deps: ['sgx1'] },
  { id: 'encls_eupdatesvn', at: '12.0.eax.10', name: 'SGX ENCLS EUPDATESVN', linux: null, linuxMacro: 'sgx_eupdatesvn', cat: 'security', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_edeccssa', at: '12.0.eax.11', name: 'SGX ENCLU EDECCSSA', cat: 'security', linux: null, qemu: 'sgx-edeccssa', libvirt: 'sgx-edeccssa', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_exinfo', at: '12.0.ebx.0', name: 'SGX page-fault and #GP details in the SSA (EXINFO)', cat: 'security', qemu: 'sgx-exinfo', libvirt: 'sgx-exinfo', vendors: INTEL, deps: ['sgx1'] },
  { id: 'miscselect_cpinfo', at: '12.0.ebx.1', name: 'SGX control-protection details in the SSA (CPINFO)', cat: 'security', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_debug', at: '12.1.eax.1', name: 'SGX enclave attribute DEBUG', cat: 'security', qemu: 'sgx-debug', libvirt: 'sgx-debug', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_mode64', at: '12.1.eax.2', name: 'SGX enclave attribute MODE64BIT', cat: 'security', qemu: 'sgx-mode64', libvirt: 'sgx-mode64', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_provisionkey', at: '12.1.eax.4', name: 'SGX enclave attribute PROVISIONKEY', cat: 'security', qemu: 'sgx-provisionkey', libvirt: 'sgx-provisionkey', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_tokenkey', at: '12.1.eax.5', name: 'SGX enclave attribute EINITTOKEN_KEY', cat: 'security', qemu: 'sgx-tokenkey', libvirt: 'sgx-tokenkey', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_kss', at: '12.1.eax.7', name: 'SGX enclave attribute KSS (key separation and sharing)', cat: 'security', qemu: 'sgx-kss', libvirt: 'sgx-kss', vendors: INTEL, deps: ['sgx1'] },
  { id: 'sgx_aex_notify', at: '12.1.eax.10', name: 'SGX enclave attribute AEXNOTIFY', cat: 'security', qemu: 'sgx-aex-notify', libvirt: 'sgx-aex-notify', vendors: INTEL, deps: ['sgx1'] },
  { id: 'intel_pt_lip', at: '14.0.ecx.31', name: 'Processor Trace IP payloads are linear addresses', cat: 'debug', qemu: 'intel-pt-lip', libvirt: 'intel-pt-lip', vendors: INTEL, deps: ['intel_pt'] },
  { id: 'avx10_128', at: '24.0.ebx.16', name: 'AVX10 with 128-bit vectors', cat: 'simd', qemu: 'avx10-128', libvirt: 'avx10-128', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx10'] },
  { id: 'avx10_256', at: '24.0.ebx.17', name: 'AVX10 with 256-bit vectors', cat: 'simd', qemu: 'avx10-256', libvirt: 'avx10-256', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx10_128'] },
  { id: 'avx10_512', at: '24.0.ebx.18', name: 'AVX10 with 512-bit vectors', cat: 'simd', qemu: 'avx10-512', libvirt: 'avx10-512', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx10_256'] },
  { id: 'avx10_vnni_int', at: '24.1.ecx.2', name: 'AVX10 integer VNNI forms (AVX10 sub-leaf 1)', cat: 'simd', qemu: 'avx10-vnni-int', libvirt: 'avx10-vnni-int', vendors: INTEL, enforce: 'enforced', gate: ZMM, deps: ['avx10'] },
  // CPUID.1EH.1: AMX instruction set enumeration (the first four bits repeat CPUID.7.0:EDX and 7.1:EAX bits)
  { id: 'amx_int8_alias', at: '1e.1.eax.0', name: 'AMX 8-bit integer tile operations (leaf 0x1E copy)', cat: 'simd', qemu: 'amx-int8-alias', libvirt: 'amx-int8-alias', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_int8'] },
  { id: 'amx_bf16_alias', at: '1e.1.eax.1', name: 'AMX bfloat16 tile operations (leaf 0x1E copy)', cat: 'simd', qemu: 'amx-bf16-alias', libvirt: 'amx-bf16-alias', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_bf16'] },
  { id: 'amx_complex_alias', at: '1e.1.eax.2', name: 'AMX complex-number tile operations (leaf 0x1E copy)', cat: 'simd', qemu: 'amx-complex-alias', libvirt: 'amx-complex-alias', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_complex'] },
  { id: 'amx_fp16_alias', at: '1e.1.eax.3', name: 'AMX half-precision tile operations (leaf 0x1E copy)', cat: 'simd', qemu: 'amx-fp16-alias', libvirt: 'amx-fp16-alias', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_fp16'] },
  { id: 'amx_fp8', at: '1e.1.eax.4', name: 'AMX 8-bit floating-point tile operations', cat: 'simd', qemu: 'amx-fp8', libvirt: 'amx-fp8', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile'] },
  { id: 'amx_tf32', at: '1e.1.eax.6', name: 'AMX TF32 tile operations', cat: 'simd', qemu: 'amx-tf32', libvirt: 'amx-tf32', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile'] },
  { id: 'amx_avx512', at: '1e.1.eax.7', name: 'AMX moves between tiles and AVX-512 registers', cat: 'simd', qemu: 'amx-avx512', libvirt: 'amx-avx512', vendors: INTEL, enforce: 'enforced', gate: `${TILE}, ${ZMM}`, deps: ['amx_tile', 'avx10'] },
  { id: 'amx_movrs', at: '1e.1.eax.8', name: 'AMX read-shared tile loads', cat: 'simd', qemu: 'amx-movrs', libvirt: 'amx-movrs', vendors: INTEL, enforce: 'enforced', gate: TILE, deps: ['amx_tile', 'movrs'] },
  // CPUID.29H: APX sub-features
  { id: 'apx_nci_ndd_nf', at: '29.0.ebx.0', name: 'APX conditional-compare, new-data-destination and no-flags forms', cat: 'system', qemu: 'apx-nci-ndd-nf', libvirt: 'apx-nci-ndd-nf', vendors: INTEL, enforce: 'enforced', gate: 'XCR0.APX', deps: ['apx_f'] },
]);

// ---- CPUID.80000001H:ECX ----------------------------------------------------------------
const EXT1_ECX = rows([
  { id: 'lahf_lm', at: '80000001.ecx.0', name: 'LAHF/SAHF in 64-bit mode', cat: 'legacy', linux: 'lahf_lm', qemu: 'lahf-lm', libvirt: 'lahf_lm', vmware: 'lahf64', xen: 'lahf_lm', deps: ['lm'] },
  { id: 'cmp_legacy', at: '80000001.ecx.1', name: 'Legacy multi-core topology (CmpLegacy)', cat: 'info', kind: 'info', linux: 'cmp_legacy', qemu: 'cmp-legacy', libvirt: 'cmp_legacy', xen: 'cmp_legacy', vendors: AMD, note: 'Topology hint: HTT counts cores, not threads' },
  { id: 'svm', at: '80000001.ecx.2', name: 'AMD-V secure virtual machine (SVM)', cat: 'virtualization', linux: 'svm', qemu: 'svm', libvirt: 'svm', vmware: 'svm', xen: 'svm', vendors: AMD, enforce: 'enforced', gate: 'EFER.SVME' },
  { id: 'extapic', at: '80000001.ecx.3', name: 'Extended APIC register space', cat: 'system', linux: 'extapic', qemu: 'extapic', libvirt: 'extapic', xen: 'extapic', vendors: AMD, deps: ['apic'] },
  { id: 'cr8_legacy', at: '80000001.ecx.4', name: 'CR8 access in 32-bit mode (LOCK MOV CR0)', cat: 'system', linux: 'cr8_legacy', qemu: 'cr8legacy', libvirt: 'cr8legacy', xen: 'cr8_legacy', vendors: AMD },
  { id: 'abm', at: '80000001.ecx.5', name: 'Advanced bit manipulation (LZCNT)', cat: 'bitmanip', linux: 'abm', qemu: 'abm', libvirt: 'abm', vmware: 'abm', xen: 'abm', aliases: ['lzcnt'] },
  { id: 'sse4a', at: '80000001.ecx.6', name: 'SSE4a', cat: 'simd', linux: 'sse4a', qemu: 'sse4a', libvirt: 'sse4a', vmware: 'sse4a', xen: 'sse4a', unconfirmed: ['vmware'], vendors: AMD, deps: ['sse3'] },
  { id: 'misalignsse', at: '80000001.ecx.7', name: 'Misaligned SSE mode', cat: 'simd', linux: 'misalignsse', qemu: 'misalignsse', libvirt: 'misalignsse', vmware: 'misalignsse', xen: 'misalignsse', unconfirmed: ['vmware'], vendors: AMD, deps: ['sse'] },
  { id: '3dnowprefetch', at: '80000001.ecx.8', name: '3DNow! PREFETCH and PREFETCHW', cat: 'memory', linux: '3dnowprefetch', qemu: '3dnowprefetch', libvirt: '3dnowprefetch', vmware: '3dnprefetch', xen: '3dnowprefetch', aliases: ['prefetchw'], note: 'vSphere wording. Intel sets it too (PREFETCHW) since Broadwell' },
  { id: 'osvw', at: '80000001.ecx.9', name: 'OS-visible workarounds (OSVW)', cat: 'system', linux: 'osvw', qemu: 'osvw', libvirt: 'osvw', xen: 'osvw', vendors: AMD },
  { id: 'ibs', at: '80000001.ecx.10', name: 'Instruction-based sampling (IBS)', cat: 'debug', linux: 'ibs', qemu: 'ibs', libvirt: 'ibs', xen: 'ibs', vendors: AMD },
  { id: 'xop', at: '80000001.ecx.11', name: 'Extended operations (XOP)', cat: 'simd', linux: 'xop', qemu: 'xop', libvirt: 'xop', vmware: 'xop', xen: 'xop', unconfirmed: ['vmware'], vendors: AMD, enforce: 'enforced', gate: YMM, deps: ['avx'] },
  { id: 'skinit', at: '80000001.ecx.12', name: 'SKINIT and STGI', cat: 'security', linux: 'skinit', qemu: 'skinit', libvirt: 'skinit', xen: 'skinit', vendors: AMD, deps: ['svm'] },
  { id: 'wdt', at: '80000001.ecx.13', name: 'Watchdog timer', cat: 'system', linux: 'wdt', qemu: 'wdt', libvirt: 'wdt', xen: 'wdt', vendors: AMD },
  { id: 'lwp', at: '80000001.ecx.15', name: 'Lightweight profiling (LWP)', cat: 'debug', linux: 'lwp', qemu: 'lwp', libvirt: 'lwp', xen: 'lwp', vendors: AMD, enforce: 'enforced', gate: 'XCR0.LWP', deps: ['xsave_lwp'] },
  { id: 'fma4', at: '80000001.ecx.16', name: 'Four-operand fused multiply-add (FMA4)', cat: 'simd', linux: 'fma4', qemu: 'fma4', libvirt: 'fma4', vmware: 'fma4', xen: 'fma4', unconfirmed: ['vmware'], vendors: AMD, enforce: 'enforced', gate: YMM, deps: ['avx'] },
  { id: 'tce', at: '80000001.ecx.17', name: 'Translation cache extension (TCE)', cat: 'memory', linux: 'tce', qemu: 'tce', libvirt: 'tce', vendors: AMD, enforce: 'enforced', gate: 'EFER.TCE' },
  { id: 'cvt16', at: '80000001.ecx.18', name: 'CVT16 half-precision conversion (announced, never shipped)', cat: 'simd', libvirt: 'cvt16', vendors: AMD, note: 'Announced for AMD family 15h and replaced by F16C; the bit is reserved on real parts' },
  { id: 'nodeid_msr', at: '80000001.ecx.19', name: 'Node ID MSR', cat: 'system', linux: 'nodeid_msr', qemu: 'nodeid-msr', libvirt: 'nodeid_msr', xen: 'nodeid_msr', vendors: AMD },
  { id: 'tbm', at: '80000001.ecx.21', name: 'Trailing bit manipulation (TBM)', cat: 'bitmanip', linux: 'tbm', qemu: 'tbm', libvirt: 'tbm', vmware: 'tbm', xen: 'tbm', unconfirmed: ['vmware'], vendors: AMD },
  { id: 'topoext', at: '80000001.ecx.22', name: 'Topology extensions (leaves 0x8000001D/1E)', cat: 'system', linux: 'topoext', qemu: 'topoext', libvirt: 'topoext', xen: 'topoext', vendors: AMD },
  { id: 'perfctr_core', at: '80000001.ecx.23', name: 'Core performance counter extensions', cat: 'debug', linux: 'perfctr_core', qemu: 'perfctr-core', libvirt: 'perfctr_core', vendors: AMD },
  { id: 'perfctr_nb', at: '80000001.ecx.24', name: 'Northbridge performance counter extensions', cat: 'debug', linux: 'perfctr_nb', qemu: 'perfctr-nb', libvirt: 'perfctr_nb', vendors: AMD },
  { id: 'bpext', at: '80000001.ecx.26', name: 'Data breakpoint extension', cat: 'debug', linux: 'bpext', xen: 'dbext', vendors: AMD },
  { id: 'ptsc', at: '80000001.ecx.27', name: 'Performance time-stamp counter', cat: 'debug', linux: 'ptsc', vendors: AMD },
  { id: 'perfctr_llc', at: '80000001.ecx.28', name: 'Last-level cache performance counter extensions', cat: 'debug', linux: 'perfctr_llc', vendors: AMD },
  { id: 'mwaitx', at: '80000001.ecx.29', name: 'MONITORX/MWAITX', cat: 'power', linux: 'mwaitx', xen: 'monitorx', vendors: AMD, enforce: 'enforced', gate: 'SVM MONITORX/MWAITX intercepts' },
  { id: 'addr_mask_ext', at: '80000001.ecx.30', name: 'Breakpoint address mask extension', cat: 'debug', xen: 'addr_msk_ext', vendors: AMD },
]);

// ---- CPUID.80000001H:EDX ----------------------------------------------------------------
const EXT1_EDX = rows([
  ...LEAF1_EDX.filter((row) => MIRRORED_BY_AMD.has(row.id)).map(amdCopy),
  { id: 'syscall', at: '80000001.edx.11', name: 'SYSCALL/SYSRET', cat: 'system', linux: 'syscall', qemu: 'syscall', libvirt: 'syscall', xen: 'syscall', enforce: 'enforced', gate: 'EFER.SCE', note: 'Intel reports it only when queried in 64-bit mode' },
  { id: 'mp', at: '80000001.edx.19', name: 'Multiprocessor capable (AMD)', cat: 'info', kind: 'info', linux: 'mp', vendors: AMD },
  { id: 'nx', at: '80000001.edx.20', name: 'No-execute page protection (NX/XD)', cat: 'memory', linux: 'nx', qemu: 'nx', libvirt: 'nx', vmware: 'nx', xen: 'nx', aliases: ['xd'], enforce: 'enforced', gate: 'EFER.NXE', deps: ['pae'] },
  { id: 'mmxext', at: '80000001.edx.22', name: 'AMD MMX extensions', cat: 'simd', linux: 'mmxext', qemu: 'mmxext', libvirt: 'mmxext', vmware: 'mmxext', xen: 'mmxext', unconfirmed: ['vmware'], vendors: AMD, deps: ['mmx'] },
  { id: 'fxsr_opt', at: '80000001.edx.25', name: 'Fast FXSAVE/FXRSTOR (FFXSR)', cat: 'legacy', linux: 'fxsr_opt', qemu: 'fxsr-opt', libvirt: 'fxsr_opt', xen: 'ffxsr', aliases: ['ffxsr'], vendors: AMD, enforce: 'enforced', gate: 'EFER.FFXSR', deps: ['fxsr'] },
  { id: 'pdpe1gb', at: '80000001.edx.26', name: '1 GiB pages', cat: 'memory', linux: 'pdpe1gb', qemu: 'pdpe1gb', libvirt: 'pdpe1gb', vmware: 'pdpe1gb', xen: 'page1gb', deps: ['lm'], note: 'With nested paging the hardware walks guest page tables, so a guest can use 1 GiB pages even when the bit is hidden' },
  { id: 'rdtscp', at: '80000001.edx.27', name: 'RDTSCP', cat: 'system', linux: 'rdtscp', qemu: 'rdtscp', libvirt: 'rdtscp', vmware: 'rdtscp', xen: 'rdtscp', enforce: 'enforced', gate: 'VMX enable-RDTSCP control / SVM RDTSCP intercept', deps: ['tsc'] },
  { id: 'lm', at: '80000001.edx.29', name: 'Intel 64 / AMD64 long mode (LM)', cat: 'memory', linux: 'lm', qemu: 'lm', libvirt: 'lm', vmware: 'lm', xen: 'lm', aliases: ['i64'], enforce: 'enforced', gate: 'EFER.LME', deps: ['pae', 'sse2'] },
  { id: '3dnowext', at: '80000001.edx.30', name: 'Extended 3DNow!', cat: 'simd', linux: '3dnowext', qemu: '3dnowext', libvirt: '3dnowext', xen: '3dnowext', vendors: AMD, deps: ['3dnow'] },
  { id: '3dnow', at: '80000001.edx.31', name: '3DNow!', cat: 'simd', linux: '3dnow', qemu: '3dnow', libvirt: '3dnow', vmware: '3dnow', xen: '3dnow', unconfirmed: ['vmware'], vendors: AMD, deps: ['mmx'] },
]);

// ---- CPUID.80000007H (advanced power management, RAS) -------------------------------------
const EXT7 = rows([
  { id: 'overflow_recov', at: '80000007.ebx.0', name: 'MCA overflow recovery', cat: 'system', linux: 'overflow_recov', qemu: 'overflow-recov', libvirt: 'overflow-recov', vendors: AMD },
  { id: 'succor', at: '80000007.ebx.1', name: 'Software uncorrectable-error containment and recovery (SUCCOR)', cat: 'system', linux: 'succor', qemu: 'succor', libvirt: 'succor', vendors: AMD },
  { id: 'hw_assert', at: '80000007.ebx.2', name: 'Hardware assert MSRs', cat: 'debug', vendors: AMD },
  { id: 'smca', at: '80000007.ebx.3', name: 'Scalable MCA', cat: 'system', linux: 'smca', vendors: AMD },
  { id: 'digital_temp', at: '80000007.edx.0', name: 'Temperature sensor (AMD)', cat: 'power', vendors: AMD },
  { id: 'powernow_freq_id', at: '80000007.edx.1', name: 'Frequency ID control', cat: 'power', vendors: AMD },
  { id: 'powernow_volt_id', at: '80000007.edx.2', name: 'Voltage ID control', cat: 'power', vendors: AMD },
  { id: 'thermal_trip', at: '80000007.edx.3', name: 'Thermal trip (THERMTRIP)', cat: 'power', kind: 'info', vendors: AMD },
  { id: 'hw_thermal_control', at: '80000007.edx.4', name: 'Hardware thermal control (HTC)', cat: 'power', vendors: AMD },
  { id: 'sw_thermal_control', at: '80000007.edx.5', name: 'Software thermal control (STC)', cat: 'power', vendors: AMD },
  { id: '100mhz_steps', at: '80000007.edx.6', name: '100 MHz multiplier steps', cat: 'power', kind: 'info', vendors: AMD },
  { id: 'hw_pstate', at: '80000007.edx.7', name: 'Hardware P-state control', cat: 'power', linux: 'hw_pstate', xen: 'hw_pstate', vendors: AMD },
  { id: 'invtsc', at: '80000007.edx.8', name: 'Invariant TSC', cat: 'system', linux: 'nonstop_tsc', qemu: 'invtsc', libvirt: 'invtsc', xen: 'itsc', deps: ['tsc'], migratable: false, note: 'The TSC rate changes across hosts unless the hypervisor pins it (QEMU tsc-frequency, TSC scaling); libvirt marks it migratable=\'no\'. Linux shows constant_tsc and nonstop_tsc for it' },
  { id: 'cpb', at: '80000007.edx.9', name: 'Core performance boost', cat: 'power', linux: 'cpb', xen: 'cpb', vendors: AMD },
  { id: 'eff_freq_ro', at: '80000007.edx.10', name: 'Read-only effective-frequency MSRs', cat: 'power', xen: 'efro', vendors: AMD },
  { id: 'proc_feedback', at: '80000007.edx.11', name: 'Processor feedback interface', cat: 'power', linux: 'proc_feedback', vendors: AMD },
  { id: 'acc_power', at: '80000007.edx.12', name: 'Accumulated power reporting', cat: 'power', linux: 'acc_power', vendors: AMD },
  { id: 'connected_standby', at: '80000007.edx.13', name: 'Connected standby', cat: 'power', kind: 'info', vendors: AMD },
  { id: 'rapl', at: '80000007.edx.14', name: 'Running average power limit (RAPL)', cat: 'power', linux: 'rapl', vendors: AMD },
  { id: 'amd_fast_cppc', at: '80000007.edx.15', name: 'Fast CPPC (collaborative performance control) response', cat: 'power', linux: null, vendors: AMD },
  { id: 'cppc_perf_prio', at: '80000007.edx.16', name: 'CPPC floor performance and priority', cat: 'power', linux: null, vendors: AMD },
]);

// ---- CPUID.80000008H:EBX ----------------------------------------------------------------
const EXT8_EBX = rows([
  { id: 'clzero', at: '80000008.ebx.0', name: 'CLZERO', cat: 'memory', linux: 'clzero', qemu: 'clzero', libvirt: 'clzero', vmware: 'clzero', xen: 'clzero', unconfirmed: ['vmware'], vendors: AMD, deps: ['clflush'] },
  { id: 'irperf', at: '80000008.ebx.1', name: 'Instructions-retired counter MSR', cat: 'debug', linux: 'irperf', vendors: AMD },
  { id: 'xsaveerptr', at: '80000008.ebx.2', name: 'FXSAVE/XSAVE always save x87 error pointers', cat: 'legacy', linux: 'xsaveerptr', qemu: 'xsaveerptr', libvirt: 'xsaveerptr', xen: 'rstr_fp_err_ptrs', vendors: AMD, deps: ['fpu'] },
  { id: 'invlpgb', at: '80000008.ebx.3', name: 'Broadcast TLB invalidation (INVLPGB, TLBSYNC)', linux: null, cat: 'memory', vendors: AMD, enforce: 'enforced', gate: 'SVM INVLPGB/TLBSYNC enable in the VMCB' },
  { id: 'rdpru', at: '80000008.ebx.4', name: 'Read processor register at user level (RDPRU)', cat: 'system', linux: 'rdpru', vendors: AMD, enforce: 'enforced', gate: 'SVM RDPRU intercept' },
  { id: 'mba', at: '80000008.ebx.6', name: 'Memory bandwidth allocation (AMD)', cat: 'system', linux: 'mba', vendors: AMD, note: 'Linux also sets its mba flag from Intel RDT leaf 0x10' },
  { id: 'mcommit', at: '80000008.ebx.8', name: 'Memory commit (MCOMMIT)', cat: 'memory', vendors: AMD, enforce: 'enforced', gate: 'EFER.MCOMMIT' },
  { id: 'wbnoinvd', at: '80000008.ebx.9', name: 'Write back without invalidating (WBNOINVD)', cat: 'memory', linux: 'wbnoinvd', qemu: 'wbnoinvd', libvirt: 'wbnoinvd', vmware: 'wbnoinvd', xen: 'wbnoinvd', unconfirmed: ['vmware'] },
  { id: 'amd_ibpb', at: '80000008.ebx.12', name: 'Indirect branch prediction barrier (AMD IBPB)', cat: 'mitigation', linux: null, qemu: 'ibpb', libvirt: 'ibpb', vmware: 'ibpb', xen: 'ibpb', vendors: AMD, enforce: 'enforced', gate: 'MSR IA32_PRED_CMD' },
  { id: 'wbinvd_int', at: '80000008.ebx.13', name: 'Interruptible WBINVD/WBNOINVD', cat: 'memory', vendors: AMD },
  { id: 'amd_ibrs', at: '80000008.ebx.14', name: 'Indirect branch restricted speculation (AMD IBRS)', cat: 'mitigation', linux: null, qemu: 'ibrs', libvirt: 'ibrs', xen: 'ibrs', vendors: AMD, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.IBRS' },
  { id: 'amd_stibp', at: '80000008.ebx.15', name: 'Single-thread indirect branch predictors (AMD STIBP)', cat: 'mitigation', linux: null, qemu: 'amd-stibp', libvirt: 'amd-stibp', xen: 'amd_stibp', vendors: AMD, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.STIBP', deps: ['amd_ibrs'] },
  { id: 'ibrs_always_on', at: '80000008.ebx.16', name: 'IBRS preferred always on', cat: 'mitigation', xen: 'ibrs_always', vendors: AMD, deps: ['amd_ibrs'] },
  { id: 'amd_stibp_always_on', at: '80000008.ebx.17', name: 'STIBP preferred always on', cat: 'mitigation', linux: null, qemu: 'stibp-always-on', libvirt: 'stibp-always-on', xen: 'stibp_always', vendors: AMD, deps: ['amd_stibp'] },
  { id: 'ibrs_fast', at: '80000008.ebx.18', name: 'IBRS preferred over software mitigations', cat: 'mitigation', xen: 'ibrs_fast', vendors: AMD, deps: ['amd_ibrs'] },
  { id: 'ibrs_same_mode', at: '80000008.ebx.19', name: 'IBRS also protects same-mode predictions', linux: null, linuxMacro: 'amd_ibrs_same_mode', cat: 'mitigation', xen: 'ibrs_same_mode', vendors: AMD, deps: ['amd_ibrs'] },
  { id: 'no_efer_lmsle', at: '80000008.ebx.20', name: 'Long-mode segment limits (EFER.LMSLE) removed', linux: null, linuxMacro: 'efer_lmsle_mbz', cat: 'info', kind: 'info', xen: 'no_lmsl', vendors: AMD, deps: ['lm'], note: 'Inverted: 1 means a capability was removed; Xen ORs it across a pool' },
  { id: 'tlb_flush_nested', at: '80000008.ebx.21', name: 'INVLPGB can flush nested translations', cat: 'memory', vendors: AMD, deps: ['invlpgb'] },
  { id: 'amd_ppin', at: '80000008.ebx.23', name: 'Protected processor inventory number (AMD PPIN)', cat: 'system', linux: 'amd_ppin', xen: 'amd_ppin', vendors: AMD },
  { id: 'amd_ssbd', at: '80000008.ebx.24', name: 'Speculative store bypass disable (AMD SSBD)', cat: 'mitigation', linux: null, qemu: 'amd-ssbd', libvirt: 'amd-ssbd', xen: 'amd_ssbd', vendors: AMD, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.SSBD', deps: ['amd_ibrs'] },
  { id: 'virt_ssbd', at: '80000008.ebx.25', name: 'Virtualized SSBD (VIRT_SPEC_CTRL)', cat: 'mitigation', linux: 'virt_ssbd', qemu: 'virt-ssbd', libvirt: 'virt-ssbd', xen: 'virt_ssbd', vendors: AMD, enforce: 'enforced', gate: 'MSR VIRT_SPEC_CTRL' },
  { id: 'amd_ssb_no', at: '80000008.ebx.26', name: 'Not vulnerable to speculative store bypass (AMD)', cat: 'mitigation', linux: null, qemu: 'amd-no-ssb', libvirt: 'amd-no-ssb', xen: 'ssb_no', vendors: AMD },
  { id: 'cppc', at: '80000008.ebx.27', name: 'Collaborative processor performance control (CPPC)', cat: 'power', linux: 'cppc', xen: 'cppc', vendors: AMD },
  { id: 'amd_psfd', at: '80000008.ebx.28', name: 'Predictive store forwarding disable (AMD PSFD)', cat: 'mitigation', linux: null, qemu: 'amd-psfd', libvirt: 'amd-psfd', xen: 'psfd', vendors: AMD, enforce: 'enforced', gate: 'IA32_SPEC_CTRL.PSFD', deps: ['amd_ibrs'] },
  { id: 'btc_no', at: '80000008.ebx.29', name: 'Not vulnerable to branch type confusion', cat: 'mitigation', linux: null, xen: 'btc_no', vendors: AMD },
  { id: 'amd_ibpb_ret', at: '80000008.ebx.30', name: 'IBPB also clears return address predictions', cat: 'mitigation', linux: null, xen: 'ibpb_ret', vendors: AMD, deps: ['amd_ibpb'] },
  { id: 'brs', at: '80000008.ebx.31', name: 'Branch sampling', cat: 'debug', linux: 'brs', vendors: AMD },
]);

// ---- CPUID.8000000AH:EDX — SVM sub-features (nested virtualization) -------------------------
const SVM_EDX = group({ cat: 'virtualization', vendors: AMD, enforce: 'enforced', gate: NESTED_SVM, deps: ['svm'] }, [
  { id: 'x2avic_ext', at: '8000000a.ecx.6', name: 'SVM x2AVIC for more than 256 vCPUs', linux: null, deps: ['svm', 'x2avic'] },
  { id: 'npt', at: '8000000a.edx.0', name: 'SVM nested page tables (NPT)', linux: 'npt', qemu: 'npt', libvirt: 'npt' },
  { id: 'lbrv', at: '8000000a.edx.1', name: 'SVM LBR virtualization', linux: 'lbrv', qemu: 'lbrv', libvirt: 'lbrv' },
  { id: 'svm_lock', at: '8000000a.edx.2', name: 'SVM lock (SVM_LOCK MSR)', linux: 'svm_lock', qemu: 'svm-lock', libvirt: 'svm-lock' },
  { id: 'nrip_save', at: '8000000a.edx.3', name: 'SVM next-RIP save on #VMEXIT', linux: 'nrip_save', qemu: 'nrip-save', libvirt: 'nrip-save' },
  { id: 'tsc_scale', at: '8000000a.edx.4', name: 'SVM TSC ratio MSR (TSC scaling)', linux: 'tsc_scale', qemu: 'tsc-scale', libvirt: 'tsc-scale' },
  { id: 'vmcb_clean', at: '8000000a.edx.5', name: 'SVM VMCB clean bits', linux: 'vmcb_clean', qemu: 'vmcb-clean', libvirt: 'vmcb-clean' },
  { id: 'flushbyasid', at: '8000000a.edx.6', name: 'SVM flush by ASID', linux: 'flushbyasid', qemu: 'flushbyasid', libvirt: 'flushbyasid' },
  { id: 'decodeassists', at: '8000000a.edx.7', name: 'SVM decode assists', linux: 'decodeassists', qemu: 'decodeassists', libvirt: 'decodeassists' },
  { id: 'pausefilter', at: '8000000a.edx.10', name: 'SVM PAUSE intercept filter', linux: 'pausefilter', qemu: 'pause-filter', libvirt: 'pause-filter' },
  { id: 'pfthreshold', at: '8000000a.edx.12', name: 'SVM PAUSE filter threshold', linux: 'pfthreshold', qemu: 'pfthreshold', libvirt: 'pfthreshold' },
  { id: 'avic', at: '8000000a.edx.13', name: 'SVM advanced virtual interrupt controller (AVIC)', linux: 'avic', qemu: 'avic', libvirt: 'avic' },
  { id: 'v_vmsave_vmload', at: '8000000a.edx.15', name: 'SVM virtual VMSAVE/VMLOAD', linux: 'v_vmsave_vmload', qemu: 'v-vmsave-vmload', libvirt: 'v-vmsave-vmload' },
  { id: 'vgif', at: '8000000a.edx.16', name: 'SVM virtual global interrupt flag (vGIF)', linux: 'vgif', qemu: 'vgif', libvirt: 'vgif' },
  { id: 'gmet', at: '8000000a.edx.17', name: 'SVM guest-mode execute trap (GMET)', qemu: 'gmet' },
  { id: 'x2avic', at: '8000000a.edx.18', name: 'SVM AVIC in x2APIC mode', linux: 'x2avic', deps: ['avic'] },
  { id: 'sss_check', at: '8000000a.edx.19', name: 'SVM supervisor shadow stack restrictions' },
  { id: 'v_spec_ctrl', at: '8000000a.edx.20', name: 'SVM virtual SPEC_CTRL', linux: 'v_spec_ctrl' },
  { id: 'ro_gpt', at: '8000000a.edx.21', name: 'SVM read-only guest page tables' },
  { id: 'h_mce_override', at: '8000000a.edx.23', name: 'SVM host MCE override' },
  { id: 'tlbsync_int', at: '8000000a.edx.24', name: 'SVM INVLPGB/TLBSYNC intercept and enable' },
  { id: 'vnmi', at: '8000000a.edx.25', name: 'SVM virtual NMI', linux: 'vnmi', qemu: 'vnmi', libvirt: 'vnmi' },
  { id: 'ibs_virt', at: '8000000a.edx.26', name: 'SVM IBS virtualization' },
  { id: 'ext_lvt_off_chg', at: '8000000a.edx.27', name: 'SVM extended LVT offset fault change' },
  { id: 'svme_addr_chk', at: '8000000a.edx.28', name: 'SVM guest SVME address check', linux: null, qemu: 'svme-addr-chk', libvirt: 'svme-addr-chk' },
  { id: 'bus_lock_threshold', at: '8000000a.edx.29', name: 'SVM bus-lock threshold intercept', linux: null },
  { id: 'idle_hlt', at: '8000000a.edx.30', name: 'SVM intercept of HLT only when no interrupt is pending', linux: null },
]);

// ---- CPUID.8000001FH:EAX — AMD memory encryption ------------------------------------------
const EXT1F_EAX = group({ cat: 'security', vendors: AMD }, [
  { id: 'sme', at: '8000001f.eax.0', name: 'Secure memory encryption (SME)', linux: 'sme' },
  { id: 'sev', at: '8000001f.eax.1', name: 'Secure encrypted virtualization (SEV)', linux: 'sev', deps: ['svm'] },
  { id: 'vm_page_flush', at: '8000001f.eax.2', name: 'VM page flush MSR', linux: null },
  { id: 'sev_es', at: '8000001f.eax.3', name: 'SEV encrypted state (SEV-ES)', linux: 'sev_es', deps: ['sev'] },
  { id: 'sev_snp', at: '8000001f.eax.4', name: 'SEV secure nested paging (SEV-SNP)', linux: 'sev_snp', deps: ['sev_es'] },
  { id: 'vm_permission_levels', at: '8000001f.eax.5', name: 'SEV-SNP VM permission levels (VMPL)', deps: ['sev_snp'] },
  { id: 'rmpquery', at: '8000001f.eax.6', name: 'RMPQUERY', deps: ['sev_snp'] },
  { id: 'vmpl_sss', at: '8000001f.eax.7', name: 'VMPL supervisor shadow stacks', deps: ['vm_permission_levels'] },
  { id: 'secure_tsc', at: '8000001f.eax.8', name: 'SEV-SNP secure TSC', linux: null, linuxMacro: 'snp_secure_tsc', deps: ['sev_snp'] },
  { id: 'v_tsc_aux', at: '8000001f.eax.9', name: 'Virtual TSC_AUX for SEV-ES guests', linux: null, deps: ['sev_es'] },
  { id: 'sme_coherent', at: '8000001f.eax.10', name: 'Cache coherency across encryption domains', linux: null },
  { id: 'req_64bit_hypervisor', at: '8000001f.eax.11', name: 'SEV guests require a 64-bit hypervisor', kind: 'info' },
  { id: 'restricted_injection', at: '8000001f.eax.12', name: 'SEV-SNP restricted interrupt injection', deps: ['sev_snp'] },
  { id: 'alternate_injection', at: '8000001f.eax.13', name: 'SEV-SNP alternate interrupt injection', deps: ['sev_snp'] },
  { id: 'debug_swap', at: '8000001f.eax.14', name: 'SEV-ES full debug state swap', linux: 'debug_swap', deps: ['sev_es'] },
  { id: 'disallow_host_ibs', at: '8000001f.eax.15', name: 'Host IBS can be disallowed for SEV-ES guests', deps: ['sev_es'] },
  { id: 'virt_transparent_enc', at: '8000001f.eax.16', name: 'Virtual transparent encryption', deps: ['sev'] },
  { id: 'vmgexit_parameter', at: '8000001f.eax.17', name: 'SEV VMGEXIT parameter', deps: ['sev_es'] },
  { id: 'virt_tom_msr', at: '8000001f.eax.18', name: 'SEV virtual TOM MSR', deps: ['sev'] },
  { id: 'virt_ibs', at: '8000001f.eax.19', name: 'IBS virtualization for SEV-ES guests', deps: ['sev_es'] },
  { id: 'rmpread', at: '8000001f.eax.21', name: 'RMPREAD instruction (SEV-SNP)', linux: null, deps: ['sev_snp'] },
  { id: 'segmented_rmp', at: '8000001f.eax.23', name: 'Segmented reverse-map table (SEV-SNP)', linux: null, deps: ['sev_snp'] },
  { id: 'vmsa_reg_protection', at: '8000001f.eax.24', name: 'SEV VMSA register protection', deps: ['sev_es'] },
  { id: 'smt_protection', at: '8000001f.eax.25', name: 'SEV-SNP SMT protection', deps: ['sev_snp'] },
  { id: 'allowed_sev_features', at: '8000001f.eax.27', name: 'Hypervisor-restricted SEV feature set (ALLOWED_SEV_FEATURES)', linux: null, deps: ['sev_es'] },
  { id: 'svsm', at: '8000001f.eax.28', name: 'SEV-SNP secure VM service module page MSR (SVSM)', linux: 'svsm', deps: ['sev_snp'] },
  { id: 'nested_virt_snp_msr', at: '8000001f.eax.29', name: 'VIRT_RMPUPDATE and VIRT_PSMASH MSRs', deps: ['sev_snp'] },
  { id: 'hv_inuse_wr_allowed', at: '8000001f.eax.30', name: 'Writes to in-use hypervisor-owned pages allowed (SEV-SNP)', linux: null, deps: ['sev_snp'] },
  { id: 'coherency_sfw_no', at: '8000001f.ebx.31', name: 'No software cache-coherency workaround needed for SEV-SNP', kind: 'info', linux: null, deps: ['sev_snp'] },
]);

// ---- CPUID.80000021H and 80000022H ------------------------------------------------------
const EXT21_22 = group({ vendors: AMD }, [
  { id: 'smba', at: '80000020.0.ebx.2', name: 'Slow-memory bandwidth allocation (AMD PQE)', cat: 'system', linux: null },
  { id: 'bmec', at: '80000020.0.ebx.3', name: 'Bandwidth monitoring event configuration (AMD PQM)', cat: 'system', linux: null },
  { id: 'abmc', at: '80000020.0.ebx.5', name: 'Assignable bandwidth monitoring counters (AMD PQM)', cat: 'system', linux: null },
  { id: 'sdciae', at: '80000020.0.ebx.6', name: 'L3 smart data cache injection allocation enforcement', cat: 'system', linux: null },
  { id: 'no_nested_data_bp', at: '80000021.eax.0', name: 'No nested data breakpoints', cat: 'debug', linux: null, qemu: 'no-nested-data-bp', libvirt: 'no-nested-data-bp', xen: 'no_nest_bp' },
  { id: 'wrmsr_xx_base_ns', at: '80000021.eax.1', name: 'Non-serializing WRMSR to FS/GS base', qemu: 'fs-gs-base-ns', libvirt: 'fs-gs-base-ns', cat: 'system', linux: null, xen: 'fs_gs_ns' },
  { id: 'lfence_rdtsc', at: '80000021.eax.2', name: 'LFENCE is always dispatch-serializing', cat: 'mitigation', linux: null, qemu: 'lfence-always-serializing', libvirt: 'lfence-always-serializing', xen: 'lfence_dispatch' },
  { id: 'smm_page_cfg_lock', at: '80000021.eax.3', name: 'SMM paging configuration lock', cat: 'security' },
  { id: 'verw_clear', at: '80000021.eax.5', name: 'VERW clears CPU buffers (AMD)', unconfirmed: ['libvirt'], linux: null, qemu: 'verw-clear', libvirt: 'verw-clear', cat: 'mitigation', xen: 'verw_clear' },
  { id: 'null_sel_clr_base', at: '80000021.eax.6', name: 'Loading a null selector clears the base', cat: 'system', linux: null, qemu: 'null-sel-clr-base', libvirt: 'null-sel-clr-base', xen: 'nscb' },
  { id: 'upper_addr_ignore', at: '80000021.eax.7', name: 'Upper address ignore (EFER.UAIE)', cat: 'memory', enforce: 'enforced', gate: 'EFER.UAIE' },
  { id: 'autoibrs', at: '80000021.eax.8', name: 'Automatic IBRS', cat: 'mitigation', linux: null, qemu: 'auto-ibrs', libvirt: 'auto-ibrs', xen: 'auto_ibrs', enforce: 'enforced', gate: 'EFER.AIBRSE', deps: ['amd_ibrs'] },
  { id: 'no_smm_ctl_msr', at: '80000021.eax.9', name: 'SMM_CTL MSR absent', cat: 'info', kind: 'info', linux: null, note: 'Inverted: 1 means an MSR was removed' },
  { id: 'amd_fsrs', at: '80000021.eax.10', name: 'Fast short REP STOSB (AMD)', cat: 'memory', xen: 'amd_fsrs' },
  { id: 'amd_fsrc', at: '80000021.eax.11', name: 'Fast short REP CMPSB (AMD)', cat: 'memory', xen: 'amd_fsrc' },
  { id: 'prefetch_ctl_msr', at: '80000021.eax.13', name: 'Prefetch control MSR', cat: 'system' },
  { id: 'opcode_reclaim', at: '80000021.eax.16', name: 'Reserved opcode space reclaimed', cat: 'info', kind: 'info' },
  { id: 'user_cpuid_disable', at: '80000021.eax.17', name: 'CPUID faulting at CPL > 0', linux: null, linuxMacro: 'gp_on_user_cpuid', cat: 'security', xen: 'cpuid_user_dis' },
  { id: 'epsf', at: '80000021.eax.18', name: 'Enhanced predictive store forwarding', cat: 'mitigation', xen: 'epsf', deps: ['amd_psfd'] },
  { id: 'fsrsc', at: '80000021.eax.19', name: 'Fast short REP SCASB (AMD)', cat: 'memory', xen: 'fsrsc' },
  { id: 'amd_prefetchi', at: '80000021.eax.20', name: 'Instruction prefetch (PREFETCHIT0/1, AMD)', linux: null, linuxMacro: 'prefetchi', qemu: 'prefetchi', libvirt: 'prefetchi', cat: 'memory', xen: 'amd_prefetchi', deps: ['lm'] },
  { id: 'wl_feedback', at: '80000021.eax.22', name: 'Workload-class feedback to the OS', linux: null, linuxMacro: 'amd_workload_class', cat: 'power' },
  { id: 'avx512_bmm', at: '80000021.eax.23', name: 'AVX-512 bit-matrix manipulation (BMM)', linux: null, cat: 'simd', xen: 'avx512_bmm', enforce: 'enforced', gate: ZMM, deps: ['avx512bw'] },
  { id: 'eraps', at: '80000021.eax.24', name: 'Enhanced return address predictor security (ERAPS)', linux: null, cat: 'mitigation', qemu: 'eraps', libvirt: 'eraps' },
  { id: 'sbpb', at: '80000021.eax.27', name: 'Selective branch predictor barrier (SBPB)', cat: 'mitigation', linux: null, qemu: 'sbpb', libvirt: 'sbpb', xen: 'sbpb', deps: ['amd_ibpb'] },
  { id: 'ibpb_brtype', at: '80000021.eax.28', name: 'IBPB flushes all branch types', cat: 'mitigation', linux: null, qemu: 'ibpb-brtype', libvirt: 'ibpb-brtype', xen: 'ibpb_brtype', deps: ['amd_ibpb'] },
  { id: 'srso_no', at: '80000021.eax.29', name: 'Not vulnerable to speculative return stack overflow (SRSO)', cat: 'mitigation', linux: null, qemu: 'srso-no', libvirt: 'srso-no', xen: 'srso_no' },
  { id: 'srso_user_kernel_no', at: '80000021.eax.30', name: 'Not vulnerable to SRSO across the user/kernel boundary', linux: null, cat: 'mitigation', qemu: 'srso-user-kernel-no', libvirt: 'srso-user-kernel-no', xen: 'srso_us_no' },
  { id: 'srso_msr_fix', at: '80000021.eax.31', name: 'SRSO mitigation through BP_CFG MSR', linux: null, linuxMacro: 'srso_bp_spec_reduce', cat: 'mitigation', xen: 'srso_msr_fix' },
  { id: 'tsa_sq_no', at: '80000021.ecx.1', name: 'Not vulnerable to store-queue transient scheduler attacks', unconfirmed: ['libvirt'], linux: null, qemu: 'tsa-sq-no', libvirt: 'tsa-sq-no', cat: 'mitigation', xen: 'tsa_sq_no' },
  { id: 'tsa_l1_no', at: '80000021.ecx.2', name: 'Not vulnerable to L1D transient scheduler attacks', unconfirmed: ['libvirt'], linux: null, qemu: 'tsa-l1-no', libvirt: 'tsa-l1-no', cat: 'mitigation', xen: 'tsa_l1_no' },
  { id: 'perfmon_v2', at: '80000022.eax.0', name: 'Performance monitoring version 2 (AMD)', cat: 'debug', linux: 'perfmon_v2', qemu: 'perfmon-v2', libvirt: 'perfmon-v2' },
  { id: 'amd_lbr_v2', at: '80000022.eax.1', name: 'Last branch record stack version 2 (AMD)', cat: 'debug', linux: 'amd_lbr_v2' },
  { id: 'amd_lbr_pmc_freeze', at: '80000022.eax.2', name: 'Freeze LBR and counters on overflow (AMD)', cat: 'debug', linux: 'amd_lbr_pmc_freeze' },
  { id: 'amd_htr_cores', at: '80000026.0.eax.30', name: 'Heterogeneous core topology reported (AMD)', cat: 'info', kind: 'info', linux: null, note: 'Topology hint: the package mixes core types' },
]);

// ---- CPUID.C0000001H:EDX — VIA/Zhaoxin PadLock ----------------------------------------------
const PADLOCK = group({ cat: 'crypto', vendors: CENTAUR }, [
  { id: 'rng', at: 'c0000001.edx.2', name: 'PadLock random number generator (XSTORE)', linux: 'rng', qemu: 'xstore', libvirt: 'xstore' },
  { id: 'rng_en', at: 'c0000001.edx.3', name: 'PadLock RNG enabled', linux: 'rng_en', qemu: 'xstore-en', libvirt: 'xstore-en', deps: ['rng'] },
  { id: 'ace', at: 'c0000001.edx.6', name: 'PadLock advanced cryptography engine (XCRYPT)', linux: 'ace', qemu: 'xcrypt', libvirt: 'xcrypt' },
  { id: 'ace_en', at: 'c0000001.edx.7', name: 'PadLock ACE enabled', linux: 'ace_en', qemu: 'xcrypt-en', libvirt: 'xcrypt-en', deps: ['ace'] },
  { id: 'ace2', at: 'c0000001.edx.8', name: 'PadLock advanced cryptography engine 2', linux: 'ace2', qemu: 'ace2', libvirt: 'ace2' },
  { id: 'ace2_en', at: 'c0000001.edx.9', name: 'PadLock ACE2 enabled', linux: 'ace2_en', qemu: 'ace2-en', libvirt: 'ace2-en', unconfirmed: ['libvirt'], deps: ['ace2'] },
  { id: 'phe', at: 'c0000001.edx.10', name: 'PadLock hash engine', linux: 'phe', qemu: 'phe', libvirt: 'phe' },
  { id: 'phe_en', at: 'c0000001.edx.11', name: 'PadLock hash engine enabled', linux: 'phe_en', qemu: 'phe-en', libvirt: 'phe-en', deps: ['phe'] },
  { id: 'pmm', at: 'c0000001.edx.12', name: 'PadLock Montgomery multiplier', linux: 'pmm', qemu: 'pmm', libvirt: 'pmm' },
  { id: 'pmm_en', at: 'c0000001.edx.13', name: 'PadLock Montgomery multiplier enabled', linux: 'pmm_en', qemu: 'pmm-en', libvirt: 'pmm-en', deps: ['pmm'] },
]);

// ---- MSR-backed features: IA32_CORE_CAPABILITIES, IA32_ARCH_CAPABILITIES, PERF_CAPABILITIES ---
const MSR_CAPS = rows([
  { id: 'split_lock_detect', at: 'msr.cf.5', name: 'Split-lock detection (#AC on split locks)', cat: 'debug', linux: 'split_lock_detect', qemu: 'split-lock-detect', libvirt: 'split-lock-detect', vendors: INTEL, enforce: 'enforced', gate: 'MSR_TEST_CTRL.SPLIT_LOCK_DETECT', deps: ['core_capabilities'] },
  ...group({ cat: 'mitigation', vendors: INTEL, deps: ['arch_capabilities'] }, [
    { id: 'rdctl_no', at: 'msr.10a.0', name: 'Not vulnerable to rogue data cache load (Meltdown)', qemu: 'rdctl-no', libvirt: 'rdctl-no', xen: 'rdcl_no' },
    { id: 'ibrs_all', at: 'msr.10a.1', name: 'Enhanced IBRS', linux: 'ibrs_enhanced', qemu: 'ibrs-all', libvirt: 'ibrs-all', xen: 'eibrs', deps: ['arch_capabilities', 'spec_ctrl'] },
    { id: 'rsba', at: 'msr.10a.2', name: 'RSB alternate behaviour (return prediction may fall back to the BTB)', kind: 'info', qemu: 'rsba', libvirt: 'rsba', xen: 'rsba', note: 'Inverted: 1 means retpolines are not enough; Xen ORs it across a pool' },
    { id: 'skip_l1dfl_vmentry', at: 'msr.10a.3', name: 'No L1D flush needed on VM entry', qemu: 'skip-l1dfl-vmentry', libvirt: 'skip-l1dfl-vmentry', xen: 'skip_l1dfl' },
    { id: 'ssb_no', at: 'msr.10a.4', name: 'Not vulnerable to speculative store bypass', qemu: 'ssb-no', libvirt: 'ssb-no', xen: 'intel_ssb_no' },
    { id: 'mds_no', at: 'msr.10a.5', name: 'Not vulnerable to microarchitectural data sampling (MDS)', qemu: 'mds-no', libvirt: 'mds-no', xen: 'mds_no' },
    { id: 'pschange_mc_no', at: 'msr.10a.6', name: 'No machine check on page-size change of code pages', qemu: 'pschange-mc-no', libvirt: 'pschange-mc-no', xen: 'if_pschange_mc_no' },
    { id: 'tsx_ctrl', at: 'msr.10a.7', name: 'IA32_TSX_CTRL MSR', cat: 'tsx', qemu: 'tsx-ctrl', libvirt: 'tsx-ctrl', xen: 'tsx_ctrl', enforce: 'enforced', gate: 'MSR IA32_TSX_CTRL' },
    { id: 'taa_no', at: 'msr.10a.8', name: 'Not vulnerable to TSX asynchronous abort (TAA)', qemu: 'taa-no', libvirt: 'taa-no', xen: 'taa_no' },
    { id: 'mcu_ctrl', at: 'msr.10a.9', name: 'IA32_MCU_CONTROL MSR', cat: 'system', xen: 'mcu_ctrl' },
    { id: 'misc_pkg_ctrl', at: 'msr.10a.10', name: 'IA32_MISC_PACKAGE_CTLS MSR', cat: 'system', xen: 'misc_pkg_ctrl' },
    { id: 'energy_filtering', at: 'msr.10a.11', name: 'Energy filtering control', xen: 'energy_filtering', deps: ['arch_capabilities', 'misc_pkg_ctrl'] },
    { id: 'doitm', at: 'msr.10a.12', name: 'Data operand independent timing mode (DOITM)', cat: 'security', xen: 'doitm' },
    { id: 'sbdr_ssdp_no', at: 'msr.10a.13', name: 'Not vulnerable to shared-buffer data read or sideband stale data', qemu: 'sbdr-ssdp-no', libvirt: 'sbdr-ssdp-no', xen: 'sbdr_ssdp_no' },
    { id: 'fbsdp_no', at: 'msr.10a.14', name: 'Not vulnerable to fill-buffer stale data propagation', qemu: 'fbsdp-no', libvirt: 'fbsdp-no', xen: 'fbsdp_no' },
    { id: 'psdp_no', at: 'msr.10a.15', name: 'Not vulnerable to primary stale data propagation', qemu: 'psdp-no', libvirt: 'psdp-no', xen: 'psdp_no' },
    { id: 'mcu_ext', at: 'msr.10a.16', name: 'Microcode update status and enumeration MSRs', cat: 'system', xen: 'mcu_ext' },
    { id: 'fb_clear', at: 'msr.10a.17', name: 'VERW clears fill buffers (FB_CLEAR)', qemu: 'fb-clear', libvirt: 'fb-clear', xen: 'fb_clear' },
    { id: 'fb_clear_ctrl', at: 'msr.10a.18', name: 'FB_CLEAR can be turned off (IA32_MCU_OPT_CTRL)', xen: 'fb_clear_ctrl' },
    { id: 'rrsba', at: 'msr.10a.19', name: 'Restricted RSB alternate behaviour (RRSBA)', kind: 'info', xen: 'rrsba', deps: ['ibrs_all'], note: 'Inverted: 1 describes a weakness; Xen ORs it across a pool' },
    { id: 'bhi_no', at: 'msr.10a.20', name: 'Not vulnerable to branch history injection (BHI)', qemu: 'bhi-no', libvirt: 'bhi-no', xen: 'bhi_no' },
    { id: 'xapic_status', at: 'msr.10a.21', name: 'xAPIC disable status MSR', cat: 'system', xen: 'xapic_status' },
    { id: 'ovrclk_status', at: 'msr.10a.23', name: 'Overclocking status MSR', cat: 'system', xen: 'ovrclk_status' },
    { id: 'pbrsb_no', at: 'msr.10a.24', name: 'Not vulnerable to post-barrier RSB predictions', qemu: 'pbrsb-no', libvirt: 'pbrsb-no', xen: 'pbrsb_no' },
    { id: 'gds_ctrl', at: 'msr.10a.25', name: 'Gather data sampling mitigation control', xen: 'gds_ctrl' },
    { id: 'gds_no', at: 'msr.10a.26', name: 'Not vulnerable to gather data sampling (GDS)', qemu: 'gds-no', libvirt: 'gds-no', xen: 'gds_no' },
    { id: 'rfds_no', at: 'msr.10a.27', name: 'Not vulnerable to register file data sampling (RFDS)', qemu: 'rfds-no', libvirt: 'rfds-no', xen: 'rfds_no' },
    { id: 'rfds_clear', at: 'msr.10a.28', name: 'VERW clears register files (RFDS_CLEAR)', qemu: 'rfds-clear', libvirt: 'rfds-clear', xen: 'rfds_clear' },
    { id: 'ign_umonitor', at: 'msr.10a.29', name: 'UMONITOR mitigation control (IGN_UMONITOR)', xen: 'ign_umonitor' },
    { id: 'mon_umon_mitg', at: 'msr.10a.30', name: 'MONITOR/UMONITOR mitigation control', xen: 'mon_umon_mitg' },
    { id: 'pb_opt_ctrl', at: 'msr.10a.32', name: 'IBPB alternative control (PB_OPT_CTRL)', xen: 'pb_opt_ctrl' },
    { id: 'its_no', at: 'msr.10a.62', name: 'Not vulnerable to indirect target selection (ITS)', qemu: 'its-no', libvirt: 'its-no', xen: 'its_no' },
  ]),
  { id: 'full_width_write', at: 'msr.345.13', name: 'Full-width writes to performance counters', cat: 'debug', qemu: 'full-width-write', vendors: INTEL, deps: ['pdcm'] },
]);

// ---- VMX capability MSRs 0x480..0x491 (nested virtualization) ----------------------------
const VMX_MSRS = group({ cat: 'virtualization', vendors: INTEL, enforce: 'enforced', gate: NESTED_VMX, deps: ['vmx'] }, [
  // IA32_VMX_BASIC (0x480)
  { id: 'vmx_ins_outs', at: 'msr.480.54', name: 'VMX: exits on INS/OUTS report instruction information', qemu: 'vmx-ins-outs', libvirt: 'vmx-ins-outs' },
  { id: 'vmx_true_ctls', at: 'msr.480.55', name: 'VMX: TRUE control capability MSRs', qemu: 'vmx-true-ctls', libvirt: 'vmx-true-ctls' },
  { id: 'vmx_any_errcode', at: 'msr.480.56', name: 'VMX: VM entry may inject any exception with or without error code', qemu: 'vmx-any-errcode', libvirt: 'vmx-any-errcode' },
  { id: 'vmx_nested_exception', at: 'msr.480.58', name: 'VMX: nested-exception information', qemu: 'vmx-nested-exception', libvirt: 'vmx-nested-exception' },
  // IA32_VMX_MISC (0x485)
  { id: 'vmx_store_lma', at: 'msr.485.5', name: 'VMX: VM exit stores EFER.LMA in the IA-32e guest control', qemu: 'vmx-store-lma', libvirt: 'vmx-store-lma' },
  { id: 'vmx_activity_hlt', at: 'msr.485.6', name: 'VMX: HLT activity state', qemu: 'vmx-activity-hlt', libvirt: 'vmx-activity-hlt' },
  { id: 'vmx_activity_shutdown', at: 'msr.485.7', name: 'VMX: shutdown activity state', qemu: 'vmx-activity-shutdown', libvirt: 'vmx-activity-shutdown' },
  { id: 'vmx_activity_wait_sipi', at: 'msr.485.8', name: 'VMX: wait-for-SIPI activity state', qemu: 'vmx-activity-wait-sipi', libvirt: 'vmx-activity-wait-sipi' },
  { id: 'vmx_vmwrite_vmexit_fields', at: 'msr.485.29', name: 'VMX: VMWRITE may write VM-exit information fields', qemu: 'vmx-vmwrite-vmexit-fields', libvirt: 'vmx-vmwrite-vmexit-fields' },
  { id: 'vmx_zero_len_inject', at: 'msr.485.30', name: 'VMX: injection of software events with zero instruction length', qemu: 'vmx-zero-len-inject', libvirt: 'vmx-zero-len-inject' },
  // IA32_VMX_PROCBASED_CTLS2 (0x48b), secondary processor-based controls
  { id: 'vmx_apicv_xapic', at: 'msr.48b.0', name: 'VMX: virtualize APIC accesses', qemu: 'vmx-apicv-xapic', libvirt: 'vmx-apicv-xapic', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_ept', at: 'msr.48b.1', name: 'VMX: extended page tables (EPT)', linux: 'ept', qemu: 'vmx-ept', libvirt: 'vmx-ept', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_desc_exit', at: 'msr.48b.2', name: 'VMX: descriptor-table exiting', qemu: 'vmx-desc-exit', libvirt: 'vmx-desc-exit', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_rdtscp_exit', at: 'msr.48b.3', name: 'VMX: enable RDTSCP (and RDPID)', qemu: 'vmx-rdtscp-exit', libvirt: 'vmx-rdtscp-exit', deps: ['vmx_secondary_ctls', 'rdtscp'] },
  { id: 'vmx_apicv_x2apic', at: 'msr.48b.4', name: 'VMX: virtualize x2APIC mode', qemu: 'vmx-apicv-x2apic', libvirt: 'vmx-apicv-x2apic', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_vpid', at: 'msr.48b.5', name: 'VMX: virtual processor IDs (VPID)', linux: 'vpid', qemu: 'vmx-vpid', libvirt: 'vmx-vpid', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_wbinvd_exit', at: 'msr.48b.6', name: 'VMX: WBINVD exiting', qemu: 'vmx-wbinvd-exit', libvirt: 'vmx-wbinvd-exit', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_unrestricted_guest', at: 'msr.48b.7', name: 'VMX: unrestricted guest (real and unpaged modes)', qemu: 'vmx-unrestricted-guest', libvirt: 'vmx-unrestricted-guest', deps: ['vmx_secondary_ctls', 'vmx_ept'] },
  { id: 'vmx_apicv_register', at: 'msr.48b.8', name: 'VMX: APIC-register virtualization', qemu: 'vmx-apicv-register', libvirt: 'vmx-apicv-register', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_apicv_vid', at: 'msr.48b.9', name: 'VMX: virtual-interrupt delivery', qemu: 'vmx-apicv-vid', libvirt: 'vmx-apicv-vid', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_ple', at: 'msr.48b.10', name: 'VMX: PAUSE-loop exiting', qemu: 'vmx-ple', libvirt: 'vmx-ple', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_rdrand_exit', at: 'msr.48b.11', name: 'VMX: RDRAND exiting', qemu: 'vmx-rdrand-exit', libvirt: 'vmx-rdrand-exit', deps: ['vmx_secondary_ctls', 'rdrand'] },
  { id: 'vmx_invpcid_exit', at: 'msr.48b.12', name: 'VMX: enable INVPCID', qemu: 'vmx-invpcid-exit', libvirt: 'vmx-invpcid-exit', deps: ['vmx_secondary_ctls', 'invpcid'] },
  { id: 'vmx_vmfunc', at: 'msr.48b.13', name: 'VMX: VM functions', qemu: 'vmx-vmfunc', libvirt: 'vmx-vmfunc', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_shadow_vmcs', at: 'msr.48b.14', name: 'VMX: VMCS shadowing', qemu: 'vmx-shadow-vmcs', libvirt: 'vmx-shadow-vmcs', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_encls_exit', at: 'msr.48b.15', name: 'VMX: ENCLS exiting', qemu: 'vmx-encls-exit', libvirt: 'vmx-encls-exit', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_rdseed_exit', at: 'msr.48b.16', name: 'VMX: RDSEED exiting', qemu: 'vmx-rdseed-exit', libvirt: 'vmx-rdseed-exit', deps: ['vmx_secondary_ctls', 'rdseed'] },
  { id: 'vmx_pml', at: 'msr.48b.17', name: 'VMX: page-modification logging (PML)', qemu: 'vmx-pml', libvirt: 'vmx-pml', deps: ['vmx_secondary_ctls', 'vmx_ept'] },
  { id: 'vmx_xsaves', at: 'msr.48b.20', name: 'VMX: enable XSAVES/XRSTORS', qemu: 'vmx-xsaves', libvirt: 'vmx-xsaves', deps: ['vmx_secondary_ctls', 'xsaves'] },
  { id: 'vmx_mbec', at: 'msr.48b.22', name: 'VMX: mode-based execute control for EPT', qemu: 'vmx-mbec', unconfirmed: ['qemu'], deps: ['vmx_secondary_ctls', 'vmx_ept'], note: 'The QEMU name is from a late-2025 tree carrying a patch series; not confirmed in a QEMU release' },
  { id: 'vmx_tsc_scaling', at: 'msr.48b.25', name: 'VMX: TSC scaling', qemu: 'vmx-tsc-scaling', libvirt: 'vmx-tsc-scaling', deps: ['vmx_secondary_ctls'] },
  { id: 'vmx_enable_user_wait_pause', at: 'msr.48b.26', name: 'VMX: enable user wait and pause', qemu: 'vmx-enable-user-wait-pause', libvirt: 'vmx-enable-user-wait-pause', deps: ['vmx_secondary_ctls', 'waitpkg'] },
  // IA32_VMX_EPT_VPID_CAP (0x48c): bits 0..31 describe EPT, 32..63 VPID
  { id: 'vmx_ept_execonly', at: 'msr.48c.0', name: 'VMX: execute-only EPT translations', qemu: 'vmx-ept-execonly', libvirt: 'vmx-ept-execonly', deps: ['vmx_ept'] },
  { id: 'vmx_page_walk_4', at: 'msr.48c.6', name: 'VMX: 4-level EPT page walk', qemu: 'vmx-page-walk-4', libvirt: 'vmx-page-walk-4', deps: ['vmx_ept'] },
  { id: 'vmx_page_walk_5', at: 'msr.48c.7', name: 'VMX: 5-level EPT page walk', qemu: 'vmx-page-walk-5', libvirt: 'vmx-page-walk-5', deps: ['vmx_ept'] },
  { id: 'vmx_ept_uc', at: 'msr.48c.8', name: 'VMX: EPT paging structures may be uncacheable', libvirt: 'vmx-ept-uc', deps: ['vmx_ept'], note: 'libvirt-only name; QEMU does not name this bit' },
  { id: 'vmx_ept_wb', at: 'msr.48c.14', name: 'VMX: EPT paging structures may be write-back', libvirt: 'vmx-ept-wb', deps: ['vmx_ept'], note: 'libvirt-only name; QEMU does not name this bit' },
  { id: 'vmx_ept_2mb', at: 'msr.48c.16', name: 'VMX: 2 MiB EPT pages', qemu: 'vmx-ept-2mb', libvirt: 'vmx-ept-2mb', deps: ['vmx_ept'] },
  { id: 'vmx_ept_1gb', at: 'msr.48c.17', name: 'VMX: 1 GiB EPT pages', qemu: 'vmx-ept-1gb', libvirt: 'vmx-ept-1gb', deps: ['vmx_ept'] },
  { id: 'vmx_invept', at: 'msr.48c.20', name: 'VMX: INVEPT', qemu: 'vmx-invept', libvirt: 'vmx-invept', deps: ['vmx_ept'] },
  { id: 'vmx_eptad', at: 'msr.48c.21', name: 'VMX: EPT accessed and dirty flags', linux: 'ept_ad', qemu: 'vmx-eptad', libvirt: 'vmx-eptad', deps: ['vmx_ept'] },
  { id: 'vmx_ept_advanced_exitinfo', at: 'msr.48c.22', name: 'VMX: advanced EPT-violation exit information', qemu: 'vmx-ept-advanced-exitinfo', libvirt: 'vmx-ept-advanced-exitinfo', deps: ['vmx_ept'] },
  { id: 'vmx_invept_single_context', at: 'msr.48c.25', name: 'VMX: single-context INVEPT', qemu: 'vmx-invept-single-context', libvirt: 'vmx-invept-single-context', deps: ['vmx_invept'] },
  { id: 'vmx_invept_all_context', at: 'msr.48c.26', name: 'VMX: all-context INVEPT', qemu: 'vmx-invept-all-context', libvirt: 'vmx-invept-all-context', deps: ['vmx_invept'] },
  { id: 'vmx_invvpid', at: 'msr.48c.32', name: 'VMX: INVVPID', qemu: 'vmx-invvpid', libvirt: 'vmx-invvpid', deps: ['vmx_vpid'] },
  { id: 'vmx_invvpid_single_addr', at: 'msr.48c.40', name: 'VMX: individual-address INVVPID', qemu: 'vmx-invvpid-single-addr', libvirt: 'vmx-invvpid-single-addr', deps: ['vmx_invvpid'] },
  { id: 'vmx_invvpid_single_context', at: 'msr.48c.41', name: 'VMX: single-context INVVPID', libvirt: 'vmx-invvpid-single-context', deps: ['vmx_invvpid'], note: 'QEMU spells this bit vmx-invept-single-context, the same string as bit 25, so the catalog records no QEMU name for it' },
  { id: 'vmx_invvpid_all_context', at: 'msr.48c.42', name: 'VMX: all-context INVVPID', qemu: 'vmx-invvpid-all-context', libvirt: 'vmx-invvpid-all-context', deps: ['vmx_invvpid'] },
  { id: 'vmx_invvpid_single_context_noglobals', at: 'msr.48c.43', name: 'VMX: single-context INVVPID keeping global translations', qemu: 'vmx-invept-single-context-noglobals', libvirt: 'vmx-invvpid-single-context-noglobals', deps: ['vmx_invvpid'], note: 'QEMU names it vmx-invept-single-context-noglobals although it is an INVVPID type' },
  // IA32_VMX_TRUE_PINBASED_CTLS (0x48d)
  { id: 'vmx_intr_exit', at: 'msr.48d.0', name: 'VMX: external-interrupt exiting', qemu: 'vmx-intr-exit', libvirt: 'vmx-intr-exit' },
  { id: 'vmx_nmi_exit', at: 'msr.48d.3', name: 'VMX: NMI exiting', qemu: 'vmx-nmi-exit', libvirt: 'vmx-nmi-exit' },
  { id: 'vmx_vnmi', at: 'msr.48d.5', name: 'VMX: virtual NMIs', qemu: 'vmx-vnmi', libvirt: 'vmx-vnmi', deps: ['vmx', 'vmx_nmi_exit'] },
  { id: 'vmx_preemption_timer', at: 'msr.48d.6', name: 'VMX: preemption timer', qemu: 'vmx-preemption-timer', libvirt: 'vmx-preemption-timer' },
  { id: 'vmx_posted_intr', at: 'msr.48d.7', name: 'VMX: posted interrupts', qemu: 'vmx-posted-intr', libvirt: 'vmx-posted-intr' },
  // IA32_VMX_TRUE_PROCBASED_CTLS (0x48e)
  { id: 'vmx_vintr_pending', at: 'msr.48e.2', name: 'VMX: interrupt-window exiting', qemu: 'vmx-vintr-pending', libvirt: 'vmx-vintr-pending' },
  { id: 'vmx_tsc_offset', at: 'msr.48e.3', name: 'VMX: TSC offsetting', qemu: 'vmx-tsc-offset', libvirt: 'vmx-tsc-offset' },
  { id: 'vmx_hlt_exit', at: 'msr.48e.7', name: 'VMX: HLT exiting', qemu: 'vmx-hlt-exit', libvirt: 'vmx-hlt-exit' },
  { id: 'vmx_invlpg_exit', at: 'msr.48e.9', name: 'VMX: INVLPG exiting', qemu: 'vmx-invlpg-exit', libvirt: 'vmx-invlpg-exit' },
  { id: 'vmx_mwait_exit', at: 'msr.48e.10', name: 'VMX: MWAIT exiting', qemu: 'vmx-mwait-exit', libvirt: 'vmx-mwait-exit' },
  { id: 'vmx_rdpmc_exit', at: 'msr.48e.11', name: 'VMX: RDPMC exiting', qemu: 'vmx-rdpmc-exit', libvirt: 'vmx-rdpmc-exit' },
  { id: 'vmx_rdtsc_exit', at: 'msr.48e.12', name: 'VMX: RDTSC exiting', qemu: 'vmx-rdtsc-exit', libvirt: 'vmx-rdtsc-exit' },
  { id: 'vmx_cr3_load_noexit', at: 'msr.48e.15', name: 'VMX: CR3-load exiting may be turned off', qemu: 'vmx-cr3-load-noexit', libvirt: 'vmx-cr3-load-noexit' },
  { id: 'vmx_cr3_store_noexit', at: 'msr.48e.16', name: 'VMX: CR3-store exiting may be turned off', qemu: 'vmx-cr3-store-noexit', libvirt: 'vmx-cr3-store-noexit' },
  { id: 'vmx_cr8_load_exit', at: 'msr.48e.19', name: 'VMX: CR8-load exiting', qemu: 'vmx-cr8-load-exit', libvirt: 'vmx-cr8-load-exit' },
  { id: 'vmx_cr8_store_exit', at: 'msr.48e.20', name: 'VMX: CR8-store exiting', qemu: 'vmx-cr8-store-exit', libvirt: 'vmx-cr8-store-exit' },
  { id: 'vmx_flexpriority', at: 'msr.48e.21', name: 'VMX: TPR shadow', linux: 'tpr_shadow', qemu: 'vmx-flexpriority', libvirt: 'vmx-flexpriority', note: 'QEMU and libvirt call the TPR-shadow control "flexpriority"; Linux shows its own flexpriority flag only when APIC-access virtualization is also present' },
  { id: 'vmx_vnmi_pending', at: 'msr.48e.22', name: 'VMX: NMI-window exiting', qemu: 'vmx-vnmi-pending', libvirt: 'vmx-vnmi-pending', deps: ['vmx', 'vmx_vnmi'] },
  { id: 'vmx_movdr_exit', at: 'msr.48e.23', name: 'VMX: MOV-DR exiting', qemu: 'vmx-movdr-exit', libvirt: 'vmx-movdr-exit' },
  { id: 'vmx_io_exit', at: 'msr.48e.24', name: 'VMX: unconditional I/O exiting', qemu: 'vmx-io-exit', libvirt: 'vmx-io-exit' },
  { id: 'vmx_io_bitmap', at: 'msr.48e.25', name: 'VMX: I/O bitmaps', qemu: 'vmx-io-bitmap', libvirt: 'vmx-io-bitmap' },
  { id: 'vmx_mtf', at: 'msr.48e.27', name: 'VMX: monitor trap flag', qemu: 'vmx-mtf', libvirt: 'vmx-mtf' },
  { id: 'vmx_msr_bitmap', at: 'msr.48e.28', name: 'VMX: MSR bitmaps', qemu: 'vmx-msr-bitmap', libvirt: 'vmx-msr-bitmap' },
  { id: 'vmx_monitor_exit', at: 'msr.48e.29', name: 'VMX: MONITOR exiting', qemu: 'vmx-monitor-exit', libvirt: 'vmx-monitor-exit' },
  { id: 'vmx_pause_exit', at: 'msr.48e.30', name: 'VMX: PAUSE exiting', qemu: 'vmx-pause-exit', libvirt: 'vmx-pause-exit' },
  { id: 'vmx_secondary_ctls', at: 'msr.48e.31', name: 'VMX: secondary processor-based controls', qemu: 'vmx-secondary-ctls', libvirt: 'vmx-secondary-ctls' },
  // IA32_VMX_TRUE_EXIT_CTLS (0x48f)
  { id: 'vmx_exit_nosave_debugctl', at: 'msr.48f.2', name: 'VMX exit: saving debug controls may be turned off', qemu: 'vmx-exit-nosave-debugctl', libvirt: 'vmx-exit-nosave-debugctl' },
  { id: 'vmx_exit_load_perf_global_ctrl', at: 'msr.48f.12', name: 'VMX exit: load IA32_PERF_GLOBAL_CTRL', qemu: 'vmx-exit-load-perf-global-ctrl', libvirt: 'vmx-exit-load-perf-global-ctrl' },
  { id: 'vmx_exit_ack_intr', at: 'msr.48f.15', name: 'VMX exit: acknowledge interrupt on exit', qemu: 'vmx-exit-ack-intr', libvirt: 'vmx-exit-ack-intr' },
  { id: 'vmx_exit_save_pat', at: 'msr.48f.18', name: 'VMX exit: save IA32_PAT', qemu: 'vmx-exit-save-pat', libvirt: 'vmx-exit-save-pat' },
  { id: 'vmx_exit_load_pat', at: 'msr.48f.19', name: 'VMX exit: load IA32_PAT', qemu: 'vmx-exit-load-pat', libvirt: 'vmx-exit-load-pat' },
  { id: 'vmx_exit_save_efer', at: 'msr.48f.20', name: 'VMX exit: save IA32_EFER', qemu: 'vmx-exit-save-efer', libvirt: 'vmx-exit-save-efer' },
  { id: 'vmx_exit_load_efer', at: 'msr.48f.21', name: 'VMX exit: load IA32_EFER', qemu: 'vmx-exit-load-efer', libvirt: 'vmx-exit-load-efer' },
  { id: 'vmx_exit_save_preemption_timer', at: 'msr.48f.22', name: 'VMX exit: save preemption-timer value', qemu: 'vmx-exit-save-preemption-timer', libvirt: 'vmx-exit-save-preemption-timer', deps: ['vmx', 'vmx_preemption_timer'] },
  { id: 'vmx_exit_clear_bndcfgs', at: 'msr.48f.23', name: 'VMX exit: clear IA32_BNDCFGS', qemu: 'vmx-exit-clear-bndcfgs', libvirt: 'vmx-exit-clear-bndcfgs', deps: ['vmx', 'mpx'] },
  { id: 'vmx_exit_clear_rtit_ctl', at: 'msr.48f.25', name: 'VMX exit: clear IA32_RTIT_CTL', qemu: 'vmx-exit-clear-rtit-ctl', libvirt: 'vmx-exit-clear-rtit-ctl', deps: ['vmx', 'intel_pt'] },
  { id: 'vmx_exit_save_cet', at: 'msr.48f.28', name: 'VMX exit: save CET state', qemu: 'vmx-exit-save-cet', libvirt: 'vmx-exit-save-cet', deps: ['vmx', 'shstk'] },
  { id: 'vmx_exit_load_pkrs', at: 'msr.48f.29', name: 'VMX exit: load PKRS', qemu: 'vmx-exit-load-pkrs', libvirt: 'vmx-exit-load-pkrs', deps: ['vmx', 'pks'] },
  { id: 'vmx_exit_secondary_ctls', at: 'msr.48f.31', name: 'VMX exit: secondary VM-exit controls', qemu: 'vmx-exit-secondary-ctls', libvirt: 'vmx-exit-secondary-ctls' },
  // IA32_VMX_TRUE_ENTRY_CTLS (0x490)
  { id: 'vmx_entry_noload_debugctl', at: 'msr.490.2', name: 'VMX entry: loading debug controls may be turned off', qemu: 'vmx-entry-noload-debugctl', libvirt: 'vmx-entry-noload-debugctl' },
  { id: 'vmx_entry_ia32e_mode', at: 'msr.490.9', name: 'VMX entry: IA-32e mode guest', qemu: 'vmx-entry-ia32e-mode', libvirt: 'vmx-entry-ia32e-mode', deps: ['vmx', 'lm'] },
  { id: 'vmx_entry_load_perf_global_ctrl', at: 'msr.490.13', name: 'VMX entry: load IA32_PERF_GLOBAL_CTRL', qemu: 'vmx-entry-load-perf-global-ctrl', libvirt: 'vmx-entry-load-perf-global-ctrl' },
  { id: 'vmx_entry_load_pat', at: 'msr.490.14', name: 'VMX entry: load IA32_PAT', qemu: 'vmx-entry-load-pat', libvirt: 'vmx-entry-load-pat' },
  { id: 'vmx_entry_load_efer', at: 'msr.490.15', name: 'VMX entry: load IA32_EFER', qemu: 'vmx-entry-load-efer', libvirt: 'vmx-entry-load-efer' },
  { id: 'vmx_entry_load_bndcfgs', at: 'msr.490.16', name: 'VMX entry: load IA32_BNDCFGS', qemu: 'vmx-entry-load-bndcfgs', libvirt: 'vmx-entry-load-bndcfgs', deps: ['vmx', 'mpx'] },
  { id: 'vmx_entry_load_rtit_ctl', at: 'msr.490.18', name: 'VMX entry: load IA32_RTIT_CTL', qemu: 'vmx-entry-load-rtit-ctl', libvirt: 'vmx-entry-load-rtit-ctl', deps: ['vmx', 'intel_pt'] },
  { id: 'vmx_entry_load_cet', at: 'msr.490.20', name: 'VMX entry: load CET state', qemu: 'vmx-entry-load-cet', libvirt: 'vmx-entry-load-cet', deps: ['vmx', 'shstk'] },
  { id: 'vmx_entry_load_pkrs', at: 'msr.490.22', name: 'VMX entry: load PKRS', qemu: 'vmx-entry-load-pkrs', libvirt: 'vmx-entry-load-pkrs', deps: ['vmx', 'pks'] },
  { id: 'vmx_entry_load_fred', at: 'msr.490.23', name: 'VMX entry: load FRED state', qemu: 'vmx-entry-load-fred', libvirt: 'vmx-entry-load-fred', deps: ['vmx', 'fred'] },
  // IA32_VMX_VMFUNC (0x491)
  { id: 'vmx_eptp_switching', at: 'msr.491.0', name: 'VMX: EPTP switching VM function', qemu: 'vmx-eptp-switching', libvirt: 'vmx-eptp-switching', deps: ['vmx_vmfunc', 'vmx_ept'] },
]);

export const FEATURE_TABLE = [
  ...LEAF1_ECX,
  ...LEAF1_EDX,
  ...LEAF6,
  ...LEAF7_0_EBX,
  ...LEAF7_0_ECX,
  ...LEAF7_0_EDX,
  ...LEAF7_1_2,
  ...LEAF_D,
  ...LEAVES_F_12_14_24,
  ...EXT1_ECX,
  ...EXT1_EDX,
  ...EXT7,
  ...EXT8_EBX,
  ...SVM_EDX,
  ...EXT1F_EAX,
  ...EXT21_22,
  ...PADLOCK,
  ...MSR_CAPS,
  ...VMX_MSRS,
] satisfies readonly FeatureRow[];

/** Every feature id of the catalog, as a type: a misspelt id in a profile, EVC mode, model or level fails `tsc`. */
export type FeatureId = (typeof FEATURE_TABLE)[number]['id'];

type DependencyId = NonNullable<(typeof FEATURE_TABLE)[number]['deps']>[number];
/** Compiles only while every dependency names a row of the table (the error shows the stray id). */
export const DEPENDENCIES_ARE_IDS: [Exclude<DependencyId, FeatureId>] extends [never] ? true : Exclude<DependencyId, FeatureId> = true;
