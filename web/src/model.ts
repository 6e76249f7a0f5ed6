/**
 * The dashboard's model: the fleet as decoded hosts, grouped by identical feature sets, and what
 * every view computes from it (pairwise compatibility, baseline candidates, masks). Pure: it uses
 * only the openevc library (src/index.ts) and runs in the browser and under vitest alike.
 */
import {
  EXPORTERS,
  InputError,
  MAX_INPUT_BYTES,
  NotADumpError,
  OpenevcError,
  SeenHosts,
  builtinEvcModes,
  checkMigration,
  compatibilityMatrix,
  computeBaseline,
  decodeHostsText,
  evcProfile,
  evcTarget,
  exporterFor,
  explainTarget,
  fidelityOf,
  fidelityShort,
  getProfile,
  guestFeatures,
  hostMaxEvcMode,
  hostModel,
  levelName,
  levelRequirements,
  libvirtNames,
  listModels,
  lostUnderMode,
  minimalTarget,
  supportsMode,
  targetDiagnostics,
  textFromBytes,
} from '../../src/index.js';
import type { Baseline, CheckResult, Diagnostic, EvcMode, FeatureSet, Host, Level, ProfileDef } from '../../src/index.js';

export { MAX_INPUT_BYTES };

/** One host of the fleet, as the page shows it. */
export interface FleetHost {
  /** The name it was loaded under (the path the server listed, or the dropped file's name). */
  readonly name: string;
  readonly format: string;
  readonly host: Host;
  readonly cpus: number;
  readonly diagnostics: readonly Diagnostic[];
  /** Where it came from: the server's inputs, or a file dropped on the page. */
  readonly origin: 'served' | 'dropped';
}

/** A file that could not be read as a host, and why (or was passed over, as the CLI passes over non-dumps in directories). */
export interface Problem {
  readonly name: string;
  readonly message: string;
  readonly passedOver: boolean;
}

export class Fleet {
  readonly hosts: FleetHost[] = [];
  readonly problems: Problem[] = [];
  /** Hosts counted once, as the CLI counts them: the same host (name and identical CPUID) as one loaded before. */
  readonly duplicates: { readonly name: string; readonly of: string }[] = [];
  private readonly seen = new SeenHosts();

  /** Parses one input's text with the CLI's importers and adds every host it holds; errors become problems naming file and line. */
  addText(name: string, text: string, opts: { fromDirectory?: boolean; origin?: 'served' | 'dropped' } = {}): FleetHost[] | undefined {
    try {
      // Every host the input holds: each host of a fleet export (`FILE#HOST`), each machine of a
      // file of several (`FILE#N`, as the CLI's --split); one host's logical CPUs stay one host.
      const read = decodeHostsText(text, { file: name, split: true });
      // Clusters, VMs or EVC mode definitions only: no CPU of the fleet (passed over in a folder, as by the CLI's baseline).
      if (read.hosts.length === 0) throw new NotADumpError({ file: name }, 'a host (this file holds no host: clusters, VMs or EVC mode definitions only)');
      const added = read.hosts.flatMap((h): FleetHost[] => {
        const of = this.seen.add(h.file, h.dump);
        if (of !== undefined) {
          this.duplicates.push({ name: h.file, of });
          return [];
        }
        // Known by the name it was listed under (as the CLI names a host by its path), not the one its document states.
        const host = h.dump.source.path === h.file ? h.decoded : { ...h.decoded, dump: h.dump.clone({ ...h.dump.source, path: h.file }) };
        return [{ name: h.file, format: h.format, host, cpus: h.cpus, diagnostics: h.diagnostics, origin: opts.origin ?? 'served' }];
      });
      this.hosts.push(...added);
      return added;
    } catch (e) {
      this.problems.push({ name, message: errorText(e), passedOver: opts.fromDirectory === true && e instanceof InputError && e.name === 'NotADumpError' });
      return undefined;
    }
  }

