/**
 * Can a VM powered on at one host live-migrate to another? The VM keeps, for as long as it runs,
 * the CPU features it was given at power-on; the destination must offer every one of them.
 *
 * By default the VM was given its source host's guest view (what the hypervisor profile shows
 * VMs). A VM held to less (per-VM CPUID masks, per-VM EVC, a .vmx read by the mask engine) passes
 * that smaller set as `vmRequirements`; `vmxCheckOptions` (src/formats/vmx) computes it from a .vmx.
 */
import { compareText } from './text.js';
import type { Feature, FeatureSet, Vendor } from './catalog.js';
import { catalog } from './catalog.js';
import type { Host } from './host.js';
import type { EvcMode, EvcModeSet } from './evc.js';
import { UNCONFIRMED_MARK, builtinEvcModes, commonEvcMode, featurePlacement, hostMaxEvcMode, modeAdding } from './evc.js';
import type { EvcPlacement } from './evc.js';
import { UARCH_EVC_GENERATION } from '../data/uarch-evc.js';
import { showsUnknownBits, unknownBits } from './unknown-bits.js';
import type { UnknownBit } from './unknown-bits.js';
import type { ProfileDef, ProfileOptions } from './profiles.js';
import { defaultProfile, guestFeatures, normalizeHostFeatures } from './profiles.js';

export interface CheckOptions extends ProfileOptions {
  /** The hypervisor profile (default: the first view, ESXi). */
  readonly profile?: ProfileDef;
  /**
   * What the VM was given at power-on, when it is less than the source's guest view: the seam for
   * per-VM masks and per-VM EVC (the mask engine computes it from a .vmx). Default: guestFeatures(src, view).
   */
  readonly vmRequirements?: FeatureSet;
  /**
   * Features the VM's configuration requires the destination NOT to have (mask `F`, or `H`/`R` on a
   * bit the source lacks): a destination with one of them is refused.
   */
  readonly vmForbids?: FeatureSet;
  /** Identity requirements of the VM's configuration the destination does not meet (per-VM EVC `FAMILY`, vendor...). */
  readonly vmUnmetIdentity?: readonly string[];
  /** EVC modes used to tell generations apart (default: the built-in ones). */
  readonly evcModes?: EvcModeSet;
}

/** Why a destination probably lacks a feature. */
export type CauseKind =
  /** A set bit the catalog does not name (compared only by profiles that show unknown bits: raw). */
  | 'unknown-bit'
  /** The CPU vendor changes: no per-feature cause applies (vSphere never moves a VM across vendors). */
  | 'vendor-change'
  /** The destination's CPU generation is older: it supports a lower EVC mode than the source. */
  | 'newer-generation'
  /** A different CPU line that simply lacks the feature (neither generation is clearly newer). */
  | 'different-cpu'
  /** Same CPU model: a firmware (BIOS/UEFI) setting turns the feature off. */
  | 'firmware'
  /** Same CPU model: switched off some other way (microcode, a CPUID mask). */
  | 'disabled'
  /** A speculation-control or TSX bit: microcode, firmware or the kernel decides whether it exists. */
  | 'microcode'
  /** The destination's input cannot carry every bit (/proc/cpuinfo): the feature may only be unknown. */
  | 'lossy-input'
  /** The destination's CPUID was captured inside a VM, whose hypervisor may hide the feature. */
  | 'nested-input'
  /** The VM's own configuration (.vmx mask F/H/R) requires the feature to be absent, and the destination has it. */
  | 'vm-forbids';

export interface Blocker {
  readonly feature: Feature;
  readonly kind: CauseKind;
  /** The cause, shared by every blocker of the same kind and hosts. */
  readonly headline: string;
  /** Per-feature addition to the headline (the EVC mode that brings it), if any. */
  readonly detail: string | undefined;
  /** The EVC mode the feature arrives with, when the detail names one, and how sure that placement is. */
  readonly placement?: EvcPlacement;
}

export interface CheckResult {
  readonly compatible: boolean;
  readonly profile: ProfileDef;
  readonly from: Host;
  readonly to: Host;
  /** Set when the vendors differ: the profile's verdict on cross-vendor migration. */
  readonly vendorMismatch: string | undefined;
  /** What the VM was given at power-on (and needs on the destination). */
  readonly requirements: FeatureSet;
  readonly blockers: readonly Blocker[];
  /** Features the destination offers that the VM does not use (harmless). */
  readonly extra: FeatureSet;
  /** Highest EVC modes of each host and of both together (meaningful for ESXi). */
  readonly evc: { readonly from: EvcMode | undefined; readonly to: EvcMode | undefined; readonly common: EvcMode | undefined };
  /** Things about the inputs the reader should know (captured inside a VM, lossy format). */
  readonly notes: readonly string[];
}

