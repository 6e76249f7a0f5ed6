/**
 * The CPU definition behind every KVM-family output (QEMU `-cpu`, libvirt `<cpu>`, Proxmox, Nova,
 * KubeVirt): a named model plus features to turn on and off, such that a guest sees exactly the
 * migration target's features, within what the format can name.
 *
 * The model is the one libvirt would describe the target with (`guestModel`), among the models
 * QEMU still defines (families with versioned names; libvirt's leftovers such as `cpu64-rhel6` or
 * `Icelake-Client` are not offered). The features are computed against two meanings of that name:
 *
 * - openevc's (`expandModel`, libvirt's cpu_map): what openevc's own readers take the output to
 *   mean. Every target feature outside it is required, every feature of it outside the target
 *   disabled, so re-reading the output gives the target back.
 * - QEMU's, which has drifted from libvirt's over the years (src/data/qemu-model-drift.ts, measured
 *   on QEMU 7.2: Haswell gained rdrand, arat, xsaveopt and abm; EPYC topoext...). What QEMU's
 *   model has beyond the target is disabled too, and what it lacks of the target required, so the
 *   guest QEMU starts gets the target and not what QEMU's model happens to add.
 *
 * On top of that, features a QEMU accelerator sets on its own (src/data/profiles/kvm.ts: TCG turns
 * VME off, KVM turns x2APIC on and MONITOR, SVM, ACPI off) are written explicitly when the
 * accelerator would get them wrong (VME, which the TCG measurement cannot see in a model, either
 * way), and features libvirt marks `removed` from a model are always named, as libvirt itself does. A VMX control (or other MSR-reported bit) whose prerequisite is
 * off is not listed: QEMU drops it with its prerequisite (`-vmx` takes every VMX control away).
 */
