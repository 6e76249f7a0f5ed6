/**
 * openevc as a library. Everything exported here is pure (no Node.js APIs) and runs in
 * the browser as well as in Node; file and device access is in `openevc/node`.
 */
export * from './core/cpuid.js';
export * from './core/errors.js';
export * from './core/catalog.js';
export * from './core/identity.js';
export * from './core/masks/engine.js';
export * from './formats/vmx/register-masks.js';
export * from './formats/featmask/syntax.js';
export * from './formats/xen/syntax.js';
export * from './formats/vmx/document.js';
export * from './formats/vmx/cpu.js';
export { vmxCheckOptions } from './formats/vmx/check-options.js';
export * from './report/host.js';
export * from './report/check.js';
export { fidelityShort } from './report/fidelity.js';
export * from './core/evc.js';
export * from './core/check.js';
export * from './core/models.js';
export { dumpFromFeatures, impliedXsaveState, signatureEax } from './core/feature-dump.js';
export type { DumpIdentity } from './core/feature-dump.js';
export { readLibvirtCpuDefinitions, readLibvirtCpus, resolveLibvirtCpu } from './formats/libvirt/cpu-reader.js';
export type { FeaturePolicy, LibvirtCpu, LibvirtCpuDefinition, LibvirtFeatureRef } from './formats/libvirt/cpu-reader.js';
export { toVirshHostCpuXml } from './formats/libvirt/hostcpu-writer.js';
export * from './core/target.js';
export { EXPORTERS, EXPORT_FORMATS, exporterFor } from './formats/writers.js';
export type { ExportFormat, ExportOptions, ExportResult, Exporter } from './formats/writers.js';
export { hidePlan, targetDiagnostics } from './formats/common/hide.js';
export type { HidePlan } from './formats/common/hide.js';
export { vmxSettings } from './formats/vmx/writer.js';
export type { VmxSettings } from './formats/vmx/writer.js';
export { featMaskSettings } from './formats/featmask/writer.js';
export { xenSettings } from './formats/xen/writer.js';
export { maskToJson } from './formats/json/writer.js';
export type { MaskJson } from './formats/json/writer.js';
export { unifiedDiff } from './core/unified-diff.js';
export type { HostCpuXmlInput, HostCpuXmlOptions } from './formats/libvirt/hostcpu-writer.js';
export { IMPORTERS, SNIFF_CHARS, detectFormat, importFormats, importText, importWorkbook, importerFor } from './formats/readers.js';
export type { Fleet, FleetCluster, FleetHost, FleetVm, ImportContext, ImportOptions, ImportResult, Importer, Workbook } from './formats/readers.js';
export { readSupportedEvcModes } from './formats/vcenter-evc/reader.js';
export { VERSION } from './version.js';
export { MESSAGE_FORMATS, explainMessage, explanationToJson, featureByName, knownMessageFormats, renderExplanation } from './report/explain/explain.js';
export type { ExplainOptions, ExplainedFeature, ExplainedFeatureJson, Explanation, ExplanationJson, Finding, MessageFormatId } from './report/explain/explain.js';
export { readDomainCapabilities } from './formats/virsh-domcapabilities/reader.js';
export type { DomainCapabilities, DomcapsModel, Usable } from './formats/virsh-domcapabilities/reader.js';
export { agreement, compareUsable, heldAgainstModel, usableModels } from './formats/virsh-domcapabilities/usable.js';
export type { ModelVerdict, UsableComparison } from './formats/virsh-domcapabilities/usable.js';
export { readQmpReplies } from './formats/qmp/reader.js';
export type { QmpDefinition, QmpExpansion, QmpReplies } from './formats/qmp/reader.js';
// What the web dashboard (web/) uses besides the above: hosts, baselines, profiles, levels, the
// baseline and show reports, and the input guards for files dropped on a page.
export { decodeHost } from './core/host.js';
export type { Host } from './core/host.js';
export { computeBaseline } from './core/baseline.js';
export type { Baseline, BaselineHost, BaselineOptions, LimitingHost } from './core/baseline.js';
export { defaultProfile, evcProfile, getProfile, guestFeatures, profileIds } from './core/profiles.js';
export type { ProfileDef, ProfileOptions } from './core/profiles.js';
export { levelName, levelRequirements, x86_64Level } from './core/levels.js';
export type { Level } from './core/levels.js';
export { baselineToJson, renderBaseline } from './report/baseline.js';
export { renderHost } from './report/show.js';
export { MAX_INPUT_BYTES, formatSize, textFromBytes } from './formats/common/input-text.js';
export type { InputText } from './formats/common/input-text.js';
export { explainTarget } from './report/mask.js';
export * from './core/pairs.js';
export * from './core/fleet.js';
// `Fleet` above is the fleet-export type of the readers; the streaming fold is also exported under this name.
export { Fleet as FleetFold } from './core/fleet.js';
// Telling a fleet's hosts apart as they are read: one host saved twice, or identical servers.
export { SeenHosts, contentDigest, contentKey, hostNameOf } from './core/machines.js';
// One call per CLI command (docs/api.md): decode a host from text, show, check, baseline, mask in
// any format, modes, features, explain, plan; each returns the result with the command's JSON and text.
export {
  addedHost,
  baselineReport,
  checkReport,
  decodeHostText,
  decodeHostsText,
  decodeInput,
  evcModesFromText,
  explainReport,
  featuresReport,
  fleetBaselineReport,
  fleetFromInventory,
  hostNamed,
  hostsToAdd,
  maskReport,
  migrationTarget,
  modesReport,
  planReport,
  resolveEvcModes,
  selectHost,
  showJson,
  showReport,
  showText,
} from './report/api.js';
export type {
  BaselineReport,
  BaselineReportOptions,
  CheckReport,
  CheckReportOptions,
  DecodeOptions,
  DecodedInput,
  DecodedInputs,
  ExplainReport,
  FeaturesReport,
  HostArg,
  HostInput,
  MaskOptions,
  MaskReport,
  ModesOptions,
  ModesReport,
  PlanReport,
  PlanReportOptions,
  SelectOptions,
  ShowOptions,
  ShowReport,
  TargetChoice,
} from './report/api.js';
export { STEP_SYNTAX, parseStep } from './plan/planner.js';
export type { PlanResult, Step } from './plan/planner.js';
export type { Fleet as PlanFleet, FleetHost as PlanFleetHost, FileTexts } from './plan/fleet.js';
export { NoMatchError } from './report/features.js';