  /** A file dropped on the page: the CLI's byte guards (size limit, binary refusal, decoding), then {@link addText}. */
  addBytes(name: string, bytes: Uint8Array, maxBytes = MAX_INPUT_BYTES): FleetHost[] | undefined {
    try {
      const input = textFromBytes(bytes, name, maxBytes);
      return this.addText(name, input.text, { origin: 'dropped' });
    } catch (e) {
      this.problems.push({ name, message: errorText(e), passedOver: false });
      return undefined;
    }
  }
}

export function errorText(e: unknown): string {
  if (e instanceof OpenevcError) return e.message;
  return `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
}

// ---- the fleet table ----------------------------------------------------------------------------

export interface HostRow {
  readonly index: number;
  readonly name: string;
  readonly cpu: string;
  readonly uarch: string;
  readonly evc: string;
  readonly qemu: string;
  readonly level: string;
  readonly fidelity: string;
  readonly drift: readonly string[];
}

/** One row per host, with the columns the table shows (every value plain text). */
export function hostRows(hosts: readonly FleetHost[]): HostRow[] {
  // Hosts with the same CPU (signature and brand) but different features: firmware, microcode or masks differ.
  const bySignature = new Map<string, Set<string>>();
  const key = (h: FleetHost) => `${h.host.id.vendorString}|${h.host.id.signature}|${h.host.id.brand}`;
  for (const h of hosts) {
    const k = key(h);
    if (!bySignature.has(k)) bySignature.set(k, new Set());
    bySignature.get(k)!.add(featureKey(h.host));
  }
  // Hosts with the same CPU and features get the same model and EVC mode: computed once per kind.
  const derived = new Map<string, { model: string; evc: string }>();
  return hosts.map((h, index) => {
    const id = h.host.id;
    const dk = `${featureKey(h.host)}|${id.signature}`;
    let d = derived.get(dk);
    if (!d) derived.set(dk, (d = { model: hostModel(h.host)?.model.name ?? '—', evc: hostMaxEvcMode(h.host)?.key ?? '—' }));
    const drift: string[] = [];
    if ((bySignature.get(key(h))?.size ?? 0) > 1) drift.push('same CPU, other features elsewhere');
    if (h.diagnostics.some((d) => /disagree|differ/i.test(d.message))) drift.push('logical CPUs disagree');
    const fidelity: string[] = [];
    if (h.host.dump.source.lossy) fidelity.push(`lossy (${h.format}: an absent bit may be unknown)`);
    if (id.hypervisor) fidelity.push(`captured in a VM${id.hypervisorVendor ? ` (${id.hypervisorVendor})` : ''}`);
    return {
      index,
      name: h.name,
      cpu: id.brand || id.vendorString,
      uarch: id.microarchitecture ?? 'unknown',
      evc: d.evc,
      qemu: d.model,
      level: levelName(h.host.level),
      fidelity: fidelity.length > 0 ? fidelity.join('; ') : `full (${h.format})`,
      drift,
    };
  });
}

// ---- groups and the heatmap ---------------------------------------------------------------------

/** A key equal for hosts with identical vendor and feature sets. */
export function featureKey(h: Host): string {
  return `${h.id.vendorString}|${Array.from(h.features.words).join(',')}`;
}

export interface Group {
  readonly hosts: readonly FleetHost[];
  /** The host that stands for the group (the first). */
  readonly rep: FleetHost;
  readonly label: string;
}

/**
 * What a group is called: its microarchitecture (or, for a host known by feature flags, the CPU
 * model its input names, such as a KubeVirt node's host-model), and its brand string (or vendor);
 * a host known by flags only says so.
 */
export function groupLabel(h: Host): string {
  const id = h.id;
  const source = h.dump.source;
  const what = id.microarchitecture ?? source.model ?? 'unknown CPU';
  const fidelity = fidelityOf(source);
  return `${what} · ${id.brand || id.vendorString}${fidelity === 'cpuid' ? '' : ` (${fidelityShort(fidelity)})`}`;
}

/** Hosts grouped by identical feature sets, ordered by vendor, then from the oldest CPU to the newest. */
export function groupHosts(hosts: readonly FleetHost[]): Group[] {
  const map = new Map<string, FleetHost[]>();
  for (const h of hosts) {
    const k = featureKey(h.host);
    const list = map.get(k);
    if (list) list.push(h);
    else map.set(k, [h]);
  }
  const groups = [...map.values()].map((list) => {
    const rep = list[0]!;
    return { hosts: list, rep, label: groupLabel(rep.host) };
  });
  groups.sort(
    (a, b) =>
      a.rep.host.id.vendorString.localeCompare(b.rep.host.id.vendorString) ||
      a.rep.host.level - b.rep.host.level ||
      a.rep.host.features.size - b.rep.host.features.size ||
      a.label.localeCompare(b.label),
  );
  return groups;
}

export type PairState = 'self' | 'both' | 'forward' | 'backward' | 'neither';

/**
 * Which way VMs can move between every pair of groups, through a profile: `m[i][j]` for a VM
 * powered on in group i moving to group j. The same verdict as checkMigration (the test proves it),
 * computed on the guest feature sets once per group by the library's all-pairs kernel
 * (compatibilityMatrix: every pair at once, bit-sliced), then split by vendor.
 */
export function compatibility(groups: readonly Group[], profile: ProfileDef): boolean[][] {
  const matrix = compatibilityMatrix(groups.map((g) => guestFeatures(g.rep.host, profile)));
  const vendor = groups.map((g) => `${g.rep.host.id.vendor ?? ''}|${g.rep.host.id.vendorString}`);
  return groups.map((_, i) => groups.map((__, j) => i === j || (vendor[i] === vendor[j] && matrix.canMigrate(i, j))));
}

export function pairState(m: readonly (readonly boolean[])[], i: number, j: number): PairState {
  if (i === j) return 'self';
  const f = m[i]![j]!;
  const b = m[j]![i]!;
  return f && b ? 'both' : f ? 'forward' : b ? 'backward' : 'neither';
}

/** The blockers of one direction, with causes: what clicking a heatmap cell shows. */
export function pairCheck(from: Group, to: Group, profile: ProfileDef): CheckResult {
  return checkMigration(from.rep.host, to.rep.host, { profile });
}

// ---- baseline candidates ------------------------------------------------------------------------

export type CandidateKind = 'evc' | 'qemu' | 'level' | 'common';

export interface Candidate {
  readonly id: string;
  readonly kind: CandidateKind;
  readonly label: string;
  /** Per host, in fleet order: what its VMs lose under this candidate. */
  readonly lost: readonly FeatureSet[];
  /** "retire X and the baseline rises to Y" lines for this kind of baseline. */
  readonly limits: readonly { readonly host: string; readonly rises: string }[];
  readonly note?: string;
}

export interface Candidates {
  readonly baseline: Baseline;
  readonly candidates: readonly Candidate[];
}

/** Every baseline the hosts can share (EVC modes, the QEMU model, x86-64 levels, the exact common set), best first per kind. */
export function baselineCandidates(hosts: readonly FleetHost[], profile: ProfileDef): Candidates {
  const hs = hosts.map((h) => h.host);
  const b = computeBaseline(hs, { profile });
  const names = hosts.map((h) => h.name);
  const out: Candidate[] = [];
  const limits = (pick: (l: Baseline['limiting'][number]) => string | undefined) =>
    b.limiting.flatMap((l) => {
      const rises = pick(l);
      return rises ? [{ host: names[l.index] ?? l.host.id.brand, rises }] : [];
    });

  // Hosts with identical CPUs see identical guest sets: computed once per distinct CPU.
  const perKind = <T>(f: (h: Host) => T): T[] => {
    const memo = new Map<string, T>();
    return hs.map((h) => {
      const k = featureKey(h);
      if (!memo.has(k)) memo.set(k, f(h));
      return memo.get(k)!;
    });
  };
  if (!b.vendorMismatch) {
    const set = builtinEvcModes();
    const vendor = hs[0]?.id.vendor;
    if (vendor === 'intel' || vendor === 'amd') {
      const evcGuest = perKind((h) => guestFeatures(h, evcProfile()));
      const distinctGuest = [...new Set(evcGuest)];
      const shared = set.list(vendor).filter((m) => distinctGuest.every((g) => supportsMode(g, m, set)));
      shared.sort((x, y) => y.tier - x.tier);
      for (const m of shared) {
        const best = b.evc?.key === m.key;
        out.push({
          id: `evc:${m.key}`,
          kind: 'evc',
          label: `EVC ${m.key} (${m.label})${best ? ' — highest' : ''}`,
          lost: lostPer(evcGuest, (g) => lostUnderMode(g, m)),
          limits: best ? [...limits((l) => (l.evc ? `EVC rises to ${l.evc.key}` : undefined)), ...heldBy(b, names)] : [],
          ...(m.confirmed ? {} : { note: `${m.key}'s feature set is not confirmed by a source openevc holds` }),
        });
      }
    }
    if (b.qemu) {
      const extra = libvirtNames(b.qemu.require);
      const disabled = libvirtNames(b.qemu.disable);
      out.push({
        id: 'qemu',
        kind: 'qemu',
        label: `QEMU model ${b.qemu.model.name}${extra.length ? ` +${extra.length}` : ''}${disabled.length ? ` −${disabled.length}` : ''}`,
        lost: b.hosts.map((h) => h.lostUnderQemu ?? h.lost),
        limits: limits((l) => (l.qemuModel ? `QEMU model becomes ${l.qemuModel}` : undefined)),
        note: [extra.length ? `+ ${extra.join(' ')}` : '', disabled.length ? `− ${disabled.join(' ')}` : ''].filter(Boolean).join('; ') || undefined,
      } as Candidate);
    }
  }
  const kvm = getProfile('kvm');
  const kvmGuest = perKind((h) => guestFeatures(h, kvm));
  // Other named QEMU/libvirt models every host can run as they are (no extra or disabled
  // features): the model's features are all in every host's KVM guest view. The five closest.
  const vendor = hs[0]?.id.vendor;
  if (!b.vendorMismatch && b.qemu && vendor) {
    const distinctKvm = [...new Set(kvmGuest)];
    const others = listModels()
      .filter((m) => !m.isVersioned && m.vendor === vendor && m.name !== b.qemu!.model.name && distinctKvm.every((g) => m.features.isSubsetOf(g)))
      .sort((x, y) => y.features.size - x.features.size)
      .slice(0, 5);
    for (const m of others) {
      out.push({
        id: `qemu:${m.name}`,
        kind: 'qemu',
        label: `QEMU model ${m.name} (as named)`,
        lost: lostPer(kvmGuest, (g) => g.minus(m.features)),
        limits: [],
        note: `every host offers all ${m.features.size} features of ${m.name} to KVM guests; VMs get no feature beyond the model`,
      });
    }
  }
  for (let level = b.level; level >= 1; level--) {
    const req = levelRequirements(level as Level);
    out.push({
      id: `level:${level}`,
      kind: 'level',
      label: `${levelName(level as Level)}${level === b.level ? ' — highest' : ''}`,
      lost: lostPer(kvmGuest, (g) => g.minus(req)),
      limits: level === b.level ? limits((l) => (l.level ? `x86-64 level rises to ${levelName(l.level)}` : undefined)) : [],
    });
  }
  out.push({
    id: 'common',
    kind: 'common',
    label: `exact common set (${b.features.size} features, ${b.profile.id} profile)`,
    lost: b.hosts.map((h) => h.lost),
    limits: limits((l) => (l.gains.isEmpty ? undefined : `VMs gain ${l.gains.ids().join(' ')}`)),
    ...(b.vendorMismatch ? { note: b.vendorMismatch } : {}),
  });
  return { baseline: b, candidates: out };
}

