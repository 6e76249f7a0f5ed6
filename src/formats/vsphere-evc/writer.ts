/**
 * vSphere 9 custom EVC modes: the body that defines one, `{"key": …, "masks": [{"key", "name",
 * "value"}]}` (the `Vcenter EvcMode` schema of the vSphere Automation API 9.0; a cluster or VM takes
 * it as `evc_mode` of its EvcMode SetSpec). openevc writes the mode that fits the given hosts best:
 * the features every host can give (or, with `--evc MODE`, that mode's), as masks in the same
 * feature keys and value syntax as the per-VM `featMask` lines (src/exporters/featmask.ts):
 *
 * - the vendor requirement, `cpuid.intel` / `cpuid.amd` = `Min:1`;
 * - `Val:1` for each feature the mode gives, `Val:0` for each it hides, by VMware feature key.
 *
 * Confirmed by public documentation: the schema's shape (key; masks of key, name, value), that
 * `value` carries the masking operation, the `cpuid.<NAME>` keys and `Val:`/`Min:` values of EVC
 * feature masks. UNCONFIRMED, and said on stderr and in docs/exporters.md: that vCenter accepts a
 * mode body it did not generate itself (its API documents `key` as system generated, and builds
 * custom modes from hosts with POST /api/vcenter/evc-modes); that `name` is the key again (as
 * HostFeatureMask.featureName is in the vim API); that a `Val:1`/`Val:0` list is how vCenter itself
 * spells a mode's masks. The JSON itself stays exactly the schema, so that it can be sent as is.
 */
import { describeLocation } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { featMaskFor, formatFeatValue, resolveFeatKey } from '../featmask/syntax.js';
import type { FeatMaskEntry } from '../featmask/syntax.js';
import type { MigrationTarget } from '../../core/target.js';
import { hidePlan, requireOneVendor, unmaskableDiagnostics } from '../common/hide.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

/** One entry of `masks`: a `Vcenter EvcMode FeatureMask`. */
export interface EvcModeMask {
  readonly key: string;
  readonly name: string;
  readonly value: string;
}

/** The `Vcenter EvcMode` body. */
export interface VsphereEvcMode {
  readonly key: string;
  readonly masks: readonly EvcModeMask[];
}

/** What openevc cannot confirm about this output; printed with every rendering. */
export const UNCONFIRMED: readonly string[] = [
  'the vSphere 9 API documents an EvcMode key as system generated: whether vCenter accepts a mode it did not create (POST /api/vcenter/evc-modes builds one from hosts) is unconfirmed',
  'each mask\'s "name" repeats its key, as HostFeatureMask.featureName does in the vim API; what vCenter writes there for custom modes is unconfirmed',
  'Val:1 for each feature the mode gives and Val:0 for each it hides follows the per-VM featMask lines; that vCenter spells its own custom modes this way is unconfirmed',
];

function entryMask(e: FeatMaskEntry): EvcModeMask {
  return { key: e.key, name: e.key, value: formatFeatValue(e) };
}

/** The mode body and what the user must know. */
export function vsphereEvcMode(target: MigrationTarget, opts: ExportOptions = {}): { mode: VsphereEvcMode; diagnostics: Diagnostic[] } {
  const vendor = requireOneVendor(target, 'vsphere-evc');
  const plan = hidePlan(target);
  const diagnostics: Diagnostic[] = [...unmaskableDiagnostics(plan)];
  const entries: FeatMaskEntry[] = [];
  if (vendor === 'intel' || vendor === 'amd' || vendor === 'hygon') {
    const key = `cpuid.${vendor === 'hygon' ? 'amd' : vendor}`;
    entries.push({ key, op: 'Min', value: 1n, target: resolveFeatKey(key).target });
  }
  const given = [...target.features].filter((f) => f.loc.type === 'cpuid' && f.vmware);
  for (const f of given) entries.push(featMaskFor(f, 'Val', 1));
  for (const f of plan.hide) {
    if (f.vmware) entries.push(featMaskFor(f, 'Val', 0));
    else diagnostics.push({ level: 'warning', message: `${f.name} (${f.id}, ${describeLocation(f.loc)}) cannot be hidden by an EVC mode: VMware has no feature key for it` });
  }
  const key = opts.name ?? (target.kind === 'evc' && target.mode ? `openevc-${target.mode.key}` : `openevc-baseline-${vendor}`);
  diagnostics.push({
    level: 'info',
    message: `custom EVC mode ${key}: ${given.length} features given (Val:1), ${entries.length - given.length - 1} hidden (Val:0), and the vendor requirement; power VMs on under it only on hosts that have every feature it gives`,
  });
  for (const u of UNCONFIRMED) diagnostics.push({ level: 'warning', message: `UNCONFIRMED: ${u}` });
  return { mode: { key, masks: entries.map(entryMask) }, diagnostics };
}

function render(target: MigrationTarget, opts?: ExportOptions): ExportResult {
  const { mode, diagnostics } = vsphereEvcMode(target, opts);
  return { text: `${JSON.stringify(mode, null, 2)}\n`, diagnostics };
}

export const vsphereEvcExporter: Exporter = {
  format: 'vsphere-evc',
  description: 'vSphere 9 custom EVC mode body {"key", "masks": [{"key", "name", "value"}]} (Vcenter EvcMode schema) for the best-fit mode; what is unconfirmed goes to stderr',
  defaultProfile: 'esxi',
  render,
};
