/**
 * Building hosts for fleet exports: from an EVC mode key alone, from feature names, and the
 * ImportResult that carries several hosts (and clusters, VMs) from one file.
 */
import type { Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import { CpuidDump } from '../../core/cpuid.js';
import type { DumpSource, FormatId } from '../../core/cpuid.js';
import type { Diagnostic } from '../../core/errors.js';
import { builtinEvcModes } from '../../core/evc.js';
import type { EvcMode } from '../../core/evc.js';
import { dumpFromFeatures, impliedXsaveState } from '../../core/feature-dump.js';
import { levelRequirements } from '../../core/levels.js';
import { builtinModels } from '../../core/models.js';
import type { Fleet, FleetHost, ImportResult } from '../reader-types.js';

/** CPUID vendor strings of the vendors fleet tools name. */
export const VENDOR_STRINGS: Readonly<Partial<Record<Vendor, string>>> = { intel: 'GenuineIntel', amd: 'AuthenticAMD', hygon: 'HygonGenuine' };

/** The vendor a CPU model text or a vendor name stands for (`Intel(R) Xeon(R) …`, `AMD EPYC …`, `intel`, `Intel`). */
export function vendorFromText(text: string | undefined): Vendor | undefined {
  if (!text) return undefined;
  if (/\bintel\b|genuineintel/i.test(text) || /^intel/i.test(text)) return 'intel';
  if (/\bamd\b|authenticamd/i.test(text) || /^amd/i.test(text)) return 'amd';
  if (/hygon/i.test(text)) return 'hygon';
  return undefined;
}

/** The built-in EVC mode a key names (any case), or undefined. */
export function evcMode(key: string | undefined): EvcMode | undefined {
  if (key === undefined || key.trim() === '') return undefined;
  return builtinEvcModes().get(key.trim());
}

/**
 * A host known by an EVC mode key only: its dump holds exactly the mode's features (the host may
 * have more; nothing says which), its vendor and, when given, its CPU model as brand string.
 */
export function evcKeyDump(mode: EvcMode, source: Omit<DumpSource, 'lossy' | 'fidelity' | 'evcKey'>, brand?: string): CpuidDump {
  // Every CPU with an EVC mode runs 64-bit ESXi: the x86-64 baseline is certain even where the mode's table is silent.
  const features = mode.features.union(x86_64Baseline(mode.vendor));
  for (const f of impliedXsaveState(features, () => false)) features.add(f);
  return dumpFromFeatures(
    features,
    { vendor: VENDOR_STRINGS[mode.vendor]!, ...(brand ? { brand } : {}) },
    { ...source, lossy: true, fidelity: 'evc-key', evcKey: mode.key },
  );
}

/**
 * What every CPU of a vendor that EVC knows has: the x86-64 baseline (x86-64-v1) and the features of
 * the vendor's oldest libvirt model at EVC's floor (Intel `Conroe`, the Merom generation of mode
 * intel-merom; AMD `Opteron_G1`, the K8 of amd-rev-e). EVC mode tables and vSphere's
 * featureCapability do not name these basic bits (DE, PSE, MSR…); leaving them out would make such
 * hosts look as if they lacked them.
 */
export function x86_64Baseline(vendor: Vendor | undefined): FeatureSet {
  const out = levelRequirements(1).clone();
  const base = vendor === 'intel' ? 'Conroe' : vendor === 'amd' || vendor === 'hygon' ? 'Opteron_G1' : undefined;
  const model = base ? builtinModels().get(base) : undefined;
  if (model) out.unionWith(model.features);
  return out.filter((f) => definedFor(f, vendor));
}

/** A host known by feature names: the named features (and the XSAVE states they prove). */
export function featureDump(features: FeatureSet, vendor: Vendor | undefined, source: Omit<DumpSource, 'lossy' | 'fidelity'>, brand?: string): CpuidDump {
  const all = features.clone();
  for (const f of impliedXsaveState(all, () => false)) all.add(f);
  const vs = vendor ? VENDOR_STRINGS[vendor] : undefined;
  return dumpFromFeatures(all, { ...(vs ? { vendor: vs } : {}), ...(brand ? { brand } : {}) }, { ...source, lossy: true, fidelity: 'flags' });
}

/** Whether a catalog bit exists on this vendor's CPUs (unknown vendor: yes). */
export function definedFor(f: Feature, vendor: Vendor | undefined): boolean {
  return vendor === undefined || f.vendors.includes(vendor) || (vendor === 'hygon' && f.vendors.includes('amd'));
}

/** How many names a message lists before "and N more". */
export function listNames(names: readonly string[], limit = 12): string {
  return names.length <= limit ? names.join(', ') : `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

/** The ImportResult of a fleet export: `dump`/`cpus` are the first host's (empty when there is none). */
export function fleetResult(format: FormatId, file: string, fleet: Fleet, diagnostics: Diagnostic[]): ImportResult {
  const first: FleetHost | undefined = fleet.hosts[0];
  const dump = first ? first.dump : new CpuidDump({ format, path: file, lossy: true });
  const counts = [`${fleet.hosts.length} host${fleet.hosts.length === 1 ? '' : 's'}`];
  if (fleet.clusters.length > 0) counts.push(`${fleet.clusters.length} cluster${fleet.clusters.length === 1 ? '' : 's'}`);
  if (fleet.vms.length > 0) counts.push(`${fleet.vms.length} VM${fleet.vms.length === 1 ? '' : 's'}`);
  const byFidelity = new Map<string, number>();
  for (const h of fleet.hosts) {
    const f = h.dump.source.fidelity ?? (h.dump.source.lossy ? 'flags' : 'cpuid');
    byFidelity.set(f, (byFidelity.get(f) ?? 0) + 1);
  }
  const fid = [...byFidelity].map(([f, n]) => `${n} by ${FIDELITY_WORDS[f] ?? f}`).join(', ');
  diagnostics.unshift({ level: 'info', message: `fleet export: ${counts.join(', ')}${fid ? ` (hosts known ${fid})` : ''}`, where: { file } });
  return { format, dump, cpus: first ? [first.dump] : [], diagnostics, fleet };
}

const FIDELITY_WORDS: Readonly<Record<string, string>> = { cpuid: 'raw CPUID', flags: 'feature flags only', 'evc-key': 'EVC mode key only' };
