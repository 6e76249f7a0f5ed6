/**
 * The library's one call per command: each composes core, formats, plan and report exactly as the
 * CLI command does (the commands call these same functions), and returns the result with the JSON
 * and the text the command prints. Pure: text in, data out; no file, process or terminal access,
 * so it runs in the browser as in Node. Documented in docs/api.md.
 */
import type { CpuidDump, Fidelity, FormatId } from '../core/cpuid.js';
import { fidelityOf } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';
import { decodeHost } from '../core/host.js';
import type { Host } from '../core/host.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode, EvcModeSet, EvcVendor } from '../core/evc.js';
import { checkMigration } from '../core/check.js';
import type { CheckResult } from '../core/check.js';
import { computeBaseline } from '../core/baseline.js';
import type { Baseline } from '../core/baseline.js';
import { defaultProfile, getProfile, guestFeatures } from '../core/profiles.js';
import type { ProfileDef } from '../core/profiles.js';
import { evcTarget, minimalTarget } from '../core/target.js';
import type { MigrationTarget } from '../core/target.js';
import { catalog } from '../core/catalog.js';
import type { Feature } from '../core/catalog.js';
import { importText } from '../formats/readers.js';
import type { FleetCluster, FleetVm } from '../formats/reader-types.js';
import { allHosts, selectHost } from '../formats/select-host.js';
import type { HostInput, SelectOptions } from '../formats/select-host.js';
import { exporterFor } from '../formats/writers.js';
import type { ExportResult } from '../formats/writers.js';
import { targetDiagnostics } from '../formats/common/hide.js';
import { readSupportedEvcModes } from '../formats/vcenter-evc/reader.js';
import { VmxDocument } from '../formats/vmx/document.js';
import { readVmxCpu } from '../formats/vmx/cpu.js';
import { vmxCheckOptions } from '../formats/vmx/check-options.js';
import { buildFleet } from '../plan/fleet.js';
import type { FileTexts, Fleet as PlanFleet, FleetHost as PlanFleetHost } from '../plan/fleet.js';
import { parseInventory } from '../plan/inventory.js';
import { parseStep, plan } from '../plan/planner.js';
import type { PlanResult, Step } from '../plan/planner.js';
import { renderRisk, riskReport } from '../plan/risk.js';
import type { RiskReport } from '../plan/risk.js';
import { renderScript } from '../plan/script.js';
import type { ScriptTool } from '../plan/script.js';
import { summarize } from './host.js';
import type { HostSummary } from './host.js';
import { renderHost } from './show.js';
import { checkToJson, renderCheck } from './check.js';
import type { CheckJson } from './check.js';
import { baselineToJson, renderBaseline } from './baseline.js';
import { fleetJson, renderFleet } from './fleet.js';
import { explainTarget } from './mask.js';
import { modeJson, renderModes } from './modes.js';
import { NoMatchError, byLocation, featureJson, findFeatures, renderDetails, renderTable } from './features.js';
import { explainMessage, explanationToJson, renderExplanation } from './explain/explain.js';
import type { ExplainOptions, Explanation, ExplanationJson } from './explain/explain.js';
import { planToJson, renderPlan } from './plan.js';
import { DEFAULT_WIDTH, diagnosticLines } from './text.js';

export type { HostInput, SelectOptions } from '../formats/select-host.js';
export { selectHost } from '../formats/select-host.js';

// ---- decode ---------------------------------------------------------------------------------------

/** One host of an input, decoded: where it came from, what the reader noted, what it rests on. */
export interface DecodedInput extends HostInput {
  /** The decoded host every analysis starts from. */
  readonly decoded: Host;
  /** What the host's features rest on: raw CPUID, feature flags only, or an EVC mode key only. */
  readonly fidelity: Fidelity;
}

export interface DecodeOptions extends Partial<SelectOptions> {
  /** Read the text as this format instead of detecting it (the CLI's `--format`). */
  readonly format?: FormatId | string;
}

/** A host input read elsewhere (the CLI reads files), decoded. */
export function decodeInput(input: HostInput): DecodedInput {
  return { ...input, decoded: decodeHost(input.dump), fidelity: fidelityOf(input.dump.source) };
}

/**
 * Text in any supported format to a decoded host: detects the format (or reads it as `format`),
 * picks the host `host`/`cpu`/`guest` name, and keeps the reader's diagnostics. Bad input throws
 * InputError naming file and line; `file` (default `(text)`) labels the input in messages.
 */
