/**
 * The feature catalog: machinery around the one declarative table in src/data/features.ts.
 *
 * The table holds facts (where a bit lives, what each ecosystem calls it, what it needs).
 * This module derives everything else from it: lookups by any spelling, per-register bit
 * maps, dependency closures, and compact feature sets (bitsets over catalog positions).
 */
import { builtinFeatures } from './builtin-tables.js';
import type { CompactCatalog } from './builtin-tables.js';
import { ECOSYSTEMS } from '../data/schema.js';
import type { Category, Ecosystem, EcosystemNames, Enforcement, FeatureKind, FeatureRow, Vendor } from '../data/schema.js';

export { ECOSYSTEMS };
export type { CompactCatalog };
export type { Category, Ecosystem, EcosystemNames, Enforcement, FeatureKind, FeatureRow, Vendor };
import type { CpuidDump, Register } from './cpuid.js';

/** Where a feature bit lives: a CPUID register bit... */
export interface CpuidLocation {
  readonly type: 'cpuid';
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: Register;
  readonly bit: number;
}

/** ...or a bit of a model-specific register (IA32_ARCH_CAPABILITIES, VMX capability MSRs). */
export interface MsrLocation {
  readonly type: 'msr';
  readonly index: number;
  /** Bit 0..63 of the 64-bit MSR value. */
  readonly bit: number;
}

export type Location = CpuidLocation | MsrLocation;

/** A location as openevc's JSON outputs write it: CPUID `leaf`/`subleaf`/`reg` are null for an MSR bit, which carries `msr`. */
export interface LocationJson {
  readonly leaf: number | null;
  readonly subleaf: number | null;
  readonly reg: Register | null;
  readonly bit: number;
  readonly msr?: number;
}

export function locationJson(loc: Location): LocationJson {
  return loc.type === 'cpuid'
    ? { leaf: loc.leaf, subleaf: loc.subleaf, reg: loc.reg, bit: loc.bit }
    : { leaf: null, subleaf: null, reg: null, bit: loc.bit, msr: loc.index };
}

/** A catalog entry: the row with its location parsed and defaults applied. */
export interface Feature extends EcosystemNames {
  /** Position in the catalog; feature sets are bitsets over these positions. */
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly loc: Location;
  readonly cat: Category;
  readonly kind: FeatureKind;
  readonly enforce: Enforcement;
  readonly gate?: string;
  readonly vendors: readonly Vendor[];
  readonly deps: readonly string[];
  readonly aliases: readonly string[];
  readonly unconfirmed: readonly Ecosystem[];
  readonly migratable: boolean;
  /** libvirt's own mark where it differs from `migratable` (see FeatureRow). */
  readonly libvirtMigratable: boolean | undefined;
  readonly note?: string;
  readonly linuxMacro?: string;
}

const REG_NAMES: readonly string[] = ['eax', 'ebx', 'ecx', 'edx'];

/** Parses the compact location notation used in the table. Throws on a malformed row (a bug in the data). */
export function parseLocation(at: string): Location {
  // Hand-rolled rather than split + regex: it runs for every row at every start-up.
  if (at.startsWith('msr.')) {
    const dot = at.indexOf('.', 4);
    const index = dot < 0 ? NaN : hexValue(at, 4, dot);
    const bit = dot < 0 ? NaN : decValue(at, dot + 1, at.length);
    if (Number.isNaN(index) || !(bit <= 63)) throw new Error(`bad MSR location '${at}'`);
    return { type: 'msr', index, bit };
  }
  const first = at.indexOf('.');
  const last = at.lastIndexOf('.');
  const regStart = at.lastIndexOf('.', last - 1) + 1;
  const leaf = first < 0 ? NaN : hexValue(at, 0, first);
  const reg = at.slice(regStart, last);
  const bit = decValue(at, last + 1, at.length);
  let subleaf = 0;
  if (regStart - 1 !== first) {
    // Four parts: leaf.subleaf.reg.bit; more are malformed.
    subleaf = at.indexOf('.', first + 1) === regStart - 1 ? hexValue(at, first + 1, regStart - 1) : NaN;
  }
  if (Number.isNaN(leaf) || Number.isNaN(subleaf) || !REG_NAMES.includes(reg) || !(bit <= 31)) throw new Error(`bad CPUID location '${at}'`);
  return { type: 'cpuid', leaf, subleaf, reg: reg as Register, bit };
}

