/**
 * QEMU/libvirt CPU models: lookup, expansion, and the three questions libvirt answers with them.
 *
 * - Which named model describes this host best, and what does the host have beyond it
 *   ({@link hostModel}: libvirt's host-model, the `<cpu>` in `virsh capabilities`)?
 * - Which guest CPU definition (unversioned model, required and disabled features) gives a VM
 *   exactly this CPU ({@link guestModel})?
 * - Which definition can every host of a cluster run ({@link baselineModel}: `virsh cpu-baseline`)?
 *
 * The models are data (src/data/qemu-models.ts, generated from libvirt's cpu_map). Every function
 * takes the model table as a parameter with the built-in one as default, so a newer cpu_map can be
 * loaded later without touching this code.
 *
 * How a model is chosen follows libvirt's documented behaviour and is checked against libvirt's own
 * expected answers (models.test.ts: 61 host and guest decodes, 13 + 5 baselines):
 * - only models allowed for the purpose (cpu_map `decode host/guest`) and of the CPU's vendor;
 * - a host model must not lack anything the host lacks (a host CPU cannot disable features);
 * - a model whose signature (family, model, stepping range) matches the CPU beats one that does not;
 * - then the cheapest description wins: every feature to require costs 1, every feature to disable
 *   3 (a definition that takes features away from its model describes the CPU worse than one that
 *   adds some; see DISABLE_COST), then the model libvirt lists later (newer);
 * - in a baseline, a model one of the inputs was defined with is judged by its disabled features
 *   alone: the least capable input model is preferred to a newer model that needs features removed.
 * All set work is on FeatureSet words; model sets are built once per table.
 */
import type { Feature, FeatureSet, Vendor } from './catalog.js';
import { catalog as defaultCatalog } from './catalog.js';
import type { Catalog } from './catalog.js';
import { OpenevcError, UsageError } from './errors.js';
import type { Host } from './host.js';
import { builtinModelFamilies } from './builtin-tables.js';
import type { CompactModels } from './builtin-tables.js';

export type { CompactModels };
import type { ModelAliasDef, ModelFamilyDef, ModelSignature, ModelVendor, ModelVersionDef } from '../data/schema.js';

export type { ModelAliasDef, ModelFamilyDef, ModelSignature, ModelVendor, ModelVersionDef };

// ---- data shapes (src/data/qemu-models.ts) -------------------------------------------------

// ---- resolved models -------------------------------------------------------------------------

/**
 * One model name, resolved to what it stands for. Its sets are shared (an alias and its versioned
 * name hold the same ones): clone a set before changing it, as {@link expandModel} does.
 */
export interface CpuModel {
  /** The name as libvirt and QEMU spell it (`IvyBridge`, `IvyBridge-v1`, `Cascadelake-Server-noTSX`). */
  readonly name: string;
  readonly family: string;
  readonly version: number;
  /** The versioned name of the same definition (`Cascadelake-Server-v3`); undefined in unversioned families. */
  readonly versionedName: string | undefined;
  /** True for `<family>-v<N>` names. */
  readonly isVersioned: boolean;
  readonly vendor: ModelVendor | undefined;
  readonly signatures: readonly ModelSignature[];
  /** Every feature the definition lists (cpu_map's list, libvirt's marks included). */
  readonly listed: FeatureSet;
  /** What the name means in a libvirt CPU definition: the list without the features marked `added`. */
  readonly features: FeatureSet;
  /** What libvirt counts as covered by the name when it describes a CPU: also without those marked `removed`. */
  readonly decodeFeatures: FeatureSet;
  readonly libvirtAdded: FeatureSet;
  readonly libvirtRemoved: FeatureSet;
  /** libvirt may choose this name for a host CPU / for a guest CPU. */
  readonly decodeHost: boolean;
  readonly decodeGuest: boolean;
  /** Position in libvirt's model list (index.xml). */
  readonly order: number;
}

/** The models of one source (the built-in cpu_map, or one loaded later), resolved once. */
export class ModelTable {
  /** Every name, in libvirt's order. */
  readonly models: readonly CpuModel[];
  readonly catalog: Catalog;
  private readonly byName = new Map<string, CpuModel>();
  private readonly byFoldedName = new Map<string, CpuModel>();
  /** Features libvirt knows (have a libvirt name): the only ones its answers mention. */
  readonly known: FeatureSet;
  readonly unmigratable: FeatureSet;

