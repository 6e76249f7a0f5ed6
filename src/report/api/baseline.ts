/** `openevc baseline` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import type { EvcMode, EvcModeSet } from '../../core/evc.js';
import { computeBaseline } from '../../core/baseline.js';
import type { Baseline } from '../../core/baseline.js';
import type { Fleet } from '../../core/fleet.js';
import type { ProfileDef } from '../../core/profiles.js';
import type { FleetCluster, FleetVm } from '../../formats/reader-types.js';
import { baselineToJson, renderBaseline } from '../baseline.js';
import { fleetJson, renderFleet } from '../fleet.js';
import { DEFAULT_WIDTH } from '../text.js';
import { hostOf, nameOf, profileOf } from './hosts.js';
import type { HostArg } from './hosts.js';
import { resolveEvcModes } from './evc-modes.js';


export interface BaselineReportOptions {
  /** Profile id or definition the common set and x86-64 level are judged through (default: esxi). */
  readonly profile?: string | ProfileDef;
  readonly nested?: boolean;
  /** EVC modes; default: the built-in ones, with `loadedModes` in place. */
  readonly evcModes?: EvcModeSet;
  /** vCenter EVC definitions found among the inputs: they replace built-in modes unless `evcModes` is given. */
  readonly loadedModes?: readonly EvcMode[];
  /** The clusters and VMs fleet exports held (their EVC modes are judged against the baseline). */
  readonly clusters?: readonly FleetCluster[];
  readonly vms?: readonly FleetVm[];
  /** The hosts' names in the report (default: their files). */
  readonly names?: readonly string[];
  /** List the common features and every host (`baseline --long`). */
  readonly long?: boolean;
  readonly width?: number;
  /** What reading the inputs passed over (`passed_over[]` in JSON), and inputs counted once (`duplicates[]`). */
  readonly passedOver?: readonly { readonly path: string; readonly why: string }[];
  readonly duplicates?: readonly { readonly path: string; readonly same_as: string; readonly why: string }[];
}

export interface BaselineReport {
  readonly result: Baseline;
  /** What `baseline --json` prints. */
  readonly json: ReturnType<typeof baselineToJson> & ReturnType<typeof fleetJson> & { readonly passed_over: BaselineReportOptions['passedOver']; readonly duplicates: BaselineReportOptions['duplicates'] };
  /** What `baseline` prints (without the final newline). */
  readonly text: string;
}

/** `openevc baseline`: the best baseline all hosts can offer, what each loses, which holds it down. */
export function baselineReport(hosts: readonly HostArg[], opts: BaselineReportOptions = {}): BaselineReport {
  const profile = profileOf(opts.profile);
  const evcModes = resolveEvcModes(opts.evcModes, opts.loadedModes);
  const result = computeBaseline(hosts.map(hostOf), { ...(profile ? { profile } : {}), evcModes, nested: opts.nested ?? false });
  return reportOf(result, opts.names ?? hosts.map(nameOf), opts);
}

/**
 * `openevc baseline` over a {@link Fleet} the hosts were folded into one at a time (the CLI's
 * streaming path; a fleet built with `keepDumps: false` is enough): the same report as
 * {@link baselineReport} over those hosts, in the order added. `names` names each host added
 * (default: the dump's own path or label, as `baselineReport` does).
 */
export function fleetBaselineReport(fleet: Fleet, opts: BaselineReportOptions = {}): BaselineReport {
  const profile = profileOf(opts.profile);
  const evcModes = resolveEvcModes(opts.evcModes, opts.loadedModes);
  const result = fleet.baseline({ ...(profile ? { profile } : {}), evcModes, nested: opts.nested ?? false });
  return reportOf(result, opts.names ?? result.hosts.map((h, i) => nameOf(h.host, i)), opts);
}

/** The JSON and the text of a baseline, each built when first asked for (a command prints one). */
function reportOf(result: Baseline, names: readonly string[], opts: BaselineReportOptions): BaselineReport {
  const fleet = { clusters: opts.clusters ?? [], vms: opts.vms ?? [] };
  let json: BaselineReport['json'] | undefined;
  let text: string | undefined;
  return {
    result,
    get json() {
      return (json ??= { ...baselineToJson(result, names), ...fleetJson(result, fleet), passed_over: opts.passedOver ?? [], duplicates: opts.duplicates ?? [] });
    },
    get text() {
      return (text ??= `${renderBaseline(result, names, { long: opts.long ?? false, width: opts.width ?? DEFAULT_WIDTH })}${renderFleet(result, fleet)}`);
    },
  };
}
