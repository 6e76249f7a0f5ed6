/**
 * Where the built-in catalog, model table and EVC mode sets come from: the declarative tables in
 * src/data, or, in the CLI bundles, their precomputed forms. This module is the one seam:
 * scripts/bundle-cli.mjs replaces it with `catalog.toCompact()`, `builtinModels().toCompact()` and
 * `evcSetsToCompact(...)` computed at build time (each parsed on its first call), so that a command
 * neither evaluates the tables nor resolves 612 features, 175 models and the modes' dependency
 * closures at every start. Tests (catalog.precomputed.test.ts, models.precomputed.test.ts,
 * evc.precomputed.test.ts) check that each round trip rebuilds what the data gives.
 */
import { FEATURE_TABLE } from '../data/features.js';
import { QEMU_MODEL_FAMILIES } from '../data/qemu-models.js';
import type { FeatureRow, ModelFamilyDef, ModelSignature, ModelVendor } from '../data/schema.js';

/**
 * The catalog in plain data (JSON): each feature's values in the order of the Feature type, without
 * `index` (its position); 0 where a value is absent or the default; the location as
 * `[leaf, subleaf, register (0..3 for eax..edx), bit]` or `[MSR index, bit]`.
 */
export interface CompactCatalog {
  readonly compactFeatures: readonly (readonly unknown[])[];
  /** The catalog's fingerprint (Catalog.fingerprint), kept so that it is not recomputed at start-up. */
  readonly fingerprint: string;
}

/**
 * A resolved model table in plain data: every distinct feature set once (its 32-bit words), each
 * definition pointing at its sets.
 */
export interface CompactModels {
  /** The fingerprint (Catalog.fingerprint) of the catalog the words index. */
  readonly catalog: string;
  readonly sets: readonly (readonly number[])[];
  /** Each definition: family, version, versioned name, vendor, signatures, then its sets (listed, features, decodeFeatures, libvirtAdded, libvirtRemoved). */
  readonly defs: readonly (readonly [string, number, string | null, ModelVendor | null, readonly ModelSignature[], number, number, number, number, number])[];
  /** Each name, in order: its definition, name, isVersioned, decodeHost, decodeGuest. */
  readonly models: readonly (readonly [number, string, boolean, boolean, boolean])[];
  readonly unmigratable: number;
}

/**
 * The built-in EVC modes' closed sets (each mode's feature set and pass-through set, as words),
 * keyed by mode: the dependency closures `buildEvcModes` would otherwise compute at start-up.
 */
export interface CompactEvcSets {
  /** The fingerprint (Catalog.fingerprint) of the catalog the words index. */
  readonly catalog: string;
  readonly modes: { readonly [key: string]: readonly [readonly number[], readonly number[]] };
}

/** The feature table the built-in catalog is made from. */
export function builtinFeatures(): readonly FeatureRow[] | CompactCatalog {
  return FEATURE_TABLE;
}

/** The QEMU/libvirt model families the built-in model table is made from. */
export function builtinModelFamilies(): readonly ModelFamilyDef[] | CompactModels {
  return QEMU_MODEL_FAMILIES;
}

/** The built-in EVC modes' closed sets, where precomputed (none here: evc.ts computes them from the table). */
export function builtinEvcSets(): CompactEvcSets | undefined {
  return undefined;
}
