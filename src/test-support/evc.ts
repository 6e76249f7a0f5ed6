/** EVC helpers shared by the tests of the EVC machinery and of the vCenter EVC list reader. */
import type { FeatureSet } from '../core/catalog.js';
import { getEvcMode } from '../core/evc.js';
import type { EvcMode } from '../core/evc.js';
import { getProfile, visibleFeatures } from '../core/profiles.js';

/** A built-in mode by key (a test error when there is none). */
export function mode(key: string): EvcMode {
  const m = getEvcMode(key);
  if (!m) throw new Error(`no mode ${key}`);
  return m;
}

/** What vMotion compares of a set, for a mode's vendor. */
export function compared(s: FeatureSet, m: EvcMode): string[] {
  return visibleFeatures(s, getProfile('esxi'), m.vendor).ids().sort();
}
