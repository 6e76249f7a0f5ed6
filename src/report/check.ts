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


export interface BlockerJson extends LocationJson {
  readonly id: string;
  readonly name: string;
  readonly kind: CauseKind;
  readonly cause: string;
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
  readonly evc: { readonly from: string | null; readonly to: string | null; readonly common: string | null };
  readonly notes: readonly string[];
}

export function checkToJson(r: CheckResult): CheckJson {
  return {
    compatible: r.compatible,
    profile: r.profile.id,
    from: summarize(r.from).cpu,
    to: summarize(r.to).cpu,
    vendor_mismatch: r.vendorMismatch ?? null,
    blockers: r.blockers.map((b) => ({ id: b.feature.id, name: b.feature.name, ...locationJson(b.feature.loc), kind: b.kind, cause: blockerCause(b) })),
    extra: r.extra.ids(),
    evc: { from: r.evc.from?.key ?? null, to: r.evc.to?.key ?? null, common: r.evc.common?.key ?? null },
    notes: r.notes,
  };
}
