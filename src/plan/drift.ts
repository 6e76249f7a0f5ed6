/**
 * Drift: a symmetric, feature-by-feature comparison of two hosts (or one host over time), and,
 * fleet-wide, hosts with the same CPU (signature and brand) whose features differ, with the
 * likely cause: a firmware (BIOS) option, microcode, or the hypervisor version. Also the stale
 * `cpuid.*` lines a .vmx keeps after a move between clusters.
 */
import { catalog, describeLocation } from '../core/catalog.js';
import type { Feature, FeatureSet } from '../core/catalog.js';
import { FIRMWARE_SWITCHES } from '../core/check.js';
import { formatSignature } from '../core/identity.js';
import type { Host } from '../core/host.js';
import { cpuKnown, sameCpu } from '../core/host.js';
import { maskRequirements, unmetRequirements } from '../core/masks/engine.js';
import type { Fleet, FleetHost } from './fleet.js';

export type DriftCause = 'bios' | 'microcode' | 'hypervisor' | 'different-cpu' | 'unknown';

export interface FeatureDiff {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  /** Which side has it. */
  readonly onlyIn: 'a' | 'b';
  readonly cause: DriftCause;
  readonly why: string;
}

export interface HostDiff {
  readonly a: string;
  readonly b: string;
  readonly sameCpu: boolean;
  /** False when the inputs name no CPU (feature flags only) and so cannot say whether it is the same. */
  readonly cpusKnown: boolean;
  readonly identical: boolean;
  readonly features: readonly FeatureDiff[];
}

/** Features whose presence microcode decides (speculation control, TSX). */
function microcodeDecides(f: Feature): boolean {
  return f.cat === 'mitigation' || f.cat === 'tsx';
}

export interface DiffContext {
  readonly bios?: readonly [string | undefined, string | undefined];
  readonly microcode?: readonly [string | undefined, string | undefined];
  readonly hypervisor?: readonly [string | undefined, string | undefined];
}

function cause(f: Feature, same: boolean, ctx: DiffContext, cpus: { cause: DriftCause; why: string } | undefined): { cause: DriftCause; why: string } {
  const differs = (p?: readonly [string | undefined, string | undefined]) => p !== undefined && p[0] !== undefined && p[1] !== undefined && p[0] !== p[1];
  const vs = (p: readonly [string | undefined, string | undefined]) => `${p[0]} vs ${p[1]}`;
  if (cpus !== undefined) return cpus;
  if (!same) return { cause: 'different-cpu', why: 'the CPUs differ (signature or brand)' };
  if (f.id in FIRMWARE_SWITCHES) return { cause: 'bios', why: `a firmware setup option: ${FIRMWARE_SWITCHES[f.id]}${differs(ctx.bios) ? ` (BIOS ${vs(ctx.bios!)})` : ''}` };
  if (microcodeDecides(f)) return { cause: 'microcode', why: `microcode decides this bit${differs(ctx.microcode) ? ` (microcode ${vs(ctx.microcode!)})` : ' (compare the hosts\' microcode revisions)'}` };
  if (differs(ctx.hypervisor)) return { cause: 'hypervisor', why: `the hypervisor versions differ (${vs(ctx.hypervisor!)}): what it passes to VMs changed` };
  if (differs(ctx.microcode)) return { cause: 'microcode', why: `microcode ${vs(ctx.microcode!)}` };
  if (differs(ctx.bios)) return { cause: 'bios', why: `BIOS ${vs(ctx.bios!)}` };
  return { cause: 'unknown', why: 'same CPU: switched off in firmware, by microcode, or by a CPUID mask on the host' };
}

/** Compares two feature sets of two hosts (capabilities, as the hosts report them). */
export function diffHosts(a: Host, b: Host, labels: readonly [string, string], ctx: DiffContext = {}, sets?: readonly [FeatureSet, FeatureSet]): HostDiff {
  const fa = sets?.[0] ?? a.features;
  const fb = sets?.[1] ?? b.features;
  const same = sameCpu(a, b);
  const named = cpuKnown(a) && cpuKnown(b);
  const ma = a.dump.source.model;
  const mb = b.dump.source.model;
  const modelsDiffer = ma !== undefined && mb !== undefined && ma !== mb;
  // Inputs that name no CPU (feature flags only) cannot say whether it is the same one, unless they name different models.
  const unnamed: { cause: DriftCause; why: string } | undefined = named
    ? undefined
    : modelsDiffer
      ? { cause: 'different-cpu', why: `the CPU models the inputs name differ (${ma} vs ${mb})` }
      : { cause: 'unknown', why: 'the inputs name no CPU signature or brand string: a different CPU, or the same one with the feature switched off' };
  const features: FeatureDiff[] = [];
  for (const [side, s] of [['a', fa.minus(fb)], ['b', fb.minus(fa)]] as const) {
    for (const f of s) features.push({ id: f.id, name: f.name, location: describeLocation(f.loc), onlyIn: side, ...cause(f, same, ctx, unnamed) });
  }
  features.sort((x, y) => x.id.localeCompare(y.id));
  return { a: labels[0], b: labels[1], sameCpu: same, cpusKnown: named || modelsDiffer, identical: features.length === 0, features };
}

export interface DriftGroup {
  /** The CPU: brand and signature. */
  readonly cpu: string;
  readonly hosts: readonly string[];
  /** Hosts holding the most common feature set. */
  readonly reference: readonly string[];
  /** Per other host: how it differs from the reference. */
  readonly deviants: readonly { readonly host: string; readonly diff: HostDiff }[];
}