/**
 * Features whose firmware setup has a switch: when the same CPU model lacks one, the switch is the likely cause.
 * The values are the settings' usual names in BIOS/UEFI setup.
 */
export const FIRMWARE_SWITCHES: Readonly<Record<string, string>> = {
  aes: 'AES-NI',
  pclmulqdq: 'AES-NI (some firmware turns PCLMULQDQ off with it)',
  vmx: 'Intel VT-x (virtualization technology)',
  svm: 'AMD-V (SVM mode)',
  nx: 'Execute Disable / No-Execute (XD/NX)',
  monitor: 'MONITOR/MWAIT',
  x2apic: 'x2APIC',
  sgx: 'SGX',
};

function cpuName(h: Host): string {
  return h.id.microarchitecture ?? (h.id.brand || 'the CPU');
}

/** Compares two hosts for a live migration from `src` to `dst`. */
export function checkMigration(src: Host, dst: Host, opts: CheckOptions = {}): CheckResult {
  const view = opts.profile ?? defaultProfile();
  const set = opts.evcModes ?? builtinEvcModes();
  const requirements = (opts.vmRequirements ?? guestFeatures(src, view, opts)).intersection(catalog.capabilities);
  const offered = guestFeatures(dst, view, opts);
  const missing = requirements.minus(offered);
  const evc = { from: hostMaxEvcMode(src, set), to: hostMaxEvcMode(dst, set), common: commonEvcMode([src, dst], set) };
  let unknownNote: string | undefined;
  const crossing = src.id.vendor !== dst.id.vendor || src.id.vendorString !== dst.id.vendorString;
  const blockers = [...missing].sort(byLocation).map((f) => (crossing ? vendorChange(f, src, dst) : explain(f, src, dst, evc, set)));
  // Bits the catalog does not name, where the profile shows guests bits it does not know (raw CPUID).
  const differing = crossing ? [] : differingUnknownBits(src, dst);
  if (!showsUnknownBits(view) && differing.length > 0 && view.unknownBits) {
    unknownNote = `${differing.length} set bit${differing.length === 1 ? '' : 's'} openevc cannot name differ between the hosts (${differing.join(', ')}) and ${differing.length === 1 ? 'is' : 'are'} not compared: ${view.unknownBits.why}${view.unknownBits.confirmed ? '' : ' (unconfirmed: no source openevc holds says so)'}`;
  }
  if (showsUnknownBits(view) && opts.vmRequirements === undefined && !crossing) {
    const there = new Set(unknownBits(dst.dump).map((u) => u.id));
    for (const u of unknownBits(src.dump)) {
      if (there.has(u.id)) continue;
      blockers.push({ feature: unknownFeature(u), kind: 'unknown-bit', headline: `a set bit openevc cannot name: the ${view.name} profile shows it to guests, and the destination does not have it`, detail: undefined });
    }
  }
  if (opts.vmForbids) {
    const present = normalizeHostFeatures(dst.features, dst.id.vendor);
    for (const f of [...opts.vmForbids.intersection(present)].sort(byLocation)) {
      blockers.push({ feature: f, kind: 'vm-forbids', headline: "the VM's configuration requires this feature to be absent (mask F, or H/R where the source lacks it), and the destination has it", detail: undefined });
    }
  }
  const vendorMismatch = crossing ? crossVendor(src, dst, view) : undefined;

  const notes: string[] = [];
  if (unknownNote) notes.push(unknownNote);
  for (const [role, h] of [['source', src], ['destination', dst]] as const) {
    if (h.id.hypervisor) notes.push(`The ${role}'s CPUID was captured inside a VM${h.id.hypervisorVendor ? ` (${h.id.hypervisorVendor})` : ''}: it shows what that VM was given, not the host.`);
    if (h.dump.source.lossy) notes.push(`The ${role}'s input (${h.dump.source.format}) cannot carry every CPUID bit: an absent feature may only be unknown.`);
  }
  for (const u of opts.vmUnmetIdentity ?? []) notes.push(`The VM's configuration requires ${u}.`);
  return {
    compatible: blockers.length === 0 && vendorMismatch === undefined && (opts.vmUnmetIdentity ?? []).length === 0,
    profile: view,
    from: src,
    to: dst,
    vendorMismatch,
    requirements,
    blockers,
    extra: offered.minus(requirements),
    evc,
    notes,
  };
}

