/**
 * What a mask must hide to present a migration target, shared by every mask exporter (VMware
 * register lines, per-VM EVC featMask lines, govc, PowerCLI, Xen `cpuid=`). The target decides
 * (src/core/target.ts); this module only turns its decision into the set of bits a mask clears.
 *
 * - A `minimal` target hides what stands between the hosts: `target.hidden`, nothing else (seed
 *   002's merged lines).
 * - An `evc` target presents a fixed baseline, so besides what these hosts must hide it hides every
 *   capability a guest could be shown under the profile that the mode does not give (seed 002's
 *   TL;DR lines are mostly zeros): a newer host added later then presents the same baseline.
 *   Only capabilities the profile can show count: under esxi, what vSphere has keys for (SSE2 or
 *   SYSCALL are never zeroed because vSphere neither shows nor compares them, and a mode's table
 *   does not list them), and never what the hypervisor hides by itself (VT-x, left to vhv.enable).
 */
import type { Category, Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import { describeLocation } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { UsageError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import type { MigrationTarget } from '../../core/target.js';
import { evcProfile, profileUniverse } from '../../core/profiles.js';

export interface HidePlan {
  readonly target: MigrationTarget;
  /** CPUID-located capabilities the VM must not be shown: what the mask clears. */
  readonly hide: FeatureSet;
  /** Hidden features that live in a model-specific register: no CPUID mask reaches them. */
  readonly unmaskable: readonly Feature[];
}

function definedFor(f: Feature, vendor: Vendor | undefined): boolean {
  return vendor === undefined || f.vendors.includes(vendor);
}

/** The bits a mask presenting `target` clears (see the module comment). */
export function hidePlan(target: MigrationTarget): HidePlan {
  const all = target.hidden.clone();
  if (target.kind === 'evc') {
    const universe = profileUniverse(target.profile, target.vendor, target.viewOptions);
    all.unionWith(universe.minus(target.features).filter((f) => definedFor(f, target.vendor)));
    // What the mode's own mask hides, compared at vMotion time or not (TSC-deadline under Westmere).
    // Not limited to the vendor: the mode's mask clears them whatever the host (seed 002's Westmere lines zero AMD-only bits too).
    if (target.modeHides) all.unionWith(target.modeHides);
  }
  return {
    target,
    hide: all.filter((f) => f.loc.type === 'cpuid'),
    unmaskable: [...all].filter((f) => f.loc.type !== 'cpuid'),
  };
}

/** Warnings every format shares: hidden features a CPUID mask cannot reach. */
export function unmaskableDiagnostics(plan: HidePlan): Diagnostic[] {
  return plan.unmaskable.map((f) => ({
    level: 'warning' as const,
    message: `${f.name} (${f.id}, ${describeLocation(f.loc)}) is reported in a model-specific register, which a CPUID mask cannot hide`,
  }));
}

/** How a host is named in messages: its path, else its label, else its brand string. */
export function hostName(h: Host): string {
  return h.dump.source.path ?? h.dump.source.label ?? (h.id.brand || h.id.vendorString || '(host)');
}

/**
 * vSphere never live-migrates between Intel and AMD CPUs, so VMware formats refuse a target whose
 * hosts mix vendors: no mask changes that.
 */
export function requireOneVendor(target: MigrationTarget, format: string): Vendor {
  if (target.vendor !== undefined) return target.vendor;
  const byVendor = new Map<string, string[]>();
  for (const h of target.hosts) {
    const v = h.id.vendor ?? (h.id.vendorString || 'unknown vendor');
    byVendor.set(v, [...(byVendor.get(v) ?? []), hostName(h)]);
  }
  const mix = [...byVendor].map(([v, names]) => `${v}: ${names.join(', ')}`).join('; ');
  const why = evcProfile().crossVendor ?? 'vSphere never live-migrates between Intel and AMD CPUs';
  throw new UsageError(`--format ${format}: these hosts mix CPU vendors (${mix}). ${why}; no mask changes that`);
}

/** Categories of features that describe the hardware rather than give instructions. */
const PROPERTY_CATEGORIES: ReadonlySet<Category> = new Set(['mitigation', 'power', 'info', 'debug']);

/** What a target is, for the comment heading an output: `the intel-westmere EVC baseline (esxi profile)`. */
export function targetHeading(target: MigrationTarget): string {
  return `the ${target.kind === 'evc' ? `${target.mode?.key} EVC baseline` : 'minimal migration target'} (${target.profile.id} profile)`;
}

/** A readable list of features: `MOVBE (movbe), PCID (pcid)`. */
export function featureList(features: Iterable<Feature>): string {
  return [...features].map((f) => `${f.name} (${f.id})`).join(', ');
}

/**
 * What every output of a target must say, whatever its format: hidden features whose hiding
 * hardware does not enforce (software that ignores CPUID can still run them after a migration),
 * and that nothing needs hiding when the hosts already agree.
 */
export function targetDiagnostics(target: MigrationTarget): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Instructions keep running when CPUID hides them; properties (mitigation and "not affected"
  // bits, power and thermal management, debug facilities) are only reported differently.
  const advisory = [...target.advisory];
  const properties = advisory.filter((f) => PROPERTY_CATEGORIES.has(f.cat));
  const instructions = advisory.filter((f) => !PROPERTY_CATEGORIES.has(f.cat));
  if (instructions.length > 0) {
    out.push({
      level: 'warning',
      message:
        `hiding is advisory for ${featureList(instructions)}: the CPU still executes these instructions when CPUID hides them, ` +
        'so an application that ignores CPUID can still use them and fail after a migration',
    });
  }
  if (properties.length > 0) {
    out.push({
      level: 'info',
      message:
        `hiding ${featureList(properties)} changes only what CPUID reports: the hardware behaves the same, ` +
        'and a guest told less about it stays on the safe side (it applies mitigations or leaves the facility alone)',
    });
  }
  if (target.hosts.length === 0) {
    out.push({
      level: 'info',
      message:
        `no hosts given: these are the generic lines of ${target.mode?.key ?? 'the target'}; openevc has checked no host, ` +
        `so power the VM on only on hosts that support ${target.mode?.key ?? 'it'} (openevc mask --evc MODE HOST... checks them)`,
    });
  } else if (target.hidden.isEmpty) {
    out.push({
      level: 'info',
      message:
        target.kind === 'minimal'
          ? `nothing needs hiding: these hosts already show VMs the same features under the ${target.profile.id} profile`
          : `none of these hosts shows VMs more than ${target.mode?.key} gives (the lines still hold the baseline on other hosts)`,
    });
  }
  return out;
}
