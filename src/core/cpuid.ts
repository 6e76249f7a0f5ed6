/**
 * The CPUID data model: what one logical CPU answered to CPUID, per (leaf, subleaf).
 *
 * A leaf that was not dumped is *absent* (`get` returns undefined), never zero:
 * dumps often skip subleaves (0xD.1, 7.1) and a missing answer says nothing about
 * the hardware. Values are unsigned 32-bit numbers.
 */

export const REGISTERS = ['eax', 'ebx', 'ecx', 'edx'] as const;
export type Register = (typeof REGISTERS)[number];

export interface Regs {
  readonly eax: number;
  readonly ebx: number;
  readonly ecx: number;
  readonly edx: number;
}

export interface CpuidEntry extends Regs {
  readonly leaf: number;
  readonly subleaf: number;
}

/**
 * The format a dump was read as (or its origin: `probe`, `synthetic`). The ids are the format
 * registry's (src/formats/registry.ts); the core treats them as names.
 */
export type FormatId = string;

/** Where a dump came from. */
export interface DumpSource {
  readonly format: FormatId;
  /** Path as given by the user (or `-` for stdin); absent for data built in memory. */
  readonly path?: string;
  /** True when the input could not carry every register bit (e.g. /proc/cpuinfo flags). */
  readonly lossy: boolean;
  /** Free-form label: host name, CPU model, ... */
  readonly label?: string;
  /** When the data was captured, as the input states it (ISO 8601 where the input has it), if known. */
  readonly captured?: string;
  /**
   * For inputs that describe a CPU by a named model (libvirt `<cpu>` definitions): the model name.
   * libvirt's baseline prefers the models its inputs name; openevc does the same.
   */
  readonly model?: string;
  /** Logical CPU whose answers this dump holds (multi-CPU inputs). */
  readonly cpu?: number;
  /** For vmware.log: the host's CPUID or what the guest was shown. */
  readonly view?: 'host' | 'guest';
  /** What the dump rests on (see {@link Fidelity}); absent: `flags` when lossy, else `cpuid`. */
  readonly fidelity?: Fidelity;
  /** For hosts known by an EVC mode only: the mode key the input gave (the dump holds that mode's features). */
  readonly evcKey?: string;
}

/**
 * What a host's data rests on: `cpuid` raw CPUID registers; `flags` feature names or partial
 * registers (bits the input could not carry are unknown, not absent); `evc-key` an EVC mode key
 * only (the host is taken to have exactly the mode's features, which it may exceed).
 */
export type Fidelity = 'cpuid' | 'flags' | 'evc-key';

/** The fidelity a dump rests on. */
export function fidelityOf(source: DumpSource): Fidelity {
  return source.fidelity ?? (source.lossy ? 'flags' : 'cpuid');
}

/** Subleaves a dump can hold: 0 ≤ subleaf < SUBLEAF_LIMIT (real CPUs use fewer than 0x40). */
export const SUBLEAF_LIMIT = 0x10_0000;

function key(leaf: number, subleaf: number): number {
  return leaf * SUBLEAF_LIMIT + subleaf;
}

/** Whether `count` rows (leaf, subleaf, four registers) are in strictly increasing (leaf, subleaf) order, every subleaf below SUBLEAF_LIMIT. */
function inOrder(rows: Uint32Array, count: number): boolean {
  for (let i = 0; i < count * 6; i += 6) {
    if (rows[i + 1]! >= SUBLEAF_LIMIT) return false;
    if (i > 0 && key(rows[i]!, rows[i + 1]!) <= key(rows[i - 6]!, rows[i - 5]!)) return false;
  }
  return true;
}

export function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
}

