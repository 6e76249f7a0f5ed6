/**
 * VMware EVC modes: the machinery around the table in src/data/evc-modes.ts.
 *
 * A mode is a feature set a cluster (or a VM, with per-VM EVC) is held to. This module builds each
 * mode's set from the table (cumulative along its parent chain, closed over catalog dependencies),
 * answers which modes a host supports, and reads a vCenter `supportedEVCMode` list so that real
 * definitions can replace the built-in ones by key.
 *
 * Host support is judged the way vMotion judges features: through a hypervisor view (by default
 * ESXi's). A mode's requirement is the part of its set that view compares, and a host supports the
 * mode when its guest view offers all of it.
 */
import { compareText } from './text.js';
import type { Feature, FeatureSet, Vendor } from './catalog.js';
import { catalog, parseLocation } from './catalog.js';
import { UsageError } from './errors.js';
import type { Host } from './host.js';
import type { ProfileDef, ProfileOptions } from './profiles.js';
import { evcProfile, guestFeatures, visibleFeatures } from './profiles.js';
import { EVC_MODE_TABLE, EVC_SOURCES } from '../data/evc-modes.js';
import { builtinEvcSets } from './builtin-tables.js';
import type { CompactEvcSets } from './builtin-tables.js';
import type { EvcEvidenceRow, EvcFactRow, EvcMaskRow, EvcModeRow, EvcSource, EvcVendor } from '../data/schema.js';

export type { EvcEvidenceRow, EvcFactRow, EvcMaskRow, EvcModeRow, EvcSource, EvcVendor };
export type { CompactEvcSets };

export const EVC_VENDORS: readonly EvcVendor[] = ['intel', 'amd'];

/** A fact with its features resolved from the catalog. */
export interface EvcFact {
  readonly features: readonly Feature[];
  readonly source: string;
  readonly confirmed: boolean;
  readonly note?: string;
}

/** A mode, resolved: its full feature set and where each part of it comes from. */
export interface EvcMode {
  readonly key: string;
  readonly label: string;
  readonly vendor: EvcVendor;
  readonly tracks: readonly string[];
  readonly level: string;
  readonly tier: number;
  readonly parent: string | undefined;
  /** Everything the mode guarantees a VM, closed over catalog dependencies. */
  readonly features: FeatureSet;
  /** Features the mode lets through when the host has them, without requiring them (Spectre-era bits). */
  readonly passes: FeatureSet;
  readonly adds: readonly EvcFact[];
  readonly removes: readonly EvcFact[];
  readonly passFacts: readonly EvcFact[];
  readonly lacks: readonly EvcFact[];
  /** The feature set is confirmed: by evidence for the whole set, or every addition along the chain is. */
  readonly confirmed: boolean;
  readonly keyConfirmed: boolean;
  readonly labelConfirmed: boolean;
  readonly sources: { readonly key?: string; readonly label?: string; readonly level?: string };
  /** A confirmed complete set (built-in modes with evidence), for checking the definition. */
  readonly evidence: { readonly source: string; readonly features: FeatureSet; readonly mask?: readonly EvcMaskRow[] } | undefined;
  /** `built-in`, or where a loaded definition came from. */
  readonly origin: string;
  /** For loaded modes: vCenter's own `track` and `vendorTier`, kept as they were. */
  readonly vcenter?: { readonly track: readonly string[]; readonly vendorTier: number | undefined };
}

/** The default view EVC support is judged through. */

// ---- building modes from the table ------------------------------------------------------------

function resolveFact(row: EvcFactRow, where: string): EvcFact {
  if (!(row.source in EVC_SOURCES)) throw new Error(`EVC table: ${where} cites unknown source '${row.source}'`);
  const features = row.ids.map((id) => {
    const f = catalog.get(id);
    if (!f) throw new Error(`EVC table: ${where} names unknown feature '${id}'`);
    return f;
  });
  return { features, source: row.source, confirmed: row.confirmed, ...(row.note !== undefined ? { note: row.note } : {}) };
}

function setOf(facts: readonly EvcFact[]): FeatureSet {
  const s = catalog.emptySet();
  for (const fact of facts) for (const f of fact.features) s.add(f);
  return s;
}

