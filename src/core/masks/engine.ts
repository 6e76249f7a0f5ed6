/**
 * The mask engine: one model of "what a VM is shown of a register, and what it then needs
 * from a host", shared by every mask syntax openevc reads and writes.
 *
 * The model uses VMware's per-bit legend, the richest of the syntaxes: each register a mask
 * touches is 32 characters, most significant bit first, each saying what the guest sees at that
 * bit and what a host must offer there. VMware `cpuid.<leaf>.<reg>` lines map onto it one to one;
 * per-VM EVC `featMask` lines and Xen `cpuid=` settings are translated into it (featmask.ts, xen.ts)
 * so that applying, merging and deriving requirements is written once.
 *
 * | char | guest sees        | power-on host must     | vMotion destination must          |
 * |------|-------------------|------------------------|-----------------------------------|
 * | `-`  | host value        | —                      | have the bit if the guest saw it  |
 * | `x`  | host value        | —                      | —                                 |
 * | `1`  | 1                 | —                      | —                                 |
 * | `0`  | 0                 | —                      | —                                 |
 * | `T`  | host value (1)    | have the bit           | have the bit                      |
 * | `F`  | host value (0)    | lack the bit           | lack the bit                      |
 * | `H`  | host value        | —                      | equal the source host's value     |
 * | `R`  | 0                 | —                      | equal the source host's value     |
 * | `h`  | as `H`            | as `H`                 | as `H`                            |
 * | `r`  | as `R`            | as `R`                 | as `R`                            |
 *
 * `-` means "no setting in this mask": VMware then uses the guest-OS default, which openevc does
 * not know, so it passes the host value and applies vSphere's rule that a running VM keeps every
 * feature it saw at power-on (a destination must have each catalog feature the guest saw as 1).
 * `x` ("not used by guest software") passes the host value and asks nothing. The lower-case `h`
 * and `r` are read as `H` and `R` and written back as read (see docs/masks.md, "unconfirmed").
 */
import { compareText } from '../text.js';
import type { CpuidDump, Register } from '../cpuid.js';
import { REGISTERS, bitIsSet, hexLeaf, rangeBase, withBit } from '../cpuid.js';
import type { Feature, FeatureSet, Vendor } from '../catalog.js';
import { catalog } from '../catalog.js';
import { identify } from '../identity.js';

/** Every mask character, in merge order: merging two masks keeps, per bit, the later one in this list. */
export const MASK_CHARS = ['-', 'x', '1', 'h', 'H', 'T', '0', 'r', 'R', 'F'] as const;
export type MaskChar = (typeof MASK_CHARS)[number];

const RANK: Readonly<Record<string, number>> = Object.fromEntries(MASK_CHARS.map((c, i) => [c, i]));

export function isMaskChar(c: string): c is MaskChar {
  return RANK[c] !== undefined;
}

/** An all-`-` register: the mask says nothing about it. */
export const UNSET = '-'.repeat(32);

/**
 * Vendor a register mask is limited to (VMware's `cpuid.80000001.edx.amd`). An `amd` mask also
 * applies to Hygon hosts, whose CPUID follows AMD's.
 */
export type MaskVendor = 'intel' | 'amd';

/** Which register a mask line is for. Leaves without subleaves use subleaf 0. */
export interface MaskTarget {
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: Register;
  readonly vendor?: MaskVendor;
}

/** One register of a mask: 32 characters, character 0 = bit 31 (as every syntax writes them). */
export interface RegisterMask extends MaskTarget {
  readonly bits: string;
}

/** The character a register mask holds for one bit. */
export function charAt(bits: string, bit: number): MaskChar {
  return bits[31 - bit] as MaskChar;
}

/** Readable name of a target: `0x1 ecx`, `0xd.1 eax`, `0x80000001 edx (amd)`. */
export function describeTarget(t: MaskTarget): string {
  const sub = t.subleaf === 0 ? '' : `.${t.subleaf}`;
  return `${hexLeaf(t.leaf)}${sub} ${t.reg}${t.vendor ? ` (${t.vendor})` : ''}`;
}

