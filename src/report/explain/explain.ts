/**
 * `openevc explain`: the message a platform printed when a migration (or an EVC change) failed,
 * read back into features, CPUID locations and likely causes.
 *
 * Each recogniser reads one message shape and returns findings; the same text may hold several
 * (a vCenter task's details, a log excerpt). Features are named the way each platform names them
 * and resolved through the catalog: vSphere's display names and `cpuid.*` keys, libvirt's and
 * QEMU's feature names, KubeVirt's node labels, QEMU's `CPUID.07H:EBX.hle [bit 4]` locations.
 * Causes come from {@link likelyCause}, the rules `openevc check` applies when it cannot compare
 * the two CPUs. Text no recogniser knows is an InputError that lists the shapes openevc reads.
 *
 * Pure: no Node API, so it runs in the browser too.
 */
import type { Feature, Vendor } from '../../core/catalog.js';
import { catalog, describeLocation, locationJson, normalizeName, spellings } from '../../core/catalog.js';
import type { LocationJson } from '../../core/catalog.js';
import type { CauseKind } from '../../core/check.js';
import { FIRMWARE_SWITCHES, likelyCause } from '../../core/check.js';
import { REGISTERS } from '../../core/cpuid.js';
import type { Register } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import { builtinEvcModes, getEvcMode } from '../../core/evc.js';
import type { EvcModeSet } from '../../core/evc.js';
import { findModel } from '../../core/models.js';
import { getProfile, profileUniverse } from '../../core/profiles.js';

/** The message shapes openevc reads. */
export const MESSAGE_FORMATS = [
  { id: 'vsphere-cpuid', platform: 'vSphere', shape: "vMotion: \"… CPUID level 0x1 register 'ecx'\", with the host's and the required bits when given" },
  { id: 'vsphere-mismatch', platform: 'vSphere', shape: 'vMotion: "Mismatch: AES-NI, PCLMULQDQ" (feature names after Mismatch)' },
  { id: 'vsphere-features', platform: 'vSphere', shape: 'vMotion: one feature name per line, as vCenter lists them ("MOVBE", "XSAVE YMM State", …)' },
  { id: 'vsphere-featurecompat', platform: 'vSphere', shape: "power-on: \"Feature 'cpuid.AVX2' was absent, but must be present.\"" },
  { id: 'vsphere-evc', platform: 'vSphere', shape: "EVC faults: EVCAdmissionFailedCPUFeaturesForMode, …ModelForMode, EVCUnsupportedByHostHardware/Software, ActiveVMsBlockingEVC, \"The host's CPU hardware does not support the cluster's current Enhanced vMotion Compatibility mode\"" },
  { id: 'libvirt', platform: 'libvirt', shape: '"guest CPU doesn\'t match specification: missing features: a,b"; "Host CPU does not provide required features: a, b"' },
  { id: 'qemu', platform: 'QEMU', shape: '"host doesn\'t support requested feature: CPUID.07H:EBX.hle [bit 4]" (also CPUID[eax=07h,ecx=00h] and MSR(10AH) forms)' },
  { id: 'ovirt', platform: 'oVirt/RHV', shape: '"missing CPU flags: model_Skylake-Server, flag, …" / "Missing CPU features : model_SandyBridge"' },
  { id: 'kubevirt', platform: 'KubeVirt', shape: 'NoSuitableNodesForHostModelMigration; a Pending pod\'s node selector (cpu-model…/cpu-feature….node.kubevirt.io labels)' },
] as const;
export type MessageFormatId = (typeof MESSAGE_FORMATS)[number]['id'];

export interface ExplainedFeature {
  /** The feature as the message named it. */
  readonly as: string;
  /** Undefined when openevc's catalog has no feature by that name. */
  readonly feature: Feature | undefined;
  /** 1-based line of the text where it was named. */
  readonly line: number;
  readonly kind: CauseKind | undefined;
  readonly cause: string | undefined;
  /** For messages that require a feature to be absent (mask F, a register bit required 0). */
  readonly mustBeAbsent?: boolean;
}

