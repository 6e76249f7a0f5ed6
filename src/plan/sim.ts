/**
 * The EVC lifecycle simulator: power on/off, suspend/resume, reboot, vMotion with its precheck,
 * enable/raise/lower/disable EVC, add/remove host, per-VM EVC, KVM-family cluster CPU models.
 * Pure and deterministic. A step either succeeds (and changes the state) or returns the fault
 * vSphere would raise, named as vSphere names it, with the features and VMs behind it; a failed
 * step changes nothing.
 *
 * The rules and their sources (../shared/facts/, cited by file and section in sim.test.ts):
 * - a VM's CPU features are fixed at power-on from its host, the cluster's EVC mode, its per-VM
 *   EVC mode and its masks, and kept until it powers off (vmware-evc.md §7, seed 002);
 * - vMotion: the destination must offer everything the VM was shown; Intel and AMD never mix
 *   (vmware-evc.md §7); without EVC, a destination offering user-level features the VM was not
 *   shown (SSE3, SSSE3, SSE4.1, SSE4.2, AES) also fails (vmware-evc.md §5.2/§7, [Doc70-CPUScen]);
 * - enabling or lowering EVC is refused while powered-on or suspended VMs run above the mode on
 *   hosts exposing more than it (ActiveVMsBlockingEVC, fleet-tools-and-lifecycle.md §2);
 *   before vCenter 4.1 every running VM had to be off (seed 000; the boundary is unconfirmed);
 * - raising is allowed with VMs running; they gain the new features only after a full power
 *   cycle, a guest reboot is not enough unless vmx.reboot.powerCycle is set (vmware-evc.md §7);
 * - host admission: a CPU that cannot mask CPUID at all (EVCUnsupportedByHostHardware), a CPU
 *   model below the mode (EVCAdmissionFailedCPUModelForMode), the model but a feature switched
 *   off (EVCAdmissionFailedCPUFeaturesForMode), running VMs above the mode
 *   (EVCAdmissionFailedVmActive) (fleet-tools-and-lifecycle.md §2, vmware-evc.md §7);
 * - per-VM EVC needs hardware version 14+, may not exceed the cluster's mode, stays with the VM;
 *   a cluster-derived mode is dropped when the VM leaves the cluster and power-cycles
 *   (vmware-evc.md §3.1, fleet-tools-and-lifecycle.md §2).
 */
import { catalog } from '../core/catalog.js';
import type { Feature, FeatureSet, Vendor } from '../core/catalog.js';
import { FIRMWARE_SWITCHES } from '../core/check.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode } from '../core/evc.js';
import { charAt } from '../core/masks/engine.js';
import { maskRequirements, unmetRequirements, applyMaskToFeatures } from '../core/masks/engine.js';
import type { Unmet } from '../core/masks/engine.js';
import { findModel, expandModel } from '../core/models.js';
import { getProfile, visibleFeatures } from '../core/profiles.js';
import { sameCpu } from '../core/host.js';
import type { Fleet, FleetCluster, FleetCpu, FleetHost, SeenSource, VmConfig } from './fleet.js';
import type { Platform, PowerState } from './inventory.js';

/** The user-level features whose mismatch blocks vMotion without EVC, as vSphere's docs list them. */
export const USER_LEVEL_FEATURES: readonly string[] = ['sse3', 'ssse3', 'sse4_1', 'sse4_2', 'aes'];

/** A fault, named as vSphere names it (or as openevc names it where vSphere's name is not known). */
export interface Fault {
  readonly name: string;
  /** False when the fault name is openevc's own (vSphere's is not in the sources). */
  readonly vsphereName: boolean;
  readonly message: string;
  readonly features: readonly string[];
  readonly vms: readonly string[];
  readonly hosts: readonly string[];
  /** What to do about it. */
  readonly remedy?: string;
}

export interface VmState {
  readonly name: string;
  host: string;
  power: PowerState;
  config: VmConfig;
  /** What the VM was shown at power-on (undefined when off). */
  seen: FeatureSet | undefined;
  /** The EVC mode (cluster's or per-VM) it was powered on under, if any. */
  seenMode: EvcMode | undefined;
  /** The KVM CPU model it was started with, if any. */
  seenModel: string | undefined;
  /** How its view is known: computed by the simulator, or captured (log, EVC key, list). */
  seenSource: SeenSource | 'simulated' | 'assumed';
}

export interface ClusterState {
  readonly name: string;
  readonly platform: Platform;
  evc: EvcMode | undefined;
  cpuModel: string | undefined;
  readonly vcenter: string | undefined;
  readonly graphics: string | undefined;
}

export interface HostState {
  readonly name: string;
  cluster: string | undefined;
  readonly fleet: FleetHost;
}

export type StepResult = { readonly ok: true; readonly notes: readonly string[]; readonly powerCycle?: readonly PowerCycleNeed[] } | { readonly ok: false; readonly fault: Fault };

/** A running VM that needs a full power cycle to see what its host now offers. */
export interface PowerCycleNeed {
  readonly vm: string;
  readonly host: string;
  readonly gains: readonly string[];
}

function ok(notes: string[] = [], powerCycle?: PowerCycleNeed[]): StepResult {
  return powerCycle ? { ok: true, notes, powerCycle } : { ok: true, notes };
}

