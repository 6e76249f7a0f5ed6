/** `openevc plan` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import { getProfile, guestFeatures } from '../../core/profiles.js';
import { buildFleet, planFidelity } from '../../plan/fleet.js';
import type { FileTexts, Fleet as PlanFleet, FleetHost as PlanFleetHost } from '../../plan/fleet.js';
import { parseInventory } from '../../plan/inventory.js';
import { parseStep, plan } from '../../plan/planner.js';
import type { PlanResult, Step } from '../../plan/planner.js';
import { renderRisk, riskReport } from '../../plan/risk.js';
import type { RiskReport } from '../../plan/risk.js';
import { renderScript } from '../../plan/script.js';
import type { ScriptTool } from '../../plan/script.js';
import { planToJson, renderPlan } from '../plan.js';
import type { DecodedInput } from './decode.js';


/**
 * An inventory (YAML or JSON text) and the texts of the files it names (keyed as the inventory
 * names them) to the fleet `planReport` works on.
 */
export function fleetFromInventory(text: string, file: string, files: FileTexts): PlanFleet {
  return buildFleet(parseInventory(text, file), files);
}

/** A host that a what-if step `add host REF` names, read by the caller, as the planner takes it. */
export function addedHost(ref: string, input: DecodedInput): PlanFleetHost {
  const host = input.decoded;
  const name = input.dump.source.label?.split(/\s/)[0] || ref.replace(/\/+$/, '').slice(ref.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  return {
    name,
    cluster: undefined,
    cpu: { key: `file::${ref}`, host, vendor: host.id.vendor, esxi: guestFeatures(host, getProfile('esxi')), kvm: guestFeatures(host, getProfile('kvm')), fidelity: planFidelity(input.dump.source), source: ref },
  };
}

/** The hosts `add host REF` steps name that the fleet does not hold: the caller reads them for `newHosts`. */
export function hostsToAdd(fleet: PlanFleet, steps: readonly Step[]): string[] {
  const out: string[] = [];
  for (const s of steps) if (s.kind === 'add-host' && !fleet.hosts.has(s.ref) && !out.includes(s.ref)) out.push(s.ref);
  return out;
}

export interface PlanReportOptions {
  /** What-if steps, applied in order (`add host esx-04 to prod`…; see STEP_SYNTAX), as text or parsed. */
  readonly whatIf?: readonly (string | Step)[];
  /** The hosts `add host` steps name (see hostsToAdd, addedHost), by the step's reference. */
  readonly newHosts?: ReadonlyMap<string, PlanFleetHost>;
  /** Print the commands that carry out the plan instead of the plan (`--script`). */
  readonly script?: ScriptTool;
  /** Leave out the migration map (`--no-map`). */
  readonly noMap?: boolean;
  /** Add the risk report of every vSphere cluster: at its mode (`true`) or at this mode key. */
  readonly risk?: boolean | string;
  /** The text as Markdown (`--md`). */
  readonly md?: boolean;
}

export interface PlanReport {
  readonly result: PlanResult;
  readonly risks: readonly RiskReport[];
  /** What `plan --json` prints. */
  readonly json: object;
  /** What `plan` prints: the plan (or the script, with `script`), with the risk reports. */
  readonly text: string;
}

/** `openevc plan`: what will happen, and what to do, as the fleet changes. */
export function planReport(fleet: PlanFleet, opts: PlanReportOptions = {}): PlanReport {
  const steps = (opts.whatIf ?? []).map((s) => (typeof s === 'string' ? parseStep(s) : s));
  const result = plan(fleet, { whatIf: steps, ...(opts.newHosts ? { newHosts: opts.newHosts } : {}), noMap: (opts.noMap ?? false) || opts.script !== undefined });
  const risks = opts.risk ? result.clusters.filter((c) => c.platform === 'vsphere').map((c) => riskReport(result.sim, c.name, typeof opts.risk === 'string' ? opts.risk : undefined)) : [];
  const json = { ...planToJson(result), ...(opts.risk ? { risks } : {}) };
  const text = opts.script ? renderScript(result, opts.script) : renderPlan(result, { md: opts.md ?? false }) + risks.map((r) => `\n${renderRisk(r)}`).join('');
  return { result, risks, json, text };
}
