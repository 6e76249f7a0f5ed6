import { describe, expect, it } from 'vitest';
import { catalog, formatLocation } from '../core/catalog.js';

/**
 * The catalog refresh of issue 9 (upstream as of 2026: Linux cpufeatures.h and scattered.c, Xen
 * cpufeatureset.h, QEMU feature_word_info, libvirt cpu_map), pinned row by row. The script that
 * found these gaps is scripts/catalog-diff.mjs; this test keeps them closed.
 */
function row(id: string) {
  const f = catalog.get(id);
  expect(f, `catalog row ${id}`).toBeDefined();
  return f!;
}

describe('feature catalog: bits upstream named that the catalog lacked', () => {
  const added: readonly [string, string][] = [
    ['msr_imm', '7.1.ecx.5'],
    ['amd_fast_cppc', '80000007.edx.15'],
    ['cppc_perf_prio', '80000007.edx.16'],
    ['bus_lock_threshold', '8000000a.edx.29'],
    ['idle_hlt', '8000000a.edx.30'],
    ['x2avic_ext', '8000000a.ecx.6'],
    ['rmpread', '8000001f.eax.21'],
    ['segmented_rmp', '8000001f.eax.23'],
    ['allowed_sev_features', '8000001f.eax.27'],
    ['hv_inuse_wr_allowed', '8000001f.eax.30'],
    ['coherency_sfw_no', '8000001f.ebx.31'],
    ['cat_l3', '10.0.ebx.1'],
    ['cat_l2', '10.0.ebx.2'],
    ['rdt_mba', '10.0.ebx.3'],
    ['cdp_l3', '10.1.ecx.2'],
    ['cdp_l2', '10.2.ecx.2'],
    ['per_thread_mba', '10.3.ecx.0'],
    ['smba', '80000020.0.ebx.2'],
    ['bmec', '80000020.0.ebx.3'],
    ['abmc', '80000020.0.ebx.5'],
    ['sdciae', '80000020.0.ebx.6'],
    ['amd_htr_cores', '80000026.0.eax.30'],
    ['amx_fp8', '1e.1.eax.4'],
    ['amx_movrs', '1e.1.eax.8'],
    ['avx10_vnni_int', '24.1.ecx.2'],
    ['apx_nci_ndd_nf', '29.0.ebx.0'],
    ['vmx_exit_save_cet', 'msr.48f.28'],
    ['vmx_entry_load_cet', 'msr.490.20'],
  ];
  it.each(added)('%s sits at %s', (id, at) => {
    expect(formatLocation(row(id).loc)).toBe(at);
  });

  it('decodes a register bit of each new leaf (0x10, 0x1E.1, 0x29, 0x80000020, 0x80000026) to its row', () => {
    expect(catalog.at(0x10, 1, 'ecx', 2)?.id).toBe('cdp_l3');
    expect(catalog.at(0x1e, 1, 'eax', 6)?.id).toBe('amx_tf32');
    expect(catalog.at(0x29, 0, 'ebx', 0)?.id).toBe('apx_nci_ndd_nf');
    expect(catalog.at(0x80000020, 0, 'ebx', 5)?.id).toBe('abmc');
    expect(catalog.at(0x80000026, 0, 'eax', 30)?.id).toBe('amd_htr_cores');
  });
});

describe('feature catalog: Linux spellings', () => {
  it('shows lass in /proc/cpuinfo', () => {
    expect(row('lass').linux).toBe('lass');
  });

  // Linux knows these bits but prints no /proc/cpuinfo flag: `linux: null`, and the macro where it is not the id.
  const hidden: readonly [string, string][] = [
    ['movrs', 'movrs'],
    ['apx_f', 'apx'],
    ['invlpgb', 'invlpgb'],
    ['ibrs_same_mode', 'amd_ibrs_same_mode'],
    ['no_efer_lmsle', 'efer_lmsle_mbz'],
    ['secure_tsc', 'snp_secure_tsc'],
    ['verw_clear', 'verw_clear'],
    ['user_cpuid_disable', 'gp_on_user_cpuid'],
    ['amd_prefetchi', 'prefetchi'],
    ['wl_feedback', 'amd_workload_class'],
    ['avx512_bmm', 'avx512_bmm'],
    ['eraps', 'eraps'],
    ['srso_user_kernel_no', 'srso_user_kernel_no'],
    ['srso_msr_fix', 'srso_bp_spec_reduce'],
    ['tsa_sq_no', 'tsa_sq_no'],
    ['tsa_l1_no', 'tsa_l1_no'],
    ['msr_imm', 'msr_imm'],
  ];
  it.each(hidden)('%s: hidden by Linux, X86_FEATURE_%s', (id, macro) => {
    const f = row(id);
    expect(f.linux).toBeNull();
    expect(f.linuxMacro ?? f.id).toBe(macro);
  });

  it('finds a row by its Linux macro name', () => {
    expect(catalog.resolve('apx')?.id).toBe('apx_f');
    expect(catalog.resolve('srso_bp_spec_reduce')?.id).toBe('srso_msr_fix');
    expect(catalog.resolve('GP_ON_USER_CPUID')?.id).toBe('user_cpuid_disable');
  });
});

describe('feature catalog: QEMU and libvirt spellings', () => {
  const names: readonly [string, string][] = [
    ['wrmsr_xx_base_ns', 'fs-gs-base-ns'],
    ['amd_prefetchi', 'prefetchi'],
    ['verw_clear', 'verw-clear'],
    ['tsa_sq_no', 'tsa-sq-no'],
    ['tsa_l1_no', 'tsa-l1-no'],
    ['shstk', 'cet-ss'],
    ['ibt', 'cet-ibt'],
    ['apx_f', 'apxf'],
    ['its_no', 'its-no'],
    ['movrs', 'movrs'],
  ];
  it.each(names)('%s is %s for QEMU and libvirt', (id, name) => {
    expect(row(id).qemu).toBe(name);
    expect(row(id).libvirt).toBe(name);
    expect(catalog.resolve(name, 'qemu')?.id).toBe(id);
  });

  it("keeps libvirt spellings that no cpu_map file shows yet marked unconfirmed", () => {
    for (const id of ['verw_clear', 'tsa_sq_no', 'tsa_l1_no']) expect(row(id).unconfirmed, id).toContain('libvirt');
  });

  it("gives 'prefetchi' to the AMD bit for QEMU and libvirt and to the Intel bit for Xen", () => {
    expect(catalog.resolve('prefetchi', 'qemu')?.id).toBe('amd_prefetchi');
    expect(catalog.resolve('prefetchi', 'libvirt')?.id).toBe('amd_prefetchi');
    expect(catalog.resolve('prefetchi', 'xen')?.id).toBe('prefetchiti');
  });
});

describe('feature catalog: dependency edges from Linux cpuid-deps.c and Xen gen-cpuid.py', () => {
  it('CMOV and MMX need FXSR (Linux)', () => {
    expect(row('cmov').deps).toContain('fxsr');
    expect(row('mmx').deps).toContain('fxsr');
    const dependents = catalog.dependents(catalog.setOf(['fxsr']));
    expect(dependents.has('cmov')).toBe(true);
    expect(dependents.has('mmx')).toBe(true);
  });

  it('NO_LMSL needs LM (Xen)', () => {
    expect(row('no_efer_lmsle').deps).toContain('lm');
    expect(catalog.dependents(catalog.setOf(['lm'])).has('no_efer_lmsle')).toBe(true);
  });
});
