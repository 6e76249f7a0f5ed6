import type { ProfileDef } from '../schema.js';

/** Raw CPUID: every capability the host reports, as if guests saw the bare hardware. */
export const RAW_PROFILE: ProfileDef<'raw'> = {
  id: 'raw',
  name: 'raw CPUID',
  description: 'every capability the host reports, with nothing hidden or added (what host-passthrough would show)',
  hidden: [],
  added: [],
  crossVendor: 'a guest shown the bare CPU would see its vendor change under it; vSphere, Hyper-V and Xen refuse such a migration outright',
  unknownBits: { shown: true, why: 'raw CPUID shows every bit the host reports, named or not: two hosts that differ in a bit the catalog does not name are not identical', confirmed: true },
  sources: ['the CPUID dump itself'],
};