/** The features a mask lets through: every catalog bit set in a listed register. */
export function maskFeatures(mask: readonly EvcMaskRow[]): FeatureSet {
  const s = catalog.emptySet();
  for (const row of mask) {
    const loc = parseLocation(`${row.reg}.0`);
    if (loc.type !== 'cpuid') throw new Error(`EVC mask register '${row.reg}' is not a CPUID register`);
    for (let bit = 0; bit < 32; bit++) {
      if (((row.pass >>> bit) & 1) === 0) continue;
      const f = catalog.at(loc.leaf, loc.subleaf, loc.reg, bit);
      if (f) s.add(f);
    }
  }
  return s;
}

/** The closed sets of built modes (see {@link CompactEvcSets}), for a build step to precompute. */
export function evcSetsToCompact(modes: readonly EvcMode[]): CompactEvcSets {
  const words = (s: FeatureSet): number[] => [...s.words];
  return { catalog: catalog.fingerprint(), modes: Object.fromEntries(modes.map((m) => [m.key, [words(m.features), words(m.passes)]])) };
}

/**
 * Builds the built-in modes: cumulative along parents, in table order (parents first). With
 * `closed` (what {@link evcSetsToCompact} made of the same rows), each mode's closed feature set
 * and pass-through set are taken from it instead of recomputing the dependency closures.
 */
export function buildEvcModes(rows: readonly EvcModeRow[], closed?: CompactEvcSets): EvcMode[] {
  const known = closed !== undefined && closed.catalog === catalog.fingerprint() ? closed.modes : undefined;
  const built = new Map<string, EvcMode>();
  const chainConfirmed = new Map<string, boolean>();
  for (const row of rows) {
    const where = `mode '${row.key}'`;
    if (built.has(row.key)) throw new Error(`EVC table: duplicate mode '${row.key}'`);
    for (const id of Object.values(row.source)) if (id !== undefined && !(id in EVC_SOURCES)) throw new Error(`EVC table: ${where} cites unknown source '${id}'`);
    const parent = row.parent === undefined ? undefined : built.get(row.parent);
    if (row.parent !== undefined && !parent) throw new Error(`EVC table: ${where} extends '${row.parent}', which must come first`);
    if (parent && parent.vendor !== row.vendor) throw new Error(`EVC table: ${where} extends a mode of another vendor`);
    if (parent && parent.tier >= row.tier) throw new Error(`EVC table: ${where} must have a higher tier than '${parent.key}'`);
    const adds = row.adds.map((r) => resolveFact(r, where));
    const removes = (row.removes ?? []).map((r) => resolveFact(r, where));
    const passFacts = (row.passes ?? []).map((r) => resolveFact(r, where));
    const lacks = (row.lacks ?? []).map((r) => resolveFact(r, where));

    const pre = known?.[row.key];
    let closed: FeatureSet;
    let passes: FeatureSet;
    if (pre) {
      closed = catalog.setFromWords(pre[0]);
      passes = catalog.setFromWords(pre[1]);
    } else {
      const features = parent ? parent.features.clone() : catalog.emptySet();
      features.unionWith(setOf(adds));
      features.subtract(catalog.dependents(setOf(removes)));
      closed = catalog.requirements(features);
      passes = (parent ? parent.passes.clone() : catalog.emptySet()).unionWith(catalog.requirements(setOf(passFacts))).subtract(closed);
    }

    let evidence: EvcMode['evidence'];
    if (row.evidence) {
      if (!(row.evidence.source in EVC_SOURCES)) throw new Error(`EVC table: ${where} cites unknown source '${row.evidence.source}'`);
      const set = row.evidence.mask ? maskFeatures(row.evidence.mask) : catalog.setOf(row.evidence.ids ?? []);
      evidence = { source: row.evidence.source, features: set, ...(row.evidence.mask ? { mask: row.evidence.mask } : {}) };
    }
    const ownConfirmed = [...adds, ...removes].every((f) => f.confirmed);
    const chain = ownConfirmed && (parent ? chainConfirmed.get(parent.key)! || parent.evidence !== undefined : true);
    chainConfirmed.set(row.key, chain);
    built.set(row.key, {
      key: row.key,
      label: row.label,
      vendor: row.vendor,
      tracks: row.tracks,
      level: row.level,
      tier: row.tier,
      parent: row.parent,
      features: closed,
      passes,
      adds,
      removes,
      passFacts,
      lacks,
      confirmed: evidence !== undefined || chain,
      keyConfirmed: row.source.key !== undefined,
      labelConfirmed: row.source.label !== undefined,
      sources: row.source,
      evidence,
      origin: 'built-in',
    });
  }
  return [...built.values()];
}

