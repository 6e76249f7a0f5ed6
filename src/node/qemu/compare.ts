/**
 * The seam between a prediction and a real guest: given what a guest's CPUID showed and what
 * was predicted for its `-cpu` string, say feature by feature (within a scope) whether they
 * agree, and whether the guest's identity is the predicted one.
 *
 * Whoever predicts is interchangeable: QEMU's own `query-cpu-model-expansion`
 * ({@link predictWithQemu}) or openevc's model data ({@link predictWithOpenevc}, what the `qemu`
 * exporter's output means to openevc). Both produce a {@link GuestPrediction}; nothing here
 * knows where it came from.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { catalog, describeLocation } from '../../core/catalog.js';
import type { CpuidDump } from '../../core/cpuid.js';
import { hex32 } from '../../core/cpuid.js';
import { identify } from '../../core/identity.js';
import type { ModelTable } from '../../core/models.js';
import { builtinModels, requireModel } from '../../core/models.js';
import { closeOverNamed } from '../../formats/common/kvm-cpu.js';
import type { CpuOption } from './cpu-model.js';
import { expandWithQemu, parseCpuOption, qemuFeature } from './cpu-model.js';
import { modelVendorString } from './model-drift.js';
import { PROBE_LEAVES } from './guest/probe-asm.js';

/** The identity a guest is expected to report; fields left out are not checked. */
export interface ExpectedIdentity {
  /** Leaf-0 vendor string (`GenuineIntel`). */
  readonly vendor?: string;
  readonly family?: number;
  readonly model?: number;
  readonly stepping?: number;
  /** Brand string (leaves 0x80000002..4), trimmed. */
  readonly brand?: string;
}

/** A prediction of what a guest started with some `-cpu` string will see. */
export interface GuestPrediction {
  readonly features: FeatureSet;
  readonly identity?: ExpectedIdentity;
}

/** Predicts a guest from a `-cpu` string. */
export type GuestPredictor = (cpu: string) => Promise<GuestPrediction>;

export interface GuestFeatureCheck {
  readonly feature: Feature;
  readonly predicted: boolean;
  readonly seen: boolean;
}

export interface IdentityCheck {
  readonly field: keyof ExpectedIdentity;
  readonly expected: string | number;
  readonly seen: string | number;
}

export interface GuestComparison {
  /** Every feature of the scope, in catalog order. */
  readonly checks: readonly GuestFeatureCheck[];
  /** The checks where prediction and guest disagree. */
  readonly mismatches: readonly GuestFeatureCheck[];
  /** What the guest reported about itself. */
  readonly identity: Required<ExpectedIdentity> & { readonly signature: number };
  /** Identity fields that differ from the expected ones. */
  readonly identityMismatches: readonly IdentityCheck[];
  readonly ok: boolean;
}

/**
 * Compares a guest's CPUID with a prediction, for the features in `scope` only (features the
 * guest could not show either way, e.g. bits TCG does not emulate or leaves the probe does not
 * ask, belong outside it). Identity fields are checked when `expected` gives them.
 */
export function compareGuest(observed: CpuidDump, predicted: FeatureSet, scope: FeatureSet, expected: ExpectedIdentity = {}): GuestComparison {
  const seen = catalog.decode(observed);
  const checks: GuestFeatureCheck[] = [];
  for (const feature of scope) checks.push({ feature, predicted: predicted.has(feature), seen: seen.has(feature) });
  const mismatches = checks.filter((c) => c.predicted !== c.seen);
  const id = identify(observed);
  const identity = { vendor: id.vendorString, family: id.family, model: id.model, stepping: id.stepping, brand: id.brand, signature: id.signature };
  const identityMismatches: IdentityCheck[] = [];
  for (const field of ['vendor', 'family', 'model', 'stepping', 'brand'] as const) {
    const want = expected[field];
    if (want !== undefined && want !== identity[field]) identityMismatches.push({ field, expected: want, seen: identity[field] });
  }
  return { checks, mismatches, identity, identityMismatches, ok: mismatches.length === 0 && identityMismatches.length === 0 };
}