function fail(name: string, message: string, more: Partial<Omit<Fault, 'name' | 'message'>> = {}): StepResult {
  return { ok: false, fault: { name, vsphereName: more.vsphereName ?? true, message, features: more.features ?? [], vms: more.vms ?? [], hosts: more.hosts ?? [], ...(more.remedy ? { remedy: more.remedy } : {}) } };
}

const keyCache = new WeakMap<FeatureSet, string>();
/** A string identifying a feature set (for grouping). */
export function setKey(s: FeatureSet): string {
  let k = keyCache.get(s);
  if (k === undefined) keyCache.set(s, (k = Array.from(s.words).join('.')));
  return k;
}

export function names(s: Iterable<Feature>): string[] {
  return [...s].map((f) => f.name);
}

/** The version number in "ESX 3.5 U2", "ESXi 7.0U3", "4.1" (major.minor), if any. */
export function versionOf(text: string | undefined): number | undefined {
  const m = text ? /(\d+)\.(\d+)/.exec(text) : null;
  return m ? Number(m[1]) + Number(m[2]) / 10 : undefined;
}

/** Whether a CPU can have its CPUID answers lowered by the hypervisor (Intel FlexMigration from Penryn, AMD-V Extended Migration from Rev E/F). */
export function canMaskCpuid(cpu: FleetCpu): boolean {
  const set = builtinEvcModes();
  const max = set.max(cpu.esxi, cpu.vendor);
  if (!max) return false;
  if (max.vendor === 'intel') return max.key !== 'intel-merom';
  return true;
}

export class Sim {
  readonly clusters = new Map<string, ClusterState>();
  readonly hosts = new Map<string, HostState>();
  readonly vms = new Map<string, VmState>();
  /** VMs by the host they are registered on. */
  private readonly byHost = new Map<string, Set<VmState>>();
  private exposureCache = new Map<string, FeatureSet>();
  private viewCache = new Map<string, FeatureSet>();
  private maskCheckCache = new Map<string, Unmet>();
  private forbidCache = new Map<string, FeatureSet>();
  /** Bumped by every change of cluster membership, EVC mode or CPU model: per-host exposures are recomputed. */
  private epoch = 0;
  private readonly hostExposure = new Map<string, { epoch: number; set: FeatureSet }>();

  static fromFleet(fleet: Fleet): Sim {
    const sim = new Sim();
    for (const c of fleet.clusters.values()) sim.clusters.set(c.name, clusterState(c));
    for (const h of fleet.hosts.values()) sim.hosts.set(h.name, { name: h.name, cluster: h.cluster, fleet: h });
    for (const v of fleet.vms) {
      const vm: VmState = { name: v.name, host: v.host, power: v.power, config: v.config, seen: undefined, seenMode: undefined, seenModel: undefined, seenSource: 'simulated' };
      sim.vms.set(v.name, vm);
      sim.index(vm);
      if (v.power === 'off') continue;
      const at = v.poweredOnAt ?? v.host;
      const view = sim.viewAt(vm, at);
      if (v.seen) {
        vm.seen = v.seen;
        vm.seenSource = v.seenSource!;
      } else {
        vm.seen = view.ok ? view.seen : sim.exposure(at);
        vm.seenSource = view.ok ? 'simulated' : 'assumed';
      }
      vm.seenMode = view.ok ? view.mode : undefined;
      vm.seenModel = view.ok ? view.model : undefined;
    }
    return sim;
  }

  /** A copy; with `cluster`, only the VMs on that cluster's hosts are copied (for planning one cluster). */
  clone(cluster?: string): Sim {
    const s = new Sim();
    for (const [k, c] of this.clusters) s.clusters.set(k, { ...c });
    for (const [k, h] of this.hosts) s.hosts.set(k, { ...h });
    const copy = (v: VmState) => {
      const c = { ...v };
      s.vms.set(c.name, c);
      s.index(c);
    };
    if (cluster === undefined) for (const v of this.vms.values()) copy(v);
    else for (const h of this.hostsOf(cluster)) for (const v of this.vmsOn(h.name)) copy(v);
    // Content-keyed caches are shared: an answer for the same inputs is the same in every copy.
    s.exposureCache = this.exposureCache;
    s.viewCache = this.viewCache;
    s.maskCheckCache = this.maskCheckCache;
    s.forbidCache = this.forbidCache;
    return s;
  }

  private index(vm: VmState): void {
    let set = this.byHost.get(vm.host);
    if (!set) this.byHost.set(vm.host, (set = new Set()));
    set.add(vm);
  }

  /** Registers a VM on another host. */
  private place(vm: VmState, host: string): void {
    this.byHost.get(vm.host)?.delete(vm);
    vm.host = host;
    this.index(vm);
  }

  /** The VMs registered on a host. */
  vmsOn(host: string): VmState[] {
    return [...(this.byHost.get(host) ?? [])];
  }

