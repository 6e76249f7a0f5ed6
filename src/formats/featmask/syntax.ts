/**
 * Per-VM EVC and feature-name masks: `featMask.vm.cpuid.<NAME> = "Val:1"` (also `Min:`, `Max:`,
 * hex allowed), and vSphere's FeatureRequirement values (`Bool:Min:1`, `Num:Min:0xd`).
 *
 * Names are VMware feature keys, case-insensitive (`PDPE1GB` and `pdpe1gb` are both seen), looked up
 * in the catalog's `vmware` column. A name that only another ecosystem uses (`pni` for SSE3) is not
 * applied: VMware would not know it either. Identity keys (`FAMILY`, `MODEL`, `STEPPING`,
 * `NUMLEVELS`, `NUM_EXT_LEVELS`, `Intel`, `AMD`) are kept and turned into identity requirements,
 * never into feature bits. Keys outside `cpuid.` (`hv.capable`, `MSR.0x480`) are kept unapplied.
 *
 * Meaning, as openevc applies it to a one-bit feature (translated into mask characters, so the
 * engine does the rest): `Val:0` hides (`0`), `Val:1` forces (`1`), `Min:1` requires the feature
 * (`T`: guest sees the host value, a host must have it), `Max:0` caps the guest's value at 0 (`0`:
 * vSphere uses it to hide VMX/SVM), `Min:0` and `Max:1` change nothing.
 */
import type { Feature } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { CpuidDump } from '../../core/cpuid.js';
import type { Diagnostic, InputLocation } from '../../core/errors.js';
import { InputError, UsageError } from '../../core/errors.js';
import { VMWARE_IDENTITY_KEYS } from '../vmx/keys.js';
import { MaskBuilder, applyMask, maskRequirements } from '../../core/masks/engine.js';
import type { CpuidMask } from '../../core/masks/engine.js';
import type { ApplyOptions, IdentityField, IdentityRequirement, MaskChar, RequirementOptions, Requirements } from '../../core/masks/engine.js';

export const FEAT_OPS = ['Val', 'Min', 'Max'] as const;
export type FeatOp = (typeof FEAT_OPS)[number];

/** A feature mask value: `Val:1`, `Min:0x6`. Values are 64-bit (VMX capability MSRs are). */
export interface FeatValue {
  readonly op: FeatOp;
  readonly value: bigint;
}

/** What a feature key names. */
export type FeatTarget =
  | { readonly kind: 'feature'; readonly feature: Feature }
  | { readonly kind: 'identity'; readonly field: IdentityField }
  /** Not a key openevc knows (or not a `cpuid.` key): kept, not applied. */
  | { readonly kind: 'unknown' };

/** One `featMask.vm.<key>` setting. */
export interface FeatMaskEntry extends FeatValue {
  /** The feature key after `featMask.vm.`, as written: `cpuid.AVX`, `cpuid.FAMILY`, `hv.capable`. */
  readonly key: string;
  readonly target: FeatTarget;
}

const MAX_U64 = (1n << 64n) - 1n;

/** A number as VMware writes them: decimal or `0x` hex, at most 64 bits. Undefined if malformed. */
function parseNumber(text: string): bigint | undefined {
  if (!/^(?:0x[0-9a-f]{1,16}|[0-9]{1,20})$/i.test(text)) return undefined;
  const v = BigInt(text.toLowerCase());
  return v <= MAX_U64 ? v : undefined;
}

/** `0`/`1`/... in decimal below 10, `0x…` above (VMware's own habit for numeric keys). */
function formatNumber(v: bigint): string {
  return v < 10n ? v.toString() : `0x${v.toString(16)}`;
}

function opOf(text: string, ops: readonly string[]): string | undefined {
  return ops.find((o) => o.toLowerCase() === text.toLowerCase());
}

/** Parses `Val:<n>` / `Min:<n>` / `Max:<n>`; `where.column` is the value's first column. */
export function parseFeatValue(text: string, where: InputLocation): FeatValue {
  const colon = text.indexOf(':');
  const op = opOf(colon < 0 ? text : text.slice(0, colon), FEAT_OPS) as FeatOp | undefined;
  if (!op || colon < 0) throw new InputError(where, 'a feature mask value Val:<n>, Min:<n> or Max:<n>', text);
  const value = parseNumber(text.slice(colon + 1));
  if (value === undefined) {
    throw new InputError({ ...where, column: (where.column ?? 1) + colon + 1 }, 'a decimal or 0x-hex number of at most 64 bits', text.slice(colon + 1));
  }
  return { op, value };
}

export function formatFeatValue(v: FeatValue): string {
  return `${v.op}:${formatNumber(v.value)}`;
}

/** vSphere FeatureRequirement value: `<type>:<op>:<n>`. Only `Min` is confirmed; `Max` and `Match` are accepted. */
export interface FeatureRequirementValue {
  readonly type: 'Bool' | 'Num';
  readonly op: 'Min' | 'Max' | 'Match';
  readonly value: bigint;
}

/** Parses `Bool:Min:1`, `Num:Min:0xd`. A `Bool` value must be 0 or 1. */
export function parseFeatureRequirementValue(text: string, where: InputLocation): FeatureRequirementValue {
  const parts = text.split(':');
  const col = where.column ?? 1;
  const type = opOf(parts[0] ?? '', ['Bool', 'Num']) as FeatureRequirementValue['type'] | undefined;
  if (parts.length !== 3 || !type) throw new InputError(where, 'a feature requirement <Bool|Num>:<Min|Max|Match>:<n>', text);
  const op = opOf(parts[1]!, ['Min', 'Max', 'Match']) as FeatureRequirementValue['op'] | undefined;
  if (!op) throw new InputError({ ...where, column: col + parts[0]!.length + 1 }, 'Min, Max or Match', parts[1]);
  const numColumn = col + parts[0]!.length + parts[1]!.length + 2;
  const value = parseNumber(parts[2]!);
  if (value === undefined) throw new InputError({ ...where, column: numColumn }, 'a decimal or 0x-hex number of at most 64 bits', parts[2]);
  if (type === 'Bool' && value > 1n) throw new InputError({ ...where, column: numColumn }, '0 or 1 for a Bool requirement', parts[2]);
  return { type, op, value };
}

