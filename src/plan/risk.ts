/**
 * The risk report for a chosen baseline (an EVC mode on a cluster): features the mode hides that
 * hardware does not enforce (an application that tries instructions instead of asking CPUID still
 * finds them, seed 000); guest operating systems the baseline cannot boot; hosts whose CPUID was
 * captured inside a VM; Intel and AMD in one cluster; answers resting on low-fidelity inputs.
 */
import { catalog } from '../core/catalog.js';
import type { FeatureSet } from '../core/catalog.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode } from '../core/evc.js';
import { levelRequirements } from '../core/levels.js';
import type { Level } from '../core/levels.js';
import type { Sim } from './sim.js';
import { names } from './sim.js';

/** What a guest OS needs of the CPU. */
export interface GuestOsNeed {
  readonly pattern: RegExp;
  readonly name: string;
  readonly level?: Level;
  readonly features?: readonly string[];
  readonly source: string;
}

export const GUEST_OS_NEEDS: readonly GuestOsNeed[] = [
  { pattern: /^(rhel|centos|rocky|alma|oracle)[-_ ]?9|^(rhel|redhat)9/i, name: 'RHEL 9 class Linux', level: 2, source: 'x86-64-v2' },
  { pattern: /^(rhel|centos|rocky|alma|oracle)[-_ ]?10|^(rhel|redhat)10/i, name: 'RHEL 10 class Linux', level: 3, source: 'x86-64-v3' },
  { pattern: /^(windows[-_ ]?(11|2025|server[-_ ]?2025)|win(11|2025))/i, name: 'Windows 11 / Server 2025', features: ['sse4_2', 'popcnt'], source: 'SSE4.2 and POPCNT; vmware-evc.md §1.4, KB 391911' },
];

export interface Risk {
  readonly kind: 'unenforced-hiding' | 'guest-os' | 'nested-host' | 'mixed-vendors' | 'low-fidelity';
  readonly severity: 'high' | 'medium' | 'info';
  readonly message: string;
  readonly hosts?: readonly string[];
  readonly vms?: readonly string[];
  readonly features?: readonly string[];
}

export interface RiskReport {
  readonly cluster: string;
  readonly baseline: string | null;
  readonly risks: readonly Risk[];
}

function levelMissing(set: FeatureSet, level: Level): string[] {
  // Judged on what the baseline guarantees plus what every x86-64 CPU has (the ESXi view does not compare SSE2 and the like).
  const need = levelRequirements(level);
  const base = levelRequirements(1);
  return names(need.minus(set).minus(base));
}

/** Risks of running cluster `cluster` at `modeKey` (default: its mode, else the highest its hosts support). */
export function riskReport(sim: Sim, cluster: string, modeKey?: string): RiskReport {
  const c = sim.clusters.get(cluster)!;
  const hosts = sim.hostsOf(cluster);
  const risks: Risk[] = [];
  const vendors = new Set(hosts.map((h) => h.fleet.cpu.vendor));
  if (vendors.size > 1) risks.push({ kind: 'mixed-vendors', severity: 'high', message: `Intel and AMD hosts in one cluster: no EVC mode covers both and no VM can vMotion between them`, hosts: hosts.map((h) => h.name) });
  let mode: EvcMode | undefined = modeKey ? builtinEvcModes().get(modeKey) : c.evc;
  if (!mode && vendors.size === 1) {
    const common = hosts[0]?.fleet.cpu.esxi.clone();
    if (common) for (const h of hosts.slice(1)) common.intersectWith(h.fleet.cpu.esxi);
    mode = common ? builtinEvcModes().max(common, hosts[0]!.fleet.cpu.vendor) : undefined;
  }
  if (mode) {
    const allowed = mode.features.union(mode.passes);
    const hidden = catalog.emptySet();
    for (const h of hosts) hidden.unionWith(h.fleet.cpu.esxi.minus(allowed));
    const unenforced = hidden.filter((f) => f.enforce === 'advisory');
    if (!unenforced.isEmpty) {
      risks.push({
        kind: 'unenforced-hiding',
        severity: 'medium',
        message: `${mode.key} hides ${names(unenforced).join(', ')} only from CPUID: the instructions still run on the hosts that have them, so software that tries instructions instead of asking CPUID can use them and then crash after a vMotion`,
        features: names(unenforced),
      });
    }
    for (const need of GUEST_OS_NEEDS) {
      const missing = need.level ? levelMissing(allowed, need.level) : names(catalog.setOf(need.features ?? []).minus(allowed));
      if (missing.length === 0) continue;
      const vms = [...sim.vms.values()].filter((v) => sim.host(v.host).cluster === cluster && v.config.guestOs && need.pattern.test(v.config.guestOs)).map((v) => v.name);
      risks.push({ kind: 'guest-os', severity: vms.length > 0 ? 'high' : 'info', message: `${mode.key} cannot boot ${need.name} (needs ${need.source}; missing ${missing.join(', ')})${vms.length ? `: affected VMs` : ''}`, features: missing, ...(vms.length ? { vms } : {}) });
    }
  }
  const nested = hosts.filter((h) => h.fleet.cpu.host.id.hypervisor);
  if (nested.length > 0) risks.push({ kind: 'nested-host', severity: 'high', message: `CPUID captured inside a VM (hypervisor bit set) fed in as a host: it shows what that VM was given, not the hardware (nested ESXi in EVC clusters is unsupported)`, hosts: nested.map((h) => h.name) });
  const low = hosts.filter((h) => h.fleet.cpu.fidelity !== 'cpuid');
  if (low.length > 0) risks.push({ kind: 'low-fidelity', severity: 'info', message: `answers about these hosts rest on ${[...new Set(low.map((h) => (h.fleet.cpu.fidelity === 'evc-key' ? 'an EVC key only' : 'flags only')))].join(' and ')}`, hosts: low.map((h) => h.name) });
  const keyOnly = [...sim.vms.values()].filter((v) => sim.host(v.host).cluster === cluster && v.seenSource === 'evc-key').map((v) => v.name);
  if (keyOnly.length > 0) risks.push({ kind: 'low-fidelity', severity: 'info', message: 'these VMs are known by minRequiredEVCModeKey only', vms: keyOnly });
  return { cluster, baseline: mode?.key ?? null, risks };
}

export function renderRisk(r: RiskReport): string {
  const out = [`Risks of cluster ${r.cluster} at ${r.baseline ?? 'no EVC baseline'}:`];
  if (r.risks.length === 0) out.push('  none found');
  for (const x of r.risks) {
    out.push(`  [${x.severity}] ${x.message}`);
    if (x.hosts?.length) out.push(`      hosts: ${x.hosts.join(', ')}`);
    if (x.vms?.length) out.push(`      VMs: ${x.vms.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
