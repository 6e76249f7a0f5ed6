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
import type { Register } from './cpuid.js';
import { InputError, UsageError } from './errors.js';
import type { Diagnostic } from './errors.js';
import type { Host } from './host.js';
import type { ViewDef, ViewOptions } from './views.js';
import { getView, guestFeatures, visibleFeatures } from './views.js';
import { EVC_MODE_TABLE, EVC_SOURCES } from '../data/evc-modes.js';
import { describeJsonValue, findJsonSyntaxError, formatJsonPath, locateJsonPath } from '../formats/common/json-scan.js';
import type { JsonPath } from '../formats/common/json-scan.js';
import { LineIndex, withoutBom } from '../formats/common/text-position.js';

/** The vendors EVC knows. vSphere never mixes them in one cluster. */
export type EvcVendor = 'intel' | 'amd';

export const EVC_VENDORS: readonly EvcVendor[] = ['intel', 'amd'];

/** A source of EVC facts, referenced by id from the table. */
export interface EvcSource {
  readonly title: string;
  readonly url?: string;
}

/** One group of features a mode adds, removes or passes, and where that fact comes from. */
export interface EvcFactRow {
  /** Catalog ids. */
  readonly ids: readonly string[];
  /** Id in EVC_SOURCES. */
  readonly source: string;
  readonly confirmed: boolean;
  readonly note?: string;
}

/** One register of an EVC mask: the bits the mode lets guests see. `reg` is `<leaf hex>[.<subleaf>].<reg>`. */
export interface EvcMaskRow {
  readonly reg: string;
  readonly pass: number;
}

/** A complete feature set for a mode, confirmed by a source: a mask vCenter showed, or a VM's requirement list. */
export interface EvcEvidenceRow {
  readonly source: string;
  readonly mask?: readonly EvcMaskRow[];
  readonly ids?: readonly string[];
}

/** One row of src/data/evc-modes.ts. */
export interface EvcModeRow {
  readonly key: string;
  readonly label: string;
  readonly vendor: EvcVendor;
  readonly tracks: readonly string[];
  /** The KB's level name (`L4`, `A2/B0`). */
  readonly level: string;
  /** Orders the modes of one vendor; higher means more features along a track. */
  readonly tier: number;
  readonly parent?: string;
  /** Sources (ids in EVC_SOURCES) of the key, label and level; a missing one is unconfirmed. */
  readonly source: { readonly key?: string; readonly label?: string; readonly level?: string };
  readonly adds: readonly EvcFactRow[];
  readonly removes?: readonly EvcFactRow[];
  readonly passes?: readonly EvcFactRow[];
  readonly lacks?: readonly EvcFactRow[];
  readonly evidence?: EvcEvidenceRow;
}

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
  readonly evidence: { readonly source: string; readonly features: FeatureSet } | undefined;
  /** `built-in`, or where a loaded definition came from. */
  readonly origin: string;
  /** For loaded modes: vCenter's own `track` and `vendorTier`, kept as they were. */
  readonly vcenter?: { readonly track: readonly string[]; readonly vendorTier: number | undefined };
}

/** The default view EVC support is judged through. */
const ESXI = 'esxi';

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

