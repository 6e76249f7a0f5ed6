/**
 * vSphere managed objects as govc and PowerCLI print them: HostSystem, ClusterComputeResource and
 * VirtualMachine, read into a fleet. Shared by the govc and powercli readers; they differ only in
 * how the objects are laid out in the file and how keys are spelled, and keys are matched in any
 * case (govc 0.31+ lowerCamel, older govc Go field names, PowerCLI PascalCase).
 *
 * Per host, the best data the object has decides its fidelity:
 * - `hardware.cpuFeature` (HostCpuIdInfo: `level`, negative for 0x8000xxxx leaves, and `eax`…`edx`
 *   as 32-character bit strings, bit 31 first, `:` every 4) gives raw registers. ESXi lists only a
 *   few leaves (0, 1, 0x80000000, 0x80000001, 0x80000008): without leaf 7 the host is `flags`.
 * - `config.featureCapability` (`cpuid.AVX2` = `1`) gives feature names (`flags`); they fill the
 *   leaves `cpuFeature` lacks.
 * - otherwise `summary.maxEVCModeKey` (or, failing that, `summary.currentEVCModeKey`): `evc-key`.
 */
import type { Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import { CpuidDump, REGISTERS } from '../../core/cpuid.js';
import type { FormatId, Register } from '../../core/cpuid.js';
import type { Diagnostic } from '../../core/errors.js';
import { VENDORS } from '../../core/identity.js';
import type { FleetCluster, FleetHost, FleetVm, ImportResult } from '../reader-types.js';
import { definedFor, evcKeyDump, evcMode, featureDump, fleetResult, listNames, vendorFromText, x86_64Baseline } from './fleet.js';
import type { JsonInput, Located } from './json-docs.js';
import { fieldName, isObject, walk } from './json-docs.js';

export type VsKind = 'HostSystem' | 'ClusterComputeResource' | 'VirtualMachine';

/** One managed object: either whole (one property named '') or as collected properties. */
export interface VsObject {
  readonly at: Located;
  readonly kind: VsKind | undefined;
  readonly ref: string | undefined;
  readonly props: readonly { readonly name: string; readonly at: Located }[];
}

/** `{type, value}` (govc, vSphere JSON) or `{Type, Value}` (PowerCLI MoRef) as `Type:value`. */
export function moRef(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return undefined;
  const t = fieldName(v, 'type');
  const val = fieldName(v, 'value');
  const type = t === undefined ? undefined : v[t];
  const value = val === undefined ? undefined : v[val];
  return typeof type === 'string' && typeof value === 'string' ? `${type}:${value}` : undefined;
}

const KINDS: Readonly<Record<string, VsKind>> = {
  hostsystem: 'HostSystem',
  clustercomputeresource: 'ClusterComputeResource',
  virtualmachine: 'VirtualMachine',
};

export function kindOf(type: string | undefined): VsKind | undefined {
  if (type === undefined) return undefined;
  return KINDS[type.toLowerCase().replace(/^vmware\.vim\./, '')];
}

/** A property of an object by dotted path, any spelling; collected properties may hold a prefix (`summary`). */
export function prop(o: VsObject, dotted: string): Located | undefined {
  const steps = dotted.split('.');
  for (const p of o.props) {
    if (p.name === '') {
      const r = walk(p.at, steps);
      if (r) return r;
      continue;
    }
    const names = p.name.split('.');
    if (names.length > steps.length) continue;
    if (!names.every((n, i) => n.toLowerCase() === steps[i]!.toLowerCase())) continue;
    if (p.at.value === null || p.at.value === undefined) continue;
    const r = walk(p.at, steps.slice(names.length));
    if (r) return r;
  }
  return undefined;
}

function str(input: JsonInput, at: Located | undefined, what: string): string | undefined {
  if (!at) return undefined;
  if (typeof at.value !== 'string') input.fail(at, what, at.value);
  const s = (at.value as string).trim();
  return s === '' ? undefined : s;
}

/** PowerCLI's ConvertTo-Json writes objects deeper than -Depth as their type name: say so. */
function list(input: JsonInput, at: Located | undefined, what: string): Located[] {
  if (!at) return [];
  let v = at.value;
  // vSphere's JSON API and pyVmomi wrap arrays: { "_typeName": "ArrayOfHostCpuIdInfo", "_value": [...] }.
  if (isObject(v) && fieldName(v, '_value') !== undefined) v = v[fieldName(v, '_value')!];
  if (typeof v === 'string' && /^VMware\.Vim\./.test(v)) {
    input.fail(at, `${what} (PowerShell wrote the type name instead: export with a larger ConvertTo-Json -Depth)`, v);
  }
  if (!Array.isArray(v)) input.fail(at, `a list of ${what}`, v);
  return (v as unknown[]).map((value, i) => ({ value, doc: at.doc, path: [...at.path, i] }));
}

/** An object expected at `at`; PowerShell's depth-truncated type names get their own hint. */
function expectObject(input: JsonInput, at: Located, what: string): void {
  if (isObject(at.value)) return;
  if (typeof at.value === 'string' && /^VMware\.Vim\./.test(at.value)) {
    input.fail(at, `${what} (PowerShell wrote the type name instead: export with a larger ConvertTo-Json -Depth)`, at.value);
  }
  input.fail(at, what, at.value);
}

function field(o: Located, name: string): Located | undefined {
  return walk(o, [name]);
}

/** Whether an object has a property at or below a dotted path (`hardware` for `hardware.cpuFeature`). */
function has(o: VsObject, dotted: string): boolean {
  const want = dotted.toLowerCase();
  return prop(o, dotted) !== undefined || o.props.some((p) => p.name !== '' && p.name.toLowerCase().startsWith(`${want}.`) && p.at.value !== null);
}

/** What kind an object is, from its own type, else from the properties it has. */
export function guessKind(o: VsObject): VsKind | undefined {
  if (o.kind) return o.kind;
  const prop = (_: VsObject, p: string) => (has(o, p) ? true : undefined);
  if (prop(o, 'hardware') || prop(o, 'config.featureCapability') || prop(o, 'summary.maxEVCModeKey') || prop(o, 'summary.hardware.cpuModel')) return 'HostSystem';
  if (prop(o, 'runtime.powerState') || prop(o, 'runtime.featureRequirement') || prop(o, 'summary.runtime') || prop(o, 'runtime.minRequiredEVCModeKey') || prop(o, 'config.guestId')) {
    return 'VirtualMachine';
  }
  if (prop(o, 'summary.currentEVCModeKey') || prop(o, 'configurationEx') || prop(o, 'summary.numHosts')) return 'ClusterComputeResource';
  return undefined;
}

/** `0000:0000:…` (bit 31 first) as a number. */
function bits(input: JsonInput, at: Located): number {
  const s = typeof at.value === 'string' ? at.value.replace(/:/g, '') : '';
  if (!/^[01]{32}$/.test(s)) input.fail(at, 'a host register as 32 bits of 0 and 1, bit 31 first, such as "0000:0000:0000:0000:0000:0000:0000:1101"', at.value);
  return parseInt(s, 2) >>> 0;
}

interface HostCpuid {
  readonly dump: CpuidDump;
  readonly leaves: Set<number>;
}

function readCpuFeature(input: JsonInput, at: Located | undefined, format: FormatId, name: string): HostCpuid | undefined {
  const entries = list(input, at, 'HostCpuIdInfo objects { level, eax, ebx, ecx, edx }');
  if (entries.length === 0) return undefined;
  const dump = new CpuidDump({ format, path: input.file, lossy: false, label: name });
  const leaves = new Set<number>();
  for (const e of entries) {
    expectObject(input, e, 'a HostCpuIdInfo object { level, eax, ebx, ecx, edx }');
    const lv = field(e, 'level');
    const level = lv?.value;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < -0x8000_0000 || level > 0xffff_ffff) {
      input.fail(lv ?? e, 'the CPUID leaf as an integer (negative for 0x8000xxxx leaves)', level);
    }
    const vendor = field(e, 'vendor')?.value;
    if (typeof vendor === 'string' && vendor !== '') continue; // a vendor-specific mask, not the host's value
    const regs: Record<Register, number> = { eax: 0, ebx: 0, ecx: 0, edx: 0 };
    for (const r of REGISTERS) {
      const v = field(e, r);
      if (v) regs[r] = bits(input, v);
    }
    const leaf = (level as number) >>> 0;
    leaves.add(leaf);
    dump.set(leaf, 0, regs);
  }
  return { dump, leaves };
}

