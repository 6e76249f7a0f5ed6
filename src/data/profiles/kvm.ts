import type { FeatureId, ProfileDef } from '../schema.js';

/**
 * KVM/QEMU: what a guest can be given and carried across a live migration.
 *
 * KVM answers CPUID for its guests from a table of what it supports (the kernel's
 * KVM_GET_SUPPORTED_CPUID, masked against the host), and QEMU builds the guest CPU from that, so
 * the guest never sees host-only machinery (power management, debug store, RDT, TXT) and always
 * sees what KVM emulates (x2APIC, TSC deadline, TSC_ADJUST, ARAT). The rules follow what KVM
 * reports as supported, and are checked against libvirt's test data: for 51 hosts libvirt keeps
 * both the raw CPUID and what QEMU/KVM actually offered a guest there (`-json.xml`); every
 * remaining difference is listed with its reason in models.kvm.test.ts (mostly older kernels on
 * the hosts the data comes from, which exposed less than current KVM does).
 */
export const KVM_PROFILE: ProfileDef<'kvm'> = {
  id: 'kvm',
  name: 'KVM/QEMU',
  description: 'what KVM/QEMU can give a guest on this host and carry across a live migration',
  hidden: [
    {
      ids: ['monitor'],
      why: 'KVM intercepts MONITOR/MWAIT and does not offer them to guests (QEMU shows them only with -overcommit cpu-pm=on, which pins the guest to dedicated cores); absent from all 51 KVM guests in libvirt\u2019s test data',
    },
    {
      ids: ['acpi', 'tm', 'tm2', 'est', 'pbe', 'dtherm', 'ida', 'pln', 'ecmd', 'pts', 'hwp', 'hdc_base_regs', 'turbo_boost_3_0', 'hfi', 'therm_interrupt_bit25', 'aperfmperf', 'epb'],
      why: 'thermal and power management stay with the host: KVM offers nothing of leaf 6 but ARAT, and neither ACPI thermal control, thermal monitors nor Enhanced SpeedStep',
    },
    {
      ids: ['hw_assert', 'smca', 'digital_temp', 'powernow_freq_id', 'powernow_volt_id', 'hw_thermal_control', 'sw_thermal_control', 'hw_pstate', 'cpb', 'eff_freq_ro', 'proc_feedback', 'acc_power', 'rapl', 'overflow_recov', 'succor'],
      vendors: ['amd', 'hygon'],
      why: 'of leaf 0x80000007 (AMD power management and RAS) KVM passes only the invariant-TSC bit; MCA overflow recovery and SUCCOR stay with the host',
    },
    {
      ids: ['ds', 'dtes64', 'ds_cpl', 'pdcm', 'xtpr'],
      why: 'the debug store, its CPL-qualified variant, xTPR update control and the perfmon/debug capability MSR are host facilities KVM does not pass to guests (PDCM only with a virtual PMU exposing PERF_CAPABILITIES, on recent kernels)',
    },
    {
      ids: ['intel_pt'],
      why: 'KVM offers Intel Processor Trace only in its host-guest mode (kvm_intel pt_mode=1, off by default), and a guest using it cannot migrate',
    },
    {
      ids: ['core_capabilities', 'split_lock_detect'],
      why: 'KVM does not offer IA32_CORE_CAPABILITIES, and so split-lock detection, to guests',
    },
    {
      ids: ['smx'],
      why: 'SMX (Intel TXT, GETSEC) is never virtualized',
    },
    {
      ids: ['dca'],
      why: 'direct cache access is configured by the host for its own devices',
    },
    {
      ids: ['cqm', 'rdt_a', 'mba'],
      why: 'Resource Director Technology (cache and memory-bandwidth monitoring and allocation, AMD PQoS) is managed by the host; KVM does not virtualize it',
    },
    {
      ids: ['sgx'],
      why: 'SGX reaches a guest only with EPC memory configured for it (QEMU sgx-epc), and enclaves cannot be live-migrated',
    },
    {
      ids: ['invtsc'],
      why: 'QEMU marks the invariant TSC unmigratable: a migratable guest does not get it unless the TSC frequency is pinned on every host (libvirt marks it migratable=no too)',
    },
    {
      ids: ['extapic', 'skinit', 'wdt', 'tce', 'ibs', 'lwp', 'nodeid_msr', 'perfctr_nb'],
      vendors: ['amd', 'hygon'],
      why: 'AMD host facilities KVM leaves out of its supported CPUID: extended APIC space, SKINIT, watchdog timer, translation cache extension, instruction-based sampling, lightweight profiling, the node-ID MSR and northbridge counters',
    },
    {
      ids: ['topoext'],
      vendors: ['amd', 'hygon'],
      why: 'QEMU\u2019s host CPU leaves topology extensions off (none of the 8 AMD hosts in libvirt\u2019s data got it); QEMU\u2019s EPYC models turn them on together with a matching vCPU topology',
    },
    {
      ids: ['sme', 'sev', 'vm_page_flush', 'sme_coherent'],
      vendors: ['amd', 'hygon'],
      why: 'memory encryption (SME/SEV) belongs to the host: a guest is made a confidential VM by the host, it does not get the feature to use itself',
    },
    {
      ids: ['vmx'],
      unlessNested: true,
      why: 'VMX and its capability MSRs reach a guest only with nested virtualization (kvm_intel nested=1) and a CPU model that enables vmx',
    },
    {
      ids: ['svm'],
      unlessNested: true,
      why: 'SVM and its sub-features (NPT, NRIP-save, ...) reach a guest only with nested virtualization (kvm_amd nested=1)',
    },
    {
      ids: ['svm_lock', 'decodeassists', 'flushbyasid', 'avic'],
      vendors: ['amd', 'hygon'],
      why: 'even to a nested hypervisor KVM offers only part of SVM (NPT, NRIP-save, VMCB clean bits, TSC scaling, pause filters, LBR and GIF virtualization, VMSAVE/VMLOAD virtualization); SVM lock, decode assists, flush-by-ASID and AVIC stay with the host',
    },
  ],
  added: [
    {
      ids: ['hypervisor'],
      why: 'QEMU sets the hypervisor bit (CPUID.1:ECX[31]) for every guest',
    },
    {
      ids: ['x2apic', 'tsc_deadline_timer'],
      why: 'KVM\u2019s in-kernel local APIC offers x2APIC mode and the TSC-deadline timer whatever the host has',
    },
    {
      ids: ['tsc_adjust'],
      why: 'KVM emulates IA32_TSC_ADJUST for every guest (21 of libvirt\u2019s 51 KVM hosts show it without having it)',
    },
    {
      ids: ['arat'],
      why: 'KVM\u2019s leaf 6 offers ARAT: its emulated APIC timer keeps running in every guest idle state',
    },
  ],
  crossVendor:
    'KVM can move a guest between Intel and AMD hosts only when it was started with a custom CPU model both can provide (and the guest, usually Linux, tolerates it); ' +
    'never with host-passthrough or host-model',
  baselines: ['cpu-models'],
  unknownBits: { shown: false, why: 'KVM and QEMU expose only the bits they support (KVM_GET_SUPPORTED_CPUID); a bit neither knows is cleared for the guest, so it is not compared', confirmed: false },
  sources: [
    'Linux arch/x86/kvm/cpuid.c (what KVM_GET_SUPPORTED_CPUID reports), described in shared/facts/kvm-libvirt-qemu.md',
    'QEMU target/i386/cpu.c feature words (unmigratable flags) and -cpu host expansion',
    'libvirt tests/cputestdata v11.3.0: raw CPUID and QEMU/KVM guest CPU (-json.xml) of 51 hosts',
  ],
};

