import type { ProfileDef } from '../schema.js';

/**
 * VMware ESXi: what a VM on this host is shown, and what vMotion compares.
 *
 * Two kinds of evidence stand behind the rules. (1) The complete feature requirement list of a real
 * VM powered on under the Broadwell EVC mode ("govc dump", facts/vmware-evc.md §1.4): a Broadwell
 * host has every bit hidden below, yet that VM was given none of them. (2) The vMotion reports of
 * the seed articles: seed 000 (Harpertown → Clovertown) was blocked by SSE4.1 alone although only
 * the Harpertown has Enhanced SpeedStep; seed 002 (Avoton → Ivy Bridge) named MOVBE and 3DNow!
 * PREFETCH but not the Avoton's TSC_ADJUST, and (Ivy Bridge → Avoton) named seven features but
 * not the Ivy Bridge's leaf-6 power bits (PLN, ECMD, PTS).
 */
export const ESXI_PROFILE: ProfileDef<'esxi'> = {
  id: 'esxi',
  name: 'VMware ESXi',
  description: 'what an ESXi VM is shown of its host, and what vMotion compares',
  hidden: [
    {
      ids: ['vmx'],
      unlessNested: true,
      why:
        'ESXi shows VT-x to a VM only when nested hardware virtualization is enabled for it (vhv.enable, or the featMask VT key); ' +
        'otherwise VMX and every VMX capability go (absent from the Broadwell VM requirement list)',
    },
    {
      ids: ['svm'],
      unlessNested: true,
      why: 'ESXi shows AMD-V to a VM only when nested hardware virtualization is enabled for it (vhv.enable); otherwise SVM and its sub-features go',
    },
    {
      ids: ['monitor'],
      why:
        'MONITOR/MWAIT stays with the host: ordinary VMs are not given it (absent from the Broadwell VM requirement list although every Broadwell has it). ' +
        "vSphere's own vCLS VMs are the known exception (\"Feature 'MWAIT' was absent, but must be present\" on hosts without it); openevc models ordinary VMs",
    },
    {
      ids: ['ds', 'dtes64', 'ds_cpl', 'pdcm'],
      why: 'The debug store and the perfmon capability MSR belong to the host PMU: a VM is not given them (absent from the Broadwell VM requirement list)',
    },
    {
      ids: ['est', 'tm', 'tm2', 'acpi', 'pbe'],
      why:
        'Frequency and thermal control stays with the host (absent from the Broadwell VM requirement list); ' +
        "seed 000's Harpertown → Clovertown vMotion was not blocked by Enhanced SpeedStep, which only the Harpertown has",
    },
    {
      ids: ['xtpr', 'dca', 'smx', 'sdbg'],
      why:
        'Chipset and platform facilities (xTPR messages, direct cache access, TXT measured launch, silicon debug) are not virtualized: ' +
        'absent from the Broadwell VM requirement list',
    },
    {
      ids: [
        'dtherm', 'pln', 'ecmd', 'pts', 'hwp', 'hwp_flexible', 'hwp_fast', 'hwp_ctl', 'hdc_base_regs', 'hfi', 'thread_director', 'therm_interrupt_bit25',
        'aperfmperf', 'epb',
      ],
      why:
        'Leaf-6 thermal and power management is the host\'s: seed 002\'s Ivy Bridge → Avoton vMotion was not blocked by PLN, ECMD and PTS, which only the Ivy Bridge has',
    },
  ],
  added: [],
  tracked: {
    namedIn: 'vmware',
    why:
      'vSphere compares only the features it has FeatureMask keys for (the catalog\'s vmware names; the Broadwell VM requirement list is a real sample of that key set). ' +
      "A feature without a key cannot block a vMotion: seed 002's Avoton → Ivy Bridge report did not name TSC_ADJUST, which only the Avoton has",
  },
  baselines: ['evc'],
  crossVendor: 'vSphere never live-migrates between Intel and AMD CPUs, EVC or not (VMware KB 1005764); only a cold migration can move the VM',
  unknownBits: { shown: false, why: "ESXi passes a VM only the features it knows (a bit without a feature key is cleared in the guest's CPUID), so a bit openevc cannot name is not compared", confirmed: false },
  sources: [
    'facts/vmware-evc.md §7: Intel ↔ AMD is never vMotion-compatible (KB 1005764)',
    'facts/vmware-evc.md §1.4: complete feature requirement list of a VM under intel-broadwell (govc dump)',
    'facts/vmware-evc.md §2.3, §3.2: vhv.enable and featMask.vm.cpuid.VT for nested virtualization; MWAIT for vCLS VMs',
    'seed 000: Xeon E5420 → E5310 blocked by SSE4.1 only',
    'seed 002: Avoton C2750 ⇄ Ivy Bridge vMotion errors (http://www.michaelm.info/blog/?p=1393)',
  ],
};
