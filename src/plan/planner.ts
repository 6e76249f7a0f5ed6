/**
 * The planner: what to do, in which order, and what each step costs. It applies the what-if
 * steps to the simulator in order, then for every cluster works out the highest EVC mode (or
 * KVM CPU model) the hosts allow, which VMs must be powered off first and which may stay on,
 * what admitting a new host needs, what retiring the hosts that hold the mode down makes
 * possible and which VMs then need a power cycle; and a migration map: for every running VM,
 * the hosts it can move to now and the blockers for the others (VMs and hosts grouped by
 * distinct feature sets, so the map scales to thousands of hosts).
 */
import { catalog } from '../core/catalog.js';
import type { FeatureSet } from '../core/catalog.js';
import { UsageError } from '../core/errors.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode } from '../core/evc.js';
import { baselineModel, libvirtNames } from '../core/models.js';
import type { Fleet, FleetHost } from './fleet.js';
import { Sim, canMaskCpuid, names, reregisteredNote, setKey, vmConfigKey } from './sim.js';
import type { Fault, PowerCycleNeed, StepResult, VmState } from './sim.js';

// ---- what-if steps ----------------------------------------------------------------------------

export type Step =
  | { readonly kind: 'add-host'; readonly ref: string; readonly as?: string; readonly cluster?: string }
  | { readonly kind: 'retire'; readonly hosts: readonly string[] }
  | { readonly kind: 'remove-host'; readonly host: string }
  | { readonly kind: 'evc'; readonly verb: 'enable' | 'raise' | 'lower' | 'disable'; readonly mode?: string; readonly cluster?: string }
  | { readonly kind: 'model'; readonly model: string; readonly cluster?: string }
  | { readonly kind: 'vm'; readonly verb: 'power-on' | 'power-off' | 'power-cycle' | 'reboot' | 'suspend' | 'resume'; readonly vm: string; readonly host?: string }
  | { readonly kind: 'vmotion'; readonly vm: string; readonly host: string };

export const STEP_SYNTAX = [
  "add host FILE|NAME [as NAME] [to CLUSTER]",
  'retire HOST[,HOST…]',
  'remove host HOST',
  'enable|raise|lower MODE [on CLUSTER]',
  'disable evc [on CLUSTER]',
  'set model MODEL [on CLUSTER]',
  'power-on VM [on HOST] | power-off VM | power-cycle VM | reboot VM | suspend VM | resume VM',
  'vmotion VM [to] HOST',
];

/** Parses a `--what-if` step. Throws UsageError naming the accepted forms. */
export function parseStep(text: string): Step {
  const w = text.trim().split(/\s+/);
  const bad = (): never => {
    throw new UsageError(`--what-if '${text}': expected one of: ${STEP_SYNTAX.join('; ')}`);
  };
  const opt = (word: string): string | undefined => {
    const i = w.indexOf(word);
    if (i < 0) return undefined;
    const v = w[i + 1];
    if (v === undefined) bad();
    w.splice(i, 2);
    return v;
  };
  const verb = w.shift()?.toLowerCase();
  switch (verb) {
    case 'add': {
      if (w[0]?.toLowerCase() === 'host') w.shift();
      const cluster = opt('to');
      const as = opt('as');
      if (w.length !== 1) bad();
      return { kind: 'add-host', ref: w[0]!, ...(as ? { as } : {}), ...(cluster ? { cluster } : {}) };
    }
    case 'retire':
      if (w.length === 0) bad();
      return { kind: 'retire', hosts: w.join(',').split(',').filter(Boolean) };
    case 'remove':
      if (w[0]?.toLowerCase() === 'host') w.shift();
      if (w.length !== 1) bad();
      return { kind: 'remove-host', host: w[0]! };
    case 'enable':
    case 'raise':
    case 'lower':
    case 'disable': {
      const cluster = opt('on');
      if (verb === 'disable') {
        if (w[0]?.toLowerCase() === 'evc') w.shift();
        if (w.length !== 0) bad();
        return { kind: 'evc', verb, ...(cluster ? { cluster } : {}) };
      }
      if (w.length !== 1) bad();
      return { kind: 'evc', verb, mode: w[0]!, ...(cluster ? { cluster } : {}) };
    }
    case 'set': {
      if (w.shift()?.toLowerCase() !== 'model') bad();
      const cluster = opt('on');
      if (w.length !== 1) bad();
      return { kind: 'model', model: w[0]!, ...(cluster ? { cluster } : {}) };
    }
    case 'power-on':
    case 'power-off':
    case 'power-cycle':
    case 'reboot':
    case 'suspend':
    case 'resume': {
      const host = verb === 'power-on' ? opt('on') : undefined;
      if (w.length !== 1) bad();
      return { kind: 'vm', verb, vm: w[0]!, ...(host ? { host } : {}) };
    }
    case 'vmotion':
    case 'migrate': {
      if (w[1]?.toLowerCase() === 'to') w.splice(1, 1);
      if (w.length !== 2) bad();
      return { kind: 'vmotion', vm: w[0]!, host: w[1]! };
    }
    default:
      return bad();
  }
}