function targetKey(t: MaskTarget): string {
  return `${t.leaf}.${t.subleaf}.${t.reg}.${t.vendor ?? ''}`;
}

function compareTargets(a: MaskTarget, b: MaskTarget): number {
  return (
    a.leaf - b.leaf ||
    a.subleaf - b.subleaf ||
    REGISTERS.indexOf(a.reg) - REGISTERS.indexOf(b.reg) ||
    compareText(a.vendor ?? '', b.vendor ?? '')
  );
}

function vendorMatches(mask: MaskVendor | undefined, host: Vendor | undefined): boolean {
  if (mask === undefined) return true;
  if (mask === 'amd') return host === 'amd' || host === 'hygon';
  return host === 'intel';
}

/**
 * A CPUID mask: register masks by (leaf, subleaf, register, vendor). Immutable; registers that
 * are all `-` are dropped, so two masks that act the same compare equal.
 */
export class CpuidMask {
  static readonly EMPTY = new CpuidMask(new Map());

  private constructor(private readonly regs: ReadonlyMap<string, RegisterMask>) {}

  /** A mask from register masks; a later entry for the same register replaces an earlier one. */
  static of(list: Iterable<RegisterMask>): CpuidMask {
    const regs = new Map<string, RegisterMask>();
    for (const r of list) {
      if (r.bits.length !== 32 || ![...r.bits].every(isMaskChar)) throw new RangeError(`not a 32-character mask: '${r.bits}'`);
      const k = targetKey(r);
      regs.delete(k);
      if (r.bits !== UNSET) regs.set(k, { ...targetOf(r), bits: r.bits });
    }
    return new CpuidMask(regs);
  }

  /** Registers in a stable order: leaf, subleaf, eax..edx, plain before vendor-specific. */
  list(): RegisterMask[] {
    return [...this.regs.values()].sort(compareTargets);
  }

  get(t: MaskTarget): RegisterMask | undefined {
    return this.regs.get(targetKey(t));
  }

  get size(): number {
    return this.regs.size;
  }

  get isEmpty(): boolean {
    return this.regs.size === 0;
  }

  /**
   * The 32 characters in force for a register on a host of this vendor: a vendor-specific
   * register mask over the plain one (its `-` bits fall back to the plain mask).
   */
  effective(leaf: number, subleaf: number, reg: Register, vendor: Vendor | undefined): string {
    const plain = this.regs.get(targetKey({ leaf, subleaf, reg }))?.bits ?? UNSET;
    for (const v of ['intel', 'amd'] as const) {
      const specific = vendorMatches(v, vendor) ? this.regs.get(targetKey({ leaf, subleaf, reg, vendor: v })) : undefined;
      if (specific) return composeBits(plain, specific.bits);
    }
    return plain;
  }

  /** The (leaf, subleaf, reg) triples this mask has settings for, whatever the vendor. */
  registers(): { leaf: number; subleaf: number; reg: Register }[] {
    const seen = new Map<string, { leaf: number; subleaf: number; reg: Register }>();
    for (const r of this.list()) seen.set(`${r.leaf}.${r.subleaf}.${r.reg}`, { leaf: r.leaf, subleaf: r.subleaf, reg: r.reg });
    return [...seen.values()];
  }

  equals(other: CpuidMask): boolean {
    if (other.regs.size !== this.regs.size) return false;
    for (const [k, r] of this.regs) if (other.regs.get(k)?.bits !== r.bits) return false;
    return true;
  }
}

/**
 * Builds a mask one bit at a time (for syntaxes that name features or bits rather than whole
 * registers). Setting a bit again replaces its character.
 */
export class MaskBuilder {
  private readonly regs = new Map<string, RegisterMask>();

