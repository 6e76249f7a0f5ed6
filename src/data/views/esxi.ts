import type { ViewDef } from '../../core/views.js';

/** VMware ESXi: what a VM on this host is shown, and what vMotion compares. (Rules to be filled in: issue 3.) */
export const ESXI_VIEW: ViewDef = {
  id: 'esxi',
  name: 'VMware ESXi',
  description: 'what an ESXi VM is shown of its host, and what vMotion compares',
  hidden: [],
  added: [],
  sources: [],
};