// ---- results ----------------------------------------------------------------------------------

export interface StepOutcome {
  readonly step: string;
  readonly ok: boolean;
  readonly fault?: Fault;
  readonly notes: readonly string[];
  readonly powerCycle?: readonly PowerCycleNeed[];
  /** retire: VMs moved live, and VMs no host could take (powered off). */
  readonly moved?: readonly { vm: string; to: string }[];
  readonly stranded?: readonly string[];
}

export interface SequenceStep {
  readonly action: 'enable' | 'raise' | 'admit' | 'retire' | 'set-model' | 'power-cycle';
  readonly summary: string;
  readonly mode?: string;
  readonly host?: string;
  readonly hosts?: readonly string[];
  readonly powerOff?: readonly { vm: string; host: string; above: readonly string[] }[];
  readonly mayStayOn?: readonly string[];
  readonly powerCycle?: readonly PowerCycleNeed[];
  readonly moved?: readonly { vm: string; to: string }[];
  readonly stranded?: readonly string[];
  readonly fault?: Fault;
}

export interface KvmPlan {
  readonly model: string;
  readonly extra: readonly string[];
  readonly disabled: readonly string[];
  /** The setting per tool. */
  readonly settings: Readonly<Record<'proxmox' | 'nova' | 'kubevirt' | 'libvirt', string>>;
  readonly restart: readonly PowerCycleNeed[];
  /** Per host: running VMs no other host of the cluster can take live. */
  readonly stranded: Readonly<Record<string, readonly string[]>>;
}

export interface ClusterPlan {
  readonly name: string;
  readonly platform: string;
  readonly evc: string | null;
  readonly hosts: readonly string[];
  readonly vms: { readonly on: number; readonly suspended: number; readonly off: number };
  /** The highest EVC mode every host supports (null: none, or vendors mixed). */
  readonly highestMode: string | null;
  readonly mixedVendors: boolean;
  /** VMs running below what the cluster now offers: they need a full power cycle to gain it. */
  readonly powerCycle: readonly PowerCycleNeed[];
  readonly sequence: readonly SequenceStep[];
  readonly kvm?: KvmPlan;
  readonly notes: readonly string[];
}

export interface MapBlock {
  readonly hosts: readonly string[];
  readonly fault: string;
  readonly reason: string;
  readonly features: readonly string[];
}

export interface MapGroup {
  readonly vms: readonly string[];
  /** The features the group's VMs were shown at power-on. */
  readonly seen: readonly string[];
  readonly canMoveTo: readonly string[];
  readonly blocked: readonly MapBlock[];
}

export interface PlanResult {
  readonly inventory: string;
  readonly steps: readonly StepOutcome[];
  readonly clusters: readonly ClusterPlan[];
  readonly standalone: readonly string[];
  readonly migrationMap: readonly MapGroup[];
  /** What the answers rest on: captured vs simulated views, low-fidelity hosts, unconfirmed rules. */
  readonly restsOn: readonly string[];
  /** The state after the what-if steps (for scripts and risk reports). */
  readonly sim: Sim;
}