function crossVendor(src: Host, dst: Host, view: ProfileDef): string {
  const names = `${src.id.vendorString || 'unknown vendor'} → ${dst.id.vendorString || 'unknown vendor'}`;
  return `${names}: ${view.crossVendor ?? `the ${view.name} profile has no way to migrate a running VM across CPU vendors`}`;
}

function byLocation(a: Feature, b: Feature): number {
  if (a.loc.type !== b.loc.type) return a.loc.type === 'cpuid' ? -1 : 1;
  if (a.loc.type === 'cpuid' && b.loc.type === 'cpuid') {
    return a.loc.leaf - b.loc.leaf || a.loc.subleaf - b.loc.subleaf || compareText(a.loc.reg, b.loc.reg) || a.loc.bit - b.loc.bit;
  }
  return a.index - b.index;
}

/** Unnamed set bits the source has and the destination lacks. */
function differingUnknownBits(src: Host, dst: Host): string[] {
  const there = new Set(unknownBits(dst.dump).map((u) => u.id));
  return unknownBits(src.dump).filter((u) => !there.has(u.id)).map((u) => u.id);
}

/** A stand-in feature for a bit the catalog does not name (for blockers only; never put in a FeatureSet). */
function unknownFeature(u: UnknownBit): Feature {
  return {
    index: -1, id: u.id, name: 'unknown', loc: { type: 'cpuid', leaf: u.leaf, subleaf: u.subleaf, reg: u.reg, bit: u.bit },
    cat: 'info', kind: 'feature', enforce: 'advisory', vendors: [], deps: [], aliases: [], unconfirmed: [], migratable: true, libvirtMigratable: undefined,
  } as unknown as Feature;
}

/** Across vendors, every missing feature has one cause, the vendor change: no microcode, firmware or generation story applies. */
function vendorChange(f: Feature, src: Host, dst: Host): Blocker {
  const names = `${src.id.vendorString || 'unknown vendor'} → ${dst.id.vendorString || 'unknown vendor'}`;
  return { feature: f, kind: 'vendor-change', headline: `the CPU vendor changes (${names}): the destination's vendor does not offer it`, detail: undefined };
}

/** Whether a feature can exist on a vendor's CPUs at all (the catalog's vendor list). */
function vendorCanHave(f: Feature, h: Host): boolean {
  const v = h.id.vendor;
  if (v === undefined) return true;
  return f.vendors.includes(v) || (v === 'hygon' && f.vendors.includes('amd'));
}

/**
 * Whether the destination's generation can have the feature at all: false when the feature arrives
 * with an EVC mode above the highest the destination supports (AES-NI on a Nehalem, TSX before
 * Haswell). Then no firmware switch or microcode update explains its absence.
 */
function generationCanHave(f: Feature, dst: Host, dstMax: EvcMode | undefined, set: EvcModeSet): boolean {
  // TSX came with Haswell (a mode may still hold RTM only as a dependency of a later TSX feature).
  const brought = f.cat === 'tsx' ? (dst.id.vendor === 'intel' ? set.get('intel-haswell') : undefined) : modeAdding(f, dst.id.vendor, set);
  const generation = generationMode(dst, set) ?? dstMax;
  if (!brought || !generation || brought.vendor !== generation.vendor) return true;
  return generation.tier >= brought.tier;
}

/** The EVC mode of the host's generation, from its microarchitecture (undefined when not known). */
function generationMode(h: Host, set: EvcModeSet): EvcMode | undefined {
  const name = h.id.microarchitecture;
  if (!name) return undefined;
  const row = UARCH_EVC_GENERATION.find(([prefix]) => name === prefix || name.startsWith(`${prefix} `));
  const mode = row ? set.get(row[1]) : undefined;
  return mode && mode.vendor === h.id.vendor ? mode : undefined;
}

function sameModel(a: Host, b: Host): boolean {
  return a.id.vendor === b.id.vendor && a.id.family === b.id.family && a.id.model === b.id.model;
}

