/**
 * What VMs should be given so they can move between a set of hosts: the *migration target*.
 * Every generator (VMware mask lines, per-VM EVC, QEMU -cpu, libvirt XML, Proxmox, Nova,
 * KubeVirt, Xen) renders one of these; none decides on its own what to hide.
 *
 * Two kinds:
 * - `minimal`: hide only what stands between the hosts: every VM is given exactly the features
 *   all hosts share (seed 002's merged per-VM lines);
 * - `evc`: present a named EVC baseline on every host ("poor man's EVC", seed 002's TL;DR).
 *
 * Hiding a feature hides everything that depends on it (no XSAVE: no AVX, AVX2, FMA, F16C, YMM
 * state...), so targets are closed over the catalog's dependencies. Hidden features whose hiding
 * hardware does not enforce (SSE4.x, AES, MOVBE, POPCNT...) are listed apart: software that
 * ignores CPUID can still execute them after a migration.
 */
import type { Feature, FeatureSet, Vendor } from './catalog.js';
import { catalog } from './catalog.js';
import { OpenevcError, UsageError } from './errors.js';
import type { EvcMode, EvcModeSet } from './evc.js';
import { builtinEvcModes, modeMaskHidden } from './evc.js';
import type { Host } from './host.js';
import type { ProfileDef, ProfileOptions } from './profiles.js';
import { evcProfile, guestFeatures, ruleIds, profileUniverse, visibleFeatures } from './profiles.js';

export type TargetKind = 'minimal' | 'evc';

export interface MigrationTarget {
  readonly kind: TargetKind;
  readonly hosts: readonly Host[];
  /** The hypervisor view the hosts were compared through. */
  readonly profile: ProfileDef;
  readonly viewOptions: ProfileOptions;
  /** The hosts' common vendor; undefined when they differ (only KVM custom models can span vendors). */
  readonly vendor: Vendor | undefined;
  /** Each host's guest view under `view`, in `hosts` order. */
  readonly guest: readonly FeatureSet[];
  /**
   * What every VM is given on every host: closed under dependencies (every feature's needs are in
   * it). For `evc`, the mode's features plus the pass-through bits every host has, plus, outside
   * what EVC modes define (only under a profile other than esxi), what every host shares.
   */
  readonly features: FeatureSet;
  /** Per host, in `hosts` order: what its VMs stop seeing (its guest view minus `features`). */
  readonly hiddenOn: readonly FeatureSet[];
  /** Everything some host must hide: what a mask applied on every host clears. */
  readonly hidden: FeatureSet;
  /** The hidden features whose hiding hardware does not enforce (instructions still run). */
  readonly advisory: FeatureSet;
  /** The EVC mode, for `evc` targets. */
  readonly mode?: EvcMode;
  /**
   * For `evc` targets: what the mode's own mask hides (modeMaskHidden), which a mask presenting the
   * mode hides too, whether or not the profile compares it (TSC-deadline under Westmere).
   */
  readonly modeHides?: FeatureSet;
}

export interface TargetOptions extends ProfileOptions {
  readonly profile: ProfileDef;
}

/**
 * Drops every feature some of whose dependencies are missing from the set (a guest cannot use it).
 * `within`: the features that can be judged at all (a view's universe); a dependency outside it is
 * not counted as missing. Default: the whole catalog.
 */
export function closeUnderDependencies(set: FeatureSet, within?: FeatureSet): FeatureSet {
  return catalog.closeUnder(set, within);
}

/** Every feature the view can judge for these hosts' vendors. */
export function hostsUniverse(hosts: readonly Host[], view: ProfileDef, opts: ProfileOptions = {}): FeatureSet {
  const u = catalog.emptySet();
  for (const v of new Set(hosts.map((h) => h.id.vendor))) u.unionWith(profileUniverse(view, v, opts));
  return u;
}

const scopeCache = new WeakMap<EvcModeSet, FeatureSet>();

/**
 * The features EVC modes fix: what vSphere compares (the ESXi view's tracked set) and whatever a
 * mode of the set names as added, removed, passed or lacking (TSC-deadline, which Sandy Bridge adds).
 * Nothing else is defined by a mode: SSE2, CMOV or SYSCALL appear in no mode's table because
 * vSphere has no key for them, not because a mode hides them.
 */
function evcScope(set: EvcModeSet): FeatureSet {
  let scope = scopeCache.get(set);
  if (!scope) {
    const tracked = evcProfile().tracked;
    scope = catalog.setOf(tracked ? ruleIds(tracked) : []);
    for (const m of set.modes) {
      for (const fact of [...m.adds, ...m.removes, ...m.passFacts, ...m.lacks]) for (const f of fact.features) scope.add(f);
    }
    scopeCache.set(set, scope);
  }
  return scope;
}

/**
 * Each host's guest view under the profile, in order. Hosts that share their feature set and
 * identity objects (Fleet.addLight: hosts of one CPU) share one view, so 100,000 such hosts cost
 * what their distinct CPUs cost.
 */
function guestViews(hosts: readonly Host[], opts: TargetOptions): FeatureSet[] {
  const views = new Map<FeatureSet, { readonly vendor: Vendor | undefined; readonly view: FeatureSet }>();
  return hosts.map((h) => {
    const known = views.get(h.features);
    if (known !== undefined && known.vendor === h.id.vendor) return known.view;
    const view = guestFeatures(h, opts.profile, opts);
    if (known === undefined) views.set(h.features, { vendor: h.id.vendor, view });
    return view;
  });
}

/** The features every view in `guest` shows (each distinct view intersected once). */
function commonOf(guest: readonly FeatureSet[]): FeatureSet {
  const common = guest[0]!.clone();
  for (const g of new Set(guest)) common.intersectWith(g);
  return common;
}