export interface PlanOptions {
  readonly whatIf?: readonly Step[];
  /** Hosts `add host FILE` names, decoded by the caller (the CLI reads the files). */
  readonly newHosts?: ReadonlyMap<string, FleetHost>;
  /** Skip the migration map. */
  readonly noMap?: boolean;
}

// ---- applying steps ---------------------------------------------------------------------------

function defaultCluster(sim: Sim, given: string | undefined, platform?: 'vsphere' | 'kvm'): string {
  if (given !== undefined) {
    if (!sim.clusters.has(given)) throw new UsageError(`no cluster '${given}' in the inventory (${[...sim.clusters.keys()].join(', ') || 'none'})`);
    return given;
  }
  const list = [...sim.clusters.values()].filter((c) => platform === undefined || (platform === 'vsphere') === (c.platform === 'vsphere'));
  if (list.length !== 1) throw new UsageError(`name the cluster (on CLUSTER): the inventory has ${list.length === 0 ? 'none' : list.map((c) => c.name).join(', ')}`);
  return list[0]!.name;
}

function need(sim: Sim, kind: 'host' | 'vm', name: string): void {
  const has = kind === 'host' ? sim.hosts.has(name) : sim.vms.has(name);
  if (!has) throw new UsageError(`no ${kind === 'host' ? 'host' : 'VM'} '${name}' in the inventory`);
}

/** Evacuates and retires hosts: running VMs move live to the peer with the fewest VMs that takes them; the others must power off. */
export function retireHosts(sim: Sim, hosts: readonly string[]): { result: StepResult; moved: { vm: string; to: string }[]; stranded: string[] } {
  const moved: { vm: string; to: string }[] = [];
  const stranded: string[] = [];
  const leaving = new Set(hosts);
  const load = new Map<string, number>();
  for (const h of sim.hosts.keys()) load.set(h, sim.vmsOn(h).length);
  for (const h of hosts) {
    const cluster = sim.host(h).cluster;
    const peers = sim.hostsOf(cluster).filter((p) => !leaving.has(p.name));
    // VMs that look alike to a precheck share its answers.
    const fits = new Map<string, typeof peers>();
    for (const vm of sim.vmsOn(h).filter((v) => v.power !== 'off')) {
      const k = `${vm.seen ? setKey(vm.seen) : ''}|${vm.seenMode ? 1 : 0}|${vmConfigKey(vm)}`;
      let fit = fits.get(k);
      if (!fit) fits.set(k, (fit = peers.filter((p) => sim.precheck(vm, p.name).ok)));
      const ok = [...fit].sort((a, b) => (load.get(a.name) ?? 0) - (load.get(b.name) ?? 0) || a.name.localeCompare(b.name));
      const to = ok[0];
      if (to) {
        sim.vmotion(vm.name, to.name);
        load.set(to.name, (load.get(to.name) ?? 0) + 1);
        moved.push({ vm: vm.name, to: to.name });
      } else {
        stranded.push(vm.name);
        sim.powerOff(vm.name);
      }
    }
  }
  // Then each host goes, its powered-off VMs (those stranded above included) registered on a host
  // that stays, once each: said after the VMs that had to be powered off.
  const notes: string[] = [];
  const reregistered: string[] = [];
  for (const h of hosts) {
    const r = sim.removeHost(h, true, { leaving, reregistered });
    if (!r.ok) return { result: r, moved, stranded };
    notes.push(...r.notes);
  }
  if (stranded.length > 0) notes.push(`no remaining host could take ${stranded.join(', ')} live: powered off (start them again on another host)`);
  if (reregistered.length > 0) notes.push(reregisteredNote(reregistered));
  return { result: { ok: true, notes }, moved, stranded };
}