export interface Finding {
  readonly format: MessageFormatId;
  /** First line of the message. */
  readonly line: number;
  /** What the message says, in one sentence. */
  readonly summary: string;
  readonly features: readonly ExplainedFeature[];
  /** CPU models the message names (oVirt, KubeVirt), as written, with whether openevc knows them. */
  readonly models: readonly { readonly name: string; readonly known: boolean }[];
  /** EVC mode keys the message names. */
  readonly evcModes: readonly string[];
  /** Likely causes and what to do that are not tied to one feature; low-fidelity readings say so here. */
  readonly notes: readonly string[];
}

export interface Explanation {
  readonly findings: readonly Finding[];
}

export interface ExplainOptions {
  /** Path or label for messages (`-` for standard input, `(text)` for an argument). */
  readonly file?: string;
  /** The CPU vendor the message is about, when known: causes name that vendor's EVC modes only. */
  readonly vendor?: 'intel' | 'amd';
  readonly evcModes?: EvcModeSet;
}

interface Line {
  readonly n: number;
  readonly text: string;
}

interface Context {
  readonly lines: readonly Line[];
  readonly vendors: readonly Vendor[];
  readonly set: EvcModeSet;
  /** Lines already explained by a recogniser (the feature-per-line reader skips them). */
  readonly used: Set<number>;
}

// ---- names ------------------------------------------------------------------------------------

/** Letters and digits only, lower case: "3D!Now PREFETCH and PREFETCHW" and "3DNow! PREFETCH and PREFETCHW" meet. */
function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

let displayIndex: Map<string, Feature[]> | undefined;

/** Display names, and the parts of "Long name (SHORT)" names, squashed. */
function byDisplayName(): Map<string, Feature[]> {
  if (displayIndex) return displayIndex;
  const m = new Map<string, Feature[]>();
  const add = (k: string, f: Feature): void => {
    if (k === '') return;
    const list = m.get(k);
    if (!list) m.set(k, [f]);
    else if (!list.includes(f)) list.push(f);
  };
  for (const f of catalog.features) {
    add(squash(f.name), f);
    const paren = /^(.*)\(([^)]+)\)\s*$/.exec(f.name);
    if (paren) add(squash(paren[1]!), f);
  }
  return (displayIndex = m);
}

type Spelling = 'vmware' | 'libvirt' | 'qemu' | 'linux';

/**
 * The feature a message names: a display name as vCenter prints it, a VMware key (with or without
 * `cpuid.`), or a name in `eco`'s spelling, then any spelling. Undefined when unknown or ambiguous.
 */
export function featureByName(name: string, eco?: Spelling): Feature | undefined {
  const raw = name.trim().replace(/^cpuid\./i, '');
  if (raw === '' || normalizeName(raw) === '') return undefined;
  if (eco) {
    const hit = catalog.lookup(raw, eco);
    if (hit.length === 1 && hit[0]![eco] !== undefined && normalizeName(String(hit[0]![eco])) === normalizeName(raw)) return hit[0];
  }
  const display = byDisplayName().get(squash(raw));
  if (display && display.length === 1) return display[0];
  const any = catalog.lookup(raw);
  if (any.length === 1) return any[0];
  // Several entries share a spelling: prefer one that is a capability openevc compares.
  const features = any.filter((f) => f.kind === 'feature');
  return features.length === 1 ? features[0] : undefined;
}

function explained(as: string, line: number, f: Feature | undefined, ctx: Context, mustBeAbsent = false): ExplainedFeature {
  if (!f) return { as, feature: undefined, line, kind: undefined, cause: undefined };
  if (mustBeAbsent) {
    return { as, feature: f, line, kind: 'vm-forbids', cause: "the VM's configuration requires this feature to be absent and the destination has it", mustBeAbsent: true };
  }
  const c = likelyCause(f, ctx.vendors, ctx.set);
  return { as, feature: f, line, kind: c.kind, cause: c.detail ? `${c.headline}; ${c.detail}` : c.headline };
}

