/** The migration target `mask` and `vmx apply --hosts` configure. Pure: runs in the browser as in Node. */
import type { Host } from '../../core/host.js';
import type { EvcMode, EvcModeSet } from '../../core/evc.js';
import type { ProfileDef } from '../../core/profiles.js';
import { evcTarget, minimalTarget } from '../../core/target.js';
import type { MigrationTarget } from '../../core/target.js';
import { profileOf } from './hosts.js';
import { resolveEvcModes } from './evc-modes.js';

export interface TargetChoice {
  /** Profile id or definition the hosts are compared through. */
  readonly profile: string | ProfileDef;
  /** Present this EVC baseline on every host instead of the minimal target. */
  readonly evc?: string;
  readonly nested?: boolean;
  /** EVC modes for `evc`; default: the built-in ones, with `loadedModes` in place. */
  readonly evcModes?: EvcModeSet;
  readonly loadedModes?: readonly EvcMode[];
}

/** The minimal target, or the EVC target for `evc` (which refuses hosts that cannot present the mode). */
export function migrationTarget(hosts: readonly Host[], choice: TargetChoice): MigrationTarget {
  const profile = profileOf(choice.profile)!;
  const opts = { profile, nested: choice.nested ?? false };
  if (choice.evc === undefined) return minimalTarget(hosts, opts);
  return evcTarget(hosts, choice.evc, { ...opts, evcModes: resolveEvcModes(choice.evcModes, choice.loadedModes) });
}