/** Feature keys (`cpuid.AVX2`) resolved through the catalog's VMware spellings. */
export function vmwareFeature(key: string): Feature | undefined {
  const m = /^cpuid\.(.+)$/i.exec(key.trim());
  if (!m) return undefined;
  return catalog.resolve(m[1]!, 'vmware') ?? catalog.resolve(m[1]!);
}

/** Keys that describe identity, not features. */
const IDENTITY_KEYS = /^cpuid\.(family|model|stepping|numlevels|num_?ext_?levels|intel|amd|hygon|vendor.*)$/i;

interface KeyList {
  readonly present: Feature[];
  readonly absent: Feature[];
  readonly unknown: string[];
  readonly vendor: Vendor | undefined;
}

/**
 * `{key, featureName, value}` lists: featureCapability (`"1"`), featureRequirement (`"Bool:Min:1"`),
 * featureMask (`"Val:1"`). A value of 0 means absent (or hidden).
 */
function readKeyList(input: JsonInput, at: Located | undefined, what: string): KeyList {
  const out: KeyList = { present: [], absent: [], unknown: [], vendor: undefined };
  let vendor: Vendor | undefined;
  for (const e of list(input, at, `${what} objects { key, featureName, value }`)) {
    expectObject(input, e, `a ${what} object { key, featureName, value }`);
    const k = field(e, 'key') ?? field(e, 'featureName');
    if (!k || typeof k.value !== 'string') input.fail(k ?? e, 'a feature key such as "cpuid.AVX2"', k?.value);
    const key = (k!.value as string).trim();
    const v = field(e, 'value');
    if (!v || (typeof v.value !== 'string' && typeof v.value !== 'number')) input.fail(v ?? e, 'a value such as "1", "Bool:Min:1" or "Val:1"', v?.value);
    const raw = String(v!.value).trim();
    const m = /^(?:(?:Bool|Num):)?(?:(?:Min|Max|Val|Eq):)?(0x[0-9a-f]+|\d+|true|false)$/i.exec(raw);
    if (!m) input.fail(v!, 'a value such as "1", "Bool:Min:1" or "Val:1"', raw);
    const n = /^true$/i.test(m![1]!) ? 1 : /^false$/i.test(m![1]!) ? 0 : Number(m![1]);
    if (/^cpuid\.(intel|amd|hygon)$/i.test(key) && n >= 1) vendor = vendorFromText(key.slice(6));
    if (!/^cpuid\./i.test(key) || IDENTITY_KEYS.test(key)) continue;
    const f = vmwareFeature(key);
    if (!f) out.unknown.push(key);
    else if (n >= 1) out.present.push(f);
    else out.absent.push(f);
  }
  return { ...out, vendor };
}