function applyStep(sim: Sim, step: Step, text: string, newHosts: ReadonlyMap<string, FleetHost> | undefined): StepOutcome {
  const out = (r: StepResult, extra: Partial<StepOutcome> = {}): StepOutcome =>
    r.ok ? { step: text, ok: true, notes: r.notes, ...(r.powerCycle ? { powerCycle: r.powerCycle } : {}), ...extra } : { step: text, ok: false, fault: r.fault, notes: [], ...extra };
  switch (step.kind) {
    case 'add-host': {
      const cluster = step.cluster === undefined ? undefined : defaultCluster(sim, step.cluster);
      if (sim.hosts.has(step.ref)) return out(sim.addHost(step.ref, cluster));
      const fh = newHosts?.get(step.ref);
      if (!fh) throw new UsageError(`--what-if '${text}': '${step.ref}' is neither a host of the inventory nor a CPUID file that was read`);
      const named: FleetHost = { ...fh, name: step.as ?? fh.name, cluster };
      if (sim.hosts.has(named.name)) throw new UsageError(`--what-if '${text}': a host named '${named.name}' exists already (use: as NAME)`);
      return out(sim.addHost(named, cluster));
    }
    case 'retire': {
      for (const h of step.hosts) need(sim, 'host', h);
      const r = retireHosts(sim, step.hosts);
      return out(r.result, { moved: r.moved, stranded: r.stranded });
    }
    case 'remove-host':
      need(sim, 'host', step.host);
      return out(sim.removeHost(step.host, false));
    case 'evc': {
      const cluster = defaultCluster(sim, step.cluster, 'vsphere');
      const cur = sim.clusters.get(cluster)!.evc;
      if (step.verb !== 'disable') {
        const m = builtinEvcModes().get(step.mode!);
        if (!m) throw new UsageError(`--what-if '${text}': unknown EVC mode '${step.mode}'`);
        if (step.verb === 'enable' && cur) return { step: text, ok: false, notes: [], fault: { name: 'InvalidState', vsphereName: false, message: `EVC is already on (${cur.key}): raise or lower it`, features: [], vms: [], hosts: [] } };
        if (step.verb !== 'enable' && !cur) return { step: text, ok: false, notes: [], fault: { name: 'InvalidState', vsphereName: false, message: 'EVC is off: enable it first', features: [], vms: [], hosts: [] } };
        if (cur && step.verb === 'raise' && m.tier < cur.tier) return { step: text, ok: false, notes: [], fault: { name: 'InvalidState', vsphereName: false, message: `${m.key} is below ${cur.key}: that is lowering`, features: [], vms: [], hosts: [] } };
        if (cur && step.verb === 'lower' && m.tier > cur.tier) return { step: text, ok: false, notes: [], fault: { name: 'InvalidState', vsphereName: false, message: `${m.key} is above ${cur.key}: that is raising`, features: [], vms: [], hosts: [] } };
      }
      return out(sim.setEvc(cluster, step.mode));
    }
    case 'model':
      return out(sim.setModel(defaultCluster(sim, step.cluster, 'kvm'), step.model));
    case 'vm': {
      need(sim, 'vm', step.vm);
      if (step.host) need(sim, 'host', step.host);
      const r =
        step.verb === 'power-on' ? sim.powerOn(step.vm, step.host)
        : step.verb === 'power-off' ? sim.powerOff(step.vm)
        : step.verb === 'power-cycle' ? sim.powerCycle(step.vm)
        : step.verb === 'reboot' ? sim.reboot(step.vm)
        : step.verb === 'suspend' ? sim.suspend(step.vm)
        : sim.resume(step.vm);
      return out(r);
    }
    case 'vmotion':
      need(sim, 'vm', step.vm);
      need(sim, 'host', step.host);
      return out(sim.vmotion(step.vm, step.host));
  }
}

// ---- the plan ---------------------------------------------------------------------------------

function commonMode(sim: Sim, hosts: readonly string[]): { mode: EvcMode | undefined; mixed: boolean } {
  const first = hosts[0];
  if (first === undefined) return { mode: undefined, mixed: false };
  const vendor = sim.host(first).fleet.cpu.vendor;
  if (hosts.some((h) => sim.host(h).fleet.cpu.vendor !== vendor)) return { mode: undefined, mixed: true };
  const common = sim.host(first).fleet.cpu.esxi.clone();
  for (const h of hosts.slice(1)) common.intersectWith(sim.host(h).fleet.cpu.esxi);
  return { mode: builtinEvcModes().max(common, vendor), mixed: false };
}