/** Hexadecimal digits of `s[start, end)` as a number; NaN when empty or not hex. */
function hexValue(s: string, start: number, end: number): number {
  if (end <= start) return NaN;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) | 0x20; // fold A-F to a-f (digits are unaffected)
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return NaN;
    v = v * 16 + d;
  }
  return v;
}

/** Decimal digits of `s[start, end)` as a number; NaN when empty or not decimal. */
function decValue(s: string, start: number, end: number): number {
  if (end <= start) return NaN;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** The compact notation for a location (inverse of {@link parseLocation}). */
export function formatLocation(loc: Location): string {
  if (loc.type === 'msr') return `msr.${loc.index.toString(16)}.${loc.bit}`;
  const leaf = loc.leaf.toString(16);
  return loc.subleaf === 0 && !SUBLEAF_LEAVES.has(loc.leaf) ? `${leaf}.${loc.reg}.${loc.bit}` : `${leaf}.${loc.subleaf}.${loc.reg}.${loc.bit}`;
}

/** Leaves whose answers depend on ECX (subleaf). */
export const SUBLEAF_LEAVES: ReadonlySet<number> = new Set([0x4, 0x7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1b, 0x1d, 0x1e, 0x1f, 0x20, 0x23, 0x24, 0x29, 0x8000001d, 0x80000020, 0x80000026]);

/** Human notation: `CPUID.(EAX=7,ECX=0):EBX[5]` is long; we print `7.0.ebx[5]` / `1.ecx[19]` / `MSR 0x10a[5]`. */
export function describeLocation(loc: Location): string {
  if (loc.type === 'msr') return `MSR 0x${loc.index.toString(16)}[${loc.bit}]`;
  const leaf = `0x${loc.leaf.toString(16)}`;
  const sub = SUBLEAF_LEAVES.has(loc.leaf) ? `.${loc.subleaf}` : '';
  return `${leaf}${sub}:${loc.reg.toUpperCase()}[${loc.bit}]`;
}

/** Folds any spelling to one lookup key: case, `-`, `_`, `.` and spaces are not significant. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** Every spelling a feature answers to: its id, its aliases and each ecosystem's name. */
export function spellings(f: Feature): string[] {
  const out = [f.id, ...f.aliases];
  for (const eco of ECOSYSTEMS) {
    const n = f[eco];
    if (typeof n === 'string') out.push(n);
  }
  return out;
}

export interface RegisterMap {
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: Register;
  /** Catalog index per bit, -1 where the catalog names no feature. */
  readonly bits: Int32Array;
  /** The bits the catalog names, as a 32-bit mask. */
  mask: number;
}

export class Catalog {
  readonly features: readonly Feature[];
  private readonly byId = new Map<string, Feature>();
  /** Every spelling, normalized (built on the first lookup: `show` of a dump never needs it). */
  private names: { readonly byName: Map<string, Feature[]>; readonly byEcosystem: Map<Ecosystem, Map<string, Feature>> } | undefined;
  private readonly registerMaps: RegisterMap[] = [];
  private readonly registerIndex = new Map<string, RegisterMap>();
  private readonly msrFeatures: Feature[] = [];
  /** Number of 32-bit words in a feature set. */
  readonly words: number;

  /** Builds the catalog from table rows, or from what {@link toCompact} made of a catalog. */
  constructor(rows: readonly FeatureRow[] | CompactCatalog) {
    const features: Feature[] = [];
    const compact = 'compactFeatures' in rows ? rows.compactFeatures : undefined;
    if (compact) this.print = (rows as CompactCatalog).fingerprint;
    const count = compact ? compact.length : (rows as readonly FeatureRow[]).length;
    for (let i = 0; i < count; i++) {
      const feature = compact ? fromCompact(compact[i]!, i) : toFeature((rows as readonly FeatureRow[])[i]!, i);
      if (this.byId.has(feature.id)) throw new Error(`feature catalog: duplicate id '${feature.id}'`);
      this.byId.set(feature.id, feature);
      features.push(feature);
    }
    this.features = features;
    this.words = Math.max(1, Math.ceil(features.length / 32));

    const msrOwners = new Map<string, Feature>();
    for (const f of features) {
      for (const dep of f.deps) {
        if (!this.byId.has(dep)) throw new Error(`feature catalog: '${f.id}' depends on unknown '${dep}'`);
      }
      if (f.loc.type === 'msr') {
        const mk = `${f.loc.index}.${f.loc.bit}`;
        const other = msrOwners.get(mk);
        if (other) throw new Error(`feature catalog: '${f.id}' and '${other.id}' share ${describeLocation(f.loc)}`);
        msrOwners.set(mk, f);
        this.msrFeatures.push(f);
        continue;
      }
      const rk = regKey(f.loc.leaf, f.loc.subleaf, f.loc.reg);
      let rm = this.registerIndex.get(rk);
      if (!rm) {
        rm = { leaf: f.loc.leaf, subleaf: f.loc.subleaf, reg: f.loc.reg, bits: new Int32Array(32).fill(-1), mask: 0 };
        this.registerIndex.set(rk, rm);
        this.registerMaps.push(rm);
      }
      if (rm.bits[f.loc.bit] !== -1) {
        throw new Error(`feature catalog: '${f.id}' and '${features[rm.bits[f.loc.bit]!]!.id}' share ${describeLocation(f.loc)}`);
      }
      rm.bits[f.loc.bit] = f.index;
      rm.mask = (rm.mask | (1 << f.loc.bit)) >>> 0;
    }
    // Plain comparison: localeCompare would load ICU collation data on a cold start (~8 ms).
    this.registerMaps.sort((a, b) => a.leaf - b.leaf || a.subleaf - b.subleaf || REG_NAMES.indexOf(a.reg) - REG_NAMES.indexOf(b.reg));
  }

  private print: string | undefined;

  /**
   * What a table indexed by catalog positions depends on: the ids in order (a feature added, removed
   * or moved changes it). Precomputed tables carry it and are refused by a catalog it does not match.
   */
  fingerprint(): string {
    if (this.print !== undefined) return this.print;
    let h = 0x811c9dc5;
    for (const f of this.features) {
      for (let i = 0; i < f.id.length; i++) h = Math.imul(h ^ f.id.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 0x2c, 0x01000193);
    }
    return (this.print = `${this.size}:${(h >>> 0).toString(16)}`);
  }

  /** The catalog as plain data (JSON), from which the constructor rebuilds an equal catalog. */
  toCompact(): CompactCatalog {
    const or0 = (v: unknown, dflt?: unknown): unknown => (v === undefined || v === dflt ? 0 : v);
    return {
      fingerprint: this.fingerprint(),
      compactFeatures: this.features.map((f) => [
        f.id,
        f.name,
        f.loc.type === 'msr' ? [f.loc.index, f.loc.bit] : [f.loc.leaf, f.loc.subleaf, REG_NAMES.indexOf(f.loc.reg), f.loc.bit],
        f.cat,
        f.kind,
        f.enforce,
        or0(f.gate),
        or0(f.vendors, DEFAULT_VENDORS),
        or0(f.deps, NONE),
        or0(f.aliases, NONE),
        or0(f.unconfirmed, NONE),
        f.migratable,
        or0(f.libvirtMigratable),
        or0(f.note),
        or0(f.linuxMacro),
        or0(f.linux),
        or0(f.qemu),
        or0(f.libvirt),
        or0(f.vmware),
        or0(f.xen),
      ]),
    };
  }

  /** The spelling indexes: each spelling normalized once, one lookup key per feature and spelling. */
  private nameIndex(): NonNullable<Catalog['names']> {
    if (this.names) return this.names;
    const byName = new Map<string, Feature[]>();
    const byEcosystem = new Map<Ecosystem, Map<string, Feature>>();
    for (const f of this.features) {
      const keys = new Set<string>([normalizeName(f.id)]);
      for (const alias of f.aliases) keys.add(normalizeName(alias));
      if (f.linuxMacro !== undefined) keys.add(normalizeName(f.linuxMacro));
      for (const eco of ECOSYSTEMS) {
        const n = f[eco];
        if (typeof n !== 'string') continue;
        const k = normalizeName(n);
        keys.add(k);
        let m = byEcosystem.get(eco);
        if (!m) byEcosystem.set(eco, (m = new Map()));
        m.set(k, f);
      }
      for (const k of keys) {
        const list = byName.get(k);
        if (list) list.push(f);
        else byName.set(k, [f]);
      }
    }
    return (this.names = { byName, byEcosystem });
  }

  get size(): number {
    return this.features.length;
  }

  /** The entry with this canonical id, or undefined. */
  get(id: string): Feature | undefined {
    return this.byId.get(id);
  }

  /** The entry with this canonical id; throws when the id is unknown (a bug in openevc's own data). */
  require(id: string): Feature {
    const f = this.byId.get(id);
    if (!f) throw new Error(`unknown feature id '${id}'`);
    return f;
  }

  /**
   * Resolves any spelling (canonical id, alias, or any ecosystem's name; case, `-`, `_`, `.` ignored).
   * With `ecosystem`, that ecosystem's spelling wins when a name is ambiguous.
   * Returns every match; most names have exactly one.
   */
  lookup(name: string, ecosystem?: Ecosystem): Feature[] {
    const { byName, byEcosystem } = this.nameIndex();
    const k = normalizeName(name);
    if (ecosystem) {
      const hit = byEcosystem.get(ecosystem)?.get(k);
      if (hit) return [hit];
    }
    const exact = this.byId.get(name);
    if (exact) return [exact];
    return byName.get(k) ?? [];
  }

  /** Resolves a spelling to exactly one feature, or undefined when unknown or ambiguous. */
  resolve(name: string, ecosystem?: Ecosystem): Feature | undefined {
    const hits = this.lookup(name, ecosystem);
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** The feature at a CPUID location, if the catalog names it. */
  at(leaf: number, subleaf: number, reg: Register, bit: number): Feature | undefined {
    const i = this.registerIndex.get(regKey(leaf, subleaf, reg))?.bits[bit];
    return i === undefined || i < 0 ? undefined : this.features[i];
  }

  /** The registers the catalog describes, each with its per-bit map. Sorted by leaf, subleaf, register. */
  registers(): readonly RegisterMap[] {
    return this.registerMaps;
  }

  msrBacked(): readonly Feature[] {
    return this.msrFeatures;
  }

  private capabilitySet: FeatureSet | undefined;

  /** Every capability (`kind: 'feature'`): what hosts are compared on. Intersect with it instead of filtering. */
  get capabilities(): FeatureSet {
    if (!this.capabilitySet) {
      const s = this.emptySet();
      for (const f of this.features) if (f.kind === 'feature') s.add(f);
      this.capabilitySet = s;
    }
    return this.capabilitySet;
  }

  /** An empty feature set sized for this catalog. */
  emptySet(): FeatureSet {
    return new FeatureSet(this, allocWords(this.words));
  }

  /** The set whose words (as `[...set.words]` gives them, e.g. from a precomputed table) these are. */
  setFromWords(words: readonly number[]): FeatureSet {
    const s = this.emptySet();
    s.words.set(words);
    return s;
  }

  /** A set holding the given ids (canonical ids or any resolvable spelling). Throws on unknown names. */
  setOf(names: Iterable<string>): FeatureSet {
    const s = this.emptySet();
    for (const n of names) {
      const f = this.byId.get(n) ?? this.resolve(n);
      if (!f) throw new Error(`unknown feature '${n}'`);
      s.add(f);
    }
    return s;
  }

  /**
   * Every feature bit set in a dump, read only from leaves the CPU really answers
   * (see {@link CpuidDump.isValidLeaf}). MSR-backed features come from the dump's MSRs.
   */
  decode(dump: CpuidDump): FeatureSet {
    const set = this.emptySet();
    const w = set.words;
    let lastLeaf = -1;
    let lastSub = -1;
    let valid = false;
    for (const rm of this.registerMaps) {
      // Registers are sorted by leaf: check each (leaf, subleaf) once.
      if (rm.leaf !== lastLeaf || rm.subleaf !== lastSub) {
        lastLeaf = rm.leaf;
        lastSub = rm.subleaf;
        valid = dump.isValidLeaf(rm.leaf, rm.subleaf);
      }
      if (!valid) continue;
      // Only the set bits the catalog names: visit them lowest first.
      let v = (dump.reg(rm.leaf, rm.subleaf, rm.reg)! & rm.mask) >>> 0;
      while (v !== 0) {
        const bit = 31 - Math.clz32(v & -v);
        const i = rm.bits[bit]!;
        w[i >>> 5]! |= 1 << (i & 31);
        v = (v & (v - 1)) >>> 0;
      }
    }
    if (dump.msrs.size > 0) {
      for (const f of this.msrFeatures) {
        const loc = f.loc as MsrLocation;
        const v = dump.msrs.get(loc.index);
        if (v !== undefined && ((v >> BigInt(loc.bit)) & 1n) === 1n) set.add(f);
      }
    }
    return set;
  }

  /**
   * Everything that must go when these features go: the features that depend on them,
   * transitively (hide XSAVE and AVX, AVX2, FMA, F16C and the YMM state go with it).
   */
  dependents(hidden: FeatureSet): FeatureSet {
    const out = hidden.clone();
    const w = out.words;
    const rev = this.dependentIndex();
    const stack: number[] = [];
    for (const f of hidden) stack.push(f.index);
    while (stack.length > 0) {
      for (const j of rev[stack.pop()!]!) {
        if (((w[j >>> 5]! >>> (j & 31)) & 1) === 0) {
          w[j >>> 5]! |= 1 << (j & 31);
          stack.push(j);
        }
      }
    }
    return out;
  }

  /**
   * The largest subset of `set` closed under dependencies: every feature some of whose needs are
   * missing goes (a guest cannot use AVX without the YMM state). `within`: the features that can
   * be judged at all; a need outside it is not counted as missing. Default: the whole catalog.
   */
  closeUnder(set: FeatureSet, within?: FeatureSet): FeatureSet {
    const out = set.clone();
    const w = out.words;
    const deps = this.dependencyIndex();
    const judged = within?.words;
    let changed = true;
    while (changed) {
      changed = false;
      for (const f of out) {
        for (const d of deps[f.index]!) {
          const present = ((w[d >>> 5]! >>> (d & 31)) & 1) === 1;
          const outside = judged !== undefined && ((judged[d >>> 5]! >>> (d & 31)) & 1) === 0;
          if (!present && !outside) {
            w[f.index >>> 5]! &= ~(1 << (f.index & 31));
            changed = true;
            break;
          }
        }
      }
    }
    return out;
  }

  private depIdx: number[][] | undefined;
  private revIdx: number[][] | undefined;

  /** Per feature: the catalog positions of its direct dependencies. */
  private dependencyIndex(): number[][] {
    return (this.depIdx ??= this.features.map((f) => f.deps.map((d) => this.byId.get(d)!.index)));
  }

  /** Per feature: the catalog positions of the features that depend on it directly. */
  private dependentIndex(): number[][] {
    if (!this.revIdx) {
      const rev: number[][] = this.features.map(() => []);
      this.dependencyIndex().forEach((deps, i) => {
        for (const d of deps) rev[d]!.push(i);
      });
      this.revIdx = rev;
    }
    return this.revIdx;
  }

  /** Everything these features need, transitively (AVX2 needs AVX, XSAVE, the YMM and SSE states). */
  requirements(wanted: FeatureSet): FeatureSet {
    const out = wanted.clone();
    const stack = [...wanted];
    while (stack.length > 0) {
      const f = stack.pop()!;
      for (const d of f.deps) {
        const dep = this.byId.get(d)!;
        if (!out.has(dep)) {
          out.add(dep);
          stack.push(dep);
        }
      }
    }
    return out;
  }
}

function regKey(leaf: number, subleaf: number, reg: Register): string {
  return `${leaf}.${subleaf}.${reg}`;
}

const DEFAULT_VENDORS: readonly Vendor[] = ['intel', 'amd'];
const NONE: readonly never[] = [];

function toFeature(row: FeatureRow, index: number): Feature {
  let loc: Location;
  try {
    loc = parseLocation(row.at);
  } catch (e) {
    throw new Error(`feature catalog: '${row.id}': ${(e as Error).message}`, { cause: e });
  }
  if (!/^[a-z0-9_]+$/.test(row.id)) throw new Error(`feature catalog: id '${row.id}' must be lower-case snake_case`);
  // Every Feature gets the same properties in the same order (absent ones undefined) so code
  // reading features stays monomorphic, and the row is read once with for-in: table rows come
  // in hundreds of shapes, and reading each column by name made this the costliest start-up step.
  const f: { -readonly [K in keyof Feature]: Feature[K] } = {
    index,
    id: row.id,
    name: row.name,
    loc,
    cat: row.cat,
    kind: 'feature',
    enforce: 'advisory',
    gate: undefined,
    vendors: DEFAULT_VENDORS,
    deps: NONE,
    aliases: NONE,
    unconfirmed: NONE,
    migratable: true,
    libvirtMigratable: undefined,
    note: undefined,
    linuxMacro: undefined,
    linux: undefined,
    qemu: undefined,
    libvirt: undefined,
    vmware: undefined,
    xen: undefined,
  };
  const target = f as unknown as Record<string, unknown>;
  const source = row as unknown as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    if (value !== undefined && key !== 'at') target[key] = value;
  }
  return f;
}

/** A feature from its compact form (see {@link Catalog.toCompact}): the same shape as {@link toFeature} makes. */
function fromCompact(c: readonly unknown[], index: number): Feature {
  const l = c[2] as readonly number[];
  const loc: Location = l.length === 2 ? { type: 'msr', index: l[0]!, bit: l[1]! } : { type: 'cpuid', leaf: l[0]!, subleaf: l[1]!, reg: REG_NAMES[l[2]!] as Register, bit: l[3]! };
  const v = <T>(x: unknown, dflt: T): T => (x === 0 ? dflt : (x as T));
  return {
    index,
    id: c[0] as string,
    name: c[1] as string,
    loc,
    cat: c[3] as Category,
    kind: c[4] as FeatureKind,
    enforce: c[5] as Enforcement,
    gate: v<string | undefined>(c[6], undefined),
    vendors: v(c[7], DEFAULT_VENDORS),
    deps: v(c[8], NONE),
    aliases: v(c[9], NONE),
    unconfirmed: v(c[10], NONE),
    migratable: c[11] as boolean,
    libvirtMigratable: v<boolean | undefined>(c[12], undefined),
    note: v<string | undefined>(c[13], undefined),
    linuxMacro: v<string | undefined>(c[14], undefined),
    linux: v<string | null | undefined>(c[15], undefined),
    qemu: v<string | undefined>(c[16], undefined),
    libvirt: v<string | undefined>(c[17], undefined),
    vmware: v<string | undefined>(c[18], undefined),
    xen: v<string | undefined>(c[19], undefined),
  };
}

/**
 * Zeroed words for a new set, carved from a shared block: a set of a few hundred features is
 * larger than V8 keeps inside its heap, so each set of its own would be a separate allocation
 * outside it (slow to make and to collect, and a fleet makes a dozen per host). A block is small
 * (a few dozen sets), so a long-lived set keeps little else alive.
 */
const BLOCK_BYTES = 4096;
let block = new ArrayBuffer(BLOCK_BYTES);
let blockUsed = 0;
function allocWords(n: number): Uint32Array {
  const bytes = n * 4;
  if (bytes > BLOCK_BYTES / 4) return new Uint32Array(n);
  if (blockUsed + bytes > BLOCK_BYTES) {
    block = new ArrayBuffer(BLOCK_BYTES);
    blockUsed = 0;
  }
  const words = new Uint32Array(block, blockUsed, n);
  blockUsed += bytes;
  return words;
}

/** A set of catalog features: a bitset over catalog positions. Cheap to copy, intersect and compare. */
export class FeatureSet implements Iterable<Feature> {
  constructor(
    readonly catalog: Catalog,
    readonly words: Uint32Array,
  ) {}

  has(f: Feature | string): boolean {
    const i = typeof f === 'string' ? this.catalog.require(f).index : f.index;
    return ((this.words[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  add(f: Feature | string): this {
    const i = typeof f === 'string' ? this.catalog.require(f).index : f.index;
    this.words[i >>> 5]! |= 1 << (i & 31);
    return this;
  }

  delete(f: Feature | string): this {
    const i = typeof f === 'string' ? this.catalog.require(f).index : f.index;
    this.words[i >>> 5]! &= ~(1 << (i & 31));
    return this;
  }

  clone(): FeatureSet {
    const words = allocWords(this.words.length);
    words.set(this.words);
    return new FeatureSet(this.catalog, words);
  }

  /** In place: keep only features also in `other`. */
  intersectWith(other: FeatureSet): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! &= other.words[i]!;
    return this;
  }

  /** In place: add every feature of `other`. */
  unionWith(other: FeatureSet): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! |= other.words[i]!;
    return this;
  }

  /** In place: remove every feature of `other`. */
  subtract(other: FeatureSet): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! &= ~other.words[i]!;
    return this;
  }

  intersection(other: FeatureSet): FeatureSet {
    return this.clone().intersectWith(other);
  }

  union(other: FeatureSet): FeatureSet {
    return this.clone().unionWith(other);
  }

  /** Features in this set and not in `other`. */
  minus(other: FeatureSet): FeatureSet {
    return this.clone().subtract(other);
  }

  isSubsetOf(other: FeatureSet): boolean {
    for (let i = 0; i < this.words.length; i++) if ((this.words[i]! & ~other.words[i]!) !== 0) return false;
    return true;
  }

  equals(other: FeatureSet): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== other.words[i]) return false;
    return true;
  }

  get isEmpty(): boolean {
    for (const w of this.words) if (w !== 0) return false;
    return true;
  }

  get size(): number {
    let n = 0;
    for (let w of this.words) {
      w = w - ((w >>> 1) & 0x55555555);
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Keeps only the features matching a predicate (e.g. kind === 'feature'). */
  filter(pred: (f: Feature) => boolean): FeatureSet {
    const out = this.catalog.emptySet();
    for (const f of this) if (pred(f)) out.add(f);
    return out;
  }

  /** The features, in catalog order: one walk over the set bits (also what iteration walks). */
  toArray(): Feature[] {
    return this.map((f) => f);
  }

  /** Each member in catalog order, mapped (no array of features in between). */
  private map<T>(fn: (f: Feature) => T): T[] {
    const feats = this.catalog.features;
    const out: T[] = [];
    for (let wi = 0; wi < this.words.length; wi++) {
      let w = this.words[wi]!;
      while (w !== 0) {
        out.push(fn(feats[wi * 32 + 31 - Math.clz32(w & -w)]!));
        w &= w - 1;
      }
    }
    return out;
  }

  [Symbol.iterator](): Iterator<Feature> {
    return this.toArray()[Symbol.iterator]();
  }

  /** Canonical ids in catalog order. */
  ids(): string[] {
    return this.map((f) => f.id);
  }
}

/** The catalog built from openevc's feature table (precomputed in the CLI bundles: builtin-tables.ts). */
export const catalog = new Catalog(builtinFeatures());