/**
 * Features whose value QEMU's accelerator changes whatever the CPU model defines. QEMU applies
 * these defaults to the model before the `-cpu` options, so an explicit `+feature`/`-feature`
 * (or libvirt `<feature policy>`) always wins. openevc's exporters therefore write these
 * features explicitly whenever the target decides them: the guest then sees the same CPU
 * under KVM and under TCG, which is what the guest tests boot.
 *
 * Catalog ids only; the QEMU spelling comes from the catalog.
 */

export interface QemuAccelDefault {
  readonly id: FeatureId;
  readonly accel: 'kvm' | 'tcg';
  /** The value the accelerator sets. */
  readonly value: boolean;
  /** Why, and how it is known. */
  readonly why: string;
}

export const QEMU_ACCEL_DEFAULTS: readonly QemuAccelDefault[] = [
  {
    id: 'vme',
    accel: 'tcg',
    value: false,
    why: 'TCG turns VME off for every model (seen here: QEMU 7.2 expands every model that lists vme without it under -accel tcg)',
  },
  {
    id: 'x2apic',
    accel: 'kvm',
    value: true,
    why: 'with KVM, QEMU turns x2APIC on for every model, since the in-kernel APIC emulates it (the kvm view adds it for the same reason)',
  },
  {
    id: 'acpi',
    accel: 'kvm',
    value: false,
    why: 'with KVM, QEMU turns the ACPI thermal-control bit off (KVM does not emulate it; the kvm view hides it)',
  },
  {
    id: 'monitor',
    accel: 'kvm',
    value: false,
    why: 'with KVM, QEMU turns MONITOR/MWAIT off unless -overcommit cpu-pm=on (the kvm view hides it)',
  },
  {
    id: 'svm',
    accel: 'kvm',
    value: false,
    why: 'with KVM, QEMU turns SVM off in every model; it is on only when asked for (nested virtualization)',
  },
];
