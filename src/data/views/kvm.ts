import type { ViewDef } from '../../core/views.js';

/** KVM/QEMU: what a guest can be given and migrated. (Rules to be filled in: issue 3.) */
export const KVM_VIEW: ViewDef = {
  id: 'kvm',
  name: 'KVM/QEMU',
  description: 'what KVM/QEMU can give a guest on this host and carry across a live migration',
  hidden: [],
  added: [],
  sources: [],
};
