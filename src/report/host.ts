/**
 * The `openevc show --json` object for a decoded host (a contract other tools rely on: see
 * docs/json.md): identity, level, highest EVC mode, libvirt host-model and every set bit.
 */
import { compareText } from '../core/text.js';
import type { Register } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';
import type { Category, Enforcement, FeatureKind } from '../core/catalog.js';
import type { Host } from '../core/host.js';
import type { Level } from '../core/levels.js';
import { levelDeviations } from '../core/levels.js';
import { evcGaps, hostMaxEvcMode, modeConfidence } from '../core/evc.js';
import { unknownBits } from '../core/unknown-bits.js';
import { evcProfile, guestFeatures } from '../core/profiles.js';
import { hostModel, libvirtNames } from '../core/models.js';
import type { Fidelity } from '../core/cpuid.js';
import { fidelityOf } from '../core/cpuid.js';


export interface FeatureJson {
  readonly id: string;
  readonly name: string;
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: Register;
  readonly bit: number;
  /** `unknown` for a set bit the catalog does not name (`id` is then its location, `0x80000008.ebx.10`). */
  readonly kind: FeatureKind | 'unknown';
  readonly category: Category | 'unknown';
  readonly enforcement: Enforcement | 'unknown';
}

export interface MsrFeatureJson {
  readonly id: string;
  readonly name: string;
  readonly msr: number;
  readonly bit: number;
  readonly kind: FeatureKind;
  readonly category: Category;
}

/** The `openevc show --json` object. Keys are snake_case; `leaf` is a number. */
export interface HostSummary {
  readonly source: {
    /** The format the input was read as. */
    readonly format: string;
    /** The format the data was first captured in, when the input is a re-saved dump (openevc JSON). */
    readonly original_format: string | null;
    readonly path: string | null;
    readonly lossy: boolean;
    readonly label: string | null;
    /** Logical CPU the data is from, and how many the input held. */
    readonly cpu: number | null;
    readonly cpus: number;
    readonly view: 'host' | 'guest' | null;
    /** What the data rests on: raw CPUID, feature flags only, or an EVC mode key only. */
    readonly fidelity: Fidelity;
    /** For hosts known by an EVC mode key only: that key. */
    readonly evc_key: string | null;
  };
  readonly cpu: {
    readonly vendor: string;
    readonly vendor_id: string | null;
    readonly family: number;
    readonly model: number;
    readonly stepping: number;
    readonly signature: string;
    readonly brand: string;
    readonly microarchitecture: string | null;
  };
  readonly hypervisor: boolean;
  readonly hypervisor_vendor: string | null;
  readonly max_basic_leaf: number | null;
  readonly max_extended_leaf: number | null;
  readonly x86_64_level: Level;
  /**
   * The deliberate deviations from the psABI table that `x86_64_level` rests on: requirements read
   * other than by their own CPUID bit (OS state, the SYSCALL allowance) and what openevc requires beyond the table.
   */
  readonly x86_64_level_basis: readonly { readonly level: number; readonly requirement: string; readonly in_psabi: boolean; readonly checked_as: readonly string[]; readonly reason: string }[];
  /** The highest VMware EVC mode the host supports (judged on what ESXi shows its VMs); null when none. */
  /** `missing`: when no mode fits, per ladder of the vendor the nearest mode and what the host lacks for it. */
  readonly evc: { readonly max: string | null; readonly confirmed?: boolean; readonly sources?: readonly string[]; readonly missing?: readonly { readonly track: string; readonly mode: string; readonly needs: readonly string[] }[] };
  /**
   * libvirt's host-model for the host: the best QEMU/libvirt CPU model (versioned, as libvirt writes it)
   * and the host's features beyond it and missing from it, in libvirt's spelling. null when no model fits.
   */
  readonly qemu: { readonly model: string; readonly extra: readonly string[]; readonly disabled: readonly string[] } | null;
  /** Every set bit of the catalog's CPUID feature registers, OS- and hypervisor-controlled bits marked by `kind`. */
  readonly features: readonly FeatureJson[];
  /** Feature bits read from model-specific registers (IA32_ARCH_CAPABILITIES...), when the input had them. */
  readonly msr_features: readonly MsrFeatureJson[];
  readonly diagnostics: readonly { readonly level: string; readonly message: string }[];
}