function vendorOf(hosts: readonly Host[]): Vendor | undefined {
  const v = hosts[0]?.id.vendor;
  return hosts.every((h) => h.id.vendor === v) ? v : undefined;
}

function finish(kind: TargetKind, hosts: readonly Host[], guest: FeatureSet[], features: FeatureSet, opts: TargetOptions, mode?: EvcMode, modeHides?: FeatureSet): MigrationTarget {
  // Under an EVC mode a host's VMs also lose what the mode's mask hides of the host, compared or not.
  // Hosts of one CPU share their sets (see guestViews): worked out once for them all.
  const done = new Map<FeatureSet, Map<FeatureSet, FeatureSet>>();
  const hiddenOn = guest.map((g, i) => {
    const own = hosts[i]!.features;
    let byFeatures = done.get(g);
    if (byFeatures === undefined) done.set(g, (byFeatures = new Map()));
    let h = byFeatures.get(own);
    if (h === undefined) byFeatures.set(own, (h = modeHides ? g.minus(features).unionWith(modeHides.intersection(own)) : g.minus(features)));
    return h;
  });
  const hidden = catalog.emptySet();
  for (const h of new Set(hiddenOn)) hidden.unionWith(h);
  const advisory = hidden.filter((f: Feature) => f.enforce === 'advisory');
  const { profile: view, ...viewOptions } = opts;
  const vendor = hosts.length === 0 && mode ? mode.vendor : vendorOf(hosts);
  return { kind, hosts, profile: view, viewOptions, vendor, guest, features, hiddenOn, hidden, advisory, ...(mode ? { mode } : {}), ...(modeHides ? { modeHides } : {}) };
}

/** The features all hosts share (under the view), closed under dependencies. */
export function minimalTarget(hosts: readonly Host[], opts: TargetOptions): MigrationTarget {
  if (hosts.length === 0) throw new UsageError('a migration target needs at least one host');
  const guest = guestViews(hosts, opts);
  const common = commonOf(guest);
  return finish('minimal', hosts, guest, closeUnderDependencies(common, hostsUniverse(hosts, opts.profile, opts)), opts);
}

/** Raised when a host cannot present an EVC mode; names each host and what it lacks. */
export class ModeNotSupportedError extends OpenevcError {
  constructor(
    readonly mode: EvcMode,
    readonly lacking: readonly { readonly host: Host; readonly missing: readonly Feature[] }[],
  ) {
    super(
      `not every host can present EVC mode ${mode.key}: ` +
        lacking.map((l) => `${l.host.dump.source.path ?? l.host.dump.source.label ?? l.host.id.brand} lacks ${l.missing.map((f) => f.id).join(', ')}`).join('; '),
    );
    this.name = 'ModeNotSupportedError';
  }
}

/**
 * Presents an EVC mode on every host: its guaranteed features, plus the pass-through bits
 * (Spectre-era controls) that every host has. Every host must offer the mode's features. Under a
 * profile that shows more than vSphere compares (kvm, raw), features no EVC mode defines are
 * given when every host has them, as in the minimal target.
 */
export function evcTarget(hosts: readonly Host[], modeKey: string, opts: TargetOptions & { readonly evcModes?: EvcModeSet }): MigrationTarget {
  const set = opts.evcModes ?? builtinEvcModes();
  const mode = set.get(modeKey);
  if (!mode) throw new UsageError(`unknown EVC mode '${modeKey}' (see openevc modes)`);
  if (hosts.length === 0) return hostlessEvcTarget(mode, set, opts);
  const vendor = vendorOf(hosts);
  if (vendor !== undefined && vendor !== mode.vendor && !(vendor === 'hygon' && mode.vendor === 'amd')) {
    throw new UsageError(`EVC mode ${mode.key} is for ${mode.vendor} CPUs; these hosts are ${vendor}`);
  }
  if (vendor === undefined) throw new UsageError(`EVC mode ${mode.key} needs hosts of one vendor; these mix vendors`);
  const { evcModes: _evcModes, ...targetOpts } = opts;
  const guest = guestViews(hosts, opts);
  // A mode's features are compared through the view, like the hosts' (the ESXi view compares only what vSphere tracks).
  const required = visibleFeatures(mode.features, opts.profile, vendor, opts);
  const lacking = hosts
    .map((host, i) => ({ host, missing: [...required.minus(guest[i]!)] }))
    .filter((l) => l.missing.length > 0);
  if (lacking.length > 0) throw new ModeNotSupportedError(mode, lacking);
  const common = commonOf(guest);
  const hides = modeMaskHidden(mode, set);
  const given = required.union(mode.passes.intersection(common)).unionWith(common.minus(evcScope(set)).subtract(hides));
  return finish('evc', hosts, guest, closeUnderDependencies(given, hostsUniverse(hosts, opts.profile, opts)), targetOpts, mode, hides);
}

/**
 * An EVC mode with no hosts: the generic per-VM lines of seed 002's TL;DR. VMs are given what the
 * mode gives (as the profile shows it); a mask hides every capability the profile could show
 * that the mode does not give, and what the mode's own mask hides. No host was checked: a VM so
 * configured must be powered on only on hosts that support the mode.
 */
function hostlessEvcTarget(mode: EvcMode, set: EvcModeSet, opts: TargetOptions & { readonly evcModes?: EvcModeSet }): MigrationTarget {
  const { evcModes: _evcModes, ...targetOpts } = opts;
  const universe = profileUniverse(opts.profile, mode.vendor, opts);
  const features = closeUnderDependencies(visibleFeatures(mode.features, opts.profile, mode.vendor, opts).union(mode.passes.intersection(universe)), universe);
  return finish('evc', [], [], features, targetOpts, mode, modeMaskHidden(mode, set));
}