function enableStep(sim: Sim, cluster: string, mode: EvcMode, verb: 'enable' | 'raise'): SequenceStep {
  const blocking = verb === 'enable' ? sim.blockingVms(cluster, mode) : [];
  const blocked = new Set(blocking.map((b) => b.vm.name));
  const mayStayOn = sim.activeVms(cluster).filter((v) => !blocked.has(v.name)).map((v) => v.name);
  for (const b of blocking) sim.powerOff(b.vm.name);
  const r = sim.setEvc(cluster, mode.key);
  if (!r.ok) return { action: verb, mode: mode.key, summary: `${verb} EVC mode ${mode.key}: refused (${r.fault.name})`, fault: r.fault };
  const restarted: string[] = [];
  for (const b of blocking) if (sim.powerOn(b.vm.name).ok) restarted.push(b.vm.name);
  const powerCycle = verb === 'raise' ? (r.powerCycle ?? []) : [];
  const legacy = sim.legacyEvc(cluster);
  return {
    action: verb,
    mode: mode.key,
    summary:
      verb === 'enable'
        ? `enable EVC mode ${mode.key} on ${cluster}: power off ${blocking.length} VM${blocking.length === 1 ? '' : 's'} first${legacy ? ' (vCenter before 4.1: every running VM)' : ''}, ${mayStayOn.length} may stay on; power them on again afterwards`
        : `raise EVC to ${mode.key} on ${cluster} with VMs running; ${powerCycle.length} VM${powerCycle.length === 1 ? ' then needs' : 's then need'} a full power cycle to gain the new features (a guest reboot is not enough)`,
    powerOff: blocking.map((b) => ({ vm: b.vm.name, host: b.vm.host, above: names(b.above) })),
    ...(verb === 'enable' ? { mayStayOn } : { powerCycle }),
  };
}

function admitStep(sim: Sim, host: string, mode: EvcMode | undefined): SequenceStep {
  if (!mode) return { action: 'admit', host, summary: `${host} joins without EVC` };
  const r = sim.admission(host, mode);
  if (!r.ok) return { action: 'admit', host, mode: mode.key, summary: `${host} is refused under ${mode.key} (${r.fault.name})`, fault: r.fault };
  const cpu = sim.host(host).fleet.cpu;
  const above = cpu.esxi.minus(mode.features.union(mode.passes));
  const how = above.isEmpty ? `its CPU offers exactly ${mode.key}` : `its CPU can mask CPUID (${cpu.vendor === 'amd' ? 'AMD-V Extended Migration' : 'Intel FlexMigration'}): ${names(above).join(', ')} hidden`;
  return { action: 'admit', host, mode: mode.key, summary: `${host} is admitted under ${mode.key}: ${how}` };
}

/** Hosts whose retirement raises the common mode: the CPU types at the lowest maximum mode. */
function limitingHosts(sim: Sim, hosts: readonly string[]): { retire: string[]; next: EvcMode } | undefined {
  const set = builtinEvcModes();
  const byMax = hosts.map((h) => ({ h, max: set.max(sim.host(h).fleet.cpu.esxi, sim.host(h).fleet.cpu.vendor) }));
  if (byMax.some((x) => !x.max)) return undefined;
  const lowest = Math.min(...byMax.map((x) => x.max!.tier));
  const retire = byMax.filter((x) => x.max!.tier === lowest).map((x) => x.h);
  const rest = hosts.filter((h) => !retire.includes(h));
  if (rest.length === 0) return undefined;
  const next = commonMode(sim, rest).mode;
  const now = commonMode(sim, hosts).mode;
  if (!next || (now && next.tier <= now.tier)) return undefined;
  return { retire, next };
}

