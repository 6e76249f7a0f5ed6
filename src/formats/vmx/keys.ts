/**
 * VMware `.vmx` keys that concern the CPU but are not masks, and the VMware feature keys that name
 * identity values rather than feature bits. Facts from shared/facts/vmware-evc.md §2.3 and §3.3;
 * the wording is openevc's own. Feature keys that are bits (`cpuid.AVX`, `cpuid.PDPE1GB`) are not
 * here: they are the catalog's `vmware` column.
 */
import type { IdentityField } from '../../core/masks/engine.js';

export interface VmxCpuKeyRow {
  /** The key as VMware writes it (matched case-insensitively). */
  readonly key: string;
  readonly meaning: string;
  /** The meaning is a guess that no public source confirms. */
  readonly unconfirmed?: boolean;
}

/** CPU-related keys that must never be read as masks. */
export const VMX_CPU_KEYS: readonly VmxCpuKeyRow[] = [
  { key: 'numvcpus', meaning: 'number of virtual CPUs' },
  { key: 'cpuid.coresPerSocket', meaning: 'virtual cores per virtual socket (topology, not a mask)' },
  { key: 'cpuid.brandstring', meaning: 'processor brand string shown to the guest', unconfirmed: true },
  { key: 'monitor_control.enable_fullcpuid', meaning: 'show the guest more of the host CPUID than the default (used for nested labs)' },
  { key: 'featureCompat.enable', meaning: 'switches feature-compatibility (featMask) handling for the VM' },
  { key: 'vhv.enable', meaning: 'nested hardware virtualization: VT-x/AMD-V shown to the guest' },
  { key: 'vpmc.enable', meaning: 'virtual performance counters', unconfirmed: true },
  { key: 'smc.version', meaning: 'Apple SMC emulation setting for macOS guests', unconfirmed: true },
  { key: 'vmx.reboot.powerCycle', meaning: 'a guest reboot acts as a power cycle, so the VM picks up a raised EVC mode' },
  { key: 'answer.msg.cpuid.noVHVQuestion', meaning: 'pre-answered question about nested virtualization being unavailable' },
  { key: 'virtualHW.version', meaning: 'virtual hardware version: per-VM EVC needs 14 or later, and the version changes the default CPUID mask' },
  { key: 'guestOS', meaning: 'guest OS type: selects the guest-OS default mask that `-` bits fall back to' },
];

/**
 * VMware feature keys (after `cpuid.`, case-insensitive) that carry identity values: vendor
 * (1 = this vendor), family/model/stepping, highest basic and extended leaf.
 */
export const VMWARE_IDENTITY_KEYS: Readonly<Record<string, IdentityField>> = {
  intel: 'vendor-intel',
  amd: 'vendor-amd',
  family: 'family',
  model: 'model',
  stepping: 'stepping',
  numlevels: 'max-basic-leaf',
  num_ext_levels: 'max-extended-leaf',
};