  set(at: { leaf: number; subleaf: number; reg: Register; bit: number; vendor?: MaskVendor }, c: MaskChar): this {
    const t = targetOf(at);
    const k = targetKey(t);
    const old = this.regs.get(k)?.bits ?? UNSET;
    this.regs.set(k, { ...t, bits: old.slice(0, 31 - at.bit) + c + old.slice(32 - at.bit) });
    return this;
  }

  build(): CpuidMask {
    return CpuidMask.of(this.regs.values());
  }
}

function composeBits(base: string, over: string): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += over[i] === '-' ? base[i] : over[i];
  return out;
}

/**
 * `over` laid on `base`, bit by bit: every setting of `over` wins, its `-` bits keep `base`.
 * This is how a VM-config mask sits on the defaults (vSphere: the VM-config mask overrides the
 * guest-OS descriptor bit by bit).
 */
export function composeMasks(base: CpuidMask, over: CpuidMask): CpuidMask {
  const out = new Map<string, RegisterMask>();
  for (const r of base.list()) out.set(targetKey(r), r);
  for (const r of over.list()) {
    const under = out.get(targetKey(r));
    out.set(targetKey(r), { ...r, bits: under ? composeBits(under.bits, r.bits) : r.bits });
  }
  return CpuidMask.of(out.values());
}

/** A bit where two merged masks asked for things no single character gives. */
export interface MergeConflict extends MaskTarget {
  readonly bit: number;
  readonly a: MaskChar;
  readonly b: MaskChar;
  /** What the merged mask holds. */
  readonly result: MaskChar;
  readonly feature?: Feature;
}

export interface MergeResult {
  readonly mask: CpuidMask;
  readonly conflicts: readonly MergeConflict[];
}

/**
 * Whether `winner` still gives what `loser` asked for, hiding aside (hiding is what merging is for).
 * A forced 1 survives only as `T`; a requirement survives only as the same requirement.
 */
function covers(winner: MaskChar, loser: MaskChar): boolean {
  switch (loser) {
    case '-':
    case 'x':
    case '0':
      return true;
    case '1':
      return winner === '1' || winner === 'T';
    case 'h':
    case 'H':
      return winner === 'h' || winner === 'H' || winner === 'r' || winner === 'R';
    case 'r':
    case 'R':
      return winner === 'r' || winner === 'R';
    case 'T':
    case 'F':
      return winner === loser;
  }
}

/** The merge of two characters: the later one in {@link MASK_CHARS}. */
export function mergeChar(a: MaskChar, b: MaskChar): MaskChar {
  return RANK[a]! >= RANK[b]! ? a : b;
}

/**
 * One mask that does the work of both (seed 002: the A→B and B→A lines become one line per
 * register). Per bit the stronger character wins, in the order of {@link MASK_CHARS}:
 * no setting < not used < forced 1 < must match < required < hidden < hidden and must match <
 * must be absent. So a bit hidden in either mask is hidden in the merge. Being a maximum over a
 * fixed order, merging is commutative, associative and idempotent. Where the winner drops what the
 * other side asked for (a required bit hidden, T against F, a forced 1 hidden), the bit is listed
 * in `conflicts`.
 */
export function mergeMasks(a: CpuidMask, b: CpuidMask): MergeResult {
  const out = new Map<string, RegisterMask>();
  const conflicts: MergeConflict[] = [];
  for (const r of a.list()) out.set(targetKey(r), r);
  for (const r of b.list()) {
    const other = out.get(targetKey(r));
    if (!other) {
      out.set(targetKey(r), r);
      continue;
    }
    let bits = '';
    for (let i = 0; i < 32; i++) {
      const ca = other.bits[i] as MaskChar;
      const cb = r.bits[i] as MaskChar;
      const m = mergeChar(ca, cb);
      bits += m;
      const loser = m === ca ? cb : ca;
      if (!covers(m, loser)) {
        const bit = 31 - i;
        const feature = catalog.at(r.leaf, r.subleaf, r.reg, bit);
        conflicts.push({ ...targetOf(r), bit, a: ca, b: cb, result: m, ...(feature ? { feature } : {}) });
      }
    }
    out.set(targetKey(r), { ...r, bits });
  }
  return { mask: CpuidMask.of(out.values()), conflicts };
}

