/**
 * Where openevc's CPU models (libvirt's cpu_map) and the QEMU at hand disagree about what a
 * versioned model name means: "drift". libvirt never changes the meaning of a model it has
 * shipped, while QEMU's own definitions gained features over the years (rdrand, arat, xsaveopt
 * and abm in the old Intel models, topoext in EPYC...). A `-cpu` string or `<cpu>` built on
 * libvirt's meaning alone would then give guests features the target does not have.
 *
 * The drift is measured, not assumed: QEMU's full expansion of each versioned model (under TCG,
 * with `-machine none`) against `expandModel`, both closed under dependencies (QEMU drops a
 * dependent feature, such as the VMX controls, with the feature it needs), on the capabilities
 * QEMU has a name for. What TCG itself sets whatever the model says (src/data/profiles/kvm.ts: VME
 * off) is left out: it belongs to the accelerator the measurement runs under, not to the model. src/data/qemu-model-drift.ts holds the result for QEMU 7.2, which the
 * exporters use; scripts/gen-qemu-drift.mjs rewrites it, and model-drift.test.ts checks it
 * against the QEMU installed.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import type { CpuModel, ModelTable } from '../../core/models.js';
import { builtinModels, libvirtVendorName } from '../../core/models.js';
import { QEMU_ACCEL_DEFAULTS } from '../../data/profiles/kvm.js';
import type { QemuModelDrift } from '../../data/qemu-model-drift.js';
import { closeOverNamed } from '../../formats/common/kvm-cpu.js';
import type { QemuCpu, QemuIdentity } from './cpu-model.js';
import { expandCpu } from './cpu-model.js';
import { withQmpMachine } from './process.js';

/** Features the measuring accelerator (TCG) sets itself. */
const TCG_SET: ReadonlySet<string> = new Set(QEMU_ACCEL_DEFAULTS.filter((d) => d.accel === 'tcg').map((d) => d.id));

/** The part of a feature set drift is measured on: capabilities QEMU names and TCG does not set itself, closed under (named) dependencies. */
function comparable(set: FeatureSet): FeatureSet {
  return closeOverNamed(set, 'qemu').filter((f: Feature) => f.kind === 'feature' && !TCG_SET.has(f.id));
}

/** What QEMU's meaning of a model adds to and lacks from openevc's (`expandModel`). */
export function modelDrift(model: CpuModel, qemu: QemuCpu): QemuModelDrift {
  const ours = comparable(model.features);
  const theirs = comparable(qemu.features);
  const extra = theirs.minus(ours).ids();
  const missing = ours.minus(theirs).ids();
  return { ...(extra.length > 0 ? { extra } : {}), ...(missing.length > 0 ? { missing } : {}) };
}

/** An identity field where QEMU's model and openevc's model data (vendor, first signature, stepping range) disagree. */
export interface IdentityDrift {
  readonly model: string;
  readonly field: 'vendor' | 'family' | 'model' | 'stepping';
  /** What openevc's data says (a stepping range as `a-b`). */
  readonly openevc: string;
  readonly qemu: string;
}

const CPUID_VENDORS: Readonly<Record<string, string>> = { Intel: 'GenuineIntel', AMD: 'AuthenticAMD', Hygon: 'HygonGenuine' };

/** The CPUID vendor string openevc's data gives a model, when it gives one. */
export function modelVendorString(model: CpuModel): string | undefined {
  const name = libvirtVendorName(model.vendor);
  return name ? CPUID_VENDORS[name] : undefined;
}

/** Compares the identity QEMU gives a model with what openevc's data says (only the fields the data has). */
export function identityDrift(model: CpuModel, qemu: QemuIdentity): IdentityDrift[] {
  const out: IdentityDrift[] = [];
  const vendor = modelVendorString(model);
  if (vendor !== undefined && qemu.vendor !== vendor) out.push({ model: model.name, field: 'vendor', openevc: vendor, qemu: String(qemu.vendor) });
  const sig = model.signatures[0];
  if (sig) {
    if (qemu.family !== sig.family) out.push({ model: model.name, field: 'family', openevc: String(sig.family), qemu: String(qemu.family) });
    if (qemu.model !== sig.model) out.push({ model: model.name, field: 'model', openevc: String(sig.model), qemu: String(qemu.model) });
    const s = sig.steppings;
    if (s && (qemu.stepping === undefined || qemu.stepping < s[0] || qemu.stepping > s[1])) {
      out.push({ model: model.name, field: 'stepping', openevc: `${s[0]}-${s[1]}`, qemu: String(qemu.stepping) });
    }
  }
  return out;
}

/** What the QEMU at hand says about openevc's versioned models. */
export interface DriftObservation {
  /** `QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`. */
  readonly qemu: string;
  /** The versioned names of openevc's data that this QEMU knows, in openevc's order. */
  readonly observed: readonly string[];
  /** The versioned names this QEMU does not know (newer models). */
  readonly unknown: readonly string[];
  /** Per observed model with any drift. */
  readonly drift: Readonly<Record<string, QemuModelDrift>>;
  readonly identity: readonly IdentityDrift[];
}

/** Asks the installed QEMU (TCG, `-machine none`) for every versioned model openevc knows, and measures the drift. */
export function observeModelDrift(models: ModelTable = builtinModels()): Promise<DriftObservation> {
  return withQmpMachine(async (qmp) => {
    const defs = await qmp.execute<Array<{ name: string }>>('query-cpu-definitions');
    const known = new Set(defs.map((d) => d.name));
    const versioned = models.models.filter((m) => m.isVersioned);
    const observed = versioned.filter((m) => known.has(m.name));
    const drift: Record<string, QemuModelDrift> = {};
    const identity: IdentityDrift[] = [];
    for (const m of observed) {
      const q = await expandCpu(qmp, m.name, 'full');
      const d = modelDrift(m, q);
      if (d.extra || d.missing) drift[m.name] = d;
      identity.push(...identityDrift(m, q.identity));
    }
    const v = qmp.version;
    const qemu = v ? `QEMU ${v.major}.${v.minor}.${v.micro}${v.package.trim() ? ` (${v.package.trim()})` : ''}` : 'QEMU (version unknown)';
    return { qemu, observed: observed.map((m) => m.name), unknown: versioned.filter((m) => !known.has(m.name)).map((m) => m.name), drift, identity };
  });
}
