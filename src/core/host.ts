/**
 * One host, decoded: identity, feature set, x86-64 level. What `openevc show --json` prints of it
 * is built in src/report/host.ts.
 */
import type { CpuidDump } from './cpuid.js';
import type { FeatureSet } from './catalog.js';
import { catalog } from './catalog.js';
import type { CpuIdentity } from './identity.js';
import { identify } from './identity.js';
import type { Level } from './levels.js';
import { x86_64Level } from './levels.js';

/** A decoded host: what every analysis (check, baseline, masks) starts from. */
export interface Host {
  readonly dump: CpuidDump;
  readonly id: CpuIdentity;
  /** Every catalog bit set in the dump, whatever its kind. */
  readonly bits: FeatureSet;
  /** The bits that are capabilities (`kind: 'feature'`): what hosts are compared on. */
  readonly features: FeatureSet;
  readonly level: Level;
}

export function decodeHost(dump: CpuidDump): Host {
  const bits = catalog.decode(dump);
  const features = bits.intersection(catalog.capabilities);
  return { dump, id: identify(dump), bits, features, level: x86_64Level(features) };
}

