/**
 * THE feature catalog: one row per named CPUID (or MSR) feature bit. Everything else in
 * openevc (decoding, names in every ecosystem, dependency closure, masks, models) derives
 * from this table; no other file may restate a bit position or an ecosystem's spelling.
 *
 * Sources of the facts (bit positions, ecosystem names): the Intel SDM vol. 2A CPUID
 * chapter, the AMD APM vol. 3 appendix E, Linux arch/x86/include/asm/cpufeatures.h and
 * cpuid-deps.c, QEMU target/i386/cpu.c feature_word_info, libvirt src/cpu_map/x86_features.xml
 * (v11.3.0), Xen xen/include/public/arch-x86/cpufeatureset.h, and the vSphere facts in
 * shared/facts/vmware-evc.md. Display names are openevc's own wording, except where vSphere's
 * wording is known (seed 002 lists nine; marked "vSphere wording").
 *
 * Row fields: see FeatureRow in src/core/catalog.ts. Conventions:
 * - `id`: the Linux /proc/cpuinfo name where Linux has a clear one, otherwise QEMU's name
 *   with `-` turned into `_`; SSE3 is `sse3` (Linux says `pni`). XSAVE state components are
 *   `xsave_<component>`.
 * - `at`: `<leaf hex>[.<subleaf>].<reg>.<bit>` or `msr.<index hex>.<bit>`.
 * - `linux: null` means Linux knows the bit but hides it from /proc/cpuinfo.
 * - A missing ecosystem name means that ecosystem has no spelling for the bit.
 * - `unconfirmed` lists the ecosystems whose spelling is a guess (VMware keys mostly).
 * - `deps` lists direct needs only; closures are computed.
 */
import type { FeatureRow } from '../core/catalog.js';

const INTEL = ['intel', 'centaur', 'zhaoxin'] as const;