export interface SummarizeOptions {
  /** The input as the user named it, and the format it was read as (defaults: the dump's own source). */
  readonly file?: string;
  readonly format?: string;
  readonly cpus?: number;
  readonly diagnostics?: readonly Diagnostic[];
}

export function summarize(host: Host, opts: SummarizeOptions = {}): HostSummary {
  const { dump, id } = host;
  const features: FeatureJson[] = [];
  const msrFeatures: MsrFeatureJson[] = [];
  for (const f of host.bits) {
    if (f.loc.type === 'cpuid') {
      features.push({ id: f.id, name: f.name, leaf: f.loc.leaf, subleaf: f.loc.subleaf, reg: f.loc.reg, bit: f.loc.bit, kind: f.kind, category: f.cat, enforcement: f.enforce });
    } else {
      msrFeatures.push({ id: f.id, name: f.name, msr: f.loc.index, bit: f.loc.bit, kind: f.kind, category: f.cat });
    }
  }
  for (const u of unknownBits(dump)) {
    features.push({ id: u.id, name: 'unknown', leaf: u.leaf, subleaf: u.subleaf, reg: u.reg, bit: u.bit, kind: 'unknown', category: 'unknown', enforcement: 'unknown' });
  }
  features.sort((a, b) => a.leaf - b.leaf || a.subleaf - b.subleaf || compareText(a.reg, b.reg) || a.bit - b.bit);
  msrFeatures.sort((a, b) => a.msr - b.msr || a.bit - b.bit);
  const src = dump.source;
  return {
    source: {
      format: opts.format ?? src.format,
      original_format: opts.format !== undefined && opts.format !== src.format ? src.format : null,
      path: opts.file ?? src.path ?? null,
      lossy: src.lossy,
      label: src.label ?? null,
      cpu: src.cpu ?? null,
      cpus: opts.cpus ?? 1,
      view: src.view ?? null,
      fidelity: fidelityOf(src),
      evc_key: src.evcKey ?? null,
    },
    cpu: {
      vendor: id.vendorString,
      vendor_id: id.vendor ?? null,
      family: id.family,
      model: id.model,
      stepping: id.stepping,
      signature: `0x${id.signature.toString(16).padStart(8, '0')}`,
      brand: id.brand,
      microarchitecture: id.microarchitecture ?? null,
    },
    hypervisor: id.hypervisor,
    hypervisor_vendor: id.hypervisorVendor ?? null,
    max_basic_leaf: id.maxBasicLeaf ?? null,
    max_extended_leaf: id.maxExtendedLeaf ?? null,
    x86_64_level: host.level,
    x86_64_level_basis: levelDeviations(host.features, host.level).map((d) => ({ level: d.level, requirement: d.psabi, in_psabi: d.inPsabi, checked_as: d.checkedAs, reason: d.reason })),
    evc: evcJson(host),
    qemu: qemuSummary(host),
    features,
    msr_features: msrFeatures,
    diagnostics: (opts.diagnostics ?? []).map((d) => ({ level: d.level, message: d.message })),
  };
}

function qemuSummary(host: Host): HostSummary['qemu'] {
  const m = hostModel(host);
  return m ? { model: m.model.name, extra: libvirtNames(m.require), disabled: libvirtNames(m.disable) } : null;
}

function evcJson(host: Host): HostSummary['evc'] {
  const max = hostMaxEvcMode(host);
  if (max) return { max: max.key, ...modeConfidence(max) };
  const gaps = evcGaps(guestFeatures(host, evcProfile()), host.id.vendor);
  return gaps.length === 0 ? { max: null } : { max: null, missing: gaps.map((g) => ({ track: g.track, mode: g.mode.key, needs: g.missing.ids() })) };
}
