/**
 * Flags Linux prints in /proc/cpuinfo that are not a CPUID bit in Linux's own register words.
 *
 * Linux keeps five "Linux-defined" words in its feature table (cpufeatures.h words 3, 7, 8, 11
 * and 21) next to the words that mirror CPUID registers. Their flags are of two kinds, and the
 * /proc/cpuinfo importer treats them differently:
 *
 * - `software`: Linux's own state or a conclusion it draws (TSC behaviour, mitigations in use,
 *   VMX capabilities read from MSRs, merged Intel/AMD spellings such as `ibrs`, `stibp`, `ssbd`).
 *   Never a CPUID bit: ignored silently, even if some other ecosystem happens to use the name.
 * - `scattered`: a real CPUID (or MSR) bit that Linux files in an auxiliary word because its
 *   register has no word of its own (`cpb`, `cat_l3`, `sgx1`...). The importer sets the bit when
 *   the feature catalog knows where it lives, and ignores the flag silently when it does not.
 *
 * Names are the ones /proc/cpuinfo shows (Linux 6.12 placement; some flags sat in other words in
 * older kernels, and older kernels also showed some names now hidden). Where a flag lives in
 * CPUID is *not* recorded here: that is the catalog's job (src/data/features.ts).
 */
import type { Vendor } from '../../core/catalog.js';

export interface LinuxSyntheticFlag {
  /** The /proc/cpuinfo spelling. */
  readonly flag: string;
  /** cpufeatures.h word. */
  readonly word: 3 | 7 | 8 | 11 | 21;
  readonly kind: 'software' | 'scattered';
  /**
   * Only on these vendors' CPUs is the flag synthetic (the same name means a CPUID bit elsewhere:
   * `vnmi` was Intel's VMX virtual-NMI capability in older kernels and is AMD's SVM vNMI bit today).
   */
  readonly vendors?: readonly Vendor[];
  /**
   * Why a `software` flag is ignored although Linux derives it from a bit the catalog may name
   * (the flag can appear without that bit, so setting the bit from the flag would invent it).
   */
  readonly why?: string;
}

const S = 'software' as const;
const C = 'scattered' as const;

