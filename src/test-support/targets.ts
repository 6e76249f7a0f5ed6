/**
 * Helpers for exporter and mask-command tests: the example fleet as hosts, the migration targets
 * the golden files cover, and what a guest is shown once generated lines are applied.
 * Test-only (imported by *.test.ts files; never by the library).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureSet } from '../core/catalog.js';
import type { ProfileOptions, ProfileDef } from '../core/profiles.js';
import { getProfile, guestFeatures, profileUniverse } from '../core/profiles.js';
import { decodeHost } from '../core/host.js';
import type { Host } from '../core/host.js';
import { applyMask } from '../core/masks/engine.js';
import type { CpuidMask } from '../core/masks/engine.js';
import { VmxDocument } from '../formats/vmx/document.js';
import { readVmxCpu, vmxEffectiveMask } from '../formats/vmx/cpu.js';
import { closeUnderDependencies, evcTarget, minimalTarget } from '../core/target.js';
import type { MigrationTarget } from '../core/target.js';
import type { ExportResult } from '../formats/writer-types.js';
import { importText } from '../formats/readers.js';
import { syntheticHost } from './hosts.js';
import { REPO_ROOT } from './shared.js';

/** A host from examples/, named by its path relative to the repository (as a user would type it). */
export function exampleHost(rel: string): Host {
  const file = `examples/${rel}`;
  const dump = importText(readFileSync(join(REPO_ROOT, file), 'utf8'), { file }).dump;
  return decodeHost(dump.clone({ ...dump.source, path: file }));
}

export const SEED002 = ['seed-002/host-a-atom-c2750.json', 'seed-002/host-b-core-i7-3770.json'];
export const CLUSTER = ['cluster/esx-11-xeon-e5-2650v3.json', 'cluster/esx-12-xeon-e5-2650v4.json', 'cluster/esx-13-xeon-gold-6148.json', 'cluster/esx-14-xeon-platinum-8268.json'];
export const AMD = ['amd/kvm-21-epyc-7601.json', 'amd/kvm-22-epyc-7502.json'];
export const SEED000 = ['seed-000/esx-01-xeon-e5310.json', 'seed-000/esx-04-xeon-e5420.json'];

/** Every example host. */
export const EXAMPLES = [...SEED002, ...CLUSTER, ...AMD, ...SEED000];

const hosts = (rels: readonly string[]) => rels.map(exampleHost);

const LAB = [
  'fpu', 'tsc', 'pae', 'cx8', 'apic', 'cmov', 'mmx', 'fxsr', 'sse', 'sse2', 'syscall', 'nx', 'lm', 'lahf_lm', 'sse3', 'ssse3', 'cx16', 'sse4_1', 'sse4_2',
  'popcnt', 'xsave', 'xsave_sse', 'xsave_ymm', 'avx', 'avx2',
];

/**
 * Synthetic hosts that differ only on leaf 7 subleaf 1, which no cpuid line can address: AVX-VNNI
 * (VMware has a key for it) and fast zero-length REP MOVSB (no VMware key).
 */
export const SUBLEAF_HOSTS = [
  syntheticHost({ vendor: 'GenuineIntel', signature: 0xb06a2, ids: [...LAB, 'avx_vnni', 'fzrm'], path: 'lab-a' }),
  syntheticHost({ vendor: 'GenuineIntel', signature: 0xb06a2, ids: LAB, path: 'lab-b' }),
];

/** A target case for golden files: a name, an optional profile (default: the exporter's), and how to build it. */
export interface TargetCase {
  readonly name: string;
  readonly profile?: string;
  readonly build: (view: ProfileDef) => MigrationTarget;
}

/** The cases every exporter's golden files cover. */
export const TARGET_CASES: readonly TargetCase[] = [
  { name: 'seed002-minimal', build: (view) => minimalTarget(hosts(SEED002), { profile: view }) },
  { name: 'seed002-westmere', build: (view) => evcTarget(hosts(SEED002), 'intel-westmere', { profile: view }) },
  { name: 'cluster-minimal', build: (view) => minimalTarget(hosts(CLUSTER), { profile: view }) },
  { name: 'cluster-haswell', build: (view) => evcTarget(hosts(CLUSTER), 'intel-haswell', { profile: view }) },
  { name: 'amd-minimal', build: (view) => minimalTarget(hosts(AMD), { profile: view }) },
  { name: 'amd-zen', build: (view) => evcTarget(hosts(AMD), 'amd-zen', { profile: view }) },
  { name: 'seed000-minimal', build: (view) => minimalTarget(hosts(SEED000), { profile: view }) },
  { name: 'same-host', build: (view) => minimalTarget(hosts([SEED002[1]!, SEED002[1]!]), { profile: view }) },
  { name: 'subleaf', build: (view) => minimalTarget(SUBLEAF_HOSTS, { profile: view }) },
  { name: 'subleaf-kvm', profile: 'kvm', build: (view) => minimalTarget(SUBLEAF_HOSTS, { profile: view }) },
];

/** A case's target under its profile, or the given default profile. */
export function caseTarget(c: TargetCase, defaultProfile: string): MigrationTarget {
  return c.build(getProfile(c.profile ?? defaultProfile));
}

/** The register masks and featMask settings of `.vmx` lines, merged as VMware would apply them. */
export function linesMask(text: string): CpuidMask {
  return vmxEffectiveMask(readVmxCpu(VmxDocument.parse(text, 'lines'))).mask;
}

/**
 * What a guest is shown on a host once a mask is applied, under a view: the masked CPUID through
 * the hypervisor's view, without what the guest cannot use (a feature whose dependency is hidden).
 */
export function effectiveGuest(host: Host, mask: CpuidMask, view: ProfileDef | string, opts: ProfileOptions = {}): FeatureSet {
  const v = typeof view === 'string' ? getProfile(view) : view;
  const seen = guestFeatures(decodeHost(applyMask(mask, host.dump)), v, opts);
  return closeUnderDependencies(seen, profileUniverse(v, host.id.vendor, opts));
}

/** An exporter's result as golden text: the configuration, then its diagnostics. */
export function describeExport(r: ExportResult): string {
  const diags = r.diagnostics.map((d) => `${d.level}: ${d.message}`);
  return `${r.text}== diagnostics\n${diags.length > 0 ? `${diags.join('\n')}\n` : ''}`;
}