/**
 * Hosts fleet drift leaves out: known by an EVC mode key only, or by feature flags that name no
 * CPU signature or brand string (KubeVirt node labels, /proc/cpuinfo flags without a model): two
 * such hosts may have any two CPUs, so what differs between them is no drift.
 */
export function driftUnknown(hosts: readonly FleetHost[]): string[] {
  return hosts.filter((h) => !driftable(h)).map((h) => h.name);
}

/** Whether drift can compare this host with others of its CPU: its data names the CPU (see driftUnknown). */
function driftable(h: FleetHost): boolean {
  return h.cpu.fidelity !== 'evc-key' && cpuKnown(h.cpu.host);
}

/** Hosts with the same CPU but different features, grouped by CPU (the hosts of driftUnknown left out). */
export function fleetDrift(hosts: readonly FleetHost[]): DriftGroup[] {
  const groups = new Map<string, FleetHost[]>();
  for (const h of hosts) {
    // Hosts whose CPU their data does not name (driftUnknown) cannot be said to share one.
    if (!driftable(h)) continue;
    const id = h.cpu.host.id;
    const k = `${id.vendor}|${id.signature}|${id.brand}|${h.cpu.host.dump.source.model ?? ''}`;
    const g = groups.get(k);
    if (g) g.push(h);
    else groups.set(k, [h]);
  }
  const out: DriftGroup[] = [];
  for (const list of groups.values()) {
    const bySet = new Map<string, FleetHost[]>();
    // Hosts of one CPU often share one feature set object: its key made once.
    const keys = new Map<FeatureSet, string>();
    for (const h of list) {
      const set = h.cpu.host.features;
      let k = keys.get(set);
      if (k === undefined) keys.set(set, (k = Array.from(set.words).join('.')));
      const same = bySet.get(k);
      if (same) same.push(h);
      else bySet.set(k, [h]);
    }
    if (bySet.size < 2) continue;
    const sets = [...bySet.values()].sort((x, y) => y.length - x.length || x[0]!.name.localeCompare(y[0]!.name));
    const ref = sets[0]!;
    const r = ref[0]!;
    const deviants = sets.slice(1).flatMap((s) =>
      s.map((h) => ({
        host: h.name,
        diff: diffHosts(r.cpu.host, h.cpu.host, [r.name, h.name], { bios: [r.bios, h.bios], microcode: [r.microcode, h.microcode], hypervisor: [r.hypervisor, h.hypervisor] }),
      })),
    );
    const id = r.cpu.host.id;
    out.push({ cpu: `${id.brand || id.vendorString} (${formatSignature(id)})`, hosts: list.map((h) => h.name), reference: ref.map((h) => h.name), deviants });
  }
  return out;
}

export interface StaleVmxLine {
  readonly vm: string;
  readonly host: string;
  readonly key: string;
  readonly line: number;
  readonly problem: 'power-on-fails' | 'redundant-under-evc' | 'left-from-move';
  readonly detail: string;
}

/**
 * `cpuid.*` lines a VM's .vmx keeps that no longer fit where it runs: requirements its host does
 * not meet (power-on fails: "Module 'CPUID' power on failed"), or lines only hiding what the
 * cluster's EVC mode hides already (left over from a move between clusters).
 */
export function staleVmxLines(fleet: Fleet): StaleVmxLine[] {
  const out: StaleVmxLine[] = [];
  for (const vm of fleet.vms) {
    const vmx = vm.config.vmx;
    if (!vmx || vmx.maskLines.length === 0) continue;
    const host = fleet.hosts.get(vm.host)!;
    const cluster = host.cluster === undefined ? undefined : fleet.clusters.get(host.cluster);
    const dump = host.cpu.host.dump;
    for (const line of vmx.maskLines) {
      const reqs = maskRequirements(vmx.mask, dump, { phase: 'power-on' }).bits.filter((r) => r.leaf === line.target.leaf && r.reg === line.target.reg);
      const unmet = unmetRequirements({ bits: reqs, identity: [] }, dump).bits;
      if (unmet.length > 0) {
        out.push({ vm: vm.name, host: vm.host, key: line.key, line: line.line, problem: 'power-on-fails', detail: `requires ${unmet.map((u) => `${u.requirement.feature?.name ?? `bit ${u.requirement.bit}`} ${u.requirement.mustBe ? 'present' : 'absent'}`).join(', ')}, which ${vm.host} does not meet: power-on fails ("Module 'CPUID' power on failed")` });
        continue;
      }
      if (cluster?.evc) {
        const allowed = cluster.evc.features.union(cluster.evc.passes);
        const hidden: string[] = [];
        for (let bit = 0; bit < 32; bit++) {
          const c = line.bits[31 - bit];
          if (c !== '0') continue;
          hidden.push(String(bit));
        }
        const f = (bit: number) => catalog.at(line.target.leaf, line.target.subleaf ?? 0, line.target.reg, bit);
        const stillMatters = hidden.map(Number).map(f).filter((x): x is Feature => x !== undefined && allowed.has(x));
        if (hidden.length > 0 && stillMatters.length === 0) {
          out.push({ vm: vm.name, host: vm.host, key: line.key, line: line.line, problem: 'redundant-under-evc', detail: `hides only what cluster ${cluster.name}'s EVC mode ${cluster.evc.key} hides already: a per-VM line left from before a move; remove it while the VM is off` });
        } else if (stillMatters.length > 0) {
          out.push({ vm: vm.name, host: vm.host, key: line.key, line: line.line, problem: 'left-from-move', detail: `hides ${stillMatters.map((x) => x.name).join(', ')} inside EVC cluster ${cluster.name} (${cluster.evc.key}): per-VM masks in an EVC cluster are usually left from a move; check it is still wanted` });
        }
      }
    }
  }
  return out;
}