function targetOf(t: MaskTarget): MaskTarget {
  return { leaf: t.leaf, subleaf: t.subleaf, reg: t.reg, ...(t.vendor ? { vendor: t.vendor } : {}) };
}

/** Merges any number of masks (see {@link mergeMasks}); conflicts of every step are collected. */
export function mergeAll(masks: Iterable<CpuidMask>): MergeResult {
  let mask = CpuidMask.EMPTY;
  const conflicts: MergeConflict[] = [];
  for (const m of masks) {
    const r = mergeMasks(mask, m);
    mask = r.mask;
    conflicts.push(...r.conflicts);
  }
  return { mask, conflicts };
}

/** The guest's value of one register under a mask's 32 characters. */
export function applyBits(value: number, bits: string): number {
  let out = value >>> 0;
  for (let bit = 0; bit < 32; bit++) {
    const c = bits[31 - bit];
    if (c === '1') out = withBit(out, bit, true);
    else if (c === '0' || c === 'R' || c === 'r') out = withBit(out, bit, false);
  }
  return out;
}

export interface ApplyOptions {
  /** Host vendor, for vendor-specific register masks (default: read from the dump's leaf 0). */
  readonly vendor?: Vendor;
}

/**
 * What a guest is shown of a host under a mask: the dump with every masked register rewritten.
 * Only the mask acts here; what the hypervisor hides by itself is a view (src/core/profiles.ts).
 * Leaves the dump does not hold stay absent: a mask changes answers, it does not invent leaves.
 * Applying the same mask again changes nothing.
 */
export function applyMask(mask: CpuidMask, host: CpuidDump, opts: ApplyOptions = {}): CpuidDump {
  const vendor = opts.vendor ?? identify(host).vendor;
  const guest = host.clone({ ...host.source, view: 'guest' });
  for (const { leaf, subleaf, reg } of mask.registers()) {
    const regs = guest.get(leaf, subleaf);
    if (!regs) continue;
    const bits = mask.effective(leaf, subleaf, reg, vendor);
    guest.set(leaf, subleaf, { ...regs, [reg]: applyBits(regs[reg], bits) });
  }
  return guest;
}

/**
 * The same on decoded features, when no dump is at hand: hidden bits leave the set, forced bits
 * join it. Only CPUID-located catalog features are affected.
 */
export function applyMaskToFeatures(mask: CpuidMask, features: FeatureSet, vendor: Vendor | undefined): FeatureSet {
  const out = features.clone();
  for (const { leaf, subleaf, reg } of mask.registers()) {
    const bits = mask.effective(leaf, subleaf, reg, vendor);
    for (let bit = 0; bit < 32; bit++) {
      const f = catalog.at(leaf, subleaf, reg, bit);
      if (!f) continue;
      const c = charAt(bits, bit);
      if (c === '1') out.add(f);
      else if (c === '0' || c === 'R' || c === 'r') out.delete(f);
    }
  }
  return out;
}

/** When a requirement is checked: at power-on only `T`/`F` count; a vMotion destination must meet them all. */
export type MaskPhase = 'power-on' | 'vmotion';

/** Why a bit is required: the mask character, or `seen` (the guest saw the feature, vMotion must keep it). */
export type RequirementReason = 'T' | 'F' | 'H' | 'h' | 'R' | 'r' | 'seen';

/** One bit a host must have at a value. */
export interface BitRequirement {
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: Register;
  readonly bit: number;
  readonly mustBe: 0 | 1;
  readonly because: RequirementReason;
  readonly feature?: Feature;
}

