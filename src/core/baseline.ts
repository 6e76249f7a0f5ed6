/**
 * The best CPU baseline a set of hosts can offer, in every ecosystem at once: the highest VMware
 * EVC mode, the best QEMU/libvirt model (with extra and disabled features, as libvirt computes
 * it), the highest x86-64 level, and the exact common feature set; per host what it loses under
 * each; and which hosts hold the result down ("retire host X and the baseline rises to Y").
 *
 * Each baseline is judged through the view of the hypervisor it is for: EVC through ESXi's,
 * the QEMU model and the x86-64 level through KVM's (raw CPUID with `--profile raw`, as
 * `virsh cpu-baseline` on host CPUs), the common set through the chosen profile (ESXi's view
 * holds only what vSphere compares, so the guest ABI level is judged on what KVM can give).
 */
import type { FeatureSet, Vendor } from './catalog.js';
import { catalog } from './catalog.js';
import type { EvcMode, EvcModeSet } from './evc.js';
import { builtinEvcModes } from './evc.js';
import { UsageError } from './errors.js';
import type { Host } from './host.js';
import type { Level } from './levels.js';
import { x86_64Level } from './levels.js';
import type { BaselineResult, ModelMatch } from './models.js';
import { baselineModel, guestModel } from './models.js';
import { closeUnderDependencies, hostsUniverse } from './target.js';
import type { ProfileDef, ProfileOptions } from './profiles.js';
import { defaultProfile, evcProfile, guestFeatures, profileForBaseline } from './profiles.js';

export interface BaselineOptions extends ProfileOptions {
  /** The profile the common set and x86-64 level are judged through (default: esxi). */
  readonly profile?: ProfileDef;
  readonly evcModes?: EvcModeSet;
}

export interface BaselineHost {
  readonly host: Host;
  readonly maxEvc: EvcMode | undefined;
  /** What the host's VMs lose under the exact common set (its guest view minus the common features). */
  readonly lost: FeatureSet;
  /** What they lose under the EVC baseline (undefined when there is none). */
  readonly lostUnderEvc: FeatureSet | undefined;
  /** What they lose under the QEMU model baseline (undefined when there is none). */
  readonly lostUnderQemu: FeatureSet | undefined;
}

/** A host that alone holds the baseline down: without it, something rises. */
export interface LimitingHost {
  readonly index: number;
  readonly host: Host;
  /** The EVC mode the others support, when higher than the baseline's. */
  readonly evc: EvcMode | undefined;
  /** The x86-64 level the others reach, when higher. */
  readonly level: Level | undefined;
  /** The QEMU model the others get, when different. */
  readonly qemuModel: string | undefined;
  /** Features the others share that this host lacks (what VMs gain once it is retired). */
  readonly gains: FeatureSet;
}

export interface Baseline {
  readonly profile: ProfileDef;
  readonly hosts: readonly BaselineHost[];
  /** The common vendor, or undefined when the hosts mix vendors (then `vendorMismatch` says what that means). */
  readonly vendor: Vendor | undefined;
  readonly vendorMismatch: string | undefined;
  readonly evc: EvcMode | undefined;
  readonly qemu: BaselineResult | undefined;
  /** The view the QEMU model was computed through (kvm, or raw). */
  readonly modelProfile: ProfileDef;
  readonly level: Level;
  /** The exact common feature set under the profile, closed over dependencies. */
  readonly features: FeatureSet;
  readonly limiting: readonly LimitingHost[];
  /** Hosts at the lowest EVC mode when retiring one alone does not raise it: they hold the mode down together. */
  readonly evcHeldBy: readonly Host[];
  /**
   * When the hosts mix vendors: the baseline of each vendor's hosts (vSphere never moves a VM between
   * Intel and AMD, so EVC and the QEMU model are per group), in order of first appearance. The
   * baseline itself is then the cross-vendor common set (what a KVM custom model could give all).
   */
  readonly groups: readonly BaselineGroup[];
  /** Positions of `evcHeldBy` among `hosts`. */
  readonly evcHeldByIndex: readonly number[];
}

