import type { ViewDef } from '../../core/views.js';

/** KVM/QEMU: what a guest can be given and migrated. (Rules to be filled in: issue 3.) */
export const KVM_VIEW: ViewDef = {
  id: 'kvm',
  name: 'KVM/QEMU',
  description: 'what KVM/QEMU can give a guest on this host and carry across a live migration',
  hidden: [],
  added: [],
  crossVendor:
    'KVM can move a guest between Intel and AMD hosts only when it was started with a custom CPU model both can provide (and the guest, usually Linux, tolerates it); ' +
    'never with host-passthrough or host-model',
  sources: [],
};