// ---- a set of modes ----------------------------------------------------------------------------

/** Modes by vendor and tier; loaded definitions can replace built-in ones by key. */
export class EvcModeSet {
  readonly modes: readonly EvcMode[];
  private readonly byKey = new Map<string, EvcMode>();
  private readonly required = new Map<string, Map<string, FeatureSet>>();
  private readonly trackCache = new Map<EvcVendor, ReadonlyMap<string, readonly EvcMode[]>>();
  private readonly trackRequired = new Map<string, readonly { track: string; modes: readonly EvcMode[]; required: readonly FeatureSet[] }[]>();

  constructor(modes: readonly EvcMode[]) {
    // Ladder order: by tier; at equal tiers, AMD's sequence A before B (then by key, for a stable order).
    const track = (m: EvcMode): string => m.tracks[0] ?? '';
    const sorted = [...modes].sort(
      (a, b) => EVC_VENDORS.indexOf(a.vendor) - EVC_VENDORS.indexOf(b.vendor) || a.tier - b.tier || compareText(track(a), track(b)) || compareText(a.key, b.key),
    );
    for (const m of sorted) {
      const k = m.key.toLowerCase();
      if (this.byKey.has(k)) throw new UsageError(`EVC mode '${m.key}' is defined twice`);
      this.byKey.set(k, m);
    }
    this.modes = sorted;
  }

  /** Modes in ladder order (Intel, then AMD; by tier). */
  list(vendor?: EvcVendor): EvcMode[] {
    return vendor ? this.modes.filter((m) => m.vendor === vendor) : [...this.modes];
  }

  /** A mode by key (case does not matter: vCenter scripts write `intel-cascadeLake`). */
  get(key: string): EvcMode | undefined {
    return this.byKey.get(key.toLowerCase());
  }

  require(key: string): EvcMode {
    const m = this.get(key);
    if (!m) throw new UsageError(`unknown EVC mode '${key}' (expected one of: ${this.modes.map((x) => x.key).join(', ')})`);
    return m;
  }

  /** The tracks of a vendor's modes, each with its modes in tier order. */
  tracks(vendor: EvcVendor): Map<string, EvcMode[]> {
    return new Map([...this.trackLists(vendor)].map(([t, modes]) => [t, [...modes]]));
  }

  /** `tracks`, built once per vendor (the set's modes never change): every host of a fleet asks. */
  private trackLists(vendor: EvcVendor): ReadonlyMap<string, readonly EvcMode[]> {
    let out = this.trackCache.get(vendor);
    if (out) return out;
    const built = new Map<string, EvcMode[]>();
    for (const m of this.list(vendor)) {
      for (const t of m.tracks) {
        const list = built.get(t);
        if (list) list.push(m);
        else built.set(t, [m]);
      }
    }
    this.trackCache.set(vendor, (out = built));
    return out;
  }

  /** The part of a mode's set a view compares: what a host must offer to support the mode. */
  requirement(mode: EvcMode, view: ProfileDef = evcProfile(), opts: ProfileOptions = {}): FeatureSet {
    return this.requirements(view, opts)(mode);
  }

  /** `requirement` for one view and nesting, each mode's worked out once (cached by view id). */
  private requirements(view: ProfileDef, opts: ProfileOptions): (mode: EvcMode) => FeatureSet {
    const k = `${view.id}\0${opts.nested ? 1 : 0}`;
    let perMode = this.required.get(k);
    if (!perMode) this.required.set(k, (perMode = new Map()));
    const cache = perMode;
    return (mode) => {
      let r = cache.get(mode.key);
      if (!r) cache.set(mode.key, (r = visibleFeatures(mode.features, view, mode.vendor, opts)));
      return r;
    };
  }

  /** Whether guest features (a host's, under `view`) offer everything the mode guarantees. */
  supports(features: FeatureSet, mode: EvcMode, view?: ProfileDef, opts?: ProfileOptions): boolean {
    return this.requirement(mode, view, opts).isSubsetOf(features);
  }