export function decodeHostText(text: string, opts: DecodeOptions = {}): DecodedInput {
  const file = opts.file ?? '(text)';
  const result = importText(text, { file, ...(opts.format !== undefined ? { format: opts.format } : {}) });
  return decodeInput(selectHost(result, { ...opts, file }));
}

/** Every host an input holds (a fleet export holds many), and what else a fleet export holds. */
export interface DecodedInputs {
  readonly hosts: readonly DecodedInput[];
  readonly clusters: readonly FleetCluster[];
  readonly vms: readonly FleetVm[];
  /** vCenter EVC mode definitions the input holds (pass them to baselineReport/maskReport as `loadedModes`). */
  readonly evcModes: readonly EvcMode[];
}

/** Like decodeHostText, but every host of a fleet export (govc, PowerCLI, RVTools CSV, kubectl…), each named `FILE#HOST`. */
export function decodeHostsText(text: string, opts: Omit<DecodeOptions, 'host'> = {}): DecodedInputs {
  const file = opts.file ?? '(text)';
  const result = importText(text, { file, ...(opts.format !== undefined ? { format: opts.format } : {}) });
  const f = result.fleet;
  return { hosts: allHosts(result, { ...opts, file }).map(decodeInput), clusters: f?.clusters ?? [], vms: f?.vms ?? [], evcModes: f?.evcModes ?? [] };
}

/** What the calls below accept as a host: a decoded input, or a Host built with `decodeHost`. */
export type HostArg = DecodedInput | Host;

function hostOf(h: HostArg): Host {
  return 'decoded' in h ? h.decoded : h;
}

/** The name an input goes by: the file it was read from, else the dump's own path or label. */
function nameOf(h: HostArg, i: number): string {
  if ('decoded' in h) return h.file;
  return h.dump.source.path ?? h.dump.source.label ?? `host ${i + 1}`;
}

/**
 * A decoded input as a host whose dump is named by the input's file (what mask targets and their
 * explanations call each host); openevc JSON keeps its own source path otherwise.
 */
export function hostNamed(input: HostInput): Host {
  const p = input.file;
  const dump: CpuidDump = input.dump.source.path === p ? input.dump : input.dump.clone({ ...input.dump.source, path: p });
  return decodeHost(dump);
}

// ---- EVC modes ------------------------------------------------------------------------------------

/** A vCenter `supportedEVCMode` list (JSON text): the built-in modes with its modes in place of those with the same key. */
export function evcModesFromText(text: string, file = '(input)'): { readonly modes: EvcModeSet; readonly diagnostics: readonly Diagnostic[] } {
  const loaded = readSupportedEvcModes(text, file);
  return { modes: builtinEvcModes().withOverrides(loaded.modes), diagnostics: loaded.diagnostics };
}

/** The modes to use: those given, else the built-in ones with the definitions found among the inputs in place. */
export function resolveEvcModes(given: EvcModeSet | undefined, loaded: readonly EvcMode[] = []): EvcModeSet {
  if (given !== undefined) return given;
  return loaded.length > 0 ? builtinEvcModes().withOverrides(loaded) : builtinEvcModes();
}

function profileOf(p: string | ProfileDef | undefined, fallback?: string): ProfileDef | undefined {
  if (p === undefined) return fallback === undefined ? undefined : getProfile(fallback);
  return typeof p === 'string' ? getProfile(p) : p;
}

// ---- show -----------------------------------------------------------------------------------------

export interface ShowOptions {
  /** One line per feature, with its CPUID location and enforcement (`show --long`). */
  readonly long?: boolean;
  /** Text width (default 100). */
  readonly width?: number;
}

export interface ShowReport {
  /** What `show --json` prints. */
  readonly json: HostSummary;
  /** What `show` prints (without the final newline). */
  readonly text: string;
}

/** `openevc show`: the host summary as JSON and as text. */
export function showReport(input: DecodedInput, opts: ShowOptions = {}): ShowReport {
  return { json: showJson(input), text: showText(input, opts) };
}

/** `openevc show --json` alone. */
export function showJson(input: DecodedInput): HostSummary {
  return summarize(input.decoded, { file: input.file, format: input.format, cpus: input.cpus, diagnostics: input.diagnostics });
}

/** `openevc show` text alone. */
export function showText(input: DecodedInput, opts: ShowOptions = {}): string {
  return renderHost(input.decoded, input, { long: opts.long ?? false, width: opts.width ?? DEFAULT_WIDTH });
}

// ---- check ----------------------------------------------------------------------------------------