export const LINUX_SYNTHETIC_FLAGS: readonly LinuxSyntheticFlag[] = [
  // ---- word 3: CPU quirks, TSC properties, tuning --------------------------------------
  { flag: 'cxmmx', word: 3, kind: S },
  { flag: 'k6_mtrr', word: 3, kind: S },
  { flag: 'cyrix_arr', word: 3, kind: S },
  { flag: 'centaur_mcr', word: 3, kind: S },
  { flag: 'k8', word: 3, kind: S },
  { flag: 'k7', word: 3, kind: S },
  { flag: 'p3', word: 3, kind: S },
  { flag: 'p4', word: 3, kind: S },
  { flag: 'zen5', word: 3, kind: S },
  { flag: 'constant_tsc', word: 3, kind: S, why: 'set from the invariant-TSC bit, but also by CPU model on older CPUs without it' },
  { flag: 'up', word: 3, kind: S },
  { flag: 'art', word: 3, kind: S },
  { flag: 'arch_perfmon', word: 3, kind: S },
  { flag: 'pebs', word: 3, kind: S },
  { flag: 'bts', word: 3, kind: S },
  { flag: 'syscall32', word: 3, kind: S },
  { flag: 'sysenter32', word: 3, kind: S },
  { flag: 'rep_good', word: 3, kind: S },
  { flag: 'amd_lbr_v2', word: 3, kind: C },
  { flag: 'mfence_rdtsc', word: 3, kind: S },
  { flag: 'clear_cpu_buf', word: 3, kind: S },
  { flag: 'acc_power', word: 3, kind: C },
  { flag: 'nopl', word: 3, kind: S },
  { flag: 'always', word: 3, kind: S },
  { flag: 'xtopology', word: 3, kind: S },
  { flag: 'tsc_reliable', word: 3, kind: S },
  { flag: 'nonstop_tsc', word: 3, kind: C },
  { flag: 'cpuid', word: 3, kind: S },
  { flag: 'extd_apicid', word: 3, kind: S },
  { flag: 'amd_dcm', word: 3, kind: S },
  { flag: 'aperfmperf', word: 3, kind: C },
  { flag: 'rapl', word: 3, kind: C },
  { flag: 'eagerfpu', word: 3, kind: S },
  { flag: 'nonstop_tsc_s3', word: 3, kind: S },
  { flag: 'tsc_known_freq', word: 3, kind: S },

  // ---- word 7: scattered bits and speculation-control state ------------------------------
  { flag: 'ring3mwait', word: 7, kind: S },
  { flag: 'cpuid_fault', word: 7, kind: S },
  { flag: 'cpb', word: 7, kind: C },
  { flag: 'epb', word: 7, kind: C },
  { flag: 'cat_l3', word: 7, kind: C },
  { flag: 'cat_l2', word: 7, kind: C },
  { flag: 'cdp_l3', word: 7, kind: C },
  { flag: 'tdx_host_platform', word: 7, kind: S },
  { flag: 'invpcid_single', word: 7, kind: S },
  { flag: 'hw_pstate', word: 7, kind: C },
  { flag: 'proc_feedback', word: 7, kind: C },
  { flag: 'xcompacted', word: 7, kind: S },
  { flag: 'pti', word: 7, kind: S },
  { flag: 'kaiser', word: 7, kind: S },
  { flag: 'kernel_ibrs', word: 7, kind: S },
  { flag: 'rsb_vmexit', word: 7, kind: S },
  { flag: 'intel_ppin', word: 7, kind: S, why: 'Linux also sets it by CPU model (PPIN MSR probed) on CPUs without the CPUID bit' },
  { flag: 'cdp_l2', word: 7, kind: C },
  { flag: 'msr_spec_ctrl', word: 7, kind: S },
  { flag: 'ssbd', word: 7, kind: S },
  { flag: 'mba', word: 7, kind: C },
  { flag: 'rsb_ctxsw', word: 7, kind: S },
  { flag: 'perfmon_v2', word: 7, kind: C },
  { flag: 'use_ibpb', word: 7, kind: S },
  { flag: 'use_ibrs_fw', word: 7, kind: S },
  { flag: 'spec_store_bypass_disable', word: 7, kind: S },
  { flag: 'ls_cfg_ssbd', word: 7, kind: S },
  { flag: 'ibrs', word: 7, kind: S },
  { flag: 'ibpb', word: 7, kind: S },
  { flag: 'stibp', word: 7, kind: S },
  { flag: 'zen', word: 7, kind: S },
  { flag: 'l1tf_pteinv', word: 7, kind: S },
  { flag: 'ibrs_enhanced', word: 7, kind: C },
  { flag: 'msr_ia32_feat_ctl', word: 7, kind: S },
  { flag: 'retpoline_amd', word: 7, kind: S },

  // ---- word 8: virtualization capabilities Linux reads from VMX MSRs, paravirt state -----
  { flag: 'tpr_shadow', word: 8, kind: S },
  { flag: 'vnmi', word: 8, kind: S, vendors: ['intel', 'centaur', 'zhaoxin'] },
  { flag: 'flexpriority', word: 8, kind: S },
  { flag: 'ept', word: 8, kind: S },
  { flag: 'vpid', word: 8, kind: S },
  { flag: 'vmmcall', word: 8, kind: S },
  { flag: 'xenpv', word: 8, kind: S },
  { flag: 'ept_ad', word: 8, kind: S },
  { flag: 'vmcall', word: 8, kind: S },
  { flag: 'vmw_vmmcall', word: 8, kind: S },
  { flag: 'pvunlock', word: 8, kind: S },
  { flag: 'vcpupreempt', word: 8, kind: S },
  { flag: 'tdx_guest', word: 8, kind: S },

  // ---- word 11: more scattered bits, mitigation state -------------------------------------
  { flag: 'cqm_llc', word: 11, kind: C },
  { flag: 'cqm_occup_llc', word: 11, kind: C },
  { flag: 'cqm_mbm_total', word: 11, kind: C },
  { flag: 'cqm_mbm_local', word: 11, kind: C },
  { flag: 'fence_swapgs_user', word: 11, kind: S },
  { flag: 'fence_swapgs_kernel', word: 11, kind: S },
  { flag: 'split_lock_detect', word: 11, kind: S },
  { flag: 'per_thread_mba', word: 11, kind: C },
  { flag: 'sgx1', word: 11, kind: C },
  { flag: 'sgx2', word: 11, kind: C },
  { flag: 'entry_ibpb', word: 11, kind: S },
  { flag: 'rrsba_ctrl', word: 11, kind: S },
  { flag: 'retpoline', word: 11, kind: S },
  { flag: 'retpoline_lfence', word: 11, kind: S },
  { flag: 'rethunk', word: 11, kind: S },
  { flag: 'unret', word: 11, kind: S },
  { flag: 'use_ibpb_fw', word: 11, kind: S },
  { flag: 'rsb_vmexit_lite', word: 11, kind: S },
  { flag: 'sgx_edeccssa', word: 11, kind: C },
  { flag: 'call_depth', word: 11, kind: S },
  { flag: 'msr_tsx_ctrl', word: 11, kind: S },
  { flag: 'smba', word: 11, kind: C },
  { flag: 'bmec', word: 11, kind: C },
  { flag: 'user_shstk', word: 11, kind: S },
  { flag: 'srso', word: 11, kind: S },
  { flag: 'srso_alias', word: 11, kind: S },
  { flag: 'ibpb_on_vmexit', word: 11, kind: S },
  { flag: 'apic_msrs_fence', word: 11, kind: S },
  { flag: 'zen1', word: 11, kind: S },
  { flag: 'zen2', word: 11, kind: S },
  { flag: 'zen3', word: 11, kind: S },
  { flag: 'zen4', word: 11, kind: S },

  // ---- word 21: newer scattered bits and mitigation state ----------------------------------
  { flag: 'amd_lbr_pmc_freeze', word: 21, kind: C },
  { flag: 'clear_bhb_loop', word: 21, kind: S },
  { flag: 'bhi_ctrl', word: 21, kind: S },
  { flag: 'clear_bhb_hw', word: 21, kind: S },
  { flag: 'clear_bhb_loop_on_vmexit', word: 21, kind: S },
  { flag: 'amd_fast_cppc', word: 21, kind: C },
  { flag: 'amd_heterogeneous_cores', word: 21, kind: C },
  { flag: 'amd_workload_class', word: 21, kind: C },
];