  /**
   * Per track, the highest mode the features support. A track counts only when its lowest mode is
   * supported: a CPU without 3DNow! is not on AMD's A sequence even though it supports the mode
   * the two sequences share.
   */
  maxByTrack(features: FeatureSet, vendor: Vendor | undefined, view?: ProfileDef, opts?: ProfileOptions): Map<string, EvcMode> {
    const out = new Map<string, EvcMode>();
    if (vendor !== 'intel' && vendor !== 'amd') return out;
    for (const { track, modes, required } of this.trackRequirements(vendor, view ?? evcProfile(), opts ?? {})) {
      if (!required[0]!.isSubsetOf(features)) continue;
      let best = 0;
      for (let i = 1; i < modes.length; i++) if (required[i]!.isSubsetOf(features)) best = i;
      out.set(track, modes[best]!);
    }
    return out;
  }

  /** Each track's modes with what each requires under a view, worked out once per vendor, view and nesting. */
  private trackRequirements(vendor: EvcVendor, view: ProfileDef, opts: ProfileOptions): readonly { track: string; modes: readonly EvcMode[]; required: readonly FeatureSet[] }[] {
    const k = `${vendor}\0${view.id}\0${opts.nested ? 1 : 0}`;
    let out = this.trackRequired.get(k);
    if (!out) {
      const required = this.requirements(view, opts);
      out = [...this.trackLists(vendor)].map(([track, modes]) => ({ track, modes, required: modes.map(required) }));
      this.trackRequired.set(k, out);
    }
    return out;
  }

  /** The highest mode the features support, or undefined (another vendor, or too old a CPU). */
  max(features: FeatureSet, vendor: Vendor | undefined, view?: ProfileDef, opts?: ProfileOptions): EvcMode | undefined {
    let best: EvcMode | undefined;
    for (const m of this.maxByTrack(features, vendor, view, opts).values()) {
      if (!best || m.tier > best.tier || (m.tier === best.tier && m.features.size > best.features.size)) best = m;
    }
    return best;
  }

  /** A new set in which these modes replace the ones with the same key, and new keys are added. */
  withOverrides(loaded: readonly EvcMode[]): EvcModeSet {
    const merged = new Map<string, EvcMode>();
    for (const m of this.modes) merged.set(m.key.toLowerCase(), m);
    for (const m of loaded) {
      const old = merged.get(m.key.toLowerCase());
      // A replaced mode keeps its place in openevc's ladder (vCenter's track names are its own).
      const placed: EvcMode = old
        ? { ...m, key: old.key, tracks: old.tracks, level: old.level, tier: old.tier, parent: old.parent }
        : m;
      merged.set(m.key.toLowerCase(), placed);
    }
    // Additions and removals of loaded modes are shown against the mode below them.
    const out = [...merged.values()].map((m) => (m.origin === 'built-in' ? m : withDiffs(m, merged)));
    return new EvcModeSet(out);
  }
}

function withDiffs(m: EvcMode, all: ReadonlyMap<string, EvcMode>): EvcMode {
  let parent = m.parent === undefined ? undefined : all.get(m.parent.toLowerCase());
  if (!parent) {
    for (const o of all.values()) {
      if (o.vendor !== m.vendor || o.tier >= m.tier || !o.tracks.some((t) => m.tracks.includes(t))) continue;
      if (!parent || o.tier > parent.tier) parent = o;
    }
  }
  const below = parent?.features ?? catalog.emptySet();
  const fact = (s: FeatureSet): EvcFact[] => (s.isEmpty ? [] : [{ features: [...s], source: m.origin, confirmed: true }]);
  return { ...m, parent: parent?.key, adds: fact(m.features.minus(below)), removes: fact(below.minus(m.features)) };
}

let builtin: EvcModeSet | undefined;

/** openevc's built-in modes (built on first use: start-up time is a feature). */
export function builtinEvcModes(): EvcModeSet {
  return (builtin ??= new EvcModeSet(buildEvcModes(EVC_MODE_TABLE, builtinEvcSets())));
}

// ---- the API the rest of openevc uses ---------------------------------------------------------

/** EVC modes in ladder order, optionally of one vendor. */
export function evcModes(vendor?: EvcVendor, set: EvcModeSet = builtinEvcModes()): EvcMode[] {
  return set.list(vendor);
}