/** The comparison in words: one line per disagreement (or a one-line verdict). */
export function formatGuestComparison(c: GuestComparison, label = 'guest'): string {
  const out: string[] = [];
  const id = c.identity;
  const brand = id.brand ? `, "${id.brand}"` : '';
  out.push(`${label}: ${id.vendor} family 0x${id.family.toString(16)} model 0x${id.model.toString(16)} stepping ${id.stepping} (${hex32(id.signature)})${brand}`);
  for (const m of c.identityMismatches) out.push(`  identity ${m.field}: predicted ${JSON.stringify(m.expected)}, guest shows ${JSON.stringify(m.seen)}`);
  for (const m of c.mismatches) {
    out.push(`  ${m.feature.id} (${m.feature.name}, ${describeLocation(m.feature.loc)}): predicted ${m.predicted ? 'on' : 'off'}, guest sees it ${m.seen ? 'on' : 'off'}`);
  }
  out.push(c.ok ? `  all ${c.checks.length} features in scope agree` : `  ${c.mismatches.length} of ${c.checks.length} features in scope disagree`);
  return out.join('\n');
}

/**
 * The features a probe guest can testify about: those in the leaves the probe asks, restricted
 * to `emulable` (e.g. {@link tcgSupportedFeatures}), without OS-state bits (OSXSAVE, OSPKE),
 * which mirror what the guest kernel enabled rather than the CPU configuration.
 */
export function probeScope(emulable: FeatureSet): FeatureSet {
  const asked = new Set(PROBE_LEAVES.map(([leaf, sub]) => `${leaf}.${sub}`));
  return emulable.filter((f) => f.loc.type === 'cpuid' && asked.has(`${f.loc.leaf}.${f.loc.subleaf}`) && f.kind !== 'os');
}

/** QEMU's own answer for a `-cpu` string (full model expansion): the predictor used until openevc's models take over. */
export const predictWithQemu: GuestPredictor = async (cpu) => {
  const [x] = await expandWithQemu([cpu], 'full');
  const { vendor, family, model, stepping, modelId } = x!.identity;
  return { features: x!.features, identity: { vendor, family, model, stepping, brand: modelId?.replace(/\s+/g, ' ').trim() } };
};

/**
 * What a `-cpu` string means by openevc's model data alone: the model's features (`expandModel`),
 * each `+f`/`-f`/`f=on|off` of a catalog feature applied, closed over the prerequisites QEMU has
 * names for (QEMU drops a feature whose prerequisite is off), plus the hypervisor bit QEMU sets
 * for every guest. Properties that are not catalog features (`enforce`, `check`, `kvm`...) are
 * ignored. An unknown model is a UsageError.
 */
export function openevcCpuMeaning(cpu: string | CpuOption, models: ModelTable = builtinModels()): FeatureSet {
  const option = typeof cpu === 'string' ? parseCpuOption(cpu) : cpu;
  const set = requireModel(option.model, models).features.clone();
  for (const [name, value] of Object.entries(option.props)) {
    const f = qemuFeature(name);
    if (!f || typeof value !== 'boolean') continue;
    if (value) set.add(f);
    else set.delete(f);
  }
  const out = closeOverNamed(set, 'qemu');
  for (const f of catalog.features) if (f.kind === 'hypervisor') out.add(f);
  return out;
}

/**
 * openevc's own prediction for a `-cpu` string ({@link openevcCpuMeaning}), with the identity
 * openevc's model data gives: the vendor, the family and model of the model's first signature,
 * and the stepping when the data pins a single one.
 */
export const predictWithOpenevc: GuestPredictor = async (cpu) => {
  const option = parseCpuOption(cpu);
  const model = requireModel(option.model);
  const sig = model.signatures[0];
  const vendor = modelVendorString(model);
  const steps = sig?.steppings;
  const identity: ExpectedIdentity = {
    ...(vendor !== undefined ? { vendor } : {}),
    ...(sig ? { family: sig.family, model: sig.model } : {}),
    ...(steps && steps[0] === steps[1] ? { stepping: steps[0] } : {}),
  };
  return { features: openevcCpuMeaning(option), identity };
};