function kvmPlan(sim: Sim, cluster: string): KvmPlan | undefined {
  const hosts = sim.hostsOf(cluster);
  if (hosts.length === 0) return undefined;
  let base;
  try {
    base = baselineModel(hosts.map((h) => ({ features: h.fleet.cpu.kvm, vendor: h.fleet.cpu.vendor })));
  } catch {
    return undefined;
  }
  const model = base.model.name;
  const extra = libvirtNames(base.require);
  const disabled = libvirtNames(base.disable);
  const flags = [...extra.map((f) => `+${f}`), ...disabled.map((f) => `-${f}`)];
  const settings = {
    proxmox: `cpu: ${model}${flags.length ? `,flags=${flags.join(';')}` : ''}`,
    nova: `[libvirt] cpu_mode = custom; cpu_models = ${model}${extra.length ? `; cpu_model_extra_flags = ${extra.join(', ')}` : ''}${disabled.length ? ` (and disable ${disabled.join(', ')})` : ''}`,
    kubevirt: `spec.domain.cpu.model: ${model}${extra.length || disabled.length ? `; features: ${[...extra.map((f) => `{name: ${f}, policy: require}`), ...disabled.map((f) => `{name: ${f}, policy: disable}`)].join(', ')}` : ''}`,
    libvirt: `<cpu mode='custom' match='exact'><model fallback='forbid'>${model}</model>${extra.map((f) => `<feature policy='require' name='${f}'/>`).join('')}${disabled.map((f) => `<feature policy='disable' name='${f}'/>`).join('')}</cpu>`,
  };
  const stranded: Record<string, string[]> = {};
  for (const h of hosts) {
    const list: string[] = [];
    for (const vm of sim.vmsOn(h.name)) {
      if (vm.power === 'off') continue;
      if (!hosts.some((o) => o.name !== h.name && sim.precheck(vm, o.name).ok)) list.push(vm.name);
    }
    if (list.length > 0) stranded[h.name] = list;
  }
  const probe = sim.clone(cluster);
  const r = probe.setModel(cluster, [model, ...flags].join(','));
  // Running VMs must restart to pick the model up: those whose view differs from what the model gives.
  const restart = r.ok ? [...probe.activeVms(cluster)].flatMap((vm) => {
    const v = probe.viewAt(vm, vm.host);
    if (!v.ok || !vm.seen || v.seen.equals(vm.seen)) return [];
    return [{ vm: vm.name, host: vm.host, gains: names(v.seen.minus(vm.seen)) }];
  }) : [];
  return { model, extra, disabled, settings, restart, stranded };
}

function clusterPlan(sim: Sim, name: string, added: ReadonlySet<string>): ClusterPlan {
  const c = sim.clusters.get(name)!;
  const hosts = sim.hostsOf(name).map((h) => h.name);
  const vmsOf = hosts.flatMap((h) => sim.vmsOn(h));
  const counts = { on: vmsOf.filter((v) => v.power === 'on').length, suspended: vmsOf.filter((v) => v.power === 'suspended').length, off: vmsOf.filter((v) => v.power === 'off').length };
  const notes: string[] = [];
  if (c.platform !== 'vsphere') {
    const kvm = kvmPlan(sim, name);
    if (c.cpuModel === undefined) notes.push('VMs use host-passthrough/host-model: a VM started on a newer host cannot move to an older one');
    return { name, platform: c.platform, evc: null, hosts, vms: counts, highestMode: null, mixedVendors: new Set(sim.hostsOf(name).map((h) => h.fleet.cpu.vendor)).size > 1, powerCycle: [], sequence: [], ...(kvm ? { kvm } : {}), notes };
  }
  const { mode: highest, mixed } = commonMode(sim, hosts);
  if (mixed) notes.push('the cluster mixes Intel and AMD hosts: no EVC mode exists for it and no VM can vMotion between the vendors');
  if (c.graphics) notes.push(`EVC graphics mode ${c.graphics} is noted, not simulated`);
  const powerCycle = sim.powerCycleNeeds(name);
  const sequence: SequenceStep[] = [];
  const probe = sim.clone(name);
  if (highest) {
    const distinct = new Set(hosts.map((h) => setKey(sim.host(h).fleet.cpu.esxi))).size;
    if (!c.evc) {
      if (distinct > 1 || added.size > 0) sequence.push(enableStep(probe, name, highest, 'enable'));
      else notes.push(`all hosts offer the same features: EVC is not needed today; ${highest.key} is the mode to enable before a different host joins`);
    } else if (c.evc.key !== highest.key && c.evc.tier < highest.tier) {
      sequence.push(enableStep(probe, name, highest, 'raise'));
    } else if (c.evc.tier > highest.tier) {
      notes.push(`EVC mode ${c.evc.key} is above what every host supports (${highest.key}): a host was admitted that should not have been, or the inventory is inconsistent`);
    }
    for (const h of [...added].filter((x) => hosts.includes(x))) sequence.push(admitStep(probe, h, probe.clusters.get(name)!.evc ?? highest));
    const lim = limitingHosts(probe, hosts);
    if (lim) {
      const r = retireHosts(probe, lim.retire);
      sequence.push({ action: 'retire', hosts: lim.retire, summary: `retire ${lim.retire.join(', ')} (the hosts that hold the cluster at ${highest.key}): ${r.moved.length} VM${r.moved.length === 1 ? ' moves' : 's move'} live${r.stranded.length ? `, ${r.stranded.length} must power off (no host takes them live)` : ''}`, moved: r.moved, stranded: r.stranded });
      if (r.result.ok && probe.clusters.get(name)!.evc) sequence.push(enableStep(probe, name, lim.next, 'raise'));
      else if (r.result.ok) sequence.push({ action: 'raise', mode: lim.next.key, summary: `after that the hosts support ${lim.next.key}` });
    }
  }
  return { name, platform: c.platform, evc: c.evc?.key ?? null, hosts, vms: counts, highestMode: highest?.key ?? null, mixedVendors: mixed, powerCycle, sequence, notes };
}

