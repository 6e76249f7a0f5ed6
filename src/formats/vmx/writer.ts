/**
 * `.vmx` lines: `cpuid.<leaf>.<reg> = "…"` register masks, 32 characters most significant bit
 * first, `0` where the VM must not see a feature and `-` everywhere else (VMware's default), one
 * line per register that hides something — what seed 002's author wrote by hand.
 *
 * Register masks address subleaf 0 only (docs/masks.md): for a feature on another subleaf
 * (XSAVEOPT is leaf 0xD subleaf 1) openevc writes `featMask.vm.cpuid.<NAME> = "Val:0"` instead,
 * unless a dependency of it is already hidden by these lines. A guest cannot use XSAVEOPT without
 * XSAVE, and seed 002's real Ivy Bridge host moved back and forth with XSAVE hidden and no line for
 * XSAVEOPT. A feature on another subleaf without a VMware key is reported, not written.
 *
 * govc, PowerCLI and the JSON output set the same lines (`vmxSettings`).
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { catalog, describeLocation } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { MaskBuilder } from '../../core/masks/engine.js';
import type { CpuidMask } from '../../core/masks/engine.js';
import { featMaskFor, printFeatMask } from '../featmask/syntax.js';
import type { FeatMaskEntry } from '../featmask/syntax.js';
import { printVmwareMask } from './register-masks.js';
import type { MigrationTarget } from '../../core/target.js';
import { hidePlan, requireOneVendor, unmaskableDiagnostics } from '../common/hide.js';
import type { ExportResult, Exporter } from '../writer-types.js';

/** A hidden feature that needs no line: a dependency of it is hidden by the lines. */
export interface ImpliedHide {
  readonly feature: Feature;
  readonly by: Feature;
}

/** The VMware settings that present a target: register masks, featMask lines for other subleaves. */
export interface VmxSettings {
  /** `cpuid.<leaf>.<reg>` masks (subleaf 0): `0` for each hidden bit. */
  readonly mask: CpuidMask;
  /** `featMask.vm.cpuid.<NAME> = "Val:0"` for hidden features on another subleaf. */
  readonly featMasks: readonly FeatMaskEntry[];
  readonly implied: readonly ImpliedHide[];
  /** Hidden features no line can hide (another subleaf, no VMware key, no hidden dependency). */
  readonly unwritten: readonly Feature[];
  /** The lines, in order: register masks, then featMask lines. */
  readonly lines: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The hidden dependency that takes `f` with it, if any (direct dependencies first). */
function hiddenDependency(f: Feature, hidden: FeatureSet): Feature | undefined {
  for (const d of f.deps) if (hidden.has(d)) return catalog.require(d);
  const needs = catalog.requirements(catalog.emptySet().add(f)).delete(f);
  return [...needs].find((d) => hidden.has(d));
}

/** Computes the lines (refuses hosts of mixed vendors: vSphere never migrates between them). */
export function vmxSettings(target: MigrationTarget): VmxSettings {
  requireOneVendor(target, 'vmx');
  const plan = hidePlan(target);
  const bits = new MaskBuilder();
  const written = catalog.emptySet();
  const elsewhere: Feature[] = [];
  for (const f of plan.hide) {
    if (f.loc.type !== 'cpuid') continue;
    if (f.loc.subleaf === 0) {
      bits.set(f.loc, '0');
      written.add(f);
    } else elsewhere.push(f);
  }
  const implied: ImpliedHide[] = [];
  const featMasks: FeatMaskEntry[] = [];
  const rest: Feature[] = [];
  for (const f of elsewhere) {
    const by = hiddenDependency(f, written);
    if (by) implied.push({ feature: f, by });
    else if (f.vmware) featMasks.push(featMaskFor(f, 'Val', 0));
    else rest.push(f);
  }
  for (const e of featMasks) if (e.target.kind === 'feature') written.add(e.target.feature);
  const unwritten: Feature[] = [];
  for (const f of rest) {
    const by = hiddenDependency(f, written);
    if (by) implied.push({ feature: f, by });
    else unwritten.push(f);
  }
  const mask = bits.build();
  const diagnostics: Diagnostic[] = [...unmaskableDiagnostics(plan)];
  for (const { feature, by } of implied) {
    diagnostics.push({
      level: 'info',
      message:
        `${feature.name} (${feature.id}, ${describeLocation(feature.loc)}) gets no line (a cpuid line cannot address subleaf ${subleafOf(feature)}): ` +
        `it needs ${by.name} (${by.id}), which these lines hide, so no guest can use it`,
    });
  }
  for (const f of unwritten) {
    diagnostics.push({
      level: 'warning',
      message:
        `${f.name} (${f.id}, ${describeLocation(f.loc)}) cannot be hidden: a cpuid line cannot address subleaf ${subleafOf(f)} ` +
        'and VMware has no feature key for it',
    });
  }
  const lines = [...printVmwareMask(mask), ...featMasks.map(printFeatMask)];
  return { mask, featMasks, implied, unwritten, lines, diagnostics };
}

function subleafOf(f: Feature): number {
  return f.loc.type === 'cpuid' ? f.loc.subleaf : 0;
}

/** The text written when a target hides nothing, as a comment in the format's own syntax. */
export function nothingToHide(target: MigrationTarget, comment: string): string {
  return `${comment} openevc: nothing to hide: these hosts already show VMs the same features under the ${target.profile.id} profile\n`;
}

function render(target: MigrationTarget): ExportResult {
  const s = vmxSettings(target);
  const text = s.lines.length === 0 ? nothingToHide(target, '#') : `${s.lines.join('\n')}\n`;
  return { text, diagnostics: s.diagnostics };
}

export const vmxExporter: Exporter = {
  format: 'vmx',
  description: '.vmx lines: cpuid.<leaf>.<reg> masks (0 = hidden), featMask.vm.cpuid.<NAME> for bits on other subleaves',
  defaultProfile: 'esxi',
  render,
};
