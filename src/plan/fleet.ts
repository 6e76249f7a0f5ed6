/**
 * The fleet an inventory describes, decoded: every host's CPU (decoded once per distinct source),
 * what each hypervisor shows VMs of it, every VM's CPU configuration (per-VM EVC, .vmx masks) and
 * what it was shown at power-on when that was captured. Pure: referenced files come in as text.
 */
import { catalog } from '../core/catalog.js';
import type { FeatureSet, Vendor } from '../core/catalog.js';
import { CpuidDump, fidelityOf } from '../core/cpuid.js';
import type { DumpSource } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';
import { InputError } from '../core/errors.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode } from '../core/evc.js';
import { decodeHost } from '../core/host.js';
import type { Host } from '../core/host.js';
import type { CpuidMask } from '../core/masks/engine.js';
import { VmxDocument } from '../formats/vmx/document.js';
import { readVmxCpu, vmxEffectiveMask } from '../formats/vmx/cpu.js';
import type { VmxCpu } from '../formats/vmx/cpu.js';
import { getProfile, guestFeatures } from '../core/profiles.js';
import { importText } from '../formats/readers.js';
import type { ImportResult } from '../formats/readers.js';
import { hardwareVersion, powerState } from './inventory.js';
import type { ParsedInventory, Platform, PowerState } from './inventory.js';

/** How much an answer about a host can be trusted. */
export type Fidelity = 'cpuid' | 'lossy' | 'evc-key';

/** A dump's fidelity (core's `fidelityOf`) as the planner names it: feature flags are `lossy`. */
export function planFidelity(source: DumpSource): Fidelity {
  const fid = fidelityOf(source);
  return fid === 'flags' ? 'lossy' : fid;
}

/** One distinct CPU (hosts sharing a source share it). */
export interface FleetCpu {
  /** Identifies the CPU by content: equal keys, equal answers. */
  readonly key: string;
  readonly host: Host;
  readonly vendor: Vendor | undefined;
  /** What ESXi shows VMs. */
  readonly esxi: FeatureSet;
  /** What KVM/QEMU can show VMs (host-passthrough). */
  readonly kvm: FeatureSet;
  readonly fidelity: Fidelity;
  /** Where it came from, for messages. */
  readonly source: string;
}

export interface FleetHost {
  readonly name: string;
  readonly cluster: string | undefined;
  readonly cpu: FleetCpu;
  readonly bios?: string;
  readonly microcode?: string;
  readonly hypervisor?: string;
  /** For an EVC-key-only host: the key (maxEVCModeKey). */
  readonly maxEvc?: string;
}

export interface FleetCluster {
  readonly name: string;
  readonly platform: Platform;
  readonly evc: EvcMode | undefined;
  readonly graphics?: string;
  readonly cpuModel?: string;
  readonly vcenter?: string;
}

/** A VM's CPU configuration: what narrows its view at power-on. */
export interface VmConfig {
  readonly hardware: number | undefined;
  readonly evc: EvcMode | undefined;
  readonly vmx: VmxCpu | undefined;
  /** The register masks and featMask lines in force, merged. */
  readonly mask: CpuidMask | undefined;
  /** `vmx.reboot.powerCycle = TRUE`: a guest reboot acts as a power cycle. */
  readonly rebootPowerCycles: boolean;
  readonly guestOs?: string;
  /** Where the masks came from (a .vmx path, or `inline`). */
  readonly maskSource?: string;
}

export type SeenSource = 'log' | 'evc-key' | 'features';

export interface FleetVm {
  readonly name: string;
  readonly host: string;
  readonly power: PowerState;
  readonly config: VmConfig;
  readonly poweredOnAt: string | undefined;
  /** What the VM was shown at power-on, when captured (vmware.log guestCPUID, minRequiredEVCModeKey, a list). */
  readonly seen: FeatureSet | undefined;
  readonly seenSource: SeenSource | undefined;
}