/** The vendor the leaf-0 registers of a dump name. */
function dumpVendor(dump: CpuidDump): Vendor | undefined {
  const r = dump.get(0);
  if (!r) return undefined;
  const bytes: number[] = [];
  for (const v of [r.ebx, r.edx, r.ecx]) for (let i = 0; i < 4; i++) bytes.push((v >>> (8 * i)) & 0xff);
  return VENDORS[String.fromCharCode(...bytes)];
}

const MAIN_LEAVES = [0x1, 0x7, 0x8000_0001];

function readHost(input: JsonInput, o: VsObject, index: number, format: FormatId, diagnostics: Diagnostic[]): FleetHost | undefined {
  const file = input.file;
  const name = str(input, prop(o, 'name'), 'the host name') ?? str(input, prop(o, 'summary.config.name'), 'the host name') ?? o.ref ?? `host ${index + 1}`;
  const max = str(input, prop(o, 'summary.maxEVCModeKey'), 'an EVC mode key such as "intel-haswell"');
  const current = str(input, prop(o, 'summary.currentEVCModeKey'), 'an EVC mode key such as "intel-haswell"');
  const cpuModel = str(input, prop(o, 'summary.hardware.cpuModel'), 'the CPU model text');
  const where = { file, line: input.lineOf(o.at.doc, o.at.path).line };
  const label = cpuModel ? `${name}: ${cpuModel}` : name;
  const base = { format, path: file, label };

  const raw = readCpuFeature(input, prop(o, 'hardware.cpuFeature'), format, label);
  const caps = readKeyList(input, prop(o, 'config.featureCapability'), 'HostFeatureCapability');
  if (caps.unknown.length > 0) {
    diagnostics.push({ level: 'info', message: `host ${name}: ${caps.unknown.length} feature key${caps.unknown.length === 1 ? '' : 's'} not in openevc's catalog ignored: ${listNames(caps.unknown)}`, where });
  }
  let dump: CpuidDump | undefined;
  if (raw) {
    dump = raw.dump;
    const vendor = dumpVendor(dump);
    const missing = MAIN_LEAVES.filter((l) => !raw.leaves.has(l));
    // Feature names fill the leaves the registers do not cover; so does the mode vCenter says the host supports.
    const stated = evcMode(max);
    const named = setOf(caps.present);
    if (stated && missing.length > 0) named.unionWith(stated.features);
    const fill = [...named].filter((f) => f.loc.type === 'cpuid' && !raw.leaves.has(f.loc.leaf) && definedFor(f, vendor));
    if (fill.length > 0) {
      const extra = featureDump(setOf(fill), vendor, base);
      for (const e of extra.list()) if (!raw.leaves.has(e.leaf) && e.leaf !== 0 && e.leaf !== 0x8000_0000) dump.set(e.leaf, e.subleaf, e);
      for (const [k, v] of extra.msrs) dump.msrs.set(k, v);
      // The range maxima must cover the filled leaves.
      const top = Math.max(...extra.list().filter((e) => e.leaf < 0x4000_0000).map((e) => e.leaf), 0);
      const l0 = dump.get(0);
      if (l0 && l0.eax < top) dump.set(0, 0, { ...l0, eax: top });
    }
    if (cpuModel && !dump.has(0x8000_0002)) {
      const brand = featureDump(catalog.emptySet(), undefined, base, cpuModel);
      for (const leaf of [0x8000_0002, 0x8000_0003, 0x8000_0004]) dump.set(leaf, 0, brand.get(leaf)!);
      const ext = dump.get(0x8000_0000);
      if (ext && ext.eax < 0x8000_0004) dump.set(0x8000_0000, 0, { ...ext, eax: 0x8000_0004 });
    }
    const full = missing.length === 0;
    dump.source = { ...base, lossy: !full, fidelity: full ? 'cpuid' : 'flags' };
    if (!full) {
      const leaves = missing.map((l) => `0x${l.toString(16)}`).join(', ');
      diagnostics.push({
        level: 'info',
        message: `host ${name}: hardware.cpuFeature holds no leaf ${leaves}; ${fill.length > 0 ? `${[caps.present.length > 0 ? 'config.featureCapability' : '', stated ? `the features of its max EVC mode ${stated.key}` : ''].filter((x) => x).join(' and ')} fill those leaves` : 'features there are unknown'} (fidelity: feature flags)`,
        where,
      });
    }
  } else if (caps.present.length > 0) {
    const vendor = caps.vendor ?? vendorFromText(cpuModel) ?? evcMode(max ?? current)?.vendor;
    // ESXi runs only on x86-64 CPUs: the baseline is certain though featureCapability may not name it.
    const named = setOf(caps.present).unionWith(x86_64Baseline(vendor));
    const stated = evcMode(max);
    if (stated && stated.vendor === vendor) named.unionWith(stated.features);
    dump = featureDump(named.filter((f) => definedFor(f, vendor)), vendor, base, cpuModel);
  } else {
    const key = max ?? current;
    const mode = evcMode(key);
    if (mode) {
      dump = evcKeyDump(mode, base, cpuModel);
      if (!max) diagnostics.push({ level: 'info', message: `host ${name}: no maxEVCModeKey; its current EVC mode ${mode.key} is a lower bound of what it offers`, where });
    } else {
      const why = key ? `its EVC mode key ${JSON.stringify(key)} is not one openevc knows` : 'it has no hardware.cpuFeature, config.featureCapability or EVC mode key';
      diagnostics.push({ level: 'warning', message: `host ${name} skipped: ${why}`, where });
      return undefined;
    }
  }
  return {
    name,
    dump,
    ...(o.ref ? { ref: o.ref } : {}),
    ...(max ? { maxEvcModeKey: max } : {}),
    ...(current ? { currentEvcModeKey: current } : {}),
  };
}