function splitNames(list: string): string[] {
  return list
    .split(/[,;]|\s+and\s+(?=[A-Za-z0-9])|\s{2,}/)
    .map((s) => s.trim().replace(/^['"`]|['"`.]$/g, '').trim())
    .filter((s) => s !== '');
}

function finding(format: MessageFormatId, line: number, summary: string, rest: Partial<Omit<Finding, 'format' | 'line' | 'summary'>> = {}): Finding {
  return { format, line, summary, features: rest.features ?? [], models: rest.models ?? [], evcModes: rest.evcModes ?? [], notes: rest.notes ?? [] };
}

// ---- vSphere ----------------------------------------------------------------------------------

const BITS = /((?:[-01xXrRhHtTfF]{4}:?){7}[-01xXrRhHtTfF]{4})/;

function readBits(s: string): string | undefined {
  const m = BITS.exec(s);
  if (!m) return undefined;
  const bits = m[1]!.replace(/:/g, '');
  return bits.length === 32 ? bits : undefined;
}

function vsphereCpuid(ctx: Context): Finding[] {
  const out: Finding[] = [];
  const re = /CPUID level (0x[0-9a-f]+|\d+)(?:,?\s*(?:sub-?leaf|index|ecx)\s*(0x[0-9a-f]+|\d+))?,?\s+register\s+'?(eax|ebx|ecx|edx)'?/i;
  ctx.lines.forEach((l, i) => {
    const m = re.exec(l.text);
    if (!m) return;
    ctx.used.add(l.n);
    const leaf = Number(m[1]!.toLowerCase().startsWith('0x') ? Number.parseInt(m[1]!.slice(2), 16) : Number(m[1]));
    const subleaf = m[2] === undefined ? 0 : m[2].toLowerCase().startsWith('0x') ? Number.parseInt(m[2].slice(2), 16) : Number(m[2]);
    const reg = m[3]!.toLowerCase() as Register;
    // The host's and the required bits follow on the same or the next lines, labelled.
    let host: string | undefined;
    let required: string | undefined;
    for (const next of ctx.lines.slice(i, i + 6)) {
      const lower = next.text.toLowerCase();
      const bits = readBits(next.text.slice(next.n === l.n ? m.index + m[0].length : 0));
      if (!bits) continue;
      if (/host/.test(lower) && host === undefined) host = bits;
      else if (/requir|guest|virtual machine|\bvm\b|needed|desired/.test(lower) && required === undefined) required = bits;
      else continue;
      ctx.used.add(next.n);
    }
    const where = `CPUID level ${m[1]} register '${reg}'`;
    const inRegister = catalog.features.filter((f) => f.loc.type === 'cpuid' && f.loc.leaf === leaf && f.loc.subleaf === subleaf && f.loc.reg === reg);
    if (host && required) {
      const features: ExplainedFeature[] = [];
      for (let bit = 0; bit < 32; bit++) {
        const h = host[31 - bit]!;
        const r = required[31 - bit]!.toLowerCase();
        const f = catalog.at(leaf, subleaf, reg, bit);
        const label = f ? (f.vmware ?? f.id) : `bit ${bit}`;
        if (r === '1' && h === '0') features.push(explained(`${where} bit ${bit} (${label})`, l.n, f, ctx));
        else if (r === '0' && h === '1') features.push(explained(`${where} bit ${bit} (${label})`, l.n, f, ctx, true));
      }
      const notes = features.some((f) => !f.feature) ? ['a bit the catalog does not name is reported by position only'] : [];
      out.push(finding('vsphere-cpuid', l.n, `vMotion refused: the destination host's ${where} lacks bits the VM was given at power-on`, { features, notes }));
    } else {
      // Only what ESXi shows VMs can be a vMotion blocker.
      const esxi = getProfile('esxi');
      const shown = ctx.vendors.map((v) => profileUniverse(esxi, v)).reduce((a, b) => a.union(b));
      const compared = inRegister.filter((f) => f.kind === 'feature' && shown.has(f));
      out.push(
        finding('vsphere-cpuid', l.n, `vMotion refused: the destination host's ${where} lacks a feature the VM was given at power-on`, {
          features: compared.map((f) => explained(`${where} (one of ${compared.length})`, l.n, f, ctx)),
          notes: [
            `the message names the register, not the bit: the blocker is one of these ${compared.length} features ESXi shows VMs there. Paste the lines with the host's and the required bits too, or compare the two hosts with openevc check SRC DST`,
          ],
        }),
      );
    }
  });
  return out;
}

function vsphereMismatch(ctx: Context): Finding[] {
  const out: Finding[] = [];
  for (const l of ctx.lines) {
    const m = /\bMismatch(?: detected for (?:these )?features)?\s*:\s*(.*)$/i.exec(l.text);
    if (!m) continue;
    let names = splitNames(m[1]!.replace(/^\*\s*/, ''));
    ctx.used.add(l.n);
    if (names.length === 0) {
      // vCenter may list them below, one bullet per line.
      const at = ctx.lines.indexOf(l);
      for (const next of ctx.lines.slice(at + 1)) {
        const b = /^\s*[-*•]\s*(.+)$/.exec(next.text);
        if (!b) break;
        ctx.used.add(next.n);
        names = [...names, ...(/general incompatibilit/i.test(b[1]!) ? [b[1]!.trim()] : splitNames(b[1]!))];
      }
    }
    if (names.length === 0) continue;
    const general = names.filter((n) => /general incompatibilit/i.test(n));
    const features = names.filter((n) => !/general incompatibilit|refer to KB|for possible solutions/i.test(n)).map((n) => explained(n, l.n, featureByName(n, 'vmware'), ctx));
    out.push(
      finding('vsphere-mismatch', l.n, 'vMotion refused: the destination lacks features the VM was given at power-on', {
        features,
        notes: general.length > 0 ? ['"General incompatibilities": vCenter did not name the feature; compare the hosts with openevc check SRC DST'] : [],
      }),
    );
  }
  return out;
}

function vsphereFeatureCompat(ctx: Context): Finding[] {
  const out: Finding[] = [];
  for (const l of ctx.lines) {
    const m = /Feature '([^']+)' was (absent|present), but must be (present|absent)/i.exec(l.text);
    if (!m) continue;
    ctx.used.add(l.n);
    const absent = m[2]!.toLowerCase() === 'present';
    out.push(
      finding('vsphere-featurecompat', l.n, absent ? 'power-on or vMotion refused: the host has a feature the VM requires to be absent' : "power-on or vMotion refused: the host lacks a feature the VM's configuration or EVC mode requires", {
        features: [explained(m[1]!, l.n, featureByName(m[1]!, 'vmware'), ctx, absent)],
      }),
    );
  }
  return out;
}

const EVC_FAULTS: readonly { readonly re: RegExp; readonly summary: string; readonly notes: readonly string[]; readonly features?: boolean }[] = [
  {
    re: /EVCAdmissionFailedCPUFeaturesForMode|host CPU lacks features required by that mode|does not support the cluster's current Enhanced vMotion Compatibility mode/i,
    summary: "the host cannot join the EVC cluster: its CPU is of a generation that supports the mode, but features the mode needs are missing",
    notes: [
      'usually a firmware (BIOS/UEFI) switch: AES-NI, Execute Disable (XD/NX) or Intel VT-x / AMD-V turned off; or older microcode or ESXi',
      "compare the host with the mode: openevc show HOST (its highest EVC mode), openevc modes (what each mode needs)",
    ],
    features: true,
  },
  { re: /EVCAdmissionFailedCPUModelForMode/i, summary: "the host cannot join the EVC cluster: its CPU family/model is older than the cluster's EVC mode", notes: ["lower the cluster's mode to the host's maxEVCModeKey (openevc show HOST names it), or keep the host out of the cluster"] },
  { re: /EVCUnsupportedByHostHardware/i, summary: 'the host cannot take part in EVC at all: its CPU cannot override CPUID (no Intel FlexMigration / AMD Extended Migration), or virtualization is off in firmware', notes: ['check Intel VT-x / AMD-V and XD/NX in the firmware; per-VM masks (openevc mask --format vmx) still work without EVC'] },
  { re: /EVCUnsupportedByHostSoftware/i, summary: "the host's ESXi version does not know the cluster's EVC mode", notes: ['upgrade ESXi on the host, or choose a mode that ESXi version supports'] },
  { re: /EVCModeUnsupportedByHosts/i, summary: 'some hosts of the cluster do not support the requested EVC mode', notes: ['openevc baseline HOSTS… names the highest mode every host supports and which host holds it down'] },
  {
    re: /EVCAdmissionFailedVmActive|ActiveVMsBlockingEVC/i,
    summary: 'powered-on or suspended VMs use features above the requested mode: EVC cannot be enabled or lowered under them',
    notes: ['power the VMs off (or move them out) first; a host can be listed even when its maxEVCModeKey equals the mode, because it offers features beyond the mode'],
  },
  { re: /VmRequirementsExceedCurrentEVCModeEvent/i, summary: "a VM runs with features above the cluster's current EVC mode", notes: ['the VM keeps its features until a full power cycle (a guest reboot is not enough); power-cycle it to bring it under the mode'] },
];

function vsphereEvc(ctx: Context): Finding[] {
  const out: Finding[] = [];
  const keyRe = /\b((?:intel|amd)-[a-z0-9-]+)\b/gi;
  for (const fault of EVC_FAULTS) {
    const l = ctx.lines.find((x) => fault.re.test(x.text));
    if (!l) continue;
    ctx.used.add(l.n);
    const keys = [...new Set(ctx.lines.flatMap((x) => [...x.text.matchAll(keyRe)].map((m) => m[1]!.toLowerCase())))].filter((k) => getEvcMode(k, ctx.set));
    const features: ExplainedFeature[] = [];
    const notes = [...fault.notes];
    if (fault.features && keys.length > 0) {
      // The mode's features that a firmware switch can turn off: the usual suspects.
      const mode = getEvcMode(keys[0]!, ctx.set)!;
      for (const f of mode.features) {
        const sw = FIRMWARE_SWITCHES[f.id];
        if (sw) features.push({ as: `${mode.key} needs ${f.name}`, feature: f, line: l.n, kind: 'firmware', cause: `the firmware setting ${sw} may be off on the host` });
      }
      notes.push(`${mode.key} needs ${mode.features.size} features; those above are the ones a firmware switch can take away`);
    }
    out.push(finding('vsphere-evc', l.n, fault.summary, { features, evcModes: keys, notes }));
  }
  return out;
}

/** Lines that are nothing but a feature name (seed 002's lists): vCenter prints one per line. */
function vsphereFeatureLines(ctx: Context): Finding[] {
  const hits: ExplainedFeature[] = [];
  for (const l of ctx.lines) {
    if (ctx.used.has(l.n)) continue;
    const text = l.text.replace(/^\s*(?:[-*•·]|\d+[.)])\s*/, '').trim();
    if (text === '' || text.length > 80) continue;
    const f = featureByName(text, 'vmware');
    if (!f) continue;
    ctx.used.add(l.n);
    hits.push(explained(text, l.n, f, ctx));
  }
  if (hits.length === 0) return [];
  return [finding('vsphere-features', hits[0]!.line, 'vMotion refused: the destination lacks these features the VM was given at power-on', { features: hits })];
}