/** Builds the built-in modes: cumulative along parents, in table order (parents first). */
export function buildEvcModes(rows: readonly EvcModeRow[]): EvcMode[] {
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

    const features = parent ? parent.features.clone() : catalog.emptySet();
    features.unionWith(setOf(adds));
    features.subtract(catalog.dependents(setOf(removes)));
    const closed = catalog.requirements(features);
    const passes = (parent ? parent.passes.clone() : catalog.emptySet()).unionWith(catalog.requirements(setOf(passFacts))).subtract(closed);

    let evidence: EvcMode['evidence'];
    if (row.evidence) {
      if (!(row.evidence.source in EVC_SOURCES)) throw new Error(`EVC table: ${where} cites unknown source '${row.evidence.source}'`);
      const set = row.evidence.mask ? maskFeatures(row.evidence.mask) : catalog.setOf(row.evidence.ids ?? []);
      evidence = { source: row.evidence.source, features: set };
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
  private readonly required = new Map<string, FeatureSet>();

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
    const out = new Map<string, EvcMode[]>();
    for (const m of this.list(vendor)) {
      for (const t of m.tracks) {
        const list = out.get(t);
        if (list) list.push(m);
        else out.set(t, [m]);
      }
    }
    return out;
  }

  /** The part of a mode's set a view compares: what a host must offer to support the mode. */
  requirement(mode: EvcMode, view: ViewDef = getView(ESXI), opts: ViewOptions = {}): FeatureSet {
    const k = `${mode.key}\0${view.id}\0${opts.nested ? 1 : 0}`;
    let r = this.required.get(k);
    if (!r) this.required.set(k, (r = visibleFeatures(mode.features, view, mode.vendor, opts)));
    return r;
  }

  /** Whether guest features (a host's, under `view`) offer everything the mode guarantees. */
  supports(features: FeatureSet, mode: EvcMode, view?: ViewDef, opts?: ViewOptions): boolean {
    return this.requirement(mode, view, opts).isSubsetOf(features);
  }

  /**
   * Per track, the highest mode the features support. A track counts only when its lowest mode is
   * supported: a CPU without 3DNow! is not on AMD's A sequence even though it supports the mode
   * the two sequences share.
   */
  maxByTrack(features: FeatureSet, vendor: Vendor | undefined, view?: ViewDef, opts?: ViewOptions): Map<string, EvcMode> {
    const out = new Map<string, EvcMode>();
    if (vendor !== 'intel' && vendor !== 'amd') return out;
    for (const [track, modes] of this.tracks(vendor)) {
      if (!this.supports(features, modes[0]!, view, opts)) continue;
      let best: EvcMode | undefined;
      for (const m of modes) if (this.supports(features, m, view, opts)) best = m;
      out.set(track, best!);
    }
    return out;
  }

  /** The highest mode the features support, or undefined (another vendor, or too old a CPU). */
  max(features: FeatureSet, vendor: Vendor | undefined, view?: ViewDef, opts?: ViewOptions): EvcMode | undefined {
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
  return (builtin ??= new EvcModeSet(buildEvcModes(EVC_MODE_TABLE)));
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
export function supportsMode(guestFeatures: FeatureSet, mode: EvcMode, set: EvcModeSet = builtinEvcModes(), view?: ViewDef): boolean {
  return set.supports(guestFeatures, mode, view);
}

/** The highest mode guest features support; per track for AMD, the highest of the tracks' maxima. */
export function maxEvcMode(guestFeatures: FeatureSet, vendor: Vendor | undefined, set: EvcModeSet = builtinEvcModes(), view?: ViewDef): EvcMode | undefined {
  return set.max(guestFeatures, vendor, view);
}

/** A host's highest mode, judged on what ESXi shows its VMs. */
export function hostMaxEvcMode(host: Host, set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  return set.max(guestFeatures(host, getView(ESXI)), host.id.vendor);
}

/** The highest mode every host supports: the EVC mode a cluster of them could run. Undefined when vendors differ. */
export function commonEvcMode(hosts: readonly Host[], set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  const first = hosts[0];
  if (!first || hosts.some((h) => h.id.vendor !== first.id.vendor)) return undefined;
  const view = getView(ESXI);
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

/** The lowest built-in mode of a vendor whose set contains the feature (the generation that brought it). */
export function modeAdding(feature: Feature, vendor: Vendor | undefined, set: EvcModeSet = builtinEvcModes()): EvcMode | undefined {
  if (vendor !== 'intel' && vendor !== 'amd') return undefined;
  let best: EvcMode | undefined;
  for (const m of set.list(vendor)) if (m.features.has(feature) && (!best || m.tier < best.tier)) best = m;
  return best;
}

// ---- reading vCenter's supportedEVCMode -------------------------------------------------------

export interface LoadedEvcModes {
  readonly modes: EvcMode[];
  readonly diagnostics: Diagnostic[];
}

/** Characters of a CpuIdInfo mask (host vectors use 1/0/-, requirement masks the others). Only `1` guarantees a bit. */
const MASK_CHARS = /^[01\-xXtTfFrRhH]{32}$/;

/**
 * Reads a vCenter `supportedEVCMode` list (JSON): an array of EVCMode objects, or an object holding
 * one under `supportedEVCMode`. Field names may be lower camel case (vSphere API, pyVmomi) or
 * capitalised (govc). A mode's set comes from `guaranteedCPUFeatures` (CpuIdInfo masks: `level`, negative
 * for 0x8000xxxx leaves, registers as 32 characters, MSB first, optionally grouped by colons) and
 * from `featureMask` keys (`cpuid.SSE41` = `Val:1`), both resolved through the catalog.
 * Bad input throws an InputError naming file, line and what was expected.
 */
export function loadEvcModes(text: string, file = '(input)'): LoadedEvcModes {
  const src = withoutBom(text);
  const lines = new LineIndex(src);
  let doc: unknown;
  try {
    doc = JSON.parse(src);
  } catch {
    const problem = findJsonSyntaxError(src);
    const at = lines.at(problem?.offset ?? 0);
    throw new InputError({ file, line: at.line, column: at.column }, `valid JSON${problem ? `: ${problem.expected}` : ''}`, problem?.found ?? '');
  }
  /** An InputError at the value at `path` (or its nearest existing parent): `expected <what>, found <found>`. */
  const failWith = (path: JsonPath, what: string, found: unknown): never => {
    let offset: number | undefined;
    for (let n = path.length; n >= 0 && offset === undefined; n--) offset = locateJsonPath(src, path.slice(0, n));
    const at = lines.at(offset ?? 0);
    throw new InputError({ file, line: at.line, column: at.column }, what, describeJsonValue(found));
  };
  const fail = (path: JsonPath, expected: string, found: unknown): never => failWith(path, `${formatJsonPath(path)} to be ${expected}`, found);

  let list: unknown = doc;
  let listPath: JsonPath = [];
  let single = false;
  if (isObject(doc)) {
    const k = fieldName(doc, 'supportedEVCMode');
    if (k !== undefined) {
      list = doc[k];
      listPath = [k];
    } else if (fieldName(doc, 'key') !== undefined) {
      list = [doc];
      single = true;
    }
  }
  if (!Array.isArray(list)) fail(listPath, 'a list of EVCMode objects (vCenter supportedEVCMode)', list);
  const diagnostics: Diagnostic[] = [];
  const modes = (list as unknown[]).map((item, i) => readMode(item, single ? [] : [...listPath, i]));
  const seen = new Set<string>();
  modes.forEach((m, i) => {
    if (seen.has(m.key.toLowerCase())) fail([...listPath, i, 'key'], 'a key not used before in the list', m.key);
    seen.add(m.key.toLowerCase());
  });
  return { modes, diagnostics };

  function readMode(item: unknown, path: JsonPath): EvcMode {
    if (!isObject(item)) return fail(path, 'an EVCMode object { key, label, vendor, guaranteedCPUFeatures, ... }', item);
    const get = (name: string): { value: unknown; path: JsonPath } => {
      const k = fieldName(item, name);
      return { value: k === undefined ? undefined : item[k], path: [...path, k ?? name] };
    };
    const key = get('key');
    if (typeof key.value !== 'string' || key.value.trim() === '') fail(key.path, 'the mode key (a string such as "intel-broadwell")', key.value);
    const modeKey = (key.value as string).trim();
    const label = get('label');
    if (label.value !== undefined && typeof label.value !== 'string') fail(label.path, 'a string', label.value);
    const vendorField = get('vendor');
    let vendor: EvcVendor | undefined;
    if (vendorField.value !== undefined) {
      const v = typeof vendorField.value === 'string' ? vendorField.value.toLowerCase() : '';
      if (v !== 'intel' && v !== 'amd') fail(vendorField.path, '"intel" or "amd"', vendorField.value);
      vendor = v as EvcVendor;
    } else {
      const prefix = modeKey.toLowerCase().split('-')[0];
      if (prefix === 'intel' || prefix === 'amd') vendor = prefix;
      else fail(vendorField.path, '"intel" or "amd" (the key does not say which)', '');
    }
    const track = get('track');
    let tracks: string[] = [];
    if (track.value !== undefined) {
      if (!Array.isArray(track.value) || !track.value.every((t) => typeof t === 'string')) fail(track.path, 'a list of strings', track.value);
      tracks = track.value as string[];
    }
    const tier = get('vendorTier');
    if (tier.value !== undefined && !(typeof tier.value === 'number' && Number.isSafeInteger(tier.value))) fail(tier.path, 'an integer', tier.value);

    const features = catalog.emptySet();
    const foreign = new Set<string>();
    const take = (f: Feature): void => {
      if (f.vendors.includes(vendor!)) features.add(f);
      else foreign.add(f.id);
    };
    const cpuid = get('guaranteedCPUFeatures');
    let sawData = false;
    if (cpuid.value !== undefined) {
      if (!Array.isArray(cpuid.value)) fail(cpuid.path, 'a list of CpuIdInfo objects { level, eax, ebx, ecx, edx }', cpuid.value);
      (cpuid.value as unknown[]).forEach((entry, j) => readCpuIdInfo(entry, [...cpuid.path, j], vendor!, take));
      sawData = true;
    }
    const masks = get('featureMask');
    if (masks.value !== undefined) {
      if (!Array.isArray(masks.value)) fail(masks.path, 'a list of FeatureMask objects { key, value }', masks.value);
      (masks.value as unknown[]).forEach((entry, j) => readFeatureMask(entry, [...masks.path, j], take, features, modeKey));
      sawData = true;
    }
    if (!sawData) failWith(path, `${formatJsonPath(path)} to have guaranteedCPUFeatures or featureMask (the mode's feature set)`, `neither in mode ${modeKey}`);
    if (foreign.size > 0) {
      diagnostics.push({ level: 'info', message: `${file}: mode ${modeKey}: ignored ${[...foreign].join(', ')} (bits ${vendor} CPUs do not define)` });
    }
    const closed = catalog.requirements(features).filter((f) => f.vendors.includes(vendor!));
    return {
      key: modeKey,
      label: (label.value as string | undefined) ?? modeKey,
      vendor: vendor!,
      tracks: tracks.length > 0 ? tracks : [vendor!],
      level: tier.value === undefined ? '-' : `T${tier.value as number}`,
      tier: (tier.value as number | undefined) ?? 0,
      parent: undefined,
      features: closed,
      passes: catalog.emptySet(),
      adds: [],
      removes: [],
      passFacts: [],
      lacks: [],
      confirmed: true,
      keyConfirmed: true,
      labelConfirmed: label.value !== undefined,
      sources: {},
      evidence: undefined,
      origin: `loaded from ${file}`,
      vcenter: { track: tracks, vendorTier: tier.value as number | undefined },
    };
  }

  function readCpuIdInfo(entry: unknown, path: JsonPath, vendor: EvcVendor, take: (f: Feature) => void): void {
    if (!isObject(entry)) return fail(path, 'a CpuIdInfo object { level, eax, ebx, ecx, edx }', entry);
    const lk = fieldName(entry, 'level');
    const level = lk === undefined ? undefined : entry[lk];
    if (typeof level !== 'number' || !Number.isInteger(level) || level < -0x8000_0000 || level > 0xffff_ffff) {
      fail([...path, lk ?? 'level'], 'the CPUID leaf as an integer (negative for 0x8000xxxx leaves, as vSphere writes them)', level);
    }
    const leaf = (level as number) >>> 0;
    const vk = fieldName(entry, 'vendor');
    const only = vk === undefined ? undefined : entry[vk];
    if (typeof only === 'string' && only !== '' && only.toLowerCase() !== vendor) return;
    for (const reg of ['eax', 'ebx', 'ecx', 'edx'] as const) {
      const rk = fieldName(entry, reg);
      const v = rk === undefined ? undefined : entry[rk];
      if (v === undefined || v === null) continue;
      const bits = typeof v === 'string' ? v.replace(/[:\s]/g, '') : '';
      if (!MASK_CHARS.test(bits)) fail([...path, rk!], 'a 32-character mask such as "0000:0000:0000:0000:0000:0000:0000:0001" (bit 31 first)', v);
      for (let i = 0; i < 32; i++) {
        if (bits[i] !== '1') continue;
        const f = catalog.at(leaf, 0, reg as Register, 31 - i);
        if (f) take(f);
      }
    }
  }

  function readFeatureMask(entry: unknown, path: JsonPath, take: (f: Feature) => void, features: FeatureSet, modeKey: string): void {
    if (!isObject(entry)) return fail(path, 'a FeatureMask object { key, value }', entry);
    const kk = fieldName(entry, 'key');
    const vk = fieldName(entry, 'value');
    const key = kk === undefined ? undefined : entry[kk];
    const value = vk === undefined ? undefined : entry[vk];
    if (typeof key !== 'string') return fail([...path, kk ?? 'key'], 'a feature key such as "cpuid.SSE41"', key);
    if (typeof value !== 'string') return fail([...path, vk ?? 'value'], 'a mask value such as "Val:1"', value);
    const m = /^(Val|Min|Max):(0x[0-9a-f]+|\d+)$/i.exec(value.trim());
    if (!m) return fail([...path, vk!], 'a mask value Val:<n>, Min:<n> or Max:<n>', value);
    if (!/^cpuid\./i.test(key)) return; // MSR and other non-CPUID keys: not features of the catalog
    const n = Number(m[2]);
    const name = key.slice('cpuid.'.length);
    const f = catalog.resolve(name, 'vmware');
    const op = m[1]!.toLowerCase();
    if (!f) {
      // Identity keys (FAMILY, NUMLEVELS, the vendor keys Intel/AMD) are not features; say so only for other boolean-looking ones.
      if (n <= 1 && !/^(family|model|stepping|numlevels|num_ext_levels|intel|amd)$/i.test(name)) {
        diagnostics.push({ level: 'info', message: `${file}: mode ${modeKey}: feature key ${key} is not in the catalog; ignored` });
      }
      return;
    }
    if ((op === 'val' || op === 'min') && n >= 1) take(f);
    else if ((op === 'val' || op === 'max') && n === 0) features.delete(f);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key of `o` that spells `name` in any case (`key`, `Key`; `guaranteedCPUFeatures`, `GuaranteedCPUFeatures`). */
function fieldName(o: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(o, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}
