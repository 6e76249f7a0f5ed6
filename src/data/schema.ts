/**
 * The row types of openevc's declarative tables: what a feature-catalog row, an EVC mode, a QEMU
 * model family and a hypervisor profile are made of. The tables in this folder are written against
 * these types; the machinery in src/core derives everything else from them. Nothing here imports
 * from outside src/data.
 */
import type { FeatureId } from './features.js';
import type { Ecosystem, Vendor } from './feature-row.js';

export { ECOSYSTEMS } from './feature-row.js';
export type { Category, Ecosystem, EcosystemNames, Enforcement, FeatureKind, FeatureRow, Vendor } from './feature-row.js';
export type { FeatureId };


/** The vendors EVC knows. vSphere never mixes them in one cluster. */
export type EvcVendor = 'intel' | 'amd';

/** A source of EVC facts, referenced by id from the table. */
export interface EvcSource {
  readonly title: string;
  readonly url?: string;
}

/** One group of features a mode adds, removes or passes, and where that fact comes from. */
export interface EvcFactRow {
  /** Catalog ids. */
  readonly ids: readonly FeatureId[];
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
  readonly ids?: readonly FeatureId[];
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

/** Vendors QEMU/libvirt models are defined for. */
export type ModelVendor = 'intel' | 'amd' | 'hygon' | 'zhaoxin';

/** CPUs a model is meant for: display family and model, optionally a stepping range (inclusive). */
export interface ModelSignature {
  readonly family: number;
  readonly model: number;
  readonly steppings?: readonly [number, number];
}

/** A name that stands for one version of a family (`Cascadelake-Server-noTSX` → v3). */
export interface ModelAliasDef {
  readonly name: string;
  readonly version: number;
  /** libvirt may pick this name to describe a host CPU (cpu_map `decode host`). Default true. */
  readonly host?: boolean;
  /** libvirt may pick this name to describe a guest CPU (cpu_map `decode guest`). Default true. */
  readonly guest?: boolean;
}

/** One version of a model family. v1 lists every feature; later versions are deltas on the version before. */
export interface ModelVersionDef {
  /** v1 only: the whole feature list (catalog ids). */
  readonly features?: readonly FeatureId[];
  /** Features this version adds to the previous one. */
  readonly add?: readonly FeatureId[];
  /** Features this version drops from the previous one. */
  readonly remove?: readonly FeatureId[];
  /** This version's signatures, when they differ from the family's. */
  readonly signatures?: readonly ModelSignature[];
  /**
   * Features libvirt marks `added='yes'`: put into an old model definition later (the VMX controls
   * QEMU's models gained). libvirt does not count them as part of the model when it reads or
   * writes a CPU definition, so old definitions keep their meaning.
   */
  readonly libvirtAdded?: readonly FeatureId[];
  /**
   * Features libvirt marks `removed='yes'`: QEMU dropped them from the model (MPX, Intel PT...),
   * libvirt keeps them in its definition for old domains but always names them explicitly
   * when it describes a CPU.
   */
  readonly libvirtRemoved?: readonly FeatureId[];
}

/** A QEMU model family: versions as deltas, plus the names that stand for a version. */
export interface ModelFamilyDef {
  /** QEMU's base name; the versioned names are `<family>-v<N>`. */
  readonly family: string;
  readonly vendor?: ModelVendor;
  readonly signatures?: readonly ModelSignature[];
  /** False for families libvirt keeps without versioned names (pentiumpro, Icelake-Client...). Default true. */
  readonly versioned?: boolean;
  /** Unversioned name and QEMU aliases, in libvirt's order; the versioned names come after them. */
  readonly aliases: readonly ModelAliasDef[];
  readonly versions: readonly ModelVersionDef[];
}

/** One rule of a view: a group of features and why the rule holds. */
export interface ProfileRule {
  /** Catalog ids. */
  readonly ids?: readonly FeatureId[];
  /** Every catalog feature that has a name in this ecosystem (vSphere compares only what it has keys for). */
  readonly namedIn?: Ecosystem;
  /** Why (for people reading a report): what the hypervisor does and the evidence for it. */
  readonly why: string;
  /** Only for these host vendors (default: all). */
  readonly vendors?: readonly Vendor[];
  /** The rule applies only when nested virtualization is off (VMX/SVM and their sub-features). */
  readonly unlessNested?: boolean;
}

/** The baselines a profile can be the reference view of. */
export type ProfileBaseline = 'evc' | 'cpu-models';

export interface ProfileDef<Id extends string = string> {
  readonly id: Id;
  readonly name: string;
  readonly description: string;
  /** Host features this hypervisor never passes to a guest. */
  readonly hidden: readonly ProfileRule[];
  /** Features guests see whatever the host has, because the hypervisor emulates them. */
  readonly added: readonly ProfileRule[];
  /**
   * When set, only these features exist for this hypervisor's migration checks (e.g. vSphere
   * compares only the features it has keys for); everything else is neither shown nor compared.
   */
  readonly tracked?: ProfileRule;
  /**
   * What this hypervisor does when source and destination CPUs come from different vendors
   * (Intel ↔ AMD): shown as the blocker's cause. Live migration across vendors is refused by
   * every profile openevc checks; this says whether anything can make it work.
   */
  readonly crossVendor?: string;
  /** Where the facts behind this view come from. */
  readonly sources: readonly string[];
  /**
   * Baselines computed through this profile whatever profile the user picked: EVC modes are what
   * vSphere shows guests (`evc`), QEMU/libvirt CPU models what KVM can give them (`cpu-models`).
   * A profile that names none is used as it is (raw CPUID is its own model view).
   */
  readonly baselines?: readonly ProfileBaseline[];
  /**
   * Set bits of feature registers that the hypervisor does not know (the catalog names no feature
   * there): `shown` when guests see them (raw CPUID), hidden otherwise, with the reason.
   */
  readonly unknownBits?: { readonly shown: boolean; readonly why: string; readonly confirmed: boolean };
}