export interface CheckReportOptions {
  /** Profile id (`esxi`, `kvm`, `raw`…) or definition; default: the first registered (ESXi). */
  readonly profile?: string | ProfileDef;
  /** The VM has nested virtualization enabled. */
  readonly nested?: boolean;
  /** EVC modes (default: the built-in ones; see evcModesFromText). */
  readonly evcModes?: EvcModeSet;
  /** The VM's .vmx: its CPUID masks and per-VM EVC lines narrow what it was given at power-on. */
  readonly vm?: { readonly text: string; readonly file: string };
  /** Labels of the two hosts in the text (default: their files). */
  readonly from?: string;
  readonly to?: string;
  readonly width?: number;
}

export interface CheckReport {
  readonly result: CheckResult;
  /** What `check --json` prints. */
  readonly json: CheckJson;
  /** What `check` prints (without the final newline). */
  readonly text: string;
  /** What reading the .vmx noted (the CLI prints them on standard error). */
  readonly diagnostics: readonly Diagnostic[];
}

/** `openevc check`: can a VM powered on at `src` live-migrate to `dst`? */
export function checkReport(src: HostArg, dst: HostArg, opts: CheckReportOptions = {}): CheckReport {
  const profile = profileOf(opts.profile) ?? defaultProfile();
  const s = hostOf(src);
  const d = hostOf(dst);
  const profileOpts = { nested: opts.nested ?? false };
  let vm: ReturnType<typeof vmxCheckOptions> = {};
  const diagnostics: Diagnostic[] = [];
  if (opts.vm) {
    const cpu = readVmxCpu(VmxDocument.parse(opts.vm.text, opts.vm.file));
    diagnostics.push(...cpu.diagnostics);
    vm = vmxCheckOptions(cpu, s, d, profile, profileOpts);
  }
  const result = checkMigration(s, d, { profile, ...(opts.evcModes ? { evcModes: opts.evcModes } : {}), ...profileOpts, ...vm });
  const text = renderCheck(result, { from: opts.from ?? nameOf(src, 0), to: opts.to ?? nameOf(dst, 1) }, { width: opts.width ?? DEFAULT_WIDTH });
  return { result, json: checkToJson(result), text, diagnostics };
}

// ---- baseline -------------------------------------------------------------------------------------

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
}

export interface BaselineReport {
  readonly result: Baseline;
  /** What `baseline --json` prints. */
  readonly json: ReturnType<typeof baselineToJson> & ReturnType<typeof fleetJson>;
  /** What `baseline` prints (without the final newline). */
  readonly text: string;
}

/** `openevc baseline`: the best baseline all hosts can offer, what each loses, which holds it down. */
export function baselineReport(hosts: readonly HostArg[], opts: BaselineReportOptions = {}): BaselineReport {
  const profile = profileOf(opts.profile);
  const evcModes = resolveEvcModes(opts.evcModes, opts.loadedModes);
  const result = computeBaseline(hosts.map(hostOf), { ...(profile ? { profile } : {}), evcModes, nested: opts.nested ?? false });
  const names = opts.names ?? hosts.map(nameOf);
  const fleet = { clusters: opts.clusters ?? [], vms: opts.vms ?? [] };
  const json = { ...baselineToJson(result, names), ...fleetJson(result, fleet) };
  const text = `${renderBaseline(result, names, { long: opts.long ?? false, width: opts.width ?? DEFAULT_WIDTH })}${renderFleet(result, fleet)}`;
  return { result, json, text };
}

// ---- mask -----------------------------------------------------------------------------------------

export interface TargetChoice {
  /** Profile id or definition the hosts are compared through. */
  readonly profile: string | ProfileDef;
  /** Present this EVC baseline on every host instead of the minimal target. */
  readonly evc?: string;
  readonly nested?: boolean;
  /** EVC modes for `evc`; default: the built-in ones, with `loadedModes` in place. */
  readonly evcModes?: EvcModeSet;
  readonly loadedModes?: readonly EvcMode[];
}

/** The minimal target, or the EVC target for `evc` (which refuses hosts that cannot present the mode). */
export function migrationTarget(hosts: readonly Host[], choice: TargetChoice): MigrationTarget {
  const profile = profileOf(choice.profile)!;
  const opts = { profile, nested: choice.nested ?? false };
  if (choice.evc === undefined) return minimalTarget(hosts, opts);
  return evcTarget(hosts, choice.evc, { ...opts, evcModes: resolveEvcModes(choice.evcModes, choice.loadedModes) });
}