function setOf(features: readonly Feature[]): FeatureSet {
  const s = catalog.emptySet();
  for (const f of features) s.add(f);
  return s;
}

const POWER_STATES = ['poweredOff', 'poweredOn', 'suspended'];

function readVm(input: JsonInput, o: VsObject, index: number, diagnostics: Diagnostic[]): FleetVm {
  const name = str(input, prop(o, 'name'), 'the VM name') ?? str(input, prop(o, 'summary.config.name'), 'the VM name') ?? o.ref ?? `VM ${index + 1}`;
  const runtime = (p: string) => prop(o, `runtime.${p}`) ?? prop(o, `summary.runtime.${p}`);
  const minKey = str(input, runtime('minRequiredEVCModeKey'), 'an EVC mode key such as "intel-haswell"');
  const host = runtime('host');
  const hostRef = host ? (moRef(host.value) ?? input.fail(host, 'a host reference { type, value }', host.value)) : undefined;
  const ps = runtime('powerState');
  let powerState: string | undefined;
  if (ps) {
    if (typeof ps.value === 'number' && POWER_STATES[ps.value] !== undefined) {
      powerState = POWER_STATES[ps.value];
      diagnostics.push({ level: 'info', message: `VM ${name}: power state given as the number ${ps.value}, read as ${powerState} (PowerCLI enum order; unconfirmed)`, where: { file: input.file } });
    } else if (typeof ps.value === 'string' && POWER_STATES.some((s) => s.toLowerCase() === (ps.value as string).toLowerCase())) {
      powerState = POWER_STATES.find((s) => s.toLowerCase() === (ps.value as string).toLowerCase());
    } else input.fail(ps, 'poweredOn, poweredOff or suspended', ps.value);
  }
  const req = readKeyList(input, runtime('featureRequirement'), 'VirtualMachineFeatureRequirement');
  const mask = readKeyList(input, runtime('featureMask'), 'HostFeatureMask');
  return {
    name,
    ...(o.ref ? { ref: o.ref } : {}),
    ...(hostRef ? { host: hostRef } : {}),
    ...(powerState ? { powerState } : {}),
    ...(minKey ? { minRequiredEvcModeKey: minKey } : {}),
    ...(req.present.length > 0 ? { requires: [...new Set(req.present.map((f) => f.id))] } : {}),
    ...(mask.present.length + mask.absent.length > 0 ? { masked: [...new Set([...mask.present, ...mask.absent].map((f) => f.id))] } : {}),
  };
}