/** `f` of each host's guest set, computed once per distinct set (hosts with one CPU share the object). */
function lostPer(guest: readonly FeatureSet[], f: (g: FeatureSet) => FeatureSet): FeatureSet[] {
  const memo = new Map<FeatureSet, FeatureSet>();
  return guest.map((g) => {
    let r = memo.get(g);
    if (!r) memo.set(g, (r = f(g)));
    return r;
  });
}

function heldBy(b: Baseline, names: readonly string[]): { host: string; rises: string }[] {
  if (b.evcHeldBy.length === 0 || !b.evc) return [];
  const list = b.evcHeldByIndex.map((i) => names[i] ?? b.hosts[i]!.host.id.brand);
  return [{ host: list.join(', '), rises: `together hold ${b.evc.key} down: only retiring all of them raises it` }];
}

// ---- masks and configs --------------------------------------------------------------------------

export const FORMATS = EXPORTERS.map((e) => ({ format: e.format, description: e.description }));

const FILE_NAMES: Readonly<Record<string, string>> = {
  vmx: 'openevc-mask.vmx',
  featmask: 'openevc-featmask.vmx',
  govc: 'openevc-govc.sh',
  powercli: 'openevc-powercli.ps1',
  qemu: 'openevc-qemu.txt',
  libvirt: 'openevc-libvirt.xml',
  proxmox: 'cpu-models.conf',
  nova: 'nova.conf',
  kubevirt: 'openevc-kubevirt.yaml',
  xen: 'openevc-xen.cfg',
  json: 'openevc-mask.json',
};

