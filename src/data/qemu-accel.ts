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
  readonly id: string;
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