// ---- libvirt, QEMU, oVirt, KubeVirt ----------------------------------------------------------

function libvirtMessages(ctx: Context): Finding[] {
  const out: Finding[] = [];
  const shapes: readonly { re: RegExp; summary: string }[] = [
    { re: /guest CPU doesn't match specification: missing features?: (.+)$/i, summary: "the host cannot give the VM the CPU its definition requires: libvirt found features missing" },
    { re: /Host CPU does not provide required features?: (.+)$/i, summary: "the destination host's CPU lacks features the VM's CPU requires" },
    { re: /guest CPU doesn't match specification: extra features?: (.+)$/i, summary: "the host has features the VM's CPU definition forbids" },
  ];
  for (const l of ctx.lines) {
    for (const s of shapes) {
      const m = s.re.exec(l.text);
      if (!m) continue;
      ctx.used.add(l.n);
      const extra = /extra feature/i.test(l.text);
      const names = splitNames(m[1]!);
      out.push(finding('libvirt', l.n, s.summary, { features: names.map((n) => explained(n, l.n, featureByName(n, 'libvirt'), ctx, extra)) }));
    }
  }
  return out;
}

function hexNum(s: string): number {
  return Number.parseInt(s.replace(/^0x/i, '').replace(/h$/i, ''), 16);
}

function qemuMessages(ctx: Context): Finding[] {
  const features: ExplainedFeature[] = [];
  let first: number | undefined;
  let tcg = false;
  const re = /(host|TCG) doesn't support requested feature: (?:CPUID\.([0-9a-f]+)H:([A-Z]{3})|CPUID\[eax=([0-9a-f]+)h?(?:,ecx=([0-9a-f]+)h?)?\]\.([A-Z]{3})|MSR\(([0-9a-f]+)H\))\.([\w.-]+)(?: \[bit (\d+)\])?/i;
  for (const l of ctx.lines) {
    const m = re.exec(l.text);
    if (!m) continue;
    ctx.used.add(l.n);
    first ??= l.n;
    if (m[1]!.toUpperCase() === 'TCG') tcg = true;
    const name = m[8]!;
    const bit = m[9] === undefined ? undefined : Number(m[9]);
    let f: Feature | undefined;
    if (m[7] !== undefined) {
      const index = hexNum(m[7]);
      f = catalog.msrBacked().find((x) => x.loc.type === 'msr' && x.loc.index === index && x.loc.bit === bit) ?? featureByName(name, 'qemu');
    } else {
      const leaf = hexNum(m[2] ?? m[4]!);
      const subleaf = m[5] !== undefined ? hexNum(m[5]) : 0;
      const reg = (m[3] ?? m[6]!).toLowerCase() as Register;
      f = (REGISTERS.includes(reg) && bit !== undefined ? catalog.at(leaf, subleaf, reg, bit) : undefined) ?? featureByName(name, 'qemu');
    }
    features.push(explained(name, l.n, f, ctx));
  }
  if (first === undefined) return [];
  const notes = tcg ? ["TCG (QEMU's emulator) does not implement these features: no host can fix that; drop them from the CPU model or use KVM"] : ['QEMU drops the features and starts the VM anyway (add ,enforce to -cpu to refuse instead); a VM migrated here would lose them'];
  return [finding('qemu', first, `QEMU could not give the VM features its -cpu asks for${tcg ? ' (under TCG)' : ''}`, { features, notes })];
}

function modelRef(name: string): { name: string; known: boolean } {
  return { name, known: findModel(name) !== undefined };
}

function ovirtMessages(ctx: Context): Finding[] {
  const out: Finding[] = [];
  for (const l of ctx.lines) {
    const m = /missing CPU (?:flags|features)\s*:\s*(.+)$/i.exec(l.text);
    if (!m) continue;
    ctx.used.add(l.n);
    const names = splitNames(m[1]!);
    const models = names.filter((n) => /^model_/i.test(n)).map((n) => modelRef(n.replace(/^model_/i, '')));
    const flags = names.filter((n) => !/^model_/i.test(n));
    const notes: string[] = [];
    if (models.length > 0) {
      notes.push(
        `the host cannot run CPU model ${models.map((x) => x.name).join(', ')} that the cluster's CPU type maps to: lower the cluster CPU type, or check the host's firmware switches and microcode (openevc show HOST lists the models it can run)`,
      );
    }
    out.push(
      finding('ovirt', l.n, "the host does not meet the cluster's CPU type: it goes Non-Operational", {
        features: flags.map((n) => explained(n, l.n, featureByName(n, 'libvirt'), ctx)),
        models,
        notes,
      }),
    );
  }
  return out;
}

function kubevirtMessages(ctx: Context): Finding[] {
  const out: Finding[] = [];
  const reason = ctx.lines.find((l) => /NoSuitableNodesForHostModelMigration/.test(l.text));
  const labelRe = /\b(cpu-model|cpu-feature|cpu-model-migration|host-model-cpu|host-model-required-features|cpu-vendor)\.node\.kubevirt\.io\/([\w.+-]+)/g;
  const features: ExplainedFeature[] = [];
  const models: { name: string; known: boolean }[] = [];
  let first = reason?.n;
  for (const l of ctx.lines) {
    for (const m of l.text.matchAll(labelRe)) {
      ctx.used.add(l.n);
      first ??= l.n;
      const [, kind, value] = m;
      if (kind === 'cpu-feature' || kind === 'host-model-required-features') {
        if (!features.some((f) => f.as === value)) features.push(explained(value!, l.n, featureByName(value!, 'libvirt'), ctx));
      } else if (kind !== 'cpu-vendor' && !models.some((x) => x.name === value)) models.push(modelRef(value!));
    }
  }
  if (reason) ctx.used.add(reason.n);
  if (first === undefined) return [];
  const notes: string[] = [];
  if (reason) {
    notes.push(
      "no other node offers the source node's host-model CPU: KubeVirt selects target nodes by the labels cpu-model-migration.node.kubevirt.io/<model> and host-model-required-features.node.kubevirt.io/<feature>",
      'give the VMI a named CPU model every node can run (openevc baseline on the nodes, openevc mask --format kubevirt), or add nodes of the same CPU generation',
    );
  } else {
    notes.push("the target pod stays Pending: no node carries every label of its node selector; the features and models above are what the source VMI needs and the nodes lack");
  }
  out.push(finding('kubevirt', first, reason ? 'live migration of a host-model VMI cannot find a target node' : "the migration target pod's node selector matches no node", { features, models, notes }));
  return out;
}

// ---- entry point ------------------------------------------------------------------------------

const RECOGNISERS: readonly ((ctx: Context) => Finding[])[] = [
  vsphereCpuid,
  vsphereMismatch,
  vsphereFeatureCompat,
  vsphereEvc,
  libvirtMessages,
  qemuMessages,
  ovirtMessages,
  kubevirtMessages,
  // Last: lines that are only a feature name, among the lines no other shape explained.
  vsphereFeatureLines,
];

/** A list of the shapes openevc reads, for "not recognised" messages and help. */
export function knownMessageFormats(): string {
  return MESSAGE_FORMATS.map((f) => `${f.platform} ${f.shape}`).join('; ');
}

/**
 * Explains a platform's error message. Text that no recogniser knows is an InputError (exit code 2)
 * naming the shapes openevc reads.
 */
export function explainMessage(text: string, opts: ExplainOptions = {}): Explanation {
  const file = opts.file ?? '(text)';
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((t, i) => ({ n: i + 1, text: t }));
  if (!lines.some((l) => l.text.trim() !== '')) throw new InputError({ file, line: 1 }, 'the text of a migration error message', '');
  const ctx: Context = { lines, vendors: opts.vendor ? [opts.vendor] : ['intel', 'amd'], set: opts.evcModes ?? builtinEvcModes(), used: new Set() };
  const findings = RECOGNISERS.flatMap((r) => r(ctx)).sort((a, b) => a.line - b.line);
  if (findings.length === 0) {
    const first = lines.find((l) => l.text.trim() !== '')!;
    throw new InputError({ file, line: first.n }, `a migration error message openevc recognises (${knownMessageFormats()})`, first.text.trim());
  }
  return { findings };
}

// ---- JSON -------------------------------------------------------------------------------------

export interface ExplainedFeatureJson extends Partial<LocationJson> {
  readonly as: string;
  readonly line: number;
  readonly id: string | null;
  readonly name: string | null;
  readonly location: string | null;
  readonly kind: CauseKind | null;
  readonly cause: string | null;
  readonly must_be_absent: boolean;
}

export interface ExplanationJson {
  readonly findings: readonly {
    readonly format: MessageFormatId;
    readonly platform: string;
    readonly line: number;
    readonly summary: string;
    readonly features: readonly ExplainedFeatureJson[];
    readonly models: readonly { readonly name: string; readonly known: boolean }[];
    readonly evc_modes: readonly string[];
    readonly notes: readonly string[];
  }[];
}

export function explanationToJson(e: Explanation): ExplanationJson {
  return {
    findings: e.findings.map((f) => ({
      format: f.format,
      platform: MESSAGE_FORMATS.find((m) => m.id === f.format)!.platform,
      line: f.line,
      summary: f.summary,
      features: f.features.map((x) => ({
        as: x.as,
        line: x.line,
        id: x.feature?.id ?? null,
        name: x.feature?.name ?? null,
        location: x.feature ? describeLocation(x.feature.loc) : null,
        ...(x.feature ? locationJson(x.feature.loc) : {}),
        kind: x.kind ?? null,
        cause: x.cause ?? null,
        must_be_absent: x.mustBeAbsent ?? false,
      })),
      models: f.models,
      evc_modes: f.evcModes,
      notes: f.notes,
    })),
  };
}

// ---- text -------------------------------------------------------------------------------------

/** The human rendering `openevc explain` prints. */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  for (const f of e.findings) {
    const platform = MESSAGE_FORMATS.find((m) => m.id === f.format)!.platform;
    out.push(`${platform} (${f.format}, line ${f.line}): ${f.summary}.`);
    const rows = f.features.map((x) => [x.feature ? x.feature.name : `${x.as} (not in openevc's catalog)`, x.feature?.id ?? '-', x.feature ? describeLocation(x.feature.loc) : '-']);
    const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
    f.features.forEach((x, i) => {
      const r = rows[i]!;
      out.push(`  ${r.map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]!))).join('  ')}`.trimEnd());
      if (x.feature && squash(x.as) !== squash(x.feature.name) && !spellings(x.feature).some((sp) => squash(sp) === squash(x.as.replace(/^cpuid\./i, ''))) && !x.as.startsWith('CPUID level') && !x.as.includes(' needs ')) out.push(`      named: ${x.as}`);
      if (x.cause) out.push(`      ${x.mustBeAbsent ? 'must be absent: ' : 'likely cause: '}${x.cause}`);
    });
    for (const m of f.models) out.push(`  CPU model ${m.name}${m.known ? '' : " (not in openevc's model table)"}`);
    for (const n of f.notes) out.push(`  note: ${n}`);
    out.push('');
  }
  const unknown = e.findings.flatMap((f) => f.features.filter((x) => !x.feature).map((x) => x.as));
  if (unknown.length > 0) out.push(`Not in openevc's catalog: ${unknown.join(', ')} (openevc features QUERY searches every spelling).`);
  return `${out.join('\n').trimEnd()}\n`;
}
