/** Hypervisor views, one file each in src/data/views/. The first is the default profile. */
import type { ViewDef } from './schema.js';
import { ESXI_VIEW } from './views/esxi.js';
import { KVM_VIEW } from './views/kvm.js';
import { RAW_VIEW } from './views/raw.js';

export const VIEWS: readonly ViewDef[] = [ESXI_VIEW, KVM_VIEW, RAW_VIEW];
