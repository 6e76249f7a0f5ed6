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

/**
 * Whether two hosts have the same CPU, as far as their data can tell: the same vendor, signature
 * and brand string, both known (feature lists and EVC mode keys carry neither, and two such hosts
 * may be any two CPUs), and the same CPU model where both inputs name one (KubeVirt's host-model,
 * a libvirt `<cpu>` definition's model).
 */
export function sameCpu(a: Host, b: Host): boolean {
  const ma = a.dump.source.model;
  const mb = b.dump.source.model;
  return cpuKnown(a) && cpuKnown(b) && a.id.vendor === b.id.vendor && a.id.signature === b.id.signature && a.id.brand === b.id.brand && (ma === undefined || mb === undefined || ma === mb);
}

/** Whether a host's data names its CPU: a signature or a brand string (a feature list or an EVC mode key does not). */
export function cpuKnown(h: Host): boolean {
  return h.id.signature !== 0 || h.id.brand !== '';
}