function explain(f: Feature, src: Host, dst: Host, evc: CheckResult['evc'], set: EvcModeSet): Blocker {
  const make = (kind: CauseKind, headline: string, detail?: string, placement?: EvcPlacement): Blocker => ({ feature: f, kind, headline, detail, ...(placement ? { placement } : {}) });
  if (dst.dump.source.lossy) return make('lossy-input', `the destination's input (${dst.dump.source.format}) cannot show every bit: it may have the feature unlisted`);
  const possible = vendorCanHave(f, dst) && generationCanHave(f, dst, evc.to, set);
  if (f.cat === 'mitigation' && vendorCanHave(f, dst)) return make('microcode', MITIGATION_CAUSE);
  if (f.cat === 'tsx' && possible) return make('microcode', TSX_CAUSE);
  const firmware = possible ? FIRMWARE_SWITCHES[f.id] : undefined;
  if (sameModel(src, dst)) {
    if (firmware) return make('firmware', `same CPU model: the firmware setting ${firmware} is off on the destination`);
    return make('disabled', 'same CPU model: the feature is switched off on the destination (firmware, microcode or a CPUID mask)');
  }
  if (dst.id.hypervisor) return make('nested-input', "the destination's CPUID was captured inside a VM: its hypervisor may hide the feature");
  const vendor: Vendor | undefined = src.id.vendor;
  const placement = featurePlacement(f, vendor, set);
  const parts: string[] = [];
  if (placement) parts.push(`arrives with EVC mode ${placement.mode.key}${placement.confirmed ? '' : UNCONFIRMED_MARK}`);
  if (firmware) parts.push(`or ${firmware} is off in the destination's firmware`);
  const detail = parts.length > 0 ? parts.join('; ') : undefined;
  if (evc.from && evc.to && evc.from.vendor === evc.to.vendor && evc.from.tier > evc.to.tier) {
    return make('newer-generation', `newer generation: ${cpuName(src)} is newer than ${cpuName(dst)}`, detail, placement);
  }
  return make('different-cpu', `${cpuName(dst)} does not have it (${cpuName(src)} does)`, detail, placement);
}

const MITIGATION_CAUSE = "a speculation-control bit the destination lacks: older microcode or firmware on it, or a hypervisor that does not pass the bit; update the destination's microcode";
const TSX_CAUSE = 'TSX is off on the destination: removed by a microcode update, disabled in firmware, or turned off by the kernel (tsx=off)';

/**
 * The likely cause of a destination lacking `f` when only the feature is known, not the two hosts
 * (a platform's error message): the same rules as {@link checkMigration}'s, minus those that need
 * both CPUs (same model, captured in a VM, lossy input). `vendors` are the CPU vendors the message
 * may be about (both when it does not say): the EVC mode that brings the feature is named for each.
 */
export function likelyCause(f: Feature, vendors: readonly Vendor[] = ['intel', 'amd'], set: EvcModeSet = builtinEvcModes()): Omit<Blocker, 'feature'> {
  if (f.cat === 'mitigation') return { kind: 'microcode', headline: MITIGATION_CAUSE, detail: undefined };
  if (f.cat === 'tsx') return { kind: 'microcode', headline: TSX_CAUSE, detail: undefined };
  const firmware = FIRMWARE_SWITCHES[f.id];
  const modes = vendors.map((v) => modeAdding(f, v, set)).filter((m): m is EvcMode => m !== undefined);
  const parts: string[] = [];
  if (modes.length === 1) parts.push(`arrives with EVC mode ${modes[0]!.key}`);
  else if (modes.length > 1) parts.push(`arrives with EVC mode ${modes.map((m) => `${m.key} (${m.vendor === 'amd' ? 'AMD' : 'Intel'})`).join(' / ')}`);
  if (firmware) parts.push(`or ${firmware} is off in the destination's firmware`);
  const detail = parts.length > 0 ? parts.join('; ') : undefined;
  if (modes.length > 0) return { kind: 'newer-generation', headline: "the destination's CPU is probably of an older generation than the source's, or a different line", detail };
  return { kind: 'different-cpu', headline: "the destination's CPU does not have it (a different CPU line, or switched off there)", detail };
}

/** A blocker's cause as one sentence. */
export function blockerCause(b: Blocker): string {
  return b.detail ? `${b.headline}; ${b.detail}` : b.headline;
}

// ---- JSON --------------------------------------------------------------------------------------