  host(name: string): HostState {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no host ${name}`);
    return h;
  }

  vm(name: string): VmState {
    const v = this.vms.get(name);
    if (!v) throw new Error(`no VM ${name}`);
    return v;
  }

  clusterOf(host: string): ClusterState | undefined {
    const c = this.host(host).cluster;
    return c === undefined ? undefined : this.clusters.get(c);
  }

  platformOf(host: string): Platform {
    return this.clusterOf(host)?.platform ?? 'vsphere';
  }

  /** What a host's hypervisor shows VMs, before any EVC mode or model. */
  guest(host: string): FeatureSet {
    const h = this.host(host);
    return this.platformOf(host) === 'vsphere' ? h.fleet.cpu.esxi : h.fleet.cpu.kvm;
  }

  /** What a VM powering on at this host gets before its own configuration: the host's view under its cluster's EVC mode or CPU model. */
  exposure(host: string): FeatureSet {
    const cached = this.hostExposure.get(host);
    if (cached && cached.epoch === this.epoch) return cached.set;
    const set = this.computeExposure(host);
    this.hostExposure.set(host, { epoch: this.epoch, set });
    return set;
  }

  private computeExposure(host: string): FeatureSet {
    const c = this.clusterOf(host);
    const h = this.host(host);
    const platform = c?.platform ?? 'vsphere';
    const k = `${h.fleet.cpu.key}|${platform}|${c?.evc?.key ?? ''}|${c?.cpuModel ?? ''}`;
    let e = this.exposureCache.get(k);
    if (!e) {
      const g = this.guest(host);
      if (platform === 'vsphere') e = c?.evc ? g.intersection(allowedBy(c.evc)) : g;
      else {
        const m = c?.cpuModel ? modelFeatures(c.cpuModel) : undefined;
        e = m ? g.intersection(visibleFeatures(m, getProfile('kvm'), h.fleet.cpu.vendor)) : g;
      }
      this.exposureCache.set(k, e);
    }
    return e;
  }

  /** The view a VM would get powering on at `host` now, or the fault that stops it. */
  viewAt(vm: VmState, host: string): { ok: true; seen: FeatureSet; mode: EvcMode | undefined; model: string | undefined } | { ok: false; result: StepResult } {
    const h = this.host(host);
    const c = this.clusterOf(host);
    const cfg = vm.config;
    const vendor = h.fleet.cpu.vendor;
    const exposed = this.exposure(host);
    const mode = cfg.evc ?? c?.evc;
    if (cfg.evc) {
      if (cfg.hardware !== undefined && cfg.hardware < 14) {
        return { ok: false, result: fail('VmEvcNeedsHardwareVersion14', `VM ${vm.name} has per-VM EVC ${cfg.evc.key} but hardware version ${cfg.hardware}: per-VM EVC needs hardware version 14 or later`, { vsphereName: false, vms: [vm.name], remedy: 'upgrade the VM to hardware version 14 or later, or remove its per-VM EVC mode' }) };
      }
      if (cfg.evc.vendor !== vendor) return { ok: false, result: fail('FeatureRequirementsNotMet', `VM ${vm.name}'s per-VM EVC mode ${cfg.evc.key} is for ${cfg.evc.vendor} CPUs; ${host} is ${vendor ?? 'of unknown vendor'}`, { vms: [vm.name], hosts: [host] }) };
      if (c?.evc) {
        const above = cfg.evc.features.minus(allowedBy(c.evc));
        if (c.evc.vendor !== cfg.evc.vendor || cfg.evc.tier > c.evc.tier || !visibleFeatures(above, getProfile('esxi'), vendor).isEmpty) {
          return { ok: false, result: fail('FeatureRequirementsNotMet', `VM ${vm.name}'s per-VM EVC mode ${cfg.evc.key} exceeds cluster ${c.name}'s mode ${c.evc.key}: a per-VM mode may not exceed the cluster's`, { vms: [vm.name], features: names(visibleFeatures(above, getProfile('esxi'), vendor)), remedy: `lower the VM's mode to ${c.evc.key} or below (powered off), or raise the cluster` }) };
        }
      }
      const req = builtinEvcModes().requirement(cfg.evc);
      const missing = req.minus(exposed);
      if (!missing.isEmpty) return { ok: false, result: fail('FeatureRequirementsNotMet', `host ${host} does not offer VM ${vm.name}'s per-VM EVC mode ${cfg.evc.key}`, { vms: [vm.name], hosts: [host], features: names(missing) }) };
    }
    const model = c && c.platform !== 'vsphere' ? c.cpuModel : undefined;
    // A VM with no configuration of its own sees what the host exposes.
    if (!cfg.evc && !cfg.mask) return { ok: true, seen: exposed, mode, model };
    const vk = `${vmConfigKey(vm)}|${setKey(exposed)}|${cfg.evc?.key ?? ''}|${vendor ?? ''}`;
    let seen = this.viewCache.get(vk);
    if (!seen) {
      let s = cfg.evc ? exposed.intersection(allowedBy(cfg.evc)) : exposed;
      if (cfg.mask) {
        const masked = applyMaskToFeatures(cfg.mask, s, vendor).intersectWith(exposed);
        // A feature the mask hides takes its dependents with it (no XSAVE, no XSAVEOPT or AVX for the guest).
        s = masked.minus(catalog.dependents(s.minus(masked)));
      }
      seen = s;
      this.viewCache.set(vk, seen);
    }
    if (cfg.mask) {
      const mk = `${vmConfigKey(vm)}|${h.fleet.cpu.key}`;
      let unmet = this.maskCheckCache.get(mk);
      if (!unmet) this.maskCheckCache.set(mk, (unmet = unmetRequirements(maskRequirements(cfg.mask, h.fleet.cpu.host.dump, { phase: 'power-on' }), h.fleet.cpu.host.dump)));
      if (unmet.bits.length > 0) {
        const feats = unmet.bits.map((u) => u.requirement.feature?.name ?? `CPUID ${u.requirement.leaf.toString(16)}.${u.requirement.reg}[${u.requirement.bit}]`);
        return { ok: false, result: fail('FeatureRequirementsNotMet', `VM ${vm.name}'s CPUID mask requires ${unmet.bits.map((u) => `'${u.requirement.feature?.name ?? '?'}' ${u.requirement.mustBe ? 'present' : 'absent'}`).join(', ')} and host ${host} does not meet it (power-on fails: "Feature '…' was absent, but must be present")`, { vms: [vm.name], hosts: [host], features: feats }) };
      }
    }
    return { ok: true, seen, mode, model };
  }

  // ---- VM steps ---------------------------------------------------------------------------------

  powerOn(name: string, host?: string): StepResult {
    const vm = this.vm(name);
    if (vm.power === 'on') return fail('InvalidPowerState', `VM ${name} is already powered on`, { vms: [name] });
    if (vm.power === 'suspended') return this.resume(name);
    const at = host ?? vm.host;
    const v = this.viewAt(vm, at);
    if (!v.ok) return v.result;
    this.place(vm, at);
    vm.power = 'on';
    vm.seen = v.seen;
    vm.seenMode = v.mode;
    vm.seenModel = v.model;
    vm.seenSource = 'simulated';
    return ok();
  }

  powerOff(name: string): StepResult {
    const vm = this.vm(name);
    if (vm.power === 'off') return ok([`VM ${name} was already off`]);
    vm.power = 'off';
    vm.seen = undefined;
    vm.seenMode = undefined;
    vm.seenModel = undefined;
    vm.seenSource = 'simulated';
    return ok();
  }

  /** A full power cycle (off, then on at the same host): the VM picks up what its host offers now. */
  powerCycle(name: string): StepResult {
    const vm = this.vm(name);
    const before = vm.seen;
    const snapshot = { ...vm };
    this.powerOff(name);
    const r = this.powerOn(name);
    if (!r.ok) {
      Object.assign(vm, snapshot);
      return r;
    }
    const gained = before ? vm.seen!.minus(before) : catalog.emptySet();
    return ok(gained.isEmpty ? [] : [`VM ${name} now sees ${names(gained).join(', ')}`]);
  }

  /** A guest reboot: the VM keeps its features (unless vmx.reboot.powerCycle makes it a power cycle). */
  reboot(name: string): StepResult {
    const vm = this.vm(name);
    if (vm.power !== 'on') return fail('InvalidPowerState', `VM ${name} is not running`, { vms: [name] });
    if (vm.config.rebootPowerCycles) return this.powerCycle(name);
    return ok([`VM ${name} keeps the CPU features it was powered on with (a guest reboot is not a power cycle)`]);
  }

  suspend(name: string): StepResult {
    const vm = this.vm(name);
    if (vm.power !== 'on') return fail('InvalidPowerState', `VM ${name} is not running`, { vms: [name] });
    vm.power = 'suspended';
    return ok();
  }

  /** Resuming: like arriving by vMotion at its own host, with the features it was powered on with. */
  resume(name: string): StepResult {
    const vm = this.vm(name);
    if (vm.power !== 'suspended') return fail('InvalidPowerState', `VM ${name} is not suspended`, { vms: [name] });
    const pre = this.precheck(vm, vm.host);
    if (!pre.ok) return pre;
    vm.power = 'on';
    return ok();
  }

  /** The vMotion precheck of a running (or suspended) VM to a host, without moving it. */
  precheck(vm: VmState, dst: string): StepResult {
    const src = vm.host;
    const dstHost = this.host(dst);
    const vendor = this.host(src).fleet.cpu.vendor;
    const dstVendor = dstHost.fleet.cpu.vendor;
    if (vendor !== dstVendor) {
      return fail('CpuIncompatible', `${src} → ${dst}: ${vendor ?? '?'} and ${dstVendor ?? '?'} CPUs: Intel and AMD are never vMotion-compatible, even with EVC`, { vms: [vm.name], hosts: [dst], remedy: 'power the VM off and cold-migrate it' });
    }
    const srcPlatform = this.platformOf(src);
    const dstPlatform = this.platformOf(dst);
    if ((srcPlatform === 'vsphere') !== (dstPlatform === 'vsphere')) {
      return fail('MigrationNotPossible', `${src} and ${dst} run different hypervisors`, { vsphereName: false, vms: [vm.name], hosts: [dst] });
    }
    const seen = vm.seen ?? catalog.emptySet();
    const offered = this.exposure(dst);
    const missing = seen.minus(offered);
    if (!missing.isEmpty) {
      const hidden = missing.intersection(this.guest(dst));
      const why = hidden.isEmpty ? `${dst}'s CPU lacks them` : `${dst}'s cluster ${this.clusterOf(dst)?.evc ? `EVC mode ${this.clusterOf(dst)!.evc!.key}` : 'CPU model'} hides ${names(hidden).join(', ')}`;
      const text = srcPlatform === 'vsphere' ? `The target host does not support the virtual machine's current hardware requirements: ${vm.name} was powered on with ${names(missing).join(', ')}; ${why}` : `the CPU is incompatible with host CPU: ${vm.name} was started with ${names(missing).join(', ')}; ${why}`;
      return fail(srcPlatform === 'vsphere' ? 'FeatureRequirementsNotMet' : 'CpuIncompatible', text, {
        vms: [vm.name],
        hosts: [dst],
        features: names(missing),
        vsphereName: srcPlatform === 'vsphere',
        remedy: `power-cycle ${vm.name} under a mode ${dst} offers (EVC), or mask the features`,
      });
    }
    if (vm.config.evc) {
      const dc = this.clusterOf(dst);
      if (dc?.evc && (dc.evc.tier < vm.config.evc.tier || dc.evc.vendor !== vm.config.evc.vendor)) {
        return fail('FeatureRequirementsNotMet', `VM ${vm.name}'s per-VM EVC mode ${vm.config.evc.key} exceeds ${dst}'s cluster mode ${dc.evc.key}`, { vms: [vm.name], hosts: [dst] });
      }
    }
    if (srcPlatform === 'vsphere' && vm.seenMode === undefined && !this.clusterOf(dst)?.evc) {
      // Without EVC, user-level features must match: a destination offering more of them fails too.
      const user = catalog.setOf(USER_LEVEL_FEATURES);
      const extra = offered.intersection(user).minus(seen).filter((f) => !maskCovers(vm, f));
      if (!extra.isEmpty) {
        return fail('CpuIncompatible', `Host CPU is incompatible with the virtual machine's requirements at CPUID level 0x1 register 'ecx': ${dst} offers user-level ${names(extra).join(', ')} that ${vm.name} was not shown at power-on (without EVC, user-level features must match)`, {
          vms: [vm.name],
          hosts: [dst],
          features: names(extra),
          remedy: 'enable EVC on the cluster (or a per-VM EVC mode, or a mask hiding the features)',
        });
      }
    }
    if (vm.config.mask) {
      // Mask F bits, and H/R bits the power-on host lacked: the destination must not have them.
      const at = this.host(vm.host);
      const fk = `${vmConfigKey(vm)}|${at.fleet.cpu.key}`;
      let forbid = this.forbidCache.get(fk);
      if (!forbid) this.forbidCache.set(fk, (forbid = maskForbids(vm, at)));
      const present = forbid.intersection(this.guest(dst));
      if (!present.isEmpty) return fail('FeatureRequirementsNotMet', `VM ${vm.name}'s mask requires ${names(present).join(', ')} absent, and ${dst} has it`, { vms: [vm.name], hosts: [dst], features: names(present) });
    }
    return ok();
  }

  vmotion(name: string, dst: string): StepResult {
    const vm = this.vm(name);
    if (!this.hosts.has(dst)) return fail('NotFound', `no host ${dst}`, { vsphereName: false });
    if (vm.host === dst) return ok([`VM ${name} is already on ${dst}`]);
    if (vm.power === 'off') {
      // Cold migration is not subject to CPU compatibility checks.
      this.place(vm, dst);
      return ok([`VM ${name} is powered off: cold migration, no CPU check`]);
    }
    const r = this.precheck(vm, dst);
    if (!r.ok) return r;
    const left = this.host(vm.host).cluster !== this.host(dst).cluster;
    this.place(vm, dst);
    return ok(left && vm.seenMode && !vm.config.evc ? [`VM ${name} keeps its cluster-derived EVC mode ${vm.seenMode.key} until it power-cycles outside the cluster`] : []);
  }

  // ---- cluster steps ----------------------------------------------------------------------------

  /** Running or suspended VMs on hosts of a cluster. */
  activeVms(cluster: string): VmState[] {
    const out: VmState[] = [];
    for (const h of this.hostsOf(cluster)) for (const v of this.byHost.get(h.name) ?? []) if (v.power !== 'off') out.push(v);
    return out;
  }

  hostsOf(cluster: string | undefined): HostState[] {
    return [...this.hosts.values()].filter((h) => h.cluster === cluster);
  }

  /** Whether the cluster's vCenter predates 4.1 (enabling EVC then needed every VM off). */
  legacyEvc(cluster: string): boolean {
    const c = this.clusters.get(cluster)!;
    let v = versionOf(c.vcenter);
    if (v === undefined) {
      const vs = this.hostsOf(cluster).map((h) => versionOf(h.fleet.hypervisor)).filter((x): x is number => x !== undefined);
      v = vs.length > 0 ? Math.min(...vs) : undefined;
    }
    return v !== undefined && v < 4.1;
  }

  /** Why a host cannot run a mode: the admission fault, or undefined when it can. */
  admission(host: string, mode: EvcMode): StepResult {
    const h = this.host(host);
    const cpu = h.fleet.cpu;
    if (cpu.vendor !== mode.vendor) {
      return fail('EVCAdmissionFailedCPUVendor', `host ${host} has ${cpu.vendor ?? 'an unknown vendor\'s'} CPU; mode ${mode.key} is for ${mode.vendor}: Intel and AMD never mix in an EVC cluster`, { hosts: [host], vsphereName: false });
    }
    const g = cpu.esxi;
    const req = builtinEvcModes().requirement(mode);
    const missing = req.minus(g);
    if (!missing.isEmpty) {
      const switchable = missing.filter((f) => f.id in FIRMWARE_SWITCHES || f.cat === 'mitigation' || f.cat === 'tsx');
      const sibling = [...this.hosts.values()].find((o) => o.name !== host && sameCpu(o.fleet.cpu.host, cpu.host) && req.isSubsetOf(o.fleet.cpu.esxi));
      if (switchable.size === missing.size || sibling) {
        return fail('EVCAdmissionFailedCPUFeaturesForMode', `host ${host}'s CPU model supports ${mode.key} but lacks ${names(missing).join(', ')}: switched off (firmware/BIOS, microcode)${sibling ? `; ${sibling.name} has the same CPU with them on` : ''}`, {
          hosts: [host],
          features: names(missing),
          remedy: `turn the features on in ${host}'s firmware setup (${[...missing].map((f) => FIRMWARE_SWITCHES[f.id] ?? f.name).join(', ')}) or update its microcode`,
        });
      }
      return fail('EVCAdmissionFailedCPUModelForMode', `The host's CPU hardware does not support the cluster's current Enhanced vMotion Compatibility mode. The host CPU lacks features required by that mode: ${host} (${cpu.host.id.microarchitecture ?? cpu.host.id.brand}) lacks ${names(missing).join(', ')} for ${mode.key}`, {
        hosts: [host],
        features: names(missing),
        remedy: `use a lower mode (${builtinEvcModes().max(g, cpu.vendor)?.key ?? 'none'} is ${host}'s highest) or keep ${host} out of the cluster`,
      });
    }
    const above = g.minus(allowedBy(mode));
    if (!above.isEmpty && !canMaskCpuid(cpu)) {
      return fail('EVCUnsupportedByHostHardware', `host ${host}'s CPU cannot change what CPUID reports (Intel FlexMigration needs Penryn or later, AMD-V Extended Migration Rev E/F or later), and it offers more than ${mode.key}: ${names(above).join(', ')}`, {
        hosts: [host],
        features: names(above),
        remedy: `use a mode equal to what ${host} offers, or keep it out of the cluster`,
      });
    }
    return ok();
  }

  /** The VMs that keep a mode from being enabled or lowered to, with what they run above it. */
  blockingVms(cluster: string, mode: EvcMode): { vm: VmState; above: FeatureSet }[] {
    const allowed = allowedBy(mode);
    const legacy = this.legacyEvc(cluster);
    const out: { vm: VmState; above: FeatureSet }[] = [];
    for (const vm of this.activeVms(cluster)) {
      const above = (vm.seen ?? catalog.emptySet()).minus(allowed);
      const hostAbove = !this.guest(vm.host).minus(allowed).isEmpty;
      if ((hostAbove && !above.isEmpty) || legacy) out.push({ vm, above });
    }
    return out;
  }

  setEvc(cluster: string, key: string | undefined): StepResult {
    const c = this.clusters.get(cluster);
    if (!c) return fail('NotFound', `no cluster ${cluster}`, { vsphereName: false });
    if (c.platform !== 'vsphere') return fail('NotSupported', `cluster ${cluster} is a ${c.platform} cluster: set its CPU model instead`, { vsphereName: false });
    if (key === undefined) {
      if (!c.evc) return ok(['EVC was already off']);
      const was = c.evc;
      c.evc = undefined;
      this.epoch++;
      return ok([`EVC disabled; running VMs keep ${was.key}'s features until they power-cycle`]);
    }
    const mode = builtinEvcModes().get(key);
    if (!mode) return fail('NotFound', `unknown EVC mode ${key}`, { vsphereName: false });
    const hosts = this.hostsOf(cluster);
    const bad = hosts.map((h) => ({ h, r: this.admission(h.name, mode) })).filter((x) => !x.r.ok);
    if (bad.length > 0) {
      const first = (bad[0]!.r as { fault: Fault }).fault;
      return fail('EVCModeUnsupportedByHosts', `mode ${mode.key} is not supported by ${bad.map((b) => b.h.name).join(', ')}: ${bad.map((b) => `${(b.r as { fault: Fault }).fault.name} (${(b.r as { fault: Fault }).fault.message})`).join('; ')}`, {
        hosts: bad.map((b) => b.h.name),
        features: first.features,
        ...(first.remedy ? { remedy: first.remedy } : {}),
      });
    }
    const raising = c.evc !== undefined && c.evc.vendor === mode.vendor && allowedBy(c.evc).isSubsetOf(allowedBy(mode));
    if (!raising) {
      const blocking = this.blockingVms(cluster, mode);
      if (blocking.length > 0) {
        const legacy = this.legacyEvc(cluster);
        const feats = new Set<string>();
        for (const b of blocking) for (const n of names(b.above)) feats.add(n);
        return fail('ActiveVMsBlockingEVC', `${c.evc ? 'lowering' : 'enabling'} EVC mode ${mode.key} on ${cluster} needs ${blocking.length} VM${blocking.length === 1 ? '' : 's'} powered off: ${legacy ? 'this vCenter (before 4.1) requires every VM off' : `they run (powered on or suspended) above the mode on hosts exposing more than it`}`, {
          vms: blocking.map((b) => b.vm.name),
          hosts: [...new Set(blocking.map((b) => b.vm.host))],
          features: [...feats],
          remedy: 'power these VMs off (or move them out of the cluster), apply the mode, then power them on',
        });
      }
    }
    const before = c.evc;
    c.evc = mode;
    this.epoch++;
    // Only a raise offers running VMs more than they were powered on with.
    if (raising && before && before.key !== mode.key) return ok([`raised ${before.key} → ${mode.key}`], this.powerCycleNeeds(cluster));
    return ok();
  }

  /** Running VMs of a cluster that would see more after a full power cycle, and what. */
  powerCycleNeeds(cluster: string): PowerCycleNeed[] {
    const out: PowerCycleNeed[] = [];
    for (const vm of this.activeVms(cluster)) {
      const v = this.viewAt(vm, vm.host);
      if (!v.ok || !vm.seen) continue;
      const gains = v.seen.minus(vm.seen);
      if (!gains.isEmpty) out.push({ vm: vm.name, host: vm.host, gains: names(gains) });
    }
    return out;
  }

  /** A KVM-family cluster's CPU model: running VMs keep theirs until they restart. */
  setModel(cluster: string, model: string): StepResult {
    const c = this.clusters.get(cluster);
    if (!c) return fail('NotFound', `no cluster ${cluster}`, { vsphereName: false });
    if (c.platform === 'vsphere') return fail('NotSupported', `cluster ${cluster} is a vSphere cluster: set its EVC mode instead`, { vsphereName: false });
    const named = model === 'host-passthrough' || model === 'host-model' ? undefined : modelFeatures(model);
    if (model !== 'host-passthrough' && model !== 'host-model' && !named) return fail('NotFound', `unknown CPU model or feature in ${model} (expected MODEL[,+feature][,-feature], libvirt names)`, { vsphereName: false });
    if (named) {
      const need = visibleFeatures(named, getProfile('kvm'), undefined);
      const lacking = this.hostsOf(cluster).filter((h) => !need.isSubsetOf(h.fleet.cpu.kvm));
      if (lacking.length > 0) {
        const miss = need.minus(lacking[0]!.fleet.cpu.kvm);
        return fail('CpuIncompatible', `host${lacking.length === 1 ? '' : 's'} ${lacking.map((h) => h.name).join(', ')} cannot run model ${model}: missing features: ${names(miss).join(', ')}`, { vsphereName: false, hosts: lacking.map((h) => h.name), features: names(miss) });
      }
    }
    c.cpuModel = model === 'host-passthrough' || model === 'host-model' ? undefined : model;
    this.epoch++;
    const restart: PowerCycleNeed[] = [];
    for (const vm of this.activeVms(cluster)) {
      const v = this.viewAt(vm, vm.host);
      if (v.ok && vm.seen && !v.seen.equals(vm.seen)) restart.push({ vm: vm.name, host: vm.host, gains: names(v.seen.minus(vm.seen)) });
    }
    return ok([], restart);
  }

  // ---- host steps -------------------------------------------------------------------------------

  /** Adds a host (new, or a standalone one) to a cluster (undefined: standalone). */
  addHost(fleetHost: FleetHost | string, cluster: string | undefined): StepResult {
    const name = typeof fleetHost === 'string' ? fleetHost : fleetHost.name;
    const existing = this.hosts.get(name);
    if (existing && existing.cluster !== undefined) return fail('DuplicateName', `host ${name} is already in cluster ${existing.cluster}: remove it first`, { hosts: [name] });
    if (!existing && typeof fleetHost === 'string') return fail('NotFound', `no host ${name}`, { vsphereName: false });
    const c = cluster === undefined ? undefined : this.clusters.get(cluster);
    if (cluster !== undefined && !c) return fail('NotFound', `no cluster ${cluster}`, { vsphereName: false });
    const fh = existing?.fleet ?? (fleetHost as FleetHost);
    const notes: string[] = [];
    if (c?.evc) {
      const r = this.admissionWith(fh, name, c.evc);
      if (!r.ok) return r;
      const allowed = allowedBy(c.evc);
      const active = this.vmsOn(name).filter((v) => v.power !== 'off' && v.seen && !v.seen.isSubsetOf(allowed));
      if (active.length > 0) {
        const feats = new Set<string>();
        for (const v of active) for (const n of names(v.seen!.minus(allowed))) feats.add(n);
        return fail('EVCAdmissionFailedVmActive', `host ${name} has running VMs that may use features ${c.evc.key} hides: ${active.map((v) => v.name).join(', ')}`, { vms: active.map((v) => v.name), hosts: [name], features: [...feats], remedy: `power those VMs off (or move them away) before adding ${name}` });
      }
    } else if (c) {
      const vendors = new Set(this.hostsOf(c.name).map((h) => h.fleet.cpu.vendor));
      if (vendors.size > 0 && !vendors.has(fh.cpu.vendor)) notes.push(`cluster ${c.name} now mixes Intel and AMD hosts: no VM can vMotion between them`);
      const others = this.hostsOf(c.name);
      if (c.platform === 'vsphere' && others.length > 0 && others.some((o) => setKey(o.fleet.cpu.esxi) !== setKey(fh.cpu.esxi))) {
        notes.push(`cluster ${c.name} has no EVC and ${name}'s CPU differs from its hosts': vMotion between them will fail on the features that differ`);
      }
    }
    if (existing) existing.cluster = cluster;
    else this.hosts.set(name, { name, cluster, fleet: fh });
    this.epoch++;
    return ok(notes);
  }

  private admissionWith(fh: FleetHost, name: string, mode: EvcMode): StepResult {
    const had = this.hosts.get(name);
    if (!had) this.hosts.set(name, { name, cluster: undefined, fleet: fh });
    try {
      return this.admission(name, mode);
    } finally {
      if (!had) {
        this.hosts.delete(name);
        this.hostExposure.delete(name);
      }
    }
  }

  /**
   * Removes a host from its cluster (it becomes standalone) or from the inventory (`retire`).
   * Running VMs must be gone; a retired host's powered-off VMs are registered on its peers, but not
   * on the hosts in `leaving` (retired in the same step). `reregistered` collects their names.
   */
  removeHost(name: string, retire: boolean, opts: { readonly leaving?: ReadonlySet<string>; readonly reregistered?: string[] } = {}): StepResult {
    const h = this.hosts.get(name);
    if (!h) return fail('NotFound', `no host ${name}`, { vsphereName: false });
    const active = this.vmsOn(name).filter((v) => v.power !== 'off');
    if (active.length > 0) return fail('InvalidState', `host ${name} still runs ${active.map((v) => v.name).join(', ')}: enter maintenance mode first (migrate or power off its VMs)`, { vms: active.map((v) => v.name), hosts: [name] });
    const parked = this.vmsOn(name);
    if (retire && parked.length > 0) {
      const peers = this.hostsOf(h.cluster).filter((o) => o.name !== name && !opts.leaving?.has(o.name));
      if (peers.length === 0) return fail('InvalidState', `host ${name} holds powered-off VMs (${parked.map((v) => v.name).join(', ')}) and no other host to register them on`, { vms: parked.map((v) => v.name), hosts: [name] });
      parked.forEach((v, i) => this.place(v, peers[i % peers.length]!.name));
      opts.reregistered?.push(...parked.map((v) => v.name));
    }
    if (retire) this.hosts.delete(name);
    else h.cluster = undefined;
    this.epoch++;
    return ok(parked.length > 0 && retire && !opts.reregistered ? [reregisteredNote(parked.map((v) => v.name))] : []);
  }
}

