/**
 * The built-in model table, precomputed. Here (and so in tests and the library) it is undefined and
 * the table is resolved from src/data/qemu-models.ts on first use; the CLI bundles built by
 * scripts/bundle-cli.mjs replace this module with `builtinModels().toCompact()` computed at build
 * time, which a command then reads in well under a millisecond (models.precomputed.test.ts checks
 * that the round trip gives the same table).
 */
import type { ModelSignature, ModelVendor } from '../data/schema.js';

/**
 * A resolved table in plain data: every distinct feature set once (its 32-bit words), each
 * definition pointing at its sets. `npm run build` precomputes the built-in table in this form for
 * the CLI (scripts/bundle-cli.mjs), so that no command resolves 175 models at start-up.
 */
export interface CompactModels {
  /** catalogFingerprint (models.ts) of the catalog the words index. */
  readonly catalog: string;
  readonly sets: readonly (readonly number[])[];
  /** Each definition: family, version, versioned name, vendor, signatures, then its sets (listed, features, decodeFeatures, libvirtAdded, libvirtRemoved). */
  readonly defs: readonly (readonly [string, number, string | null, ModelVendor | null, readonly ModelSignature[], number, number, number, number, number])[];
  /** Each name, in order: its definition, name, isVersioned, decodeHost, decodeGuest. */
  readonly models: readonly (readonly [number, string, boolean, boolean, boolean])[];
  readonly unmigratable: number;
}

export const PRECOMPUTED_MODELS: CompactModels | undefined = undefined;
