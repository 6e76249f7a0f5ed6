/**
 * openevc's QEMU-facing API (`openevc/node`): the QMP client, the guest CPUID probe, the
 * comparison of a prediction with what a guest saw, and the live-migration guard.
 */
export { QmpClient, QmpConnectError, QmpError, connectWhenReady, parseEndpoint } from './qmp.js';
export type { QmpEndpoint, QmpEvent, QmpOptions, QmpVersion } from './qmp.js';
export { describeProps, expandCpu, expandWithQemu, parseCpuOption, qemuFeature, tcgSupportedFeatures } from './cpu-model.js';
export type { CpuOption, QemuCpu, QemuIdentity, QemuPropValue } from './cpu-model.js';
export { bootProbe, probeGuestArgs, qemuWarnings, startProbeGuest } from './boot.js';
export type { BootOptions, BootResult, ProbeGuestOptions } from './boot.js';
export { compareGuest, formatGuestComparison, openevcCpuMeaning, predictWithOpenevc, predictWithQemu, probeScope } from './compare.js';
export { identityDrift, modelDrift, modelVendorString, observeModelDrift } from './model-drift.js';
export type { DriftObservation, IdentityDrift } from './model-drift.js';
export type { ExpectedIdentity, GuestComparison, GuestFeatureCheck, GuestPrediction, GuestPredictor, IdentityCheck } from './compare.js';
export { checkMigration, guardedMigrate, qemuSpelling, readRunningCpu } from './migrate.js';
export type { GuardedMigrationOptions, GuardedMigrationResult, IdentityChange, MigrationCheck, MigrationProgress, RunningCpu } from './migrate.js';
export { PROBE_LEAVES, probeAssembly } from './guest/probe-asm.js';
export { buildProbe, removeProbeBuilds } from './guest/build.js';
export type { ProbeProgram } from './guest/probe-asm.js';
export { parseProbeSerial } from './guest/serial.js';
export type { ProbeRound, SerialParse } from './guest/serial.js';
export { QemuProcess, withQmpMachine } from './process.js';
export { missingTools, qemuBinary } from './tools.js';