/** What a retirement says of the powered-off VMs it moved to the remaining hosts. */
export function reregisteredNote(vms: readonly string[]): string {
  return `powered-off VMs ${vms.join(', ')} re-registered on other hosts (cold, no CPU check)`;
}

const allowedCache = new WeakMap<EvcMode, FeatureSet>();
/** What a mode lets VMs see: its features and what it passes. */
export function allowedBy(mode: EvcMode): FeatureSet {
  let a = allowedCache.get(mode);
  if (!a) allowedCache.set(mode, (a = mode.features.union(mode.passes)));
  return a;
}

const modelCache = new Map<string, FeatureSet | null>();
/** The features of a KVM CPU model spec, `Model[,+feature][,-feature]…` (libvirt feature names); undefined when unknown. */
export function modelFeatures(spec: string): FeatureSet | undefined {
  let m = modelCache.get(spec);
  if (m === undefined) {
    const [name, ...flags] = spec.split(/[,;]/).map((x) => x.trim()).filter(Boolean);
    let set: FeatureSet | null = name && findModel(name) ? expandModel(name).clone() : null;
    for (const f of flags) {
      if (!set) break;
      const feat = catalog.resolve(f.replace(/^[+-]/, ''), 'libvirt') ?? catalog.resolve(f.replace(/^[+-]/, ''));
      if (!feat) set = null;
      else if (f.startsWith('-')) set.delete(feat);
      else set.add(feat);
    }
    modelCache.set(spec, (m = set));
  }
  return m ?? undefined;
}