/** Identity values a VM can require (per-VM EVC `featMask.vm.cpuid.FAMILY = "Min:6"`...). */
export type IdentityField = 'vendor-intel' | 'vendor-amd' | 'family' | 'model' | 'stepping' | 'max-basic-leaf' | 'max-extended-leaf';

export interface IdentityRequirement {
  readonly field: IdentityField;
  readonly op: 'min' | 'max';
  readonly value: bigint;
  /** The key as the input spelled it. */
  readonly key: string;
}

export interface Requirements {
  readonly bits: readonly BitRequirement[];
  readonly identity: readonly IdentityRequirement[];
}

export interface RequirementOptions extends ApplyOptions {
  /** Default `vmotion`. */
  readonly phase?: MaskPhase;
  /**
   * Features the hypervisor shows the guest before any mask (a view's `guestFeatures`); when
   * given, only those count as "seen". Without it every catalog feature of the source counts.
   */
  readonly visible?: FeatureSet;
}

/** A bit's value in a dump: 0/1, or undefined when the leaf is in range but was not dumped. */
export function knownBit(dump: CpuidDump, leaf: number, subleaf: number, reg: Register, bit: number): 0 | 1 | undefined {
  if (dump.isValidLeaf(leaf, subleaf)) return bitIsSet(dump.reg(leaf, subleaf, reg)!, bit) ? 1 : 0;
  const base = rangeBase(leaf);
  const max = dump.get(base)?.eax;
  // Outside the range the CPU reports, the feature is absent; inside it, the dump just lacks it.
  if (max !== undefined && (rangeBase(max) !== base || leaf > max)) return 0;
  return undefined;
}

/**
 * What a VM masked this way, powered on (or running) on `source`, needs from a host.
 * Power-on: the `T` and `F` bits. vMotion: those, plus every `H`/`R` bit at the source's value,
 * plus every catalog feature the guest saw as 1 through a `-` bit (a running VM keeps the feature
 * set it got at power-on). The last rule is conservative: vSphere lets kernel-only features such
 * as NX differ when the guest does not use them, which openevc cannot know.
 */
export function maskRequirements(mask: CpuidMask, source: CpuidDump, opts: RequirementOptions = {}): Requirements {
  const vendor = opts.vendor ?? identify(source).vendor;
  const phase = opts.phase ?? 'vmotion';
  const out = new Map<string, BitRequirement>();
  const add = (r: BitRequirement) => out.set(`${r.leaf}.${r.subleaf}.${r.reg}.${r.bit}`, r);
  for (const { leaf, subleaf, reg } of mask.registers()) {
    const bits = mask.effective(leaf, subleaf, reg, vendor);
    for (let bit = 0; bit < 32; bit++) {
      const c = charAt(bits, bit);
      const feature = catalog.at(leaf, subleaf, reg, bit);
      const base = { leaf, subleaf, reg, bit, ...(feature ? { feature } : {}) };
      if (c === 'T' || c === 'F') add({ ...base, mustBe: c === 'T' ? 1 : 0, because: c });
      else if (phase === 'vmotion' && (c === 'H' || c === 'h' || c === 'R' || c === 'r')) {
        const v = knownBit(source, leaf, subleaf, reg, bit);
        if (v !== undefined) add({ ...base, mustBe: v, because: c });
      }
    }
  }
  if (phase === 'vmotion') {
    for (const rm of catalog.registers()) {
      if (!source.isValidLeaf(rm.leaf, rm.subleaf)) continue;
      const value = source.reg(rm.leaf, rm.subleaf, rm.reg)!;
      const bits = mask.effective(rm.leaf, rm.subleaf, rm.reg, vendor);
      for (let bit = 0; bit < 32; bit++) {
        const i = rm.bits[bit]!;
        if (i < 0 || !bitIsSet(value, bit) || charAt(bits, bit) !== '-') continue;
        const f = catalog.features[i]!;
        if (f.kind !== 'feature' || (opts.visible && !opts.visible.has(f))) continue;
        add({ leaf: rm.leaf, subleaf: rm.subleaf, reg: rm.reg, bit, mustBe: 1, because: 'seen', feature: f });
      }
    }
  }
  const bits = [...out.values()].sort((a, b) => compareTargets(a, b) || b.bit - a.bit);
  return { bits, identity: [] };
}