export interface MaskOptions extends Partial<TargetChoice> {
  /** Output format (`vmx`, `featmask`, `vsphere-evc`, `govc`, `powercli`, `qemu`, `libvirt`, `proxmox`, `nova`, `kubevirt`, `xen`, `json`…); default vmx. */
  readonly format?: string;
  /** Name of the VM (govc, PowerCLI) or of the CPU model the format defines. */
  readonly name?: string;
}

export interface MaskReport {
  /** The configuration: exactly what `openevc mask` writes on standard output. */
  readonly text: string;
  /** What `openevc mask` writes on standard error about the target: what each host loses, then the diagnostics. */
  readonly notes: string;
  /** The target's and the writer's diagnostics (hides hardware does not enforce, lossy inputs…). */
  readonly diagnostics: readonly Diagnostic[];
  readonly target: MigrationTarget;
  readonly output: ExportResult;
}

/**
 * `openevc mask`: the configuration that lets VMs live-migrate between these hosts, in `format`.
 * Decoded inputs are named by their files (as the CLI names them by path).
 */
export function maskReport(hosts: readonly HostArg[], opts: MaskOptions = {}): MaskReport {
  const format = opts.format ?? 'vmx';
  const exporter = exporterFor(format);
  const target = migrationTarget(
    hosts.map((h) => ('decoded' in h ? hostNamed(h) : h)),
    { ...opts, profile: opts.profile ?? exporter.defaultProfile },
  );
  const output = exporter.render(target, opts.name !== undefined ? { name: opts.name } : {});
  const diagnostics = [...targetDiagnostics(target), ...output.diagnostics];
  const notes = (format !== 'json' ? explainTarget(target) : '') + diagnosticLines(diagnostics);
  return { text: output.text, notes, diagnostics, target, output };
}

// ---- modes ----------------------------------------------------------------------------------------

export interface ModesOptions {
  readonly vendor?: EvcVendor;
  /** The modes (default: the built-in ones; see evcModesFromText). */
  readonly evcModes?: EvcModeSet;
  readonly width?: number;
}

export interface ModesReport {
  readonly modes: readonly EvcMode[];
  /** What `modes --json` prints. */
  readonly json: Record<string, unknown>[];
  /** What `modes` prints (without the final newline). */
  readonly text: string;
}

/** `openevc modes`: the EVC modes in ladder order, what each adds and how sure the facts are. */
export function modesReport(opts: ModesOptions = {}): ModesReport {
  const set = opts.evcModes ?? builtinEvcModes();
  const modes = set.list(opts.vendor);
  return { modes, json: modes.map(modeJson), text: renderModes(set, opts.vendor, opts.width ?? DEFAULT_WIDTH) };
}

// ---- features -------------------------------------------------------------------------------------

export interface FeaturesReport {
  readonly features: readonly Feature[];
  /** What `features --json` prints (sorted by location). */
  readonly json: Record<string, unknown>[];
  /** What `features` prints: the table, and the details when one entry matched. */
  readonly text: string;
}

/**
 * `openevc features [QUERY]`: the whole catalog, or the entries matching a name in any spelling
 * (Linux, QEMU, libvirt, VMware, Xen), a CPUID location, a category or a display name. No match
 * throws NoMatchError.
 */
export function featuresReport(query?: string): FeaturesReport {
  const features = query === undefined ? [...catalog.features] : findFeatures(query);
  if (features.length === 0) throw new NoMatchError(query ?? '');
  const json = [...features].sort(byLocation).map(featureJson);
  const text = renderTable(features) + (features.length === 1 ? renderDetails(features[0]!) : '');
  return { features, json, text };
}

// ---- explain --------------------------------------------------------------------------------------

export interface ExplainReport {
  readonly explanation: Explanation;
  /** What `explain --json` prints. */
  readonly json: ExplanationJson;
  /** What `explain` prints. */
  readonly text: string;
}

/** `openevc explain`: a migration error message to its findings (features, CPUID locations, likely causes). */
export function explainReport(message: string, opts: ExplainOptions = {}): ExplainReport {
  const explanation = explainMessage(message, opts);
  return { explanation, json: explanationToJson(explanation), text: renderExplanation(explanation) };
}

// ---- plan -----------------------------------------------------------------------------------------

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
    cpu: { key: `file::${ref}`, host, vendor: host.id.vendor, esxi: guestFeatures(host, getProfile('esxi')), kvm: guestFeatures(host, getProfile('kvm')), fidelity: input.dump.source.lossy ? 'lossy' : 'cpuid', source: ref },
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