/** Formats a leaf or register value as 0x-prefixed, zero-padded lower-case hex. */
export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** Formats a leaf the way people write it: `0x7`, `0x80000001`. */
export function hexLeaf(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

export class CpuidDump {
  private readonly entries = new Map<number, CpuidEntry>();
  /**
   * Entries as a reader scanned them (see `setRows`), until the dump is changed: leaf, subleaf,
   * eax, ebx, ecx, edx per entry, in strictly increasing (leaf, subleaf) order, never written to
   * (clones share it). `entries` is empty meanwhile; entry objects are made when first asked for.
   */
  private packed: Uint32Array | undefined;
  private packedEntries: (CpuidEntry | undefined)[] = [];
  /** Model-specific registers carried by some inputs (e.g. IA32_ARCH_CAPABILITIES, 0x10a). */
  readonly msrs = new Map<number, bigint>();
  source: DumpSource;

  constructor(source: DumpSource) {
    this.source = source;
  }

  /** Records the answer for (leaf, subleaf). A later call for the same pair replaces it. */
  set(leaf: number, subleaf: number, regs: Regs): this {
    if (!isU32(leaf)) throw new RangeError(`leaf out of range: ${leaf}`);
    if (!Number.isInteger(subleaf) || subleaf < 0 || subleaf >= SUBLEAF_LIMIT) {
      throw new RangeError(`subleaf out of range: ${subleaf}`);
    }
    const entry: CpuidEntry = {
      leaf,
      subleaf,
      eax: regs.eax >>> 0,
      ebx: regs.ebx >>> 0,
      ecx: regs.ecx >>> 0,
      edx: regs.edx >>> 0,
    };
    this.unpack();
    this.entries.set(key(leaf, subleaf), entry);
    return this;
  }

  /**
   * Records many answers at once, as a reader that scanned them has them: `rows` holds leaf,
   * subleaf, eax, ebx, ecx, edx for each of `count` entries (u32 values, subleaves below
   * SUBLEAF_LIMIT). Stops and returns false at a (leaf, subleaf) already recorded.
   */
  setRows(rows: Uint32Array, count: number): boolean {
    // The common case, an empty dump given its rows in order: they are kept as they are (a copy).
    if (this.entries.size === 0 && this.packed === undefined && inOrder(rows, count)) {
      this.packed = rows.slice(0, count * 6);
      return true;
    }
    this.unpack();
    for (let i = 0; i < count * 6; i += 6) {
      const leaf = rows[i]!;
      const subleaf = rows[i + 1]!;
      if (subleaf >= SUBLEAF_LIMIT) throw new RangeError(`subleaf out of range: ${subleaf}`);
      const k = key(leaf, subleaf);
      if (this.entries.has(k)) return false;
      this.entries.set(k, { leaf, subleaf, eax: rows[i + 2]!, ebx: rows[i + 3]!, ecx: rows[i + 4]!, edx: rows[i + 5]! });
    }
    return true;
  }

  /** Index of (leaf, subleaf) among the packed rows, or -1. */
  private find(packed: Uint32Array, leaf: number, subleaf: number): number {
    const k = key(leaf, subleaf);
    let lo = 0;
    let hi = packed.length / 6 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = key(packed[mid * 6]!, packed[mid * 6 + 1]!);
      if (at === k) return mid;
      if (at < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The packed row `i` as an entry object (made once). */
  private entryAt(packed: Uint32Array, i: number): CpuidEntry {
    let e = this.packedEntries[i];
    if (e === undefined) {
      const r = i * 6;
      e = { leaf: packed[r]!, subleaf: packed[r + 1]!, eax: packed[r + 2]!, ebx: packed[r + 3]!, ecx: packed[r + 4]!, edx: packed[r + 5]! };
      this.packedEntries[i] = e;
    }
    return e;
  }

  /** Before a change: the packed rows become entries (in their order). */
  private unpack(): void {
    const packed = this.packed;
    if (packed === undefined) return;
    for (let i = 0; i < packed.length / 6; i++) {
      const e = this.entryAt(packed, i);
      this.entries.set(key(e.leaf, e.subleaf), e);
    }
    this.packed = undefined;
    this.packedEntries = [];
  }

  /** The answer for (leaf, subleaf), or undefined when that pair was not dumped. */
  get(leaf: number, subleaf = 0): Regs | undefined {
    const packed = this.packed;
    if (packed === undefined) return this.entries.get(key(leaf, subleaf));
    const i = this.find(packed, leaf, subleaf);
    return i < 0 ? undefined : this.entryAt(packed, i);
  }

  has(leaf: number, subleaf = 0): boolean {
    const packed = this.packed;
    return packed === undefined ? this.entries.has(key(leaf, subleaf)) : this.find(packed, leaf, subleaf) >= 0;
  }

  delete(leaf: number, subleaf = 0): boolean {
    this.unpack();
    return this.entries.delete(key(leaf, subleaf));
  }

  /** One register, or undefined when the pair was not dumped. */
  reg(leaf: number, subleaf: number, reg: Register): number | undefined {
    const packed = this.packed;
    if (packed === undefined) return this.entries.get(key(leaf, subleaf))?.[reg];
    const i = this.find(packed, leaf, subleaf);
    return i < 0 ? undefined : packed[i * 6 + 2 + REGISTERS.indexOf(reg)];
  }

  /** All entries, sorted by leaf then subleaf. */
  list(): CpuidEntry[] {
    const packed = this.packed;
    if (packed !== undefined) return Array.from({ length: packed.length / 6 }, (_, i) => this.entryAt(packed, i));
    return [...this.entries.values()].sort((a, b) => a.leaf - b.leaf || a.subleaf - b.subleaf);
  }

  /** Subleaves dumped for a leaf, ascending. */
  subleaves(leaf: number): number[] {
    const out: number[] = [];
    const packed = this.packed;
    if (packed !== undefined) {
      for (let r = 0; r < packed.length; r += 6) if (packed[r] === leaf) out.push(packed[r + 1]!);
      return out;
    }
    for (const e of this.entries.values()) if (e.leaf === leaf) out.push(e.subleaf);
    return out.sort((a, b) => a - b);
  }

  get size(): number {
    return this.packed === undefined ? this.entries.size : this.packed.length / 6;
  }

  /**
   * The entries as a reader gave them to `setRows`, while the dump is unchanged and they came in
   * strictly increasing (leaf, subleaf) order: leaf, subleaf, eax, ebx, ecx, edx per entry (read
   * only). Undefined otherwise.
   */
  rows(): Uint32Array | undefined {
    return this.packed;
  }

  /** A deep copy, optionally with a different source description. */
  clone(source: DumpSource = this.source): CpuidDump {
    const copy = new CpuidDump(source);
    if (this.packed !== undefined) {
      copy.packed = this.packed;
      copy.packedEntries = this.packedEntries.slice();
    }
    for (const [k, v] of this.entries) copy.entries.set(k, v);
    for (const [k, v] of this.msrs) copy.msrs.set(k, v);
    return copy;
  }

  /**
   * Whether CPUID would really answer this leaf: present in the dump and within the
   * range the CPU reports (leaf 0 EAX for basic leaves, 0x80000000 EAX for extended ones).
   * Out-of-range leaves in a dump echo other data (Intel returns the highest basic leaf).
   */
  isValidLeaf(leaf: number, subleaf = 0): boolean {
    if (!this.has(leaf, subleaf)) return false;
    const base = rangeBase(leaf);
    if (leaf === base) return true;
    const max = this.get(base)?.eax;
    if (max === undefined) return base === 0; // basic leaf without leaf 0: trust what is there
    // A range exists only when its base leaf reports a maximum inside the same range
    // (Intel answers unknown ranges with the highest basic leaf, e.g. 0x0000000d).
    if (base !== 0 && rangeBase(max) !== base) return false;
    return leaf <= max;
  }

}

/**
 * First leaf of the range a leaf belongs to: 0x0 (basic), 0x4000xxxx (hypervisor),
 * 0x8000xxxx (extended), 0x8086xxxx (Transmeta), 0xC000xxxx (Centaur/Zhaoxin), ...
 * Each range reports its highest leaf in EAX of its first leaf.
 */
export function rangeBase(leaf: number): number {
  const top = (leaf >>> 16) & 0xffff;
  if (top === 0) return 0;
  if (top >= 0x4000 && top < 0x5000) return (leaf & 0xffff_ff00) >>> 0; // 0x40000000, 0x40000100, ...
  return (top * 0x1_0000) >>> 0;
}

/** Sets or clears one bit in a 32-bit value. */
export function withBit(value: number, bit: number, on: boolean): number {
  const mask = (1 << bit) >>> 0;
  return (on ? value | mask : value & ~mask) >>> 0;
}

export function bitIsSet(value: number, bit: number): boolean {
  return ((value >>> bit) & 1) === 1;
}