function clusterState(c: FleetCluster): ClusterState {
  return { name: c.name, platform: c.platform, evc: c.evc, cpuModel: c.cpuModel === 'host-passthrough' || c.cpuModel === 'host-model' ? undefined : c.cpuModel, vcenter: c.vcenter, graphics: c.graphics };
}

const cfgKeys = new WeakMap<VmConfig, string>();
/** A string identifying what a VM configuration does to its view: per-VM EVC mode, mask characters, hardware version under per-VM EVC. */
export function vmConfigKey(vm: VmState): string {
  if (!vm.config.mask && !vm.config.evc) return '';
  let k = cfgKeys.get(vm.config);
  if (k === undefined) {
    const c = vm.config;
    const mask = c.mask ? c.mask.list().map((t) => `${t.leaf}.${t.subleaf}.${t.reg}${t.vendor ? `.${t.vendor}` : ''}=${t.bits}`).join(';') : '';
    k = c.mask || c.evc ? `${c.evc?.key ?? ''}@${c.evc ? (c.hardware ?? '') : ''}#${mask}` : '';
    cfgKeys.set(vm.config, k);
  }
  return k;
}

/** Whether the VM's mask sets its own character on a feature's bit (then the user-level match rule does not apply to it). */
function maskCovers(vm: VmState, f: Feature): boolean {
  const m = vm.config.mask;
  if (!m || f.loc.type !== 'cpuid') return false;
  const bits = m.effective(f.loc.leaf, f.loc.subleaf, f.loc.reg, undefined);
  return charAt(bits, f.loc.bit) !== '-';
}

function maskForbids(vm: VmState, at: HostState): FeatureSet {
  const out = catalog.emptySet();
  const m = vm.config.mask;
  if (!m) return out;
  const reqs = maskRequirements(m, at.fleet.cpu.host.dump, { phase: 'vmotion', visible: at.fleet.cpu.esxi, vendor: at.fleet.cpu.vendor as Vendor });
  for (const r of reqs.bits) if (r.mustBe === 0 && r.feature && r.feature.kind === 'feature' && r.because !== 'seen') out.add(r.feature);
  return out;
}