  /** Resolves model families (src/data/qemu-models.ts's shape), or takes a table {@link toCompact} made (which holds its own unmigratable set). */
  constructor(families: readonly ModelFamilyDef[] | CompactModels, unmigratable: readonly string[] = [], cat: Catalog = defaultCatalog) {
    this.catalog = cat;
    this.known = cat.emptySet();
    for (const f of cat.features) if (typeof f.libvirt === 'string') this.known.add(f);
    if ('sets' in families) {
      const compact = families;
      if (compact.catalog !== cat.fingerprint()) throw new OpenevcError('CPU model data: the precomputed table was made for another feature catalog');
      const sets = compact.sets.map((w) => cat.setFromWords(w));
      this.models = compact.models.map(([d, name, isVersioned, decodeHost, decodeGuest], order) => {
        const [family, version, versionedName, vendor, signatures, listed, features, decodeFeatures, libvirtAdded, libvirtRemoved] = compact.defs[d]!;
        return { name, family, version, versionedName: versionedName ?? undefined, isVersioned, vendor: vendor ?? undefined, signatures, listed: sets[listed]!, features: sets[features]!, decodeFeatures: sets[decodeFeatures]!, libvirtAdded: sets[libvirtAdded]!, libvirtRemoved: sets[libvirtRemoved]!, decodeHost, decodeGuest, order };
      });
      this.unmigratable = sets[compact.unmigratable]!;
      this.index();
      return;
    }
    const ids = (list: readonly string[] | undefined, where: string): FeatureSet => {
      const s = cat.emptySet();
      for (const id of list ?? []) {
        const f = cat.get(id);
        if (!f) throw new OpenevcError(`CPU model data: ${where} names unknown feature '${id}'`);
        s.add(f);
      }
      return s;
    };
    const models: CpuModel[] = [];
    for (const fam of families) {
      const versioned = fam.versioned !== false;
      const defs: Array<Omit<CpuModel, 'name' | 'isVersioned' | 'decodeHost' | 'decodeGuest' | 'order'>> = [];
      let current = cat.emptySet();
      fam.versions.forEach((v, i) => {
        const where = `${fam.family} v${i + 1}`;
        if (i === 0) current = ids(v.features, where);
        else current = current.union(ids(v.add, where)).subtract(ids(v.remove, where));
        const added = ids(v.libvirtAdded, where);
        const removed = ids(v.libvirtRemoved, where);
        if (!added.isSubsetOf(current) || !removed.isSubsetOf(current)) {
          throw new OpenevcError(`CPU model data: ${where} marks features it does not list`);
        }
        const features = current.minus(added);
        defs.push({
          family: fam.family,
          version: i + 1,
          versionedName: versioned ? `${fam.family}-v${i + 1}` : undefined,
          vendor: fam.vendor,
          signatures: v.signatures ?? fam.signatures ?? [],
          listed: current.clone(),
          features,
          decodeFeatures: features.minus(removed),
          libvirtAdded: added,
          libvirtRemoved: removed,
        });
      });
      for (const a of fam.aliases) {
        const def = defs[a.version - 1];
        if (!def) throw new OpenevcError(`CPU model data: alias ${a.name} points at missing version ${a.version} of ${fam.family}`);
        models.push({ ...def, name: a.name, isVersioned: false, decodeHost: a.host !== false, decodeGuest: a.guest !== false, order: models.length });
      }
      if (versioned) {
        for (const def of defs) models.push({ ...def, name: def.versionedName!, isVersioned: true, decodeHost: true, decodeGuest: false, order: models.length });
      }
    }
    this.models = models;
    this.unmigratable = ids(unmigratable, 'unmigratable list');
    this.index();
  }

  private index(): void {
    for (const m of this.models) {
      if (this.byName.has(m.name)) throw new OpenevcError(`CPU model data: duplicate model name ${m.name}`);
      this.byName.set(m.name, m);
      const folded = foldName(m.name);
      if (!this.byFoldedName.has(folded)) this.byFoldedName.set(folded, m);
    }
  }

  /** The table as plain data (JSON), from which the constructor rebuilds an equal table. */
  toCompact(): CompactModels {
    const sets: number[][] = [];
    const setAt = new Map<string, number>();
    const set = (s: FeatureSet): number => {
      const key = s.words.join(',');
      let at = setAt.get(key);
      if (at === undefined) {
        setAt.set(key, (at = sets.length));
        sets.push([...s.words]);
      }
      return at;
    };
    const defs: CompactModels['defs'][number][] = [];
    const defAt = new Map<FeatureSet, number>();
    const models = this.models.map((m): CompactModels['models'][number] => {
      // An alias and its versioned name share one definition (the same set objects).
      let d = defAt.get(m.listed);
      if (d === undefined) {
        defAt.set(m.listed, (d = defs.length));
        defs.push([m.family, m.version, m.versionedName ?? null, m.vendor ?? null, m.signatures, set(m.listed), set(m.features), set(m.decodeFeatures), set(m.libvirtAdded), set(m.libvirtRemoved)]);
      }
      return [d, m.name, m.isVersioned, m.decodeHost, m.decodeGuest];
    });
    return { catalog: this.catalog.fingerprint(), sets, defs, models, unmigratable: set(this.unmigratable) };
  }