/** The baseline of one vendor's hosts, within a mixed-vendor input. */
export interface BaselineGroup {
  readonly vendor: Vendor | undefined;
  readonly vendorString: string;
  /** Positions of the group's hosts in the input. */
  readonly indices: readonly number[];
  readonly baseline: Baseline;
}

/** Intersections of every set but one, for each position, in linear time (prefix and suffix products). */
function leaveOneOut(sets: readonly FeatureSet[]): FeatureSet[] {
  const n = sets.length;
  const full = () => catalog.emptySet().unionWith(fullSet());
  const prefix: FeatureSet[] = new Array(n);
  const suffix: FeatureSet[] = new Array(n);
  let acc = full();
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = acc.intersection(sets[i]!);
  }
  acc = full();
  for (let i = n - 1; i >= 0; i--) {
    suffix[i] = acc;
    acc = acc.intersection(sets[i]!);
  }
  return prefix.map((p, i) => p.intersectWith(suffix[i]!));
}

let everything: FeatureSet | undefined;
function fullSet(): FeatureSet {
  if (!everything) {
    everything = catalog.emptySet();
    for (const f of catalog.features) everything.add(f);
  }
  return everything;
}

function intersectAll(sets: readonly FeatureSet[]): FeatureSet {
  const out = sets[0]!.clone();
  for (const s of sets.slice(1)) out.intersectWith(s);
  return out;
}