export function fileNameFor(format: string): string {
  return FILE_NAMES[format] ?? `openevc-${format}.txt`;
}

export interface MaskOutput {
  readonly text: string;
  /** What `openevc mask` prints on standard error: the target, each host's losses, and the diagnostics. */
  readonly explanation: string;
  readonly diagnostics: readonly string[];
}

/** What `openevc mask --format F [--evc MODE] [--name N] HOSTS` prints, for the hosts given. */
export function renderMask(hosts: readonly FleetHost[], format: string, opts: { evc?: string; name?: string; profile?: string } = {}): MaskOutput {
  const exporter = exporterFor(format);
  const profile = getProfile(opts.profile ?? exporter.defaultProfile);
  const hs = hosts.map((h) => h.host);
  const target = opts.evc ? evcTarget(hs, opts.evc, { profile, nested: false, evcModes: builtinEvcModes() }) : minimalTarget(hs, { profile, nested: false });
  const result = exporter.render(target, opts.name ? { name: opts.name } : {});
  const diags = [...targetDiagnostics(target), ...result.diagnostics].map((d) => `${d.level}: ${d.message}`);
  return { text: result.text, explanation: format === 'json' ? '' : explainTarget(target), diagnostics: diags };
}

/** EVC modes every host supports (the choices of the mask generator's target), highest first. */
export function sharedEvcModes(hosts: readonly FleetHost[]): EvcMode[] {
  const first = hosts[0];
  if (!first) return [];
  const vendor = first.host.id.vendor;
  if ((vendor !== 'intel' && vendor !== 'amd') || hosts.some((h) => h.host.id.vendor !== vendor)) return [];
  const set = builtinEvcModes();
  const guest = hosts.map((h) => guestFeatures(h.host, evcProfile()));
  return set
    .list(vendor)
    .filter((m) => guest.every((g) => supportsMode(g, m, set)))
    .sort((a, b) => b.tier - a.tier);
}