import type { Ecosystem, Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { OpenevcError } from '../../core/errors.js';
import type { CpuModel, ModelTable } from '../../core/models.js';
import { builtinModels, guestModel } from '../../core/models.js';
import type { MigrationTarget } from '../../core/target.js';
import { QEMU_ACCEL_DEFAULTS } from '../../data/profiles/kvm.js';
import { QEMU_DRIFT_SOURCE, QEMU_MODEL_DRIFT, QEMU_OBSERVED_MODELS } from '../../data/qemu-model-drift.js';

/** Whose feature names an output uses: QEMU's (`-cpu`, Proxmox) or libvirt's (libvirt, Nova, KubeVirt). */
export type KvmSpelling = Extract<Ecosystem, 'qemu' | 'libvirt'>;

export interface KvmCpuPlan {
  /** The model as libvirt names it for guests (an unversioned name or alias: `Haswell-noTSX`). */
  readonly model: CpuModel;
  /** QEMU's explicit version of the same definition (`Haswell-v2`), stable across QEMU releases and machine types. */
  readonly versionedName: string;
  /** The target's vendor; undefined when the hosts mix vendors. */
  readonly vendor: Vendor | undefined;
  /** Features to turn on, in catalog order; each has a name in the spelling asked for. */
  readonly require: readonly Feature[];
  /** Features to turn off, in catalog order; each has a name in the spelling asked for. */
  readonly disable: readonly Feature[];
  /**
   * What the output means to openevc's readers, on the features the spelling names: the model's
   * features, plus `require`, minus `disable`, closed under dependencies. Equals the target's
   * named features.
   */
  readonly means: FeatureSet;
  /** What the format cannot express (unnamed features, cross-vendor, unobserved models...). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface KvmPlanOptions {
  readonly models?: ModelTable;
}

/** A feature's name in a spelling, or undefined when that ecosystem has none. */
export function spelling(f: Feature, eco: KvmSpelling): string | undefined {
  const n = f[eco];
  return typeof n === 'string' ? n : undefined;
}

const namedSets = new Map<KvmSpelling, FeatureSet>();

/** Every feature the ecosystem has a name for. */
export function namedFeatures(eco: KvmSpelling): FeatureSet {
  let s = namedSets.get(eco);
  if (!s) {
    s = catalog.emptySet();
    for (const f of catalog.features) if (spelling(f, eco) !== undefined) s.add(f);
    namedSets.set(eco, s);
  }
  return s.clone();
}

/**
 * The named part of a feature set, without features a named prerequisite of which is missing.
 * Prerequisites the ecosystem has no name for (XSAVE state components) count as present: QEMU
 * and libvirt derive them from the features that need them.
 */
export function closeOverNamed(set: FeatureSet, eco: KvmSpelling): FeatureSet {
  const named = namedFeatures(eco);
  return set.minus(catalog.dependents(named.minus(set))).intersectWith(named);
}

function idSet(ids: Iterable<string>): FeatureSet {
  const s = catalog.emptySet();
  for (const id of ids) s.add(catalog.require(id));
  return s;
}

/** Features an accelerator turns on whatever the model says: written as -f when the target lacks them. */
const ACCEL_ON = idSet(QEMU_ACCEL_DEFAULTS.filter((d) => d.value).map((d) => d.id));
/** Features an accelerator turns off whatever the model says: written as +f when the target has them. */
const ACCEL_OFF = idSet(QEMU_ACCEL_DEFAULTS.filter((d) => !d.value).map((d) => d.id));
/**
 * Features TCG sets itself, so the drift measurement (made under TCG) could not see whether QEMU's
 * models have them: written explicitly either way.
 */
const UNMEASURED = idSet(QEMU_ACCEL_DEFAULTS.filter((d) => d.accel === 'tcg').map((d) => d.id));
const OBSERVED = new Set(QEMU_OBSERVED_MODELS);

/** QEMU's meaning of a model as far as openevc knows it: libvirt's, with libvirt's `added` marks and the measured drift. */
function qemuMeaning(model: CpuModel): { readonly has: FeatureSet; readonly lacks: FeatureSet } {
  const drift = model.versionedName !== undefined ? QEMU_MODEL_DRIFT[model.versionedName] : undefined;
  const lacks = idSet(drift?.missing ?? []);
  const has = model.features.union(model.libvirtAdded).unionWith(idSet(drift?.extra ?? [])).subtract(lacks);
  return { has, lacks };
}

/** Guest-decodable model names QEMU still defines (the unversioned names of versioned families). */
function qemuModelNames(models: ModelTable): string[] {
  return models.models.filter((m) => !m.isVersioned && m.versionedName !== undefined && m.decodeGuest).map((m) => m.name);
}

/**
 * The unnamed features a guest gets anyway: those whose every prerequisite is named or itself
 * derived (XSAVE YMM state from XSAVE and the SSE state). Features with no prerequisite, or one
 * nothing names, are not derived.
 */
function derivedFeatures(unnamed: FeatureSet, named: FeatureSet): FeatureSet {
  const derived = catalog.emptySet();
  let changed = true;
  while (changed) {
    changed = false;
    for (const f of unnamed) {
      if (derived.has(f) || f.deps.length === 0) continue;
      if (f.deps.every((d) => named.has(d) || derived.has(d))) {
        derived.add(f);
        changed = true;
      }
    }
  }
  return derived;
}

function describeIds(set: Iterable<Feature>): string {
  return [...set].map((f) => f.id).join(', ');
}

/**
 * The model and feature changes that give a guest exactly `target.features`, spelled for one
 * ecosystem. Throws when no model fits at all (only possible with a custom model table).
 */
export function planKvmCpu(target: MigrationTarget, eco: KvmSpelling, opts: KvmPlanOptions = {}): KvmCpuPlan {
  const models = opts.models ?? builtinModels();
  const wanted = target.features;
  const match = guestModel({ features: wanted, vendor: target.vendor }, { models, allowed: qemuModelNames(models) });
  if (!match) throw new OpenevcError('no QEMU CPU model can describe this target (the model table has none for its vendor)');
  const model = match.model;
  const named = namedFeatures(eco);

  const base = model.features;
  const qemu = qemuMeaning(model);
  const explicitOn = qemu.lacks.union(ACCEL_OFF).unionWith(model.libvirtRemoved);
  const require = wanted.minus(base).unionWith(wanted.intersection(explicitOn)).unionWith(wanted.minus(qemu.has)).intersectWith(named);

  const candidates = base.union(qemu.has).unionWith(ACCEL_ON).unionWith(UNMEASURED).subtract(wanted);
  // A bit reported in an MSR whose prerequisite the guest does not get goes with it (QEMU drops every VMX control with -vmx).
  const goesWithPrerequisite = candidates.filter((f) => f.loc.type === 'msr' && f.deps.some((d) => !wanted.has(d)));
  const disable = candidates.minus(goesWithPrerequisite).intersectWith(named);
  const means = closeOverNamed(base.union(require).subtract(disable), eco);

  const diagnostics: Diagnostic[] = [];
  if (target.vendor === undefined) {
    diagnostics.push({
      level: 'warning',
      message:
        `the hosts mix CPU vendors: only a vendor-neutral model (${model.name}) plus features can run on all of them, ` +
        'the guest sees that model\u2019s vendor string on every host, and live migration between Intel and AMD works only when the guest OS tolerates it',
    });
  }
  const unnamed = wanted.minus(named);
  const derived = derivedFeatures(unnamed, named);
  const lost = unnamed.minus(derived);
  const who = eco === 'qemu' ? 'QEMU' : 'libvirt';
  if (!derived.isEmpty) {
    diagnostics.push({
      level: 'info',
      message: `${who} has no name for ${describeIds(derived)}: a guest gets them with the features they depend on (XSAVE state components, AMD's copies of leaf-1 bits)`,
    });
  }
  if (!lost.isEmpty) {
    diagnostics.push({
      level: 'warning',
      message: `${who} has no name for ${describeIds(lost)}: the target has them, but no ${who} CPU definition can give them to a guest (guests see less, the same on every host)`,
    });
  }
  const stuck = candidates.minus(goesWithPrerequisite).subtract(named);
  if (!stuck.isEmpty) {
    diagnostics.push({
      level: 'warning',
      message: `${who} has no name for ${describeIds(stuck)}: model ${model.name} includes them, the target does not, and this output cannot turn them off`,
    });
  }
  if (model.versionedName !== undefined && !OBSERVED.has(model.versionedName)) {
    diagnostics.push({
      level: 'info',
      message:
        `model ${model.versionedName} is newer than ${QEMU_DRIFT_SOURCE}, against which openevc compared QEMU's model definitions with libvirt's: ` +
        'features QEMU\u2019s definition may have beyond libvirt\u2019s are not turned off',
    });
  }
  return {
    model,
    versionedName: model.versionedName ?? model.name,
    vendor: target.vendor,
    require: [...require],
    disable: [...disable],
    means,
    diagnostics,
  };
}

/** A feature's spelling, for features a plan lists (they all have one). */
export function spell(f: Feature, eco: KvmSpelling): string {
  const n = spelling(f, eco);
  if (n === undefined) throw new OpenevcError(`internal: ${f.id} has no ${eco} name`);
  return n;
}

/** One line saying what a target is, for the comment heading an output. */
export function describeTarget(target: MigrationTarget): string {
  const n = target.hosts.length;
  const what = target.kind === 'evc' && target.mode ? `EVC mode ${target.mode.key}` : 'the features every host shares';
  const nested = target.viewOptions.nested ? ', nested virtualization' : '';
  return `${what}, for ${n} host${n === 1 ? '' : 's'} (${target.profile.name} view${nested})`;
}
