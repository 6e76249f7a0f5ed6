/**
 * Everything about a target as JSON, for tools: what kind of target, under which profile and mode,
 * what VMs are given, what each host loses, which hides are only advisory, what the masks clear,
 * and the rendered lines of the VMware and Xen formats. The contract is in docs/json.md.
 */
import type { Feature, FeatureSet, LocationJson } from '../../core/catalog.js';
import { locationJson } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { OpenevcError } from '../../core/errors.js';
import { modeConfidence } from '../../core/evc.js';
import type { MigrationTarget } from '../../core/target.js';
import { featMaskSettings } from '../featmask/writer.js';
import { hidePlan, hostName, targetDiagnostics } from '../common/hide.js';
import type { ExportResult, Exporter } from '../writer-types.js';
import { vmxSettings } from '../vmx/writer.js';
import { xenSettings } from '../xen/writer.js';
import { fidelityOf } from '../../core/cpuid.js';

export interface FeatureRef extends LocationJson {
  readonly id: string;
  readonly name: string;
  readonly enforcement: string;
}

/** The `openevc mask --format json` object. */
export interface MaskJson {
  readonly target: 'minimal' | 'evc';
  readonly profile: string;
  readonly nested: boolean;
  readonly vendor_id: string | null;
  /** `confirmed: false` when no source openevc holds confirms the mode's feature set; `sources` then names the unconfirmed facts' sources. */
  readonly mode: { readonly key: string; readonly label: string; readonly confirmed: boolean; readonly sources: readonly string[] } | null;
  readonly hosts: readonly {
    readonly path: string;
    readonly brand: string;
    /** What the host's data rests on: cpuid, flags or evc-key. */
    readonly fidelity: string;
    readonly microarchitecture: string | null;
    readonly hidden: readonly string[];
  }[];
  readonly features: readonly string[];
  readonly hidden: readonly FeatureRef[];
  readonly advisory: readonly string[];
  readonly masked: readonly string[];
  readonly vmware: {
    readonly vmx: readonly string[];
    readonly featmask: readonly string[];
    readonly implied: readonly { readonly id: string; readonly by: string }[];
  } | null;
  readonly vmware_refused: string | null;
  readonly xen: { readonly legacy: string | null; readonly libxl: string | null };
  readonly diagnostics: readonly { readonly level: string; readonly message: string }[];
}

function ref(f: Feature): FeatureRef {
  return { id: f.id, name: f.name, ...locationJson(f.loc), enforcement: f.enforce };
}

const ids = (s: FeatureSet): string[] => s.ids();

export function maskToJson(target: MigrationTarget): { json: MaskJson; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let vmware: MaskJson['vmware'] = null;
  let refused: string | null = null;
  try {
    const vmx = vmxSettings(target);
    const fm = featMaskSettings(target);
    diagnostics.push(...vmx.diagnostics);
    vmware = { vmx: vmx.lines, featmask: fm.lines, implied: vmx.implied.map((i) => ({ id: i.feature.id, by: i.by.id })) };
  } catch (e) {
    if (!(e instanceof OpenevcError)) throw e;
    refused = e.message;
  }
  const xen = xenSettings(target);
  for (const d of xen.diagnostics) if (!diagnostics.some((x) => x.message === d.message)) diagnostics.push(d);
  const all = [...targetDiagnostics(target), ...diagnostics];
  // Hosts of one CPU share their hidden set (Fleet.addLight), and so its list.
  const lists = new Map<FeatureSet, string[]>();
  const hiddenIds = (set: FeatureSet): string[] => {
    let list = lists.get(set);
    if (list === undefined) lists.set(set, (list = ids(set)));
    return list;
  };
  const json: MaskJson = {
    target: target.kind,
    profile: target.profile.id,
    nested: target.viewOptions.nested ?? false,
    vendor_id: target.vendor ?? null,
    mode: target.mode ? { key: target.mode.key, label: target.mode.label, ...modeConfidence(target.mode) } : null,
    hosts: target.hosts.map((h, i) => ({
      path: hostName(h),
      brand: h.id.brand,
      fidelity: fidelityOf(h.dump.source),
      microarchitecture: h.id.microarchitecture ?? null,
      hidden: hiddenIds(target.hiddenOn[i]!),
    })),
    features: ids(target.features),
    hidden: [...target.hidden].map(ref),
    advisory: ids(target.advisory),
    masked: ids(hidePlan(target).hide),
    vmware,
    vmware_refused: refused,
    xen: { legacy: xen.lines.legacy ?? null, libxl: xen.lines.libxl ?? null },
    diagnostics: all.map((d) => ({ level: d.level, message: d.message })),
  };
  return { json, diagnostics };
}

function render(target: MigrationTarget): ExportResult {
  const { json, diagnostics } = maskToJson(target);
  return { text: `${JSON.stringify(json, null, 2)}\n`, diagnostics };
}

export const jsonExporter: Exporter = {
  format: 'json',
  description: 'everything as JSON: target, profile, mode, features given, per-host hidden, advisory hides, the VMware and Xen lines',
  defaultProfile: 'esxi',
  render,
};
