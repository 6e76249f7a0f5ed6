/**
 * The plan view's model: an inventory and the files it names, built into a fleet and planned
 * over here in the page with the library's planner (src/plan, pure), what-if steps applied in
 * order exactly as `openevc plan --what-if` applies them.
 */
import { InputError, UsageError } from '../../src/core/errors.js';
import { buildFleet } from '../../src/plan/fleet.js';
import type { Fleet as PlanFleet, FileTexts } from '../../src/plan/fleet.js';
import { inventoryFiles, parseInventory } from '../../src/plan/inventory.js';
import { parseStep, plan } from '../../src/plan/planner.js';
import type { PlanResult } from '../../src/plan/planner.js';
import { riskReport } from '../../src/plan/risk.js';
import type { RiskReport } from '../../src/plan/risk.js';
import { looksLikeInventory } from '../../src/plan/sniff.js';
import { planToJson } from '../../src/report/plan.js';

export { looksLikeInventory };

/** An inventory's text, and a way to find the files it names (by its own reference). */
export interface InventorySource {
  readonly name: string;
  readonly text: string;
  /** The text of a referenced file, or undefined when it was not given; a string error when it was refused. */
  readonly file: (ref: string) => { text: string } | { error: string } | undefined;
}

/** Builds the fleet of an inventory. Throws InputError naming the file (and line) for what is wrong or missing. */
export function inventoryFleet(src: InventorySource): PlanFleet {
  const inv = parseInventory(src.text, src.name);
  const files = new Map<string, { text: string; label: string }>();
  const missing: string[] = [];
  for (const r of inventoryFiles(inv.doc)) {
    if (files.has(r.ref)) continue;
    const f = src.file(r.ref);
    if (f === undefined) missing.push(r.ref);
    else if ('error' in f) throw new InputError({ file: src.name }, `every file the inventory names to be readable (${f.error})`, r.ref);
    else files.set(r.ref, { text: f.text, label: r.ref });
  }
  if (missing.length > 0) {
    throw new InputError({ file: src.name }, `every file the inventory names (drop them on the page with it); missing: ${[...new Set(missing)].join(', ')}`);
  }
  return buildFleet(inv, files as FileTexts);
}

export interface PlanOutcome {
  readonly result: PlanResult;
  /** Per vSphere cluster, at its mode (or the highest its hosts support): what `plan --risk` adds. */
  readonly risks: readonly RiskReport[];
}

/** Plans over the fleet after the what-if steps (their `--what-if` text). Throws UsageError for a bad step. */
export function runPlan(fleet: PlanFleet, steps: readonly string[]): PlanOutcome {
  const whatIf = steps.map(parseStep);
  const result = plan(fleet, { whatIf });
  const risks = result.clusters.filter((c) => c.platform === 'vsphere').map((c) => riskReport(result.sim, c.name));
  return { result, risks };
}

/** The JSON `openevc plan --json --risk` prints, for tests. */
export function outcomeJson(o: PlanOutcome): object {
  return { ...planToJson(o.result), risks: o.risks };
}

/** The step text a control makes (the `--what-if` syntax). */
export const stepText = {
  add: (host: string, cluster: string) => `add host ${host}${cluster ? ` to ${cluster}` : ''}`,
  retire: (hosts: readonly string[]) => `retire ${hosts.join(',')}`,
  evc: (verb: string, mode: string, cluster: string) => `${verb === 'disable' ? 'disable evc' : `${verb} ${mode}`}${cluster ? ` on ${cluster}` : ''}`,
  vm: (verb: string, vm: string) => `${verb} ${vm}`,
};

/** Whether an error is the user's (a bad step or input), shown as its message. */
export function isUserError(e: unknown): boolean {
  return e instanceof UsageError || e instanceof InputError;
}

/** The file names (last path part) an inventory refers to; none when it does not parse. */
export function referencedNames(src: InventorySource): string[] {
  try {
    return inventoryFiles(parseInventory(src.text, src.name).doc).map((r) => r.ref.split(/[\\/]/).pop()!);
  } catch {
    return [];
  }
}
