/** Hypervisor profiles (what a guest sees of a host), one data file each in src/data/profiles/. The first is the default. */
import type { ProfileDef } from './schema.js';
import { ESXI_PROFILE } from './profiles/esxi.js';
import { KVM_PROFILE } from './profiles/kvm.js';
import { RAW_PROFILE } from './profiles/raw.js';

/** The registered profiles, the default first. */
export const PROFILES = [ESXI_PROFILE, KVM_PROFILE, RAW_PROFILE] as const satisfies readonly ProfileDef[];

/** Ids of the registered profiles (`--profile`). */
export type ProfileId = (typeof PROFILES)[number]['id'];
