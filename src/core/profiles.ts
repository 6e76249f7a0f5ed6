/**
 * Hypervisor views: what a guest can see of a host. A VM never sees raw CPUID: ESXi hides
 * host-only bits (VMX unless nested virtualization is on, MONITOR, DS, EST, TM...), KVM/QEMU
 * exposes only what it supports and can migrate, and adds bits it emulates (x2APIC,
 * TSC-deadline, the hypervisor bit). Views are data (src/data/profiles.ts), each rule with the
 * reason or source for it; this module applies them.
 */
import type { Feature, FeatureSet, Vendor } from './catalog.js';
import { catalog } from './catalog.js';
import type { Host } from './host.js';
import { PROFILES } from '../data/profiles.js';
import type { ProfileBaseline, ProfileDef, ProfileRule } from '../data/schema.js';

export type { ProfileBaseline, ProfileDef, ProfileRule };
import { UsageError } from './errors.js';

export interface ProfileOptions {
  /** Nested virtualization is enabled for the VM (VMX/SVM shown). */
  readonly nested?: boolean;
}

/** Views by id, in the order the CLI lists them. */
export function profileIds(): string[] {
  return PROFILES.map((v) => v.id);
}

const ruleIdCache = new WeakMap<ProfileRule, readonly string[]>();

/** The catalog ids a rule names: its own list, plus every feature named in its ecosystem. */
export function ruleIds(rule: ProfileRule): readonly string[] {
  let ids = ruleIdCache.get(rule);
  if (!ids) {
    const eco = rule.namedIn;
    ids = [...(rule.ids ?? []), ...(eco ? catalog.features.filter((f) => typeof f[eco] === 'string').map((f) => f.id) : [])];
    ruleIdCache.set(rule, ids);
  }
  return ids;
}

/** The profile used when none is named: the first registered. */
export function defaultProfile(): ProfileDef {
  return PROFILES[0]!;
}

/** The registered profile a baseline is computed through (EVC modes: ESXi's; CPU models: KVM's), if any. */
export function profileForBaseline(baseline: ProfileBaseline): ProfileDef | undefined {
  return PROFILES.find((v) => v.baselines?.includes(baseline));
}

/** The profile EVC modes are defined in: what vSphere shows guests and compares at vMotion. */
export function evcProfile(): ProfileDef {
  const v = profileForBaseline('evc');
  if (!v) throw new Error('profile data: no profile carries the EVC baselines');
  return v;
}

export function getProfile(id: string): ProfileDef {
  const v = PROFILES.find((x) => x.id === id);
  if (!v) throw new UsageError(`unknown profile '${id}' (expected one of: ${profileIds().join(', ')})`);
  return v;
}

function applies(rule: ProfileRule, vendor: Vendor | undefined, opts: ProfileOptions): boolean {
  if (rule.unlessNested && opts.nested) return false;
  if (rule.vendors && (!vendor || !rule.vendors.includes(vendor))) return false;
  return true;
}

function ruleSet(rules: readonly ProfileRule[], vendor: Vendor | undefined, opts: ProfileOptions): FeatureSet {
  const set = catalog.emptySet();
  for (const r of rules) if (applies(r, vendor, opts)) for (const id of ruleIds(r)) set.add(id);
  return set;
}

const SYSCALL = catalog.get('syscall');
const LM = catalog.get('lm');

/**
 * Host features that depend on the CPU mode the dump was taken in rather than on hardware:
 * Intel reports SYSCALL (0x80000001:EDX[11]) only to 64-bit code, so a dump taken by a
 * 32-bit tool lacks it on CPUs that have it. Every 64-bit Intel CPU has SYSCALL in 64-bit mode.
 */
export function normalizeHostFeatures(features: FeatureSet, vendor: Vendor | undefined): FeatureSet {
  const out = features.clone();
  if (vendor !== 'amd' && vendor !== 'hygon' && SYSCALL && LM && out.has(LM)) out.add(SYSCALL);
  return out;
}

/** What a view hides (closed over dependents), adds and tracks for one vendor and nesting: fixed per view, so computed once. */
interface ViewSets {
  readonly hidden: FeatureSet;
  readonly added: FeatureSet;
  readonly tracked: FeatureSet | undefined;
  /** Every capability the view can let through: tracked, minus hidden. */
  readonly universe: FeatureSet;
}

/** Per view, per vendor: the sets without nesting and with it. */
const viewSetCache = new WeakMap<ProfileDef, Map<Vendor | undefined, [ViewSets | undefined, ViewSets | undefined]>>();

function viewSets(view: ProfileDef, vendor: Vendor | undefined, opts: ProfileOptions): ViewSets {
  let perView = viewSetCache.get(view);
  if (!perView) viewSetCache.set(view, (perView = new Map()));
  let perVendor = perView.get(vendor);
  if (!perVendor) perView.set(vendor, (perVendor = [undefined, undefined]));
  const nested = opts.nested ? 1 : 0;
  let sets = perVendor[nested];
  if (!sets) {
    const hidden = catalog.dependents(ruleSet(view.hidden, vendor, opts));
    const tracked = view.tracked && applies(view.tracked, vendor, opts) ? ruleSet([view.tracked], vendor, opts) : undefined;
    const universe = catalog.emptySet();
    for (const f of catalog.features) if (f.kind === 'feature') universe.add(f);
    if (tracked) universe.intersectWith(tracked);
    universe.subtract(hidden);
    sets = { hidden, added: ruleSet(view.added, vendor, opts), tracked, universe };
    perVendor[nested] = sets;
  }
  return sets;
}

/**
 * The features a guest on this host sees under a view: the host's capabilities, normalized,
 * minus what the hypervisor hides (and everything depending on it), plus what it emulates.
 */
export function guestFeatures(host: Host, view: ProfileDef, opts: ProfileOptions = {}): FeatureSet {
  const vendor = host.id.vendor;
  const sets = viewSets(view, vendor, opts);
  // visibleFeatures, in place on the normalized copy (a baseline asks this of every host, per view).
  return normalizeHostFeatures(host.features, vendor).intersectWith(sets.universe).unionWith(sets.added).intersectWith(catalog.capabilities);
}

/**
 * Every capability a view can show a guest of this vendor (tracked, not hidden, or added by the
 * hypervisor). A feature outside it is not judged by the view at all: a missing dependency
 * outside it (SSE2 under ESXi's view, which compares only what vSphere has keys for) is not missing.
 */
export function profileUniverse(view: ProfileDef, vendor: Vendor | undefined, opts: ProfileOptions = {}): FeatureSet {
  const sets = viewSets(view, vendor, opts);
  return sets.universe.union(sets.added).intersectWith(catalog.capabilities);
}

/**
 * The part of any feature set a view lets through: only tracked features, minus what the view
 * hides (and everything depending on it), capabilities only. Nothing is added. This is how a
 * baseline that is not a host (an EVC mode, a named CPU model) is compared with guest views.
 */
export function visibleFeatures(features: FeatureSet, view: ProfileDef, vendor: Vendor | undefined, opts: ProfileOptions = {}): FeatureSet {
  return features.intersection(viewSets(view, vendor, opts).universe);
}

/** Why a feature is not visible under a view, when a view rule explains it. */
export function whyHidden(feature: Feature, view: ProfileDef, vendor: Vendor | undefined, opts: ProfileOptions = {}): string | undefined {
  for (const r of view.hidden) if (applies(r, vendor, opts) && ruleIds(r).includes(feature.id)) return r.why;
  if (view.tracked && applies(view.tracked, vendor, opts) && !ruleIds(view.tracked).includes(feature.id)) return view.tracked.why;
  return undefined;
}
