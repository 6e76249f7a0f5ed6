/**
 * openevc as a library. Everything exported here is pure (no Node.js APIs) and runs in
 * the browser as well as in Node; file and device access is in `openevc/node`.
 */
export * from './core/cpuid.js';
export * from './core/errors.js';
export * from './core/catalog.js';
export * from './core/identity.js';
export * from './core/masks/index.js';
export * from './core/evc.js';
export * from './core/check.js';
export * from './core/models.js';
export { dumpFromFeatures, impliedXsaveState, signatureEax } from './core/feature-dump.js';
export type { DumpIdentity } from './core/feature-dump.js';
export { readLibvirtCpuDefinitions, readLibvirtCpus, resolveLibvirtCpu } from './importers/libvirt-cpu.js';
export type { FeaturePolicy, LibvirtCpu, LibvirtCpuDefinition, LibvirtFeatureRef } from './importers/libvirt-cpu.js';
export { toVirshHostCpuXml } from './exporters/libvirt-hostcpu.js';
export * from './core/target.js';
export { EXPORTERS, EXPORT_FORMATS, exporterFor } from './exporters/index.js';
export type { ExportFormat, ExportOptions, ExportResult, Exporter } from './exporters/index.js';
export { hidePlan, targetDiagnostics } from './exporters/hide.js';
export type { HidePlan } from './exporters/hide.js';
export { vmxSettings } from './exporters/vmx.js';
export type { VmxSettings } from './exporters/vmx.js';
export { featMaskSettings } from './exporters/featmask.js';
export { xenSettings } from './exporters/xen.js';
export { maskToJson } from './exporters/json.js';
export type { MaskJson } from './exporters/json.js';
export { unifiedDiff } from './core/unified-diff.js';
export type { HostCpuXmlInput, HostCpuXmlOptions } from './exporters/libvirt-hostcpu.js';
export { IMPORTERS, SNIFF_CHARS, detectFormat, importFormats, importText, importWorkbook, importerFor } from './importers/index.js';
export type { Fleet, FleetCluster, FleetHost, FleetVm, ImportContext, ImportOptions, ImportResult, Importer, Workbook } from './importers/index.js';
export { readSupportedEvcModes } from './formats/vcenter-evc/reader.js';
export { VERSION } from './version.js';