export interface Fleet {
  readonly file: string;
  readonly clusters: ReadonlyMap<string, FleetCluster>;
  readonly hosts: ReadonlyMap<string, FleetHost>;
  readonly vms: readonly FleetVm[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Referenced file texts, by the reference as the inventory wrote it. */
export type FileTexts = ReadonlyMap<string, { readonly text: string; readonly label: string }>;

/** A dump carrying exactly a feature set (for hosts known only by an EVC key): low fidelity. */
export function dumpFromFeatures(features: FeatureSet, vendor: Vendor, label: string): CpuidDump {
  const dump = new CpuidDump({ format: 'synthetic', lossy: true, label });
  const vendorRegs = vendor === 'amd' ? { ebx: 0x68747541, edx: 0x69746e65, ecx: 0x444d4163 } : { ebx: 0x756e6547, edx: 0x49656e69, ecx: 0x6c65746e };
  const regs = new Map<string, { eax: number; ebx: number; ecx: number; edx: number }>();
  const at = (leaf: number, subleaf: number) => {
    const k = `${leaf}.${subleaf}`;
    let r = regs.get(k);
    if (!r) regs.set(k, (r = { eax: 0, ebx: 0, ecx: 0, edx: 0 }));
    return r;
  };
  // A family-6 (Intel) or family-0x17 (AMD) signature: the identity is unknown, only the vendor is.
  at(1, 0).eax = vendor === 'amd' ? 0x00800f00 : 0x000006f0;
  for (const f of features) {
    if (f.loc.type !== 'cpuid') continue;
    const r = at(f.loc.leaf, f.loc.subleaf);
    r[f.loc.reg] = (r[f.loc.reg] | (1 << f.loc.bit)) >>> 0;
  }
  let maxBasic = 1;
  let maxExt = 0x80000001;
  for (const k of regs.keys()) {
    const leaf = Number(k.split('.')[0]);
    if (leaf < 0x80000000) maxBasic = Math.max(maxBasic, leaf);
    else maxExt = Math.max(maxExt, leaf);
  }
  dump.set(0, 0, { eax: maxBasic, ...vendorRegs });
  dump.set(0x80000000, 0, { eax: maxExt, ebx: 0, ecx: 0, edx: 0 });
  for (const [k, r] of regs) {
    const [leaf, subleaf] = k.split('.').map(Number) as [number, number];
    dump.set(leaf, subleaf, r);
  }
  return dump;
}

/** A CPU as the planner and drift see it, keyed by its content (see FleetCpu). */
export function fleetCpu(host: Host, fidelity: Fidelity, source: string): FleetCpu {
  // The key is the CPU's content (vendor, signature, every catalog bit), not the file: hosts with the
  // same CPU and settings share answers however many files hold them.
  const key = `${host.id.vendorString}|${host.id.signature}|${fidelity}|${Array.from(host.bits.words).join('.')}`;
  let kvm: FeatureSet | undefined;
  return {
    key,
    host,
    vendor: host.id.vendor,
    esxi: guestFeatures(host, getProfile('esxi')),
    // What KVM shows is needed only for KVM-family clusters: computed on first use.
    get kvm(): FeatureSet {
      return (kvm ??= guestFeatures(host, getProfile('kvm')));
    },
    fidelity,
    source,
  };
}

/**
 * Builds the fleet. `files` holds the text of every file the inventory names (inventoryFiles).
 * Bad references (unknown cluster or host, unknown EVC key or feature, unreadable dump) are
 * InputErrors at the field.
 */
export function buildFleet(inv: ParsedInventory, files: FileTexts): Fleet {
  const { doc } = inv;
  const modes = builtinEvcModes();
  const diagnostics: Diagnostic[] = [];
  const mode = (key: string, path: (string | number)[]): EvcMode => {
    const m = modes.get(key);
    if (!m) throw inv.error(path, `an EVC mode key openevc knows (${modes.list().map((x) => x.key).join(', ')})`, key);
    return m;
  };

  const clusters = new Map<string, FleetCluster>();
  (doc.clusters ?? []).forEach((c, i) => {
    if (clusters.has(c.name)) throw inv.error(['clusters', i, 'name'], 'a cluster name not used before', c.name);
    const platform = c.platform ?? 'vsphere';
    if (platform !== 'vsphere' && c.evc) throw inv.error(['clusters', i, 'evc'], `no EVC mode on a ${platform} cluster (set cpuModel)`, c.evc);
    clusters.set(c.name, {
      name: c.name,
      platform,
      evc: c.evc ? mode(c.evc, ['clusters', i, 'evc']) : undefined,
      ...(c.graphics !== undefined ? { graphics: c.graphics } : {}),
      ...(c.cpuModel !== undefined ? { cpuModel: c.cpuModel } : {}),
      ...(c.vcenter !== undefined ? { vcenter: c.vcenter } : {}),
    });
  });

  const cpus = new Map<string, FleetCpu>();
  const hosts = new Map<string, FleetHost>();
  doc.hosts.forEach((h, i) => {
    if (hosts.has(h.name)) throw inv.error(['hosts', i, 'name'], 'a host name not used before', h.name);
    const cluster = h.cluster ?? undefined;
    if (cluster !== undefined && !clusters.has(cluster)) throw inv.error(['hosts', i, 'cluster'], `a cluster defined under clusters (${[...clusters.keys()].join(', ') || 'none is'})`, cluster);
    let cpu: FleetCpu;
    if (h.cpuid !== undefined) {
      const embedded = typeof h.cpuid !== 'string';
      const key = embedded ? `embedded:${h.name}` : `file:${h.format ?? ''}:${h.cpuid as string}`;
      const known = cpus.get(key);
      if (known) cpu = known;
      else {
        let result: ImportResult;
        const label = embedded ? `${inv.file} (hosts[${i}].cpuid)` : (files.get(h.cpuid as string)?.label ?? (h.cpuid as string));
        try {
          const text = embedded ? JSON.stringify(h.cpuid) : files.get(h.cpuid as string)?.text;
          if (text === undefined) throw inv.error(['hosts', i, 'cpuid'], 'a CPUID file that can be read', h.cpuid as string);
          result = importText(text, { file: label, ...(h.format ? { format: h.format } : embedded ? { format: 'openevc-json' } : {}) });
        } catch (e) {
          if (e instanceof InputError && e.file === label && !embedded) throw e;
          if (e instanceof InputError) throw inv.error(['hosts', i, 'cpuid'], `an openevc JSON dump (${e.message})`, 'an object');
          throw e;
        }
        for (const d of result.diagnostics) diagnostics.push(d);
        const host = decodeHost(result.dump);
        cpu = fleetCpu(host, planFidelity(result.dump.source), label);
        cpus.set(key, cpu);
      }
    } else {
      const m = mode(h.maxEvc!, ['hosts', i, 'maxEvc']);
      const key = `evc:${m.key}`;
      cpu = cpus.get(key) ?? fleetCpu(decodeHost(dumpFromFeatures(m.features, m.vendor, `maxEVCModeKey ${m.key}`)), 'evc-key', `maxEVCModeKey ${m.key}`);
      cpus.set(key, cpu);
    }
    hosts.set(h.name, {
      name: h.name,
      cluster,
      cpu,
      ...(h.bios !== undefined ? { bios: h.bios } : {}),
      ...(h.microcode !== undefined ? { microcode: h.microcode } : {}),
      ...(h.hypervisor !== undefined ? { hypervisor: h.hypervisor } : {}),
      ...(h.maxEvc !== undefined ? { maxEvc: h.maxEvc } : {}),
    });
  });

  const vms: FleetVm[] = [];
  const vmNames = new Set<string>();
  const vmxCache = new Map<string, VmxCpu>();
  (doc.vms ?? []).forEach((v, i) => {
    if (vmNames.has(v.name)) throw inv.error(['vms', i, 'name'], 'a VM name not used before', v.name);
    vmNames.add(v.name);
    if (!hosts.has(v.host)) throw inv.error(['vms', i, 'host'], 'a host defined under hosts', v.host);
    if (v.poweredOnAt !== undefined && !hosts.has(v.poweredOnAt)) throw inv.error(['vms', i, 'poweredOnAt'], 'a host defined under hosts', v.poweredOnAt);
    const hw = hardwareVersion(v.hardware);
    const evc = v.evc ? mode(v.evc, ['vms', i, 'evc']) : undefined;
    let vmx: VmxCpu | undefined;
    let maskSource: string | undefined;
    if (v.vmx !== undefined && v.masks !== undefined) throw inv.error(['vms', i, 'masks'], 'either vmx or masks, not both', 'both');
    if (v.vmx !== undefined) {
      const f = files.get(v.vmx);
      if (!f) throw inv.error(['vms', i, 'vmx'], 'a .vmx file that can be read', v.vmx);
      vmx = vmxCache.get(v.vmx) ?? readVmxCpu(VmxDocument.parse(f.text, f.label));
      vmxCache.set(v.vmx, vmx);
      maskSource = f.label;
    } else if (v.masks !== undefined) {
      const text = Object.entries(v.masks)
        .map(([k, val]) => `${k} = "${val.replace(/"/g, '')}"`)
        .join('\n');
      try {
        vmx = readVmxCpu(VmxDocument.parse(text, `${inv.file} (vms[${i}].masks)`));
      } catch (e) {
        if (e instanceof InputError && e.line !== undefined) {
          const key = Object.keys(v.masks)[e.line - 1]!;
          throw inv.error(['vms', i, 'masks', key], e.expected, e.found);
        }
        throw e;
      }
      maskSource = 'inline';
    }
    if (evc && hw !== undefined && hw < 14) {
      diagnostics.push({ level: 'warning', message: `${inv.file}: VM ${v.name} has per-VM EVC ${evc.key} but hardware version ${hw}: per-VM EVC needs hardware version 14 or later; it cannot power on so configured` });
    }
    if (vmx) for (const d of vmx.diagnostics) diagnostics.push(d);
    const mask = vmx && (vmx.maskLines.length > 0 || vmx.featMasks.length > 0) ? vmxEffectiveMask(vmx).mask : undefined;
    const reboot = vmx?.settings.some((s) => s.key.toLowerCase() === 'vmx.reboot.powercycle' && /^true$/i.test(s.value)) ?? false;

    let seen: FeatureSet | undefined;
    let seenSource: SeenSource | undefined;
    const host = hosts.get(v.host)!;
    if (v.seen?.log !== undefined) {
      const f = files.get(v.seen.log);
      if (!f) throw inv.error(['vms', i, 'seen', 'log'], 'a vmware.log that can be read', v.seen.log);
      const r = importText(f.text, { file: f.label, format: 'vmware-log' });
      if (!r.guest) throw inv.error(['vms', i, 'seen', 'log'], 'a vmware.log with guestCPUID lines (what the VM was shown)', v.seen.log);
      seen = guestFeatures(decodeHost(r.guest), getProfile('esxi'));
      seenSource = 'log';
    } else if (v.seen?.features !== undefined) {
      seen = catalog.emptySet();
      v.seen.features.forEach((name, j) => {
        const f = catalog.resolve(name);
        if (!f) throw inv.error(['vms', i, 'seen', 'features', j], 'a feature id or name openevc knows (see openevc features)', name);
        seen!.add(f);
      });
      seenSource = 'features';
    } else if (v.seen?.evcModeKey !== undefined) {
      const m = mode(v.seen.evcModeKey, ['vms', i, 'seen', 'evcModeKey']);
      seen = host.cpu.esxi.intersection(m.features.union(m.passes));
      seenSource = 'evc-key';
    }
    const power = powerState(v.power);
    if (power === 'off' && seen) diagnostics.push({ level: 'info', message: `${inv.file}: VM ${v.name} is powered off: what it saw at its last power-on is not used` });
    vms.push({
      name: v.name,
      host: v.host,
      power,
      config: {
        hardware: hw,
        evc,
        vmx,
        mask,
        rebootPowerCycles: reboot,
        ...(v.guestOs !== undefined ? { guestOs: v.guestOs } : {}),
        ...(maskSource !== undefined ? { maskSource } : {}),
      },
      poweredOnAt: v.poweredOnAt,
      seen: power === 'off' ? undefined : seen,
      seenSource: power === 'off' ? undefined : seenSource,
    });
  });
  return { file: inv.file, clusters, hosts, vms, diagnostics };
}