  /** The model with this name: exact spelling first, then ignoring case and `_`/`-`. */
  get(name: string): CpuModel | undefined {
    return this.byName.get(name) ?? this.byFoldedName.get(foldName(name));
  }
}

function foldName(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-');
}

let builtin: ModelTable | undefined;

/**
 * What libvirt drops from a baseline computed for migration (x86_features.xml `migratable='no'`):
 * the catalog's unmigratable features, less those libvirt deliberately leaves unmarked (its
 * `libvirtMigratable` column says where and why).
 */
export function libvirtUnmigratable(cat: Catalog = defaultCatalog): string[] {
  return cat.features.filter((f) => !(f.libvirtMigratable ?? f.migratable)).map((f) => f.id);
}

/** The built-in models (libvirt cpu_map v11.3.0), resolved on first use. */
export function builtinModels(): ModelTable {
  if (builtin) return builtin;
  const source = builtinModelFamilies();
  return (builtin = new ModelTable(source, 'sets' in source ? [] : libvirtUnmigratable()));
}

/** Every model name, in libvirt's order. */
export function listModels(models: ModelTable = builtinModels()): readonly CpuModel[] {
  return models.models;
}

/** The model a libvirt or QEMU name stands for (`IvyBridge`, `IvyBridge-v1`, `Cascadelake-Server-noTSX`), or undefined. */
export function findModel(name: string, models: ModelTable = builtinModels()): CpuModel | undefined {
  return models.get(name);
}

/** The model a name stands for; an unknown name is a UsageError that suggests close names. */
export function requireModel(name: string, models: ModelTable = builtinModels()): CpuModel {
  const m = models.get(name);
  if (m) return m;
  const key = foldName(name).replace(/-v\d+$/, '');
  const close = models.models.filter((x) => foldName(x.name).includes(key) || key.includes(foldName(x.family))).map((x) => x.name);
  const hint = close.length > 0 ? `; similar: ${close.slice(0, 8).join(', ')}` : '';
  throw new UsageError(`unknown CPU model '${name}' (not in ${models === builtin ? 'libvirt cpu_map v11.3.0' : 'the model table'})${hint}`);
}

/** The features a model name stands for in a libvirt CPU definition (see {@link CpuModel.features}). */
export function expandModel(name: string, models: ModelTable = builtinModels()): FeatureSet {
  return requireModel(name, models).features.clone();
}

// ---- decode ---------------------------------------------------------------------------------

/** Family, model and stepping as CPUID reports them (display values). */
export interface CpuSignature {
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
}

/** A CPU to describe with a model: its features (every catalog bit it has), vendor and signature. */
export interface ModelCpu {
  readonly features: FeatureSet;
  readonly vendor?: Vendor | undefined;
  readonly signature?: CpuSignature | undefined;
}

/** A model that describes a CPU, with what the CPU has beyond it and what it lacks of it. */
export interface ModelMatch {
  readonly model: CpuModel;
  /**
   * The CPU's features as the decode saw them: those libvirt names, without TSX on the Haswell
   * parts that lost it. Equals the model's features plus `require` minus `disable` (for a
   * baseline: libvirt's `--features` view of the result).
   */
  readonly features: FeatureSet;
  /** Features to require on top of the model. */
  readonly require: FeatureSet;
  /** Features of the model to disable (always empty for a host model). */
  readonly disable: FeatureSet;
}

export interface DecodeOptions {
  readonly models?: ModelTable;
  /** Use this model when it is allowed (libvirt keeps the model every baseline input had). */
  readonly preferred?: string;
  /** Only consider these model names (libvirt's list of models a hypervisor can run). */
  readonly allowed?: readonly string[];
  /** Baseline only: the models the input CPU definitions name. */
  readonly inputModels?: ReadonlySet<string>;
}

function asModelCpu(cpu: Host | ModelCpu): ModelCpu {
  if ('dump' in cpu) return { features: cpu.bits, vendor: cpu.id.vendor, signature: cpu.id };
  return cpu;
}

function modelVendor(v: Vendor | undefined): ModelVendor | undefined {
  // libvirt's Zhaoxin models (YongFeng) match the CentaurHauls vendor string, which Zhaoxin parts report too.
  if (v === 'centaur') return 'zhaoxin';
  return v === 'intel' || v === 'amd' || v === 'hygon' || v === 'zhaoxin' ? v : undefined;
}