export function computeBaseline(hosts: readonly Host[], opts: BaselineOptions = {}): Baseline {
  if (hosts.length === 0) throw new UsageError('a baseline needs at least one host');
  const view = opts.profile ?? defaultProfile();
  const set = opts.evcModes ?? builtinEvcModes();
  const vopts: ProfileOptions = { nested: opts.nested ?? false };
  const vendor0 = hosts[0]!.id.vendor;
  const vendor = hosts.every((h) => h.id.vendor === vendor0) ? vendor0 : undefined;
  const vendorMismatch = vendor === undefined ? mismatchText(hosts, view) : undefined;

  // The profile: what the hypervisor gives guests and compares on a migration.
  const shown = hosts.map((h) => guestFeatures(h, view, vopts));
  const universe = hostsUniverse(hosts, view, vopts);
  const features = closeUnderDependencies(intersectAll(shown), universe);

  // EVC, through the profile EVC modes are defined in (ESXi's), for one vendor only.
  const esxi = evcProfile();
  // Each host keeps its own highest mode whatever the others' vendors; the common mode needs one vendor.
  const ownEvcSets = hosts.map((h) => guestFeatures(h, esxi, vopts));
  const evcSets = vendor === undefined ? [] : ownEvcSets;
  const evcCommon = evcSets.length > 0 ? intersectAll(evcSets) : undefined;
  const evc = evcCommon && vendor ? set.max(evcCommon, vendor) : undefined;

  // The QEMU/libvirt model, through the profile models are defined in (KVM's); a profile that
  // carries no baseline of its own (raw CPUID) is its own model view.
  const qemuView = view.baselines === undefined ? view : (profileForBaseline('cpu-models') ?? view);
  const kvmSets = qemuView === view ? shown : hosts.map((h) => guestFeatures(h, qemuView, vopts));
  const kvmUniverse = qemuView === view ? universe : hostsUniverse(hosts, qemuView, vopts);
  const level = x86_64Level(closeUnderDependencies(intersectAll(kvmSets), kvmUniverse));
  // Inputs that are model-based CPU definitions (libvirt <cpu>) name their model: libvirt's baseline prefers those.
  const qemu = vendor === undefined ? undefined : baselineModel(kvmSets.map((features, i) => ({ features, vendor, model: hosts[i]!.dump.source.model })));

  const perHost: BaselineHost[] = hosts.map((host, i) => {
    const maxEvc = set.max(ownEvcSets[i]!, host.id.vendor);
    return {
      host,
      maxEvc,
      lost: shown[i]!.minus(features),
      lostUnderEvc: evc ? evcSets[i]!.minus(evc.features.union(evc.passes)) : undefined,
      lostUnderQemu: qemu ? kvmSets[i]!.minus(qemu.features) : undefined,
    };
  });

  // Who holds the baseline down: compare each baseline with the one the other hosts would get.
  const limiting: LimitingHost[] = [];
  if (hosts.length > 1) {
    const withoutShown = leaveOneOut(shown);
    const withoutEvc = evcSets.length > 0 ? leaveOneOut(evcSets) : [];
    const withoutKvm = kvmSets === shown ? withoutShown : leaveOneOut(kvmSets);
    const shownCommon = intersectAll(shown);
    const kvmCommon = intersectAll(kvmSets);
    for (let i = 0; i < hosts.length; i++) {
      // Most hosts of a large fleet hold nothing down: the others' intersections equal everyone's.
      const sameShown = withoutShown[i]!.equals(shownCommon);
      const sameKvm = withoutKvm[i]!.equals(kvmCommon);
      const sameEvc = evcCommon === undefined || withoutEvc[i]!.equals(evcCommon);
      if (sameShown && sameKvm && sameEvc) continue;
      const others = closeUnderDependencies(withoutShown[i]!, universe);
      const gains = others.minus(features);
      const otherLevel = x86_64Level(closeUnderDependencies(withoutKvm[i]!, kvmUniverse));
      const otherEvc = withoutEvc.length > 0 && vendor ? set.max(withoutEvc[i]!, vendor) : undefined;
      const evcRises = otherEvc !== undefined && (evc === undefined || otherEvc.tier > evc.tier);
      let qemuModel: string | undefined;
      if (qemu && !sameKvm) {
        const m: ModelMatch | undefined = guestModel({ features: withoutKvm[i]!, vendor });
        if (m && m.model.name !== qemu.model.name) qemuModel = m.model.name;
      }
      if (!gains.isEmpty || evcRises || otherLevel > level || qemuModel) {
        limiting.push({ index: i, host: hosts[i]!, evc: evcRises ? otherEvc : undefined, level: otherLevel > level ? otherLevel : undefined, qemuModel, gains });
      }
    }
    limiting.sort((a, b) => (b.evc?.tier ?? -1) - (a.evc?.tier ?? -1) || (b.level ?? 0) - (a.level ?? 0) || b.gains.size - a.gains.size || a.index - b.index);
  }
  let evcHeldByIndex: number[] = [];
  if (evc && !limiting.some((l) => l.evc)) {
    perHost.forEach((h, i) => {
      if (h.maxEvc?.key === evc.key) evcHeldByIndex.push(i);
    });
  }
  if (!(evcHeldByIndex.length > 1 && evcHeldByIndex.length < hosts.length)) evcHeldByIndex = [];
  const evcHeldBy = evcHeldByIndex.map((i) => hosts[i]!);
  const groups: BaselineGroup[] = [];
  if (vendor === undefined) {
    const byVendor = new Map<string, number[]>();
    hosts.forEach((h, i) => {
      const k = h.id.vendor ?? `?${h.id.vendorString}`;
      byVendor.set(k, [...(byVendor.get(k) ?? []), i]);
    });
    // One group (every host of one vendor openevc has no data for): no split, nothing to recurse on.
    for (const indices of byVendor.size > 1 ? byVendor.values() : []) {
      const first = hosts[indices[0]!]!;
      groups.push({ vendor: first.id.vendor, vendorString: first.id.vendorString, indices, baseline: computeBaseline(indices.map((i) => hosts[i]!), opts) });
    }
  }
  return {
    profile: view, hosts: perHost, vendor, vendorMismatch, evc, qemu, modelProfile: qemuView, level, features, limiting,
    evcHeldBy, evcHeldByIndex, groups,
  };
}

function mismatchText(hosts: readonly Host[], view: ProfileDef): string {
  const vendors = [...new Set(hosts.map((h) => h.id.vendorString || 'unknown vendor'))];
  return `${vendors.join(' and ')}: ${view.crossVendor ?? 'no hypervisor migrates a running VM across CPU vendors under this profile'}; the common set below is what a KVM custom model could give both`;
}