export const FEATURE_TABLE: readonly FeatureRow[] = [
  // ---- CPUID.01H:ECX ------------------------------------------------------------------
  { id: 'sse3', at: '1.ecx.0', name: 'SSE3', cat: 'simd', linux: 'pni', qemu: 'pni', libvirt: 'pni', vmware: 'sse3', xen: 'sse3', aliases: ['pni'], deps: ['sse2'] },
  { id: 'pclmulqdq', at: '1.ecx.1', name: 'Carry-less multiplication (PCLMULQDQ)', cat: 'crypto', linux: 'pclmulqdq', qemu: 'pclmulqdq', libvirt: 'pclmuldq', vmware: 'pclmulqdq', xen: 'pclmulqdq', deps: ['sse2'] },
  { id: 'dtes64', at: '1.ecx.2', name: '64-bit debug store (DTES64)', cat: 'debug', linux: 'dtes64', qemu: 'dtes64', libvirt: 'dtes64', xen: 'dtes64', vendors: INTEL },
  { id: 'monitor', at: '1.ecx.3', name: 'MONITOR/MWAIT', cat: 'power', linux: 'monitor', qemu: 'monitor', libvirt: 'monitor', vmware: 'mwait', xen: 'monitor' },
  { id: 'ds_cpl', at: '1.ecx.4', name: 'CPL-qualified debug store (DS-CPL)', cat: 'debug', linux: 'ds_cpl', qemu: 'ds-cpl', libvirt: 'ds_cpl', xen: 'dscpl', vendors: INTEL },
  { id: 'vmx', at: '1.ecx.5', name: 'Intel VT-x (VMX)', cat: 'virtualization', linux: 'vmx', qemu: 'vmx', libvirt: 'vmx', vmware: 'vmx', xen: 'vmx', vendors: INTEL, enforce: 'enforced', gate: 'CR4.VMXE' },
  { id: 'smx', at: '1.ecx.6', name: 'Safer mode extensions (SMX, TXT)', cat: 'security', linux: 'smx', qemu: 'smx', libvirt: 'smx', xen: 'smx', vendors: INTEL, enforce: 'enforced', gate: 'CR4.SMXE' },
  { id: 'est', at: '1.ecx.7', name: 'Enhanced SpeedStep (EST)', cat: 'power', linux: 'est', qemu: 'est', libvirt: 'est', xen: 'eist', vendors: INTEL },
  { id: 'tm2', at: '1.ecx.8', name: 'Thermal monitor 2 (TM2)', cat: 'power', linux: 'tm2', qemu: 'tm2', libvirt: 'tm2', xen: 'tm2', vendors: INTEL },
  { id: 'ssse3', at: '1.ecx.9', name: 'SSSE3', cat: 'simd', linux: 'ssse3', qemu: 'ssse3', libvirt: 'ssse3', vmware: 'ssse3', xen: 'ssse3', deps: ['sse3'] },
  { id: 'cid', at: '1.ecx.10', name: 'L1 context ID (CNXT-ID)', cat: 'system', linux: 'cid', qemu: 'cid', libvirt: 'cid', xen: 'cnxtid', vendors: INTEL },
  { id: 'sdbg', at: '1.ecx.11', name: 'Silicon debug interface (SDBG)', cat: 'debug', linux: 'sdbg', xen: 'sdbg', vendors: INTEL },
  { id: 'fma', at: '1.ecx.12', name: 'Fused multiply-add (FMA3)', cat: 'simd', linux: 'fma', qemu: 'fma', libvirt: 'fma', vmware: 'fma', xen: 'fma', enforce: 'enforced', gate: 'XCR0.YMM', deps: ['avx'] },
  { id: 'cx16', at: '1.ecx.13', name: 'CMPXCHG16B', cat: 'legacy', linux: 'cx16', qemu: 'cx16', libvirt: 'cx16', vmware: 'cmpxchg16b', xen: 'cx16' },
  { id: 'xtpr', at: '1.ecx.14', name: 'xTPR update control', cat: 'system', linux: 'xtpr', qemu: 'xtpr', libvirt: 'xtpr', xen: 'xtpr', vendors: INTEL },
  { id: 'pdcm', at: '1.ecx.15', name: 'Perfmon and debug capability MSR (PDCM)', cat: 'debug', linux: 'pdcm', qemu: 'pdcm', libvirt: 'pdcm', xen: 'pdcm', vendors: INTEL },
  { id: 'pcid', at: '1.ecx.17', name: 'PCID', cat: 'memory', linux: 'pcid', qemu: 'pcid', libvirt: 'pcid', vmware: 'pcid', xen: 'pcid', enforce: 'enforced', gate: 'CR4.PCIDE', deps: ['lm'], note: 'vSphere wording' },
  { id: 'dca', at: '1.ecx.18', name: 'Direct cache access (DCA)', cat: 'system', linux: 'dca', qemu: 'dca', libvirt: 'dca', xen: 'dca', vendors: INTEL },
  { id: 'sse4_1', at: '1.ecx.19', name: 'SSE4.1', cat: 'simd', linux: 'sse4_1', qemu: 'sse4.1', libvirt: 'sse4.1', vmware: 'sse41', xen: 'sse4_1', aliases: ['sse41', 'sse4-1'], deps: ['ssse3'] },
  { id: 'sse4_2', at: '1.ecx.20', name: 'SSE4.2', cat: 'simd', linux: 'sse4_2', qemu: 'sse4.2', libvirt: 'sse4.2', vmware: 'sse42', xen: 'sse4_2', aliases: ['sse42', 'sse4-2'], deps: ['sse4_1'] },
  { id: 'x2apic', at: '1.ecx.21', name: 'x2APIC', cat: 'system', linux: 'x2apic', qemu: 'x2apic', libvirt: 'x2apic', xen: 'x2apic', enforce: 'enforced', gate: 'IA32_APIC_BASE.EXTD', deps: ['apic'] },
  { id: 'movbe', at: '1.ecx.22', name: 'MOVBE', cat: 'bitmanip', linux: 'movbe', qemu: 'movbe', libvirt: 'movbe', vmware: 'movbe', xen: 'movbe', note: 'vSphere wording' },
  { id: 'popcnt', at: '1.ecx.23', name: 'POPCNT', cat: 'bitmanip', linux: 'popcnt', qemu: 'popcnt', libvirt: 'popcnt', vmware: 'popcnt', xen: 'popcnt' },
  { id: 'tsc_deadline_timer', at: '1.ecx.24', name: 'TSC-deadline APIC timer', cat: 'system', linux: 'tsc_deadline_timer', qemu: 'tsc-deadline', libvirt: 'tsc-deadline', xen: 'tsc_deadline', aliases: ['tsc_deadline'], deps: ['apic'] },
  { id: 'aes', at: '1.ecx.25', name: 'AES-NI', cat: 'crypto', linux: 'aes', qemu: 'aes', libvirt: 'aes', vmware: 'aes', xen: 'aesni', aliases: ['aes_ni', 'aesni'], deps: ['sse2'] },
  { id: 'xsave', at: '1.ecx.26', name: 'XSAVE', cat: 'xsave', linux: 'xsave', qemu: 'xsave', libvirt: 'xsave', vmware: 'xsave', xen: 'xsave', enforce: 'enforced', gate: 'CR4.OSXSAVE', note: 'vSphere wording' },
  { id: 'osxsave', at: '1.ecx.27', name: 'XSAVE enabled by the OS (OSXSAVE)', cat: 'xsave', kind: 'os', linux: null, qemu: 'osxsave', libvirt: 'osxsave', xen: 'osxsave', deps: ['xsave'] },
  { id: 'avx', at: '1.ecx.28', name: 'Advanced Vector Extensions (AVX)', cat: 'simd', linux: 'avx', qemu: 'avx', libvirt: 'avx', vmware: 'avx', xen: 'avx', enforce: 'enforced', gate: 'XCR0.YMM', deps: ['xsave', 'xsave_ymm', 'sse4_2'], note: 'vSphere wording' },
  { id: 'f16c', at: '1.ecx.29', name: 'Half-precision conversion instructions (F16C)', cat: 'simd', linux: 'f16c', qemu: 'f16c', libvirt: 'f16c', vmware: 'f16c', xen: 'f16c', enforce: 'enforced', gate: 'XCR0.YMM', deps: ['avx'], note: 'vSphere wording' },
  { id: 'rdrand', at: '1.ecx.30', name: 'RDRAND', cat: 'crypto', linux: 'rdrand', qemu: 'rdrand', libvirt: 'rdrand', vmware: 'rdrand', xen: 'rdrand' },
  { id: 'hypervisor', at: '1.ecx.31', name: 'Running under a hypervisor', cat: 'info', kind: 'hypervisor', linux: 'hypervisor', qemu: 'hypervisor', libvirt: 'hypervisor', xen: 'hypervisor' },

  // ---- CPUID.01H:EDX (minimal rows; to be completed) ----------------------------------
  { id: 'fpu', at: '1.edx.0', name: 'x87 FPU', cat: 'legacy', linux: 'fpu', qemu: 'fpu', libvirt: 'fpu', xen: 'fpu' },
  { id: 'apic', at: '1.edx.9', name: 'On-chip APIC', cat: 'system', linux: 'apic', qemu: 'apic', libvirt: 'apic', xen: 'apic' },
  { id: 'sse', at: '1.edx.25', name: 'SSE', cat: 'simd', linux: 'sse', qemu: 'sse', libvirt: 'sse', xen: 'sse', enforce: 'enforced', gate: 'CR4.OSFXSR' },
  { id: 'sse2', at: '1.edx.26', name: 'SSE2', cat: 'simd', linux: 'sse2', qemu: 'sse2', libvirt: 'sse2', xen: 'sse2', deps: ['sse'] },

  // ---- CPUID.80000001H:EDX (minimal rows; to be completed) ----------------------------
  { id: 'lm', at: '80000001.edx.29', name: 'Intel 64 / AMD64 long mode (LM)', cat: 'memory', linux: 'lm', qemu: 'lm', libvirt: 'lm', vmware: 'lm', xen: 'lm', enforce: 'enforced', gate: 'EFER.LME' },

  // ---- CPUID.0DH.0:EAX — XSAVE state components (XCR0 bits) ---------------------------
  { id: 'xsave_x87', at: 'd.0.eax.0', name: 'XSAVE x87 State', cat: 'xsave', kind: 'info', deps: ['xsave'], note: 'XCR0 bit 0 is always 1 where XSAVE exists: carries no information of its own' },
  { id: 'xsave_sse', at: 'd.0.eax.1', name: 'XSAVE SSE State', cat: 'xsave', vmware: 'xcr0_master_sse', enforce: 'enforced', gate: 'XCR0.SSE', deps: ['xsave'], note: 'vSphere wording' },
  { id: 'xsave_ymm', at: 'd.0.eax.2', name: 'XSAVE YMM State', cat: 'xsave', vmware: 'xcr0_master_ymm_h', enforce: 'enforced', gate: 'XCR0.YMM', deps: ['xsave', 'xsave_sse'], note: 'vSphere wording' },
];