export function formatFeatureRequirementValue(v: FeatureRequirementValue): string {
  return `${v.type}:${v.op}:${formatNumber(v.value)}`;
}

const PREFIX = 'featmask.vm.';

/** The feature key of a `.vmx` key (`featMask.vm.cpuid.AVX` → `cpuid.AVX`), or undefined for other keys. */
export function featMaskKey(vmxKey: string): string | undefined {
  if (!vmxKey.toLowerCase().startsWith(PREFIX) || vmxKey.length === PREFIX.length) return undefined;
  return vmxKey.slice(PREFIX.length);
}

/** What a feature key (`cpuid.AVX`) names, and a note when openevc will not apply it. */
export function resolveFeatKey(key: string): { target: FeatTarget; note?: string } {
  if (!key.toLowerCase().startsWith('cpuid.')) {
    return { target: { kind: 'unknown' }, note: `'${key}' is not a CPUID feature key; openevc keeps it without applying it` };
  }
  const name = key.slice('cpuid.'.length);
  const field = VMWARE_IDENTITY_KEYS[name.toLowerCase()];
  if (field) return { target: { kind: 'identity', field } };
  const f = catalog.resolve(name, 'vmware');
  if (f && f.vmware?.toLowerCase() === name.toLowerCase()) return { target: { kind: 'feature', feature: f } };
  const hint = f ? (f.vmware ? `; VMware calls ${f.name} '${f.vmware}'` : `; VMware has no key for ${f.name}`) : '';
  return { target: { kind: 'unknown' }, note: `'${name}' is not a VMware feature key openevc knows${hint}; it is kept but not applied` };
}

/**
 * Reads one `featMask.vm.<key>` setting. `where` points at the value (its column is the value's
 * first character). Unknown keys are kept with a diagnostic; bad values are InputErrors.
 */
export function readFeatMask(key: string, value: string, where: InputLocation): { entry: FeatMaskEntry; diagnostics: Diagnostic[] } {
  const v = parseFeatValue(value, where);
  const { target, note } = resolveFeatKey(key);
  if (target.kind === 'feature' && v.value > 1n) {
    throw new InputError({ ...where, column: (where.column ?? 1) + v.op.length + 1 }, `0 or 1 for '${key}' (a one-bit feature)`, value.slice(v.op.length + 1));
  }
  const diagnostics: Diagnostic[] = note ? [{ level: 'warning', message: note, where }] : [];
  return { entry: { key, op: v.op, value: v.value, target }, diagnostics };
}

/** A setting for a catalog feature, under its VMware name. */
export function featMaskFor(feature: Feature, op: FeatOp, value: 0 | 1): FeatMaskEntry {
  if (!feature.vmware) throw new UsageError(`VMware has no feature key for ${feature.name} (${feature.id}); use a cpuid.<leaf>.<reg> mask instead`);
  return { key: `cpuid.${feature.vmware}`, op, value: BigInt(value), target: { kind: 'feature', feature } };
}

/** The `.vmx` line of a setting: `featMask.vm.cpuid.avx = "Val:0"`. */
export function printFeatMask(e: FeatMaskEntry): string {
  return `featMask.vm.${e.key} = "${formatFeatValue(e)}"`;
}

/** The mask character a one-bit feature setting stands for (see the module comment). */
export function featChar(op: FeatOp, value: bigint): MaskChar {
  if (op === 'Val') return value === 0n ? '0' : '1';
  if (op === 'Min') return value >= 1n ? 'T' : '-';
  return value === 0n ? '0' : '-';
}

/** The feature settings as a register mask (a later setting of the same feature replaces an earlier one). */
export function featMaskToCpuidMask(entries: readonly FeatMaskEntry[]): CpuidMask {
  const bits = new MaskBuilder();
  for (const e of entries) {
    if (e.target.kind === 'feature' && e.target.feature.loc.type === 'cpuid') bits.set(e.target.feature.loc, featChar(e.op, e.value));
  }
  return bits.build();
}

/** The guest view of a host under feature settings. */
export function applyFeatMask(entries: readonly FeatMaskEntry[], host: CpuidDump, opts: ApplyOptions = {}): CpuidDump {
  return applyMask(featMaskToCpuidMask(entries), host, opts);
}

/** Identity requirements of the settings: `Min`/`Max` on identity keys (`AMD Min:1`: an AMD host). */
export function featIdentityRequirements(entries: readonly FeatMaskEntry[]): IdentityRequirement[] {
  const out: IdentityRequirement[] = [];
  for (const e of entries) {
    if (e.target.kind !== 'identity' || e.op === 'Val') continue;
    if (e.op === 'Min' && e.value === 0n) continue;
    out.push({ field: e.target.field, op: e.op === 'Min' ? 'min' : 'max', value: e.value, key: e.key });
  }
  return out;
}

/** What a VM with these settings needs from a host (see maskRequirements), identity included. */
export function featMaskRequirements(entries: readonly FeatMaskEntry[], source: CpuidDump, opts: RequirementOptions = {}): Requirements {
  const { bits } = maskRequirements(featMaskToCpuidMask(entries), source, opts);
  return { bits, identity: featIdentityRequirements(entries) };
}