/** 1 when one of the model's signatures matches the CPU (family, model and, where given, stepping), else 0. */
function signatureFit(m: CpuModel, sig: CpuSignature | undefined): number {
  return sig && m.signatures.some((s) => matches(s, sig)) ? 1 : 0;
}

function popcount(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Haswell parts whose TSX Intel switched off by a microcode update (erratum HSD136 and its
 * siblings; the Haswell-EX steppings from 4 on were fixed). Whether CPUID still reports HLE and
 * RTM there depends on the microcode loaded, so libvirt ignores both bits on these CPUs, and so
 * does the decode here: the model chosen stays the same across microcode updates.
 */
const BROKEN_TSX: readonly ModelSignature[] = [
  { family: 6, model: 60 },
  { family: 6, model: 69 },
  { family: 6, model: 70 },
  { family: 6, model: 63, steppings: [0, 3] },
];

function matches(s: ModelSignature, sig: CpuSignature): boolean {
  return s.family === sig.family && s.model === sig.model && (!s.steppings || (sig.stepping >= s.steppings[0] && sig.stepping <= s.steppings[1]));
}

/** The CPU's features as libvirt reads them: the ones it knows, without TSX on the Haswell parts that lost it. */
function decodableFeatures(cpu: ModelCpu, table: ModelTable): FeatureSet {
  const out = cpu.features.intersection(table.known);
  const sig = cpu.signature;
  if (cpu.vendor === 'intel' && sig && BROKEN_TSX.some((s) => matches(s, sig))) {
    for (const id of ['hle', 'rtm']) {
      const f = table.catalog.get(id);
      if (f) out.delete(f);
    }
  }
  return out;
}

/**
 * What a feature to disable costs, counted in features to require. Three is the weight that
 * reproduces every choice in libvirt 11.3's test data and virsh 9.0's on the CPUs of
 * models.virsh.test.ts (two picks Cooperlake over Cascadelake-Server for a Cascade Lake host, as
 * virsh does not; four and more make a Kaby Lake host a Broadwell, as virsh does not).
 */
const DISABLE_COST = 3;

function decode(cpu: ModelCpu, kind: 'host' | 'guest', opts: DecodeOptions): ModelMatch | undefined {
  const table = opts.models ?? builtinModels();
  const known = decodableFeatures(cpu, table);
  const have = known.words;
  const vendor = modelVendor(cpu.vendor);
  const allowed = opts.allowed ? new Set(opts.allowed) : undefined;
  let best: CpuModel | undefined;
  let bestFit = -1;
  let bestCount = Infinity;
  let bestMissing = Infinity;
  const inputs = opts.inputModels;
  // Newest first: on a tie the model libvirt lists later is kept.
  for (let i = table.models.length - 1; i >= 0; i--) {
    const m = table.models[i]!;
    if (kind === 'host' ? !m.decodeHost : !m.decodeGuest) continue;
    if (allowed && !allowed.has(m.name)) continue;
    if (opts.preferred !== undefined && m.name === opts.preferred) {
      best = m;
      break;
    }
    if (m.vendor !== undefined && m.vendor !== vendor) continue;
    const ew = m.decodeFeatures.words;
    const mw = m.features.words;
    let extra = 0;
    let missing = 0;
    for (let w = 0; w < have.length; w++) {
      extra += popcount(have[w]! & ~ew[w]!);
      missing += popcount(mw[w]! & ~have[w]!);
    }
    if (kind === 'host' && missing > 0) continue;
    const count = extra + DISABLE_COST * missing;
    const fit = signatureFit(m, cpu.signature);
    const isInput = inputs?.has(m.name) ?? false;
    const cheaper = isInput ? missing < bestMissing : count < bestCount;
    if (fit > bestFit || (fit === bestFit && cheaper)) {
      best = m;
      bestFit = fit;
      bestCount = count;
      bestMissing = missing;
    }
  }
  if (!best) return undefined;
  return { model: best, features: known, require: known.minus(best.decodeFeatures), disable: best.features.minus(known) };
}

/**
 * libvirt's host-model: the model that best describes a host CPU (versioned names allowed, as in
 * `virsh capabilities`), and the host's features beyond it. A host model never disables anything:
 * only models whose every feature the host has are considered. Undefined when none fits.
 */
export function hostModel(cpu: Host | ModelCpu, opts: Omit<DecodeOptions, 'preferred'> = {}): ModelMatch | undefined {
  return decode(asModelCpu(cpu), 'host', opts);
}

/**
 * The guest CPU definition libvirt writes for exactly these features: an unversioned model
 * (those libvirt allows for guests), features to require beyond it and features of it to disable.
 */
export function guestModel(cpu: Host | ModelCpu, opts: DecodeOptions = {}): ModelMatch | undefined {
  return decode(asModelCpu(cpu), 'guest', opts);
}

// ---- baseline -------------------------------------------------------------------------------

/** One CPU of a baseline: its features, vendor when known, and the model it was defined with, if any. */
export interface BaselineCpu extends ModelCpu {
  /** The model name of its definition; when every input names the same one, libvirt keeps it. */
  readonly model?: string | undefined;
}

export interface BaselineOptions {
  readonly models?: ModelTable;
  /** Drop features that cannot migrate (libvirt's `--migratable`: invtsc, ...). */
  readonly migratable?: boolean;
}

export interface BaselineResult extends ModelMatch {
  /** The common vendor, when every input states one. */
  readonly vendor: ModelVendor | undefined;
  /** `forbid` when the model is the one every input named (libvirt keeps it exactly), `allow` otherwise. */
  readonly fallback: 'allow' | 'forbid';
}

/** The inputs of a baseline disagree on the vendor: no CPU definition can run on both. */
export class VendorMismatchError extends OpenevcError {
  constructor(readonly vendors: readonly string[]) {
    super(`CPU vendors do not match: ${vendors.join(' and ')} (a baseline needs CPUs of one vendor)`);
    this.name = 'VendorMismatchError';
  }
}

const VENDOR_NAMES: Readonly<Record<ModelVendor, string>> = { intel: 'Intel', amd: 'AMD', hygon: 'Hygon', zhaoxin: 'Zhaoxin' };

/**
 * The CPU definition every input can run, as libvirt's baseline computes it: the features all
 * inputs share, described by the guest model that needs the fewest extra features (the model
 * every input named, when they all named the same). Vendors must agree where stated.
 */
export function baselineModel(cpus: readonly (Host | BaselineCpu)[], opts: BaselineOptions = {}): BaselineResult {
  const table = opts.models ?? builtinModels();
  if (cpus.length === 0) throw new UsageError('a baseline needs at least one CPU');
  let vendor: Vendor | undefined;
  let allHaveVendor = true;
  let common: FeatureSet | undefined;
  const inputModels = new Set<string>();
  let preferred: string | undefined;
  let sameModel = true;
  for (const input of cpus) {
    const cpu = asModelCpu(input);
    if (cpu.vendor === undefined) allHaveVendor = false;
    else if (vendor === undefined) vendor = cpu.vendor;
    else if (cpu.vendor !== vendor) throw new VendorMismatchError([vendorName(vendor), vendorName(cpu.vendor)]);
    if (common === undefined) common = cpu.features.clone();
    else common.intersectWith(cpu.features);
    // Model names are compared as the table spells them (`ivybridge` and `IvyBridge` are one model).
    const named = 'dump' in input ? undefined : input.model;
    const name = named !== undefined ? (table.get(named)?.name ?? named) : undefined;
    if (name !== undefined) inputModels.add(name);
    if (input === cpus[0]) preferred = name;
    else if (name !== preferred) sameModel = false;
  }
  if (!sameModel) preferred = undefined;
  if (opts.migratable) common!.subtract(table.unmigratable);
  const match = decode({ features: common!, vendor }, 'guest', { models: table, inputModels, ...(preferred !== undefined ? { preferred } : {}) });
  if (!match) throw new OpenevcError('no CPU model describes the common features of these CPUs');
  return {
    ...match,
    vendor: allHaveVendor ? modelVendor(vendor) : undefined,
    fallback: preferred !== undefined && match.model.name === preferred ? 'forbid' : 'allow',
  };
}

function vendorName(v: Vendor): string {
  return modelVendor(v) ? VENDOR_NAMES[modelVendor(v)!] : v;
}

/** libvirt's vendor name (`Intel`, `AMD`, `Hygon`) for a vendor, when libvirt has one. */
export function libvirtVendorName(v: Vendor | undefined): string | undefined {
  const mv = modelVendor(v);
  // Zhaoxin has a vendor entry only in recent cpu_maps (named after its CentaurHauls string): left out,
  // so that every libvirt version reads the definition.
  return mv && mv !== 'zhaoxin' ? VENDOR_NAMES[mv] : undefined;
}

/** Features as libvirt names them, in catalog order. */
export function libvirtNames(set: Iterable<Feature>): string[] {
  const out: string[] = [];
  for (const f of set) if (typeof f.libvirt === 'string') out.push(f.libvirt);
  return out;
}