interface HostGroup {
  readonly hosts: string[];
  readonly rep: string;
}

/** The migration map: VMs grouped by what a precheck depends on, hosts by what they offer. */
function migrationMap(sim: Sim): MapGroup[] {
  const hostGroups = new Map<string, HostGroup>();
  for (const h of sim.hosts.values()) {
    const c = sim.clusterOf(h.name);
    const k = `${setKey(sim.exposure(h.name))}|${setKey(sim.guest(h.name))}|${h.fleet.cpu.vendor}|${c?.platform ?? 'vsphere'}|${c?.evc?.key ?? ''}|${c?.evc ? '' : 'noevc'}`;
    const g = hostGroups.get(k);
    if (g) g.hosts.push(h.name);
    else hostGroups.set(k, { hosts: [h.name], rep: h.name });
  }
  const vmGroups = new Map<string, { vms: VmState[] }>();
  for (const vm of sim.vms.values()) {
    if (vm.power === 'off' || !vm.seen) continue;
    const src = sim.host(vm.host);
    const k = `${setKey(vm.seen)}|${src.fleet.cpu.vendor}|${sim.platformOf(vm.host)}|${vm.seenMode ? 'evc' : ''}|${vmConfigKey(vm)}|${vm.config.mask ? src.fleet.cpu.key : ''}`;
    const g = vmGroups.get(k);
    if (g) g.vms.push(vm);
    else vmGroups.set(k, { vms: [vm] });
  }
  const out: MapGroup[] = [];
  for (const g of vmGroups.values()) {
    const rep = g.vms[0]!;
    const canMoveTo: string[] = [];
    const blocks = new Map<string, { hosts: string[]; fault: string; reason: string; features: readonly string[] }>();
    for (const hg of hostGroups.values()) {
      const r = sim.precheck(rep, hg.rep);
      if (r.ok) canMoveTo.push(...hg.hosts);
      else {
        const k = `${r.fault.name}|${r.fault.features.join(',')}`;
        const b = blocks.get(k);
        const reason = r.fault.message.replace(new RegExp(`\\b${escapeRe(hg.rep)}\\b`, 'g'), 'the destination').replace(new RegExp(`\\b${escapeRe(rep.name)}\\b`, 'g'), 'the VM');
        if (b) b.hosts.push(...hg.hosts);
        else blocks.set(k, { hosts: [...hg.hosts], fault: r.fault.name, reason, features: r.fault.features });
      }
    }
    out.push({
      vms: g.vms.map((v) => v.name).sort(),
      seen: names(rep.seen ?? catalog.emptySet()),
      canMoveTo: canMoveTo.sort(),
      blocked: [...blocks.values()].map((b) => ({ ...b, hosts: b.hosts.sort() })),
    });
  }
  return out.sort((a, b) => a.vms[0]!.localeCompare(b.vms[0]!));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function restsOn(sim: Sim): string[] {
  const out: string[] = [];
  const count = (pred: (v: VmState) => boolean) => [...sim.vms.values()].filter(pred).length;
  const sim2 = count((v) => v.power !== 'off' && v.seenSource === 'simulated');
  if (sim2 > 0) out.push(`${sim2} running VM${sim2 === 1 ? "'s view is" : "s' views are"} computed from their host, cluster mode and configuration, not captured (give seen: log for certainty)`);
  const key = count((v) => v.power !== 'off' && v.seenSource === 'evc-key');
  if (key > 0) out.push(`${key} VM view${key === 1 ? '' : 's'} rest on minRequiredEVCModeKey only (low fidelity: the mode's features, not the VM's)`);
  const assumed = count((v) => v.power !== 'off' && v.seenSource === 'assumed');
  if (assumed > 0) out.push(`${assumed} running VM${assumed === 1 ? '' : 's'} could not be powered on as configured where they run; their view is assumed to be their host's`);
  const lossy = [...sim.hosts.values()].filter((h) => h.fleet.cpu.fidelity !== 'cpuid');
  if (lossy.length > 0) out.push(`${lossy.length} host${lossy.length === 1 ? ' is' : 's are'} known from a low-fidelity input (${[...new Set(lossy.map((h) => h.fleet.cpu.fidelity === 'evc-key' ? 'EVC key only' : 'flags only'))].join(', ')}): ${lossy.slice(0, 5).map((h) => h.name).join(', ')}${lossy.length > 5 ? ', …' : ''}`);
  out.push('EVC mode contents: openevc\'s built-in table (openevc modes shows which parts are confirmed)');
  out.push('without EVC, the user-level features whose mismatch blocks vMotion are SSE3, SSSE3, SSE4.1, SSE4.2 and AES (vSphere docs); other bits are compared one way');
  return out;
}

/** Plans over a fleet. Throws UsageError for what-if steps naming unknown clusters, hosts or VMs. */
export function plan(fleet: Fleet, opts: PlanOptions = {}): PlanResult {
  const sim = Sim.fromFleet(fleet);
  const steps: StepOutcome[] = [];
  const added = new Map<string, Set<string>>();
  for (const s of opts.whatIf ?? []) {
    const text = describeStep(s);
    const o = applyStep(sim, s, text, opts.newHosts);
    steps.push(o);
    if (o.ok && s.kind === 'add-host' && s.cluster !== undefined) {
      const name = sim.hosts.has(s.ref) && !opts.newHosts?.has(s.ref) ? s.ref : (s.as ?? opts.newHosts?.get(s.ref)?.name ?? s.ref);
      const set = added.get(s.cluster) ?? new Set<string>();
      set.add(name);
      added.set(s.cluster, set);
    }
  }
  const clusters = [...sim.clusters.keys()].sort().map((c) => clusterPlan(sim, c, added.get(c) ?? new Set()));
  const standalone = [...sim.hosts.values()].filter((h) => h.cluster === undefined).map((h) => h.name).sort();
  return { inventory: fleet.file, steps, clusters, standalone, migrationMap: opts.noMap ? [] : migrationMap(sim), restsOn: restsOn(sim), sim };
}

export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'add-host':
      return `add host ${s.ref}${s.as ? ` as ${s.as}` : ''}${s.cluster ? ` to ${s.cluster}` : ''}`;
    case 'retire':
      return `retire ${s.hosts.join(',')}`;
    case 'remove-host':
      return `remove host ${s.host}`;
    case 'evc':
      return s.verb === 'disable' ? `disable evc${s.cluster ? ` on ${s.cluster}` : ''}` : `${s.verb} ${s.mode}${s.cluster ? ` on ${s.cluster}` : ''}`;
    case 'model':
      return `set model ${s.model}${s.cluster ? ` on ${s.cluster}` : ''}`;
    case 'vm':
      return `${s.verb} ${s.vm}${s.host ? ` on ${s.host}` : ''}`;
    case 'vmotion':
      return `vmotion ${s.vm} to ${s.host}`;
  }
}

export { canMaskCpuid };
export type { FeatureSet };
