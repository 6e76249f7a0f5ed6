/**
 * The `openevc check --json` object (a contract: see docs/json.md): the verdict, both CPUs, every
 * blocker with its location and likely cause, and the EVC modes involved.
 */
import type { LocationJson } from '../core/catalog.js';
import { locationJson } from '../core/catalog.js';
import type { CauseKind, CheckResult } from '../core/check.js';
import { blockerCause } from '../core/check.js';
import type { HostSummary } from './host.js';
import { summarize } from './host.js';
import { describeLocation } from '../core/catalog.js';
import type { Blocker } from '../core/check.js';
import type { Host } from '../core/host.js';
import { DEFAULT_WIDTH, plural, printable, table, wrapWords } from './text.js';
import { fidelityCaveat, fidelityOf, fidelityShort } from './fidelity.js';
import type { EvcMode } from '../core/evc.js';
import { UNCONFIRMED_LEGEND, UNCONFIRMED_MARK, modeConfidence } from '../core/evc.js';


export interface BlockerJson extends LocationJson {
  readonly id: string;
  readonly name: string;
  readonly kind: CauseKind;
  readonly cause: string;
  /** The EVC mode the feature arrives with (when the cause names one), and whether a source confirms that placement. */
  readonly evc_mode?: { readonly key: string; readonly confirmed: boolean; readonly sources: readonly string[] };
}

/** An EVC mode named in an answer, and whether a source openevc holds confirms its feature set. */
export interface EvcFactJson {
  readonly key: string;
  readonly confirmed: boolean;
  readonly sources: readonly string[];
}

export function evcFactJson(mode: EvcMode): EvcFactJson {
  const c = modeConfidence(mode);
  return { key: mode.key, confirmed: c.confirmed, sources: c.sources };
}

/** The `openevc check --json` object (see docs/json.md). */
export interface CheckJson {
  readonly compatible: boolean;
  readonly profile: string;
  readonly from: HostSummary['cpu'];
  readonly to: HostSummary['cpu'];
  readonly vendor_mismatch: string | null;
  readonly blockers: readonly BlockerJson[];
  readonly extra: readonly string[];
  readonly evc: { readonly from: string | null; readonly to: string | null; readonly common: string | null; readonly facts: readonly EvcFactJson[] };
  readonly notes: readonly string[];
  /** What each side's data rests on: cpuid, flags or evc-key. */
  readonly fidelity: { readonly from: string; readonly to: string };
}

export function checkToJson(r: CheckResult): CheckJson {
  return {
    compatible: r.compatible,
    profile: r.profile.id,
    from: summarize(r.from).cpu,
    to: summarize(r.to).cpu,
    vendor_mismatch: r.vendorMismatch ?? null,
    blockers: r.blockers.map((b) => ({
      id: b.feature.id,
      name: b.feature.name,
      ...locationJson(b.feature.loc),
      kind: b.kind,
      cause: blockerCause(b),
      ...(b.placement ? { evc_mode: { key: b.placement.mode.key, confirmed: b.placement.confirmed, sources: b.placement.sources } } : {}),
    })),
    extra: r.extra.ids(),
    evc: {
      from: r.evc.from?.key ?? null,
      to: r.evc.to?.key ?? null,
      common: r.evc.common?.key ?? null,
      facts: [...new Set([r.evc.from, r.evc.to, r.evc.common].filter((m): m is EvcMode => m !== undefined))].map(evcFactJson),
    },
    notes: r.notes,
    fidelity: { from: fidelityOf(r.from.dump.source), to: fidelityOf(r.to.dump.source) },
  };
}

/** A mode's key, marked when its feature set is not confirmed. */
export function markedKey(mode: EvcMode): string {
  return `${mode.key}${modeConfidence(mode).confirmed ? '' : UNCONFIRMED_MARK}`;
}

function hostLine(h: Host, path: string | undefined, evc: { max: EvcMode | undefined } | undefined): string {
  // A host known by flags may name its CPU model instead (a libvirt <cpu>, a KubeVirt node's host-model).
  const what = [h.id.microarchitecture ?? (h.dump.source.model !== undefined ? `model ${h.dump.source.model}` : 'unknown microarchitecture')];
  if (evc) what.push(evc.max ? `EVC up to ${markedKey(evc.max)}` : 'no EVC mode');
  // Said only when below raw CPUID (what every answer rests on by default).
  if (fidelityOf(h.dump.source) !== 'cpuid') what.push(fidelityShort(fidelityOf(h.dump.source)));
  return `${printable(path ?? h.dump.source.path ?? h.dump.source.label ?? '(input)')}: ${printable(h.id.brand || h.id.vendorString) || '(no brand string)'}  (${what.join(', ')})`;
}

/** Human output of `openevc check`; `paths` are the inputs as the user named them. */
export function renderCheck(r: CheckResult, paths: { from?: string; to?: string } = {}, opts: { width?: number } = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const esxi = r.profile.id === 'esxi';
  const out: string[] = [];
  out.push(`Live migration under the ${r.profile.id} profile (${r.profile.name})`);
  out.push(`  from  ${hostLine(r.from, paths.from, esxi ? { max: r.evc.from } : undefined)}`);
  out.push(`  to    ${hostLine(r.to, paths.to, esxi ? { max: r.evc.to } : undefined)}`);
  out.push('');
  const given = plural(r.requirements.size, 'compared feature');
  if (r.compatible) {
    out.push(`COMPATIBLE: the destination offers all ${given} the VM was given at power-on.`);
  } else {
    const reasons: string[] = [];
    if (r.vendorMismatch) reasons.push('the CPU vendors differ');
    if (r.blockers.length > 0) reasons.push(`the destination lacks ${r.blockers.length} of the ${given} the VM was given at power-on`);
    out.push(`NOT COMPATIBLE: ${reasons.join('; ')}.`);
    if (r.vendorMismatch) out.push(`  ${wrapWords(r.vendorMismatch.split(' '), width, 2)}`);
    const groups = new Map<string, Blocker[]>();
    for (const b of r.blockers) groups.set(b.headline, [...(groups.get(b.headline) ?? []), b]);
    for (const [headline, list] of groups) {
      out.push(`  ${wrapWords(headline.split(' '), width, 4)}:`);
      out.push(table(list.map((b) => ['    ' + b.feature.name, b.feature.id, describeLocation(b.feature.loc), b.detail ?? ''])));
    }
    const common = r.evc.common;
    if (esxi && !r.vendorMismatch && common && r.blockers.length > 0) {
      out.push('');
      out.push(`Fix: power the VM on under EVC mode ${markedKey(common)} (${common.label}), which both hosts support (cluster or per-VM EVC).`);
    }
  }
  if (!r.extra.isEmpty) {
    out.push(`The destination also offers ${plural(r.extra.size, 'feature')} the VM does not use (harmless): ${r.extra.ids().join(', ')}`);
  }
  for (const n of r.notes) out.push(`Note: ${n}`);
  const caveat = fidelityCaveat([r.from.dump.source, r.to.dump.source], [paths.from ?? 'source', paths.to ?? 'destination']);
  if (caveat) out.push(`Note: ${caveat}`);
  const unsure = (m: EvcMode | undefined) => m !== undefined && !modeConfidence(m).confirmed;
  const marked =
    r.blockers.some((b) => b.placement !== undefined && !b.placement.confirmed) ||
    (esxi && (unsure(r.evc.from) || unsure(r.evc.to))) ||
    (esxi && !r.compatible && !r.vendorMismatch && r.blockers.length > 0 && unsure(r.evc.common));
  if (marked) out.push(UNCONFIRMED_LEGEND);
  return out.join('\n');
}