/** A requirement a host does not meet; `found` is undefined when the host's dump lacks that leaf. */
export interface UnmetBit {
  readonly requirement: BitRequirement;
  readonly found: 0 | 1 | undefined;
}

export interface UnmetIdentity {
  readonly requirement: IdentityRequirement;
  readonly found: bigint | undefined;
}

export interface Unmet {
  readonly bits: readonly UnmetBit[];
  readonly identity: readonly UnmetIdentity[];
}

/** The value of an identity field on a host (vendors as 1/0). */
export function identityValue(field: IdentityField, dump: CpuidDump): bigint | undefined {
  const id = identify(dump);
  switch (field) {
    case 'vendor-intel':
      return id.vendorString === '' ? undefined : BigInt(id.vendor === 'intel' ? 1 : 0);
    case 'vendor-amd':
      return id.vendorString === '' ? undefined : BigInt(id.vendor === 'amd' || id.vendor === 'hygon' ? 1 : 0);
    case 'family':
    case 'model':
    case 'stepping':
      return dump.has(1) ? BigInt(id[field]) : undefined;
    case 'max-basic-leaf':
      return id.maxBasicLeaf === undefined ? undefined : BigInt(id.maxBasicLeaf);
    case 'max-extended-leaf':
      return id.maxExtendedLeaf === undefined ? undefined : BigInt(id.maxExtendedLeaf);
  }
}

/** The requirements a destination (or power-on host) does not meet, or cannot be shown to meet. */
export function unmetRequirements(reqs: Requirements, dest: CpuidDump): Unmet {
  const bits: UnmetBit[] = [];
  for (const r of reqs.bits) {
    const found = knownBit(dest, r.leaf, r.subleaf, r.reg, r.bit);
    if (found !== r.mustBe) bits.push({ requirement: r, found });
  }
  const identity: UnmetIdentity[] = [];
  for (const r of reqs.identity) {
    const found = identityValue(r.field, dest);
    if (found === undefined || (r.op === 'min' ? found < r.value : found > r.value)) identity.push({ requirement: r, found });
  }
  return { bits, identity };
}

/**
 * A readable account of a mask, one block per register: the characters, then each bit that is not
 * `-` and names a catalog feature, then the other set bits grouped by character. Stable text, used
 * for golden tests and `--explain`.
 */
export function describeMask(mask: CpuidMask): string {
  const out: string[] = [];
  for (const r of mask.list()) {
    out.push(`${describeTarget(r)}  ${r.bits}`);
    const unnamed = new Map<MaskChar, number[]>();
    for (let bit = 31; bit >= 0; bit--) {
      const c = charAt(r.bits, bit);
      if (c === '-') continue;
      const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
      if (f) out.push(`  bit ${String(bit).padStart(2)}  ${c}  ${f.id} (${f.name})`);
      else unnamed.set(c, [...(unnamed.get(c) ?? []), bit]);
    }
    for (const [c, bits] of unnamed) out.push(`  bits ${bitRanges(bits)}  ${c}  (no catalog feature)`);
  }
  return out.length === 0 ? '(empty mask)\n' : `${out.join('\n')}\n`;
}

/** `31-20,16,14-10` from descending bit numbers. */
function bitRanges(bits: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < bits.length; ) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j]! - 1) j++;
    parts.push(i === j ? `${bits[i]}` : `${bits[i]}-${bits[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