export function getEvcMode(key: string, set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  return set.get(key);
}

/** Everything a mode guarantees a VM (closed over dependencies). */
export function modeFeatures(mode: EvcMode): FeatureSet {
  return mode.features;
}

/** Whether guest features offer everything a mode guarantees (compared through the ESXi view by default). */
export function supportsMode(guestFeatures: FeatureSet, mode: EvcMode, set: EvcModeSet = builtinEvcModes(), view?: ProfileDef): boolean {
  return set.supports(guestFeatures, mode, view);
}

/** The highest mode guest features support; per track for AMD, the highest of the tracks' maxima. */
export function maxEvcMode(guestFeatures: FeatureSet, vendor: Vendor | undefined, set: EvcModeSet = builtinEvcModes(), view?: ProfileDef): EvcMode | undefined {
  return set.max(guestFeatures, vendor, view);
}

/** A host's highest mode, judged on what ESXi shows its VMs. */
export function hostMaxEvcMode(host: Host, set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  return set.max(guestFeatures(host, evcProfile()), host.id.vendor);
}

/** The highest mode every host supports: the EVC mode a cluster of them could run. Undefined when vendors differ. */
export function commonEvcMode(hosts: readonly Host[], set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  const first = hosts[0];
  if (!first || hosts.some((h) => h.id.vendor !== first.id.vendor)) return undefined;
  const view = evcProfile();
  const common = guestFeatures(first, view);
  for (const h of hosts.slice(1)) common.intersectWith(guestFeatures(h, view));
  return set.max(common, first.id.vendor);
}

/** What a VM on this host sees under the mode: the guest features the mode guarantees or passes. */
export function featuresUnderMode(guestFeatures: FeatureSet, mode: EvcMode): FeatureSet {
  return guestFeatures.intersection(mode.features.union(mode.passes));
}

/** What a host's VMs lose when the host runs under the mode. */
export function lostUnderMode(guestFeatures: FeatureSet, mode: EvcMode): FeatureSet {
  return guestFeatures.minus(mode.features.union(mode.passes));
}

const maskHiddenCache = new WeakMap<EvcMode, WeakMap<EvcModeSet, FeatureSet>>();

/**
 * What the mode's own mask hides, whatever a hypervisor compares at vMotion time: in each register
 * of the mode's mask evidence (seed 002's Westmere and Sandy Bridge pages), every catalog capability
 * at a cleared bit; elsewhere, every capability of the mode's vendor that some mode of the set names
 * (adds, removes, passes, lacks) and this mode neither gives nor passes. TSC-deadline is the case in
 * point: vSphere has no key for it and does not compare it, yet the Westmere mask clears it and the
 * Sandy Bridge mode is where it arrives. Closed over dependents.
 */
export function modeMaskHidden(mode: EvcMode, set: EvcModeSet = builtinEvcModes()): FeatureSet {
  let perSet = maskHiddenCache.get(mode);
  if (!perSet) maskHiddenCache.set(mode, (perSet = new WeakMap()));
  let out = perSet.get(set);
  if (out) return out;
  out = catalog.emptySet();
  const governed = new Set<string>();
  for (const row of mode.evidence?.mask ?? []) {
    const loc = parseLocation(`${row.reg}.0`);
    if (loc.type !== 'cpuid') continue;
    governed.add(`${loc.leaf}.${loc.subleaf}.${loc.reg}`);
    for (let bit = 0; bit < 32; bit++) {
      if (((row.pass >>> bit) & 1) === 1) continue;
      const f = catalog.at(loc.leaf, loc.subleaf, loc.reg, bit);
      if (f && f.kind === 'feature') out.add(f);
    }
  }
  const kept = mode.features.union(mode.passes);
  for (const m of set.list(mode.vendor)) {
    for (const fact of [...m.adds, ...m.removes, ...m.passFacts, ...m.lacks]) {
      for (const f of fact.features) {
        if (kept.has(f) || f.kind !== 'feature' || !f.vendors.includes(mode.vendor)) continue;
        if (f.loc.type === 'cpuid' && governed.has(`${f.loc.leaf}.${f.loc.subleaf}.${f.loc.reg}`)) continue;
        out.add(f);
      }
    }
  }
  // The mask's own bits whatever their vendor (seed 002's Westmere lines clear AMD-only bits too);
  // what depends on a hidden feature, for the mode's vendor only.
  const direct = out;
  out = catalog
    .dependents(direct)
    .filter((f) => direct.has(f) || f.vendors.includes(mode.vendor))
    .minus(kept)
    .filter((f) => f.loc.type === 'cpuid');
  perSet.set(set, out);
  return out;
}

