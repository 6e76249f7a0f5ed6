/**
 * Per-VM EVC style `.vmx` lines: `featMask.vm.cpuid.<NAME> = "Val:0"` for every hidden feature,
 * named by its VMware feature key (the catalog's `vmware` column). Unlike register masks these
 * reach any subleaf, but only features VMware has a key for; the others are reported.
 *
 * For an EVC target the lines describe the whole mode, the way an EVC mode's `featureMask` lists
 * it: `Val:1` for each feature the mode gives, `Val:0` for each it hides, and the vendor
 * requirement (`featMask.vm.cpuid.intel = "Min:1"`). That vCenter writes exactly these lines when it
 * applies per-VM EVC is UNCONFIRMED (facts/vmware-evc.md §3.2): the value syntax and `Val:1` in a
 * mode's featureMask are confirmed, the set of lines is not. `Val:1` shows the feature whatever the
 * host has, so such a VM must be powered on only on hosts that support the mode (openevc checked
 * the hosts it was given).
 */
import type { Feature } from '../../core/catalog.js';
import { describeLocation } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { featMaskFor, printFeatMask, resolveFeatKey } from './syntax.js';
import type { FeatMaskEntry } from './syntax.js';
import type { MigrationTarget } from '../../core/target.js';
import { hidePlan, requireOneVendor, unmaskableDiagnostics } from '../common/hide.js';
import type { ExportResult, Exporter } from '../writer-types.js';
import { nothingToHide } from '../vmx/writer.js';

export interface FeatMaskSettings {
  readonly entries: readonly FeatMaskEntry[];
  /** Features that should be hidden (or, for EVC, given) but have no VMware key. */
  readonly unnamed: readonly Feature[];
  readonly lines: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The vendor requirement line of an EVC target, as a feature-mask entry (`intel`/`amd`, `Min:1`). */
function vendorRequirement(vendor: string): FeatMaskEntry {
  const key = `cpuid.${vendor === 'hygon' ? 'amd' : vendor}`;
  const { target } = resolveFeatKey(key);
  return { key, op: 'Min', value: 1n, target };
}

export function featMaskSettings(target: MigrationTarget): FeatMaskSettings {
  const vendor = requireOneVendor(target, 'featmask');
  const plan = hidePlan(target);
  const entries: FeatMaskEntry[] = [];
  const unnamed: Feature[] = [];
  const diagnostics: Diagnostic[] = [...unmaskableDiagnostics(plan)];
  if (target.kind === 'evc') {
    if (vendor === 'intel' || vendor === 'amd' || vendor === 'hygon') entries.push(vendorRequirement(vendor));
    for (const f of target.features) {
      if (f.loc.type !== 'cpuid') continue;
      if (f.vmware) entries.push(featMaskFor(f, 'Val', 1));
      // What VMware has no key for is not part of a VMware EVC mode: the host's value passes.
    }
    diagnostics.push({
      level: 'info',
      message:
        `per-VM EVC lines for ${target.mode?.key}: Val:1 for each feature the mode gives, Val:0 for each it hides, and the vendor requirement. ` +
        'That vCenter writes exactly this set is unconfirmed; Val:1 shows a feature whatever the host has, ' +
        `so power the VM on only on hosts that support ${target.mode?.key}`,
    });
  }
  for (const f of plan.hide) {
    if (f.vmware) entries.push(featMaskFor(f, 'Val', 0));
    else unnamed.push(f);
  }
  for (const f of unnamed) {
    diagnostics.push({
      level: 'warning',
      message: `${f.name} (${f.id}, ${describeLocation(f.loc)}) cannot be hidden: VMware has no feature key for it (--format vmx writes a register mask instead)`,
    });
  }
  return { entries, unnamed, lines: entries.map(printFeatMask), diagnostics };
}

function render(target: MigrationTarget): ExportResult {
  const s = featMaskSettings(target);
  const text = s.lines.length === 0 ? nothingToHide(target, '#') : `${s.lines.join('\n')}\n`;
  return { text, diagnostics: s.diagnostics };
}

export const featMaskExporter: Exporter = {
  format: 'featmask',
  description: 'per-VM EVC style .vmx lines: featMask.vm.cpuid.<NAME> = "Val:0" for each hidden feature (Val:1 for an EVC mode\'s features)',
  defaultProfile: 'esxi',
  render,
};