/** Reads the objects into a fleet: hosts, clusters, VMs (VM hosts named by host name where known). */
export function readVsphereFleet(input: JsonInput, objects: readonly VsObject[], format: FormatId, what: string): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const hosts: FleetHost[] = [];
  const clusters: FleetCluster[] = [];
  const vms: FleetVm[] = [];
  let unknown = 0;
  objects.forEach((o, i) => {
    const kind = guessKind(o);
    if (kind === 'HostSystem') {
      const h = readHost(input, o, i, format, diagnostics);
      if (h) hosts.push(h);
    } else if (kind === 'VirtualMachine') vms.push(readVm(input, o, i, diagnostics));
    else if (kind === 'ClusterComputeResource') {
      const name = str(input, prop(o, 'name'), 'the cluster name') ?? o.ref ?? `cluster ${i + 1}`;
      const key = str(input, prop(o, 'summary.currentEVCModeKey'), 'an EVC mode key such as "intel-haswell"');
      clusters.push({ name, ...(o.ref ? { ref: o.ref } : {}), ...(key ? { currentEvcModeKey: key } : {}) });
    } else unknown++;
  });
  if (hosts.length + clusters.length + vms.length === 0) {
    input.fail(objects[0]?.at ?? { doc: 0, path: [] }, `${what} holding HostSystem, ClusterComputeResource or VirtualMachine properties (hardware.cpuFeature, config.featureCapability, summary.maxEVCModeKey, runtime.featureRequirement…)`, objects[0]?.at.value);
  }
  if (unknown > 0) diagnostics.push({ level: 'info', message: `${unknown} object${unknown === 1 ? '' : 's'} with no host, cluster or VM CPU properties passed over`, where: { file: input.file } });
  // VMs name their host by reference: use the host's name where the file has it.
  const byRef = new Map(hosts.filter((h) => h.ref).map((h) => [h.ref!, h.name]));
  const named = vms.map((v) => (v.host && byRef.has(v.host) ? { ...v, host: byRef.get(v.host)! } : v));
  for (const v of named) {
    const mode = evcMode(v.minRequiredEvcModeKey);
    if (v.minRequiredEvcModeKey && !mode) diagnostics.push({ level: 'info', message: `VM ${v.name}: minimum EVC mode ${JSON.stringify(v.minRequiredEvcModeKey)} is not one openevc knows`, where: { file: input.file } });
  }
  return fleetResult(format, input.file, { hosts, clusters, vms: named }, diagnostics);
}