/** Marks an unconfirmed fact in text (a legend says what it means). */
export const UNCONFIRMED_MARK = '?';

/** The legend for UNCONFIRMED_MARK. */
export const UNCONFIRMED_LEGEND = '? = unconfirmed: no source openevc holds confirms this EVC fact (openevc modes lists each fact and its source)';

/** How sure openevc is of a fact about EVC: confirmed by a source it holds, or not (and where it comes from). */
export interface EvcConfidence {
  readonly confirmed: boolean;
  /** Source ids (EVC_SOURCES keys) of the facts behind it: the unconfirmed ones when it is not confirmed. */
  readonly sources: readonly string[];
}

/** A mode's feature set: confirmed as a whole, or the sources of the unconfirmed facts along its chain. */
export function modeConfidence(mode: EvcMode, set: EvcModeSet = builtinEvcModes()): EvcConfidence {
  if (mode.confirmed) return { confirmed: true, sources: mode.evidence ? [mode.evidence.source] : [...new Set(mode.adds.map((f) => f.source))] };
  const sources = new Set<string>();
  for (let m: EvcMode | undefined = mode; m; m = m.parent === undefined ? undefined : set.get(m.parent)) {
    for (const fact of [...m.adds, ...m.removes]) if (!fact.confirmed) sources.add(fact.source);
  }
  return { confirmed: false, sources: [...sources] };
}

/** Where a feature arrives on its vendor's ladder: the lowest mode that holds it, and how sure that placement is. */
export interface EvcPlacement extends EvcConfidence {
  readonly mode: EvcMode;
}

export function featurePlacement(feature: Feature, vendor: Vendor | undefined, set: EvcModeSet = builtinEvcModes()): EvcPlacement | undefined {
  const mode = modeAdding(feature, vendor, set);
  if (!mode) return undefined;
  const fact = mode.adds.find((f) => f.features.includes(feature));
  if (fact) return { mode, confirmed: fact.confirmed, sources: [fact.source] };
  if (mode.evidence?.features.has(feature)) return { mode, confirmed: true, sources: [mode.evidence.source] };
  // Brought in by a dependency of something the mode adds: as sure as the mode's additions.
  const own = mode.adds.filter((f) => !f.confirmed).map((f) => f.source);
  return { mode, confirmed: own.length === 0, sources: own.length > 0 ? [...new Set(own)] : ['inferred'] };
}

/** What a host lacks for the nearest mode of one ladder (track). */
export interface EvcGap {
  readonly track: string;
  readonly mode: EvcMode;
  readonly missing: FeatureSet;
}

/**
 * For a host that supports no mode: per ladder of its vendor, the nearest mode (the ladder's base,
 * which asks least) and what the host lacks for it. AMD has two ladders (with and without 3DNow!),
 * so a Zen 5 is explained against both. Ladders are listed nearest first.
 */
export function evcGaps(guestFeatures: FeatureSet, vendor: Vendor | undefined, set: EvcModeSet = builtinEvcModes(), view?: ProfileDef): EvcGap[] {
  const v = vendor === 'hygon' ? 'amd' : vendor;
  if (v !== 'intel' && v !== 'amd') return [];
  const out: EvcGap[] = [];
  for (const [track, modes] of set.tracks(v)) {
    let best: EvcGap | undefined;
    for (const m of modes) {
      const missing = set.requirement(m, view).minus(guestFeatures);
      if (!best || missing.size < best.missing.size) best = { track, mode: m, missing };
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => a.missing.size - b.missing.size);
}

/** The lowest built-in mode of a vendor whose set contains the feature (the generation that brought it). */
export function modeAdding(feature: Feature, vendor: Vendor | undefined, set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  if (vendor !== 'intel' && vendor !== 'amd') return undefined;
  let best: EvcMode | undefined;
  for (const m of set.list(vendor)) if (m.features.has(feature) && (!best || m.tier < best.tier)) best = m;
  return best;
}
