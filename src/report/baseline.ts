/** What `openevc baseline` prints (text and JSON), as pure functions the CLI and the library share. */
import type { Baseline, BaselineHost } from '../core/baseline.js';
import type { FeatureSet } from '../core/catalog.js';
import type { Host } from '../core/host.js';
import { levelName } from '../core/levels.js';
import type { EvcMode } from '../core/evc.js';
import { UNCONFIRMED_LEGEND, UNCONFIRMED_MARK, featurePlacement, modeConfidence } from '../core/evc.js';
import type { Feature } from '../core/catalog.js';
import { libvirtNames } from '../core/models.js';
import { labelled, plural, printable, table, wrapWords, DEFAULT_WIDTH } from './text.js';
import { fidelityCaveat, fidelityOf, fidelityShort, weakest } from './fidelity.js';

/** A host's entry in `baseline --json` but its path (the same for every host of one CPU in a fleet). */
interface HostJson {
  readonly cpu: string;
  readonly fidelity: ReturnType<typeof fidelityOf>;
  readonly evc_key: string | null;
  readonly max_evc: string | null;
  readonly max_evc_confirmed: boolean | null;
  readonly lost: string[];
  readonly lost_under_evc: string[] | null;
  readonly lost_under_evc_unconfirmed: string[] | null;
  readonly lost_under_qemu: string[] | null;
}

/** The `openevc baseline --json` object (see docs/json.md). */
export function baselineToJson(b: Baseline, paths: readonly string[]) {
  const ids = (s: FeatureSet | undefined) => (s ? s.ids() : null);
  const perHost = new Map<Baseline['hosts'][number], HostJson>();
  return {
    vendor: b.vendor ?? 'mixed',
    vendor_mismatch: b.vendorMismatch ?? null,
    profile: b.profile.id,
    evc: { mode: b.evc?.key ?? null, label: b.evc?.label ?? null, ...(b.evc ? modeConfidence(b.evc) : {}), held_by: b.evcHeldByIndex.map((i) => paths[i] ?? null) },
    qemu: b.qemu
      ? {
          model: b.qemu.model.name,
          version: b.qemu.model.versionedName ?? null,
          extra: libvirtNames(b.qemu.require),
          disabled: libvirtNames(b.qemu.disable),
          fallback: b.qemu.fallback,
          view: b.modelProfile.id,
        }
      : null,
    x86_64_level: b.level,
    features: b.features.ids(),
    rests_on: weakest(b.hosts.map((h) => h.host.dump.source)),
    // A fleet's hosts of one CPU share their BaselineHost: what follows from it is built once for them.
    hosts: b.hosts.map((h, i) => {
      let same = perHost.get(h);
      if (same === undefined) {
        const lost = h.lost.ids();
        same = {
          cpu: h.host.id.brand || h.host.id.vendorString,
          fidelity: fidelityOf(h.host.dump.source),
          evc_key: h.host.dump.source.evcKey ?? null,
          max_evc: h.maxEvc?.key ?? null,
          max_evc_confirmed: h.maxEvc ? modeConfidence(h.maxEvc).confirmed : null,
          lost,
          lost_under_evc: ids(h.lostUnderEvc),
          /** Of those, the ones whose place on the EVC ladder no source openevc holds confirms. */
          lost_under_evc_unconfirmed: h.lostUnderEvc ? [...h.lostUnderEvc].filter((f) => unsurePlacement(f, h.host, b.evc)).map((f) => f.id) : null,
          // Often the same features as under the common set: then the same list (written twice, built once).
          lost_under_qemu: h.lostUnderQemu === undefined ? null : h.lostUnderQemu.equals(h.lost) ? lost : h.lostUnderQemu.ids(),
        };
        perHost.set(h, same);
      }
      return { path: paths[i] ?? null, ...same };
    }),
    groups: b.groups.map((g) => ({
      vendor: g.vendor ?? g.vendorString,
      hosts: g.indices.map((i) => paths[i] ?? null),
      evc: { mode: g.baseline.evc?.key ?? null, label: g.baseline.evc?.label ?? null, ...(g.baseline.evc ? modeConfidence(g.baseline.evc) : {}) },
      qemu: g.baseline.qemu ? { model: g.baseline.qemu.model.name, version: g.baseline.qemu.model.versionedName ?? null, extra: libvirtNames(g.baseline.qemu.require), disabled: libvirtNames(g.baseline.qemu.disable) } : null,
      x86_64_level: g.baseline.level,
      features: g.baseline.features.ids(),
    })),
    limiting: b.limiting.map((l) => ({
      path: paths[l.index] ?? null,
      evc: l.evc?.key ?? null,
      x86_64_level: l.level ?? null,
      qemu_model: l.qemuModel ?? null,
      gains: l.gains.ids(),
    })),
  };
}

/**
 * Whether "the mode does not give f" is unconfirmed: the mode's feature set is not confirmed as a
 * whole, and neither is the place on the ladder where f arrives.
 */
function unsurePlacement(f: Feature, h: Host, mode: EvcMode | undefined): boolean {
  if (!mode || modeConfidence(mode).confirmed) return false;
  const p = featurePlacement(f, h.id.vendor);
  return p !== undefined && !p.confirmed;
}

function shortList(ids: readonly string[], max = 12): string {
  if (ids.length === 0) return 'nothing';
  return ids.length <= max ? ids.join(' ') : `${ids.slice(0, max).join(' ')} … (+${ids.length - max})`;
}

export function renderBaseline(b: Baseline, paths: readonly string[], opts: { long: boolean; width?: number }): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  let marked = false;
  /** A mode's key, marked `?` when no source openevc holds confirms its feature set. */
  const mk = (m: EvcMode): string => {
    if (modeConfidence(m).confirmed) return m.key;
    marked = true;
    return `${m.key}${UNCONFIRMED_MARK}`;
  };
  const out: string[] = [];
  out.push(`Baseline of ${plural(b.hosts.length, 'host')} (${b.profile.id} profile: ${b.profile.name})`);
  if (b.vendorMismatch) out.push(`  Vendors       ${b.vendorMismatch}`);
  else out.push(labelled('  Vendor', printable(b.hosts[0]!.host.id.vendorString)));
  if (!b.vendorMismatch) {
    out.push(labelled('  EVC mode', b.evc ? `${mk(b.evc)}  (${b.evc.label})` : 'none (no EVC mode fits every host)'));
    if (b.qemu) {
      const extra = libvirtNames(b.qemu.require);
      const disabled = libvirtNames(b.qemu.disable);
      const parts = [b.qemu.model.name];
      if (extra.length > 0) parts.push(`+ ${extra.join(' ')}`);
      if (disabled.length > 0) parts.push(`- ${disabled.join(' ')}`);
      out.push(`  QEMU model    ${wrapWords(parts.join(' ').split(' '), width, 16)}`);
      const version = b.qemu.model.versionedName;
      const resolved = opts.long && version !== undefined && version !== b.qemu.model.name ? `; QEMU resolves it to ${version}` : '';
      out.push(`                (libvirt baseline through the ${b.modelProfile.id} view${resolved})`);
    }
  }
  for (const g of b.groups) {
    const gb = g.baseline;
    out.push(`  ${g.vendorString || g.vendor || 'unknown vendor'} hosts (${g.indices.length}): vSphere moves VMs only among these`);
    out.push(labelled('    EVC mode', gb.evc ? `${mk(gb.evc)}  (${gb.evc.label})` : 'none (no EVC mode fits every host)', 18));
    if (gb.qemu) {
      const extra = libvirtNames(gb.qemu.require);
      const disabled = libvirtNames(gb.qemu.disable);
      const parts = [gb.qemu.model.name];
      if (extra.length > 0) parts.push(`+ ${extra.join(' ')}`);
      if (disabled.length > 0) parts.push(`- ${disabled.join(' ')}`);
      out.push(`    QEMU model    ${wrapWords(parts.join(' ').split(' '), width, 18)}`);
    }
    out.push(labelled('    x86-64 level', levelName(gb.level), 18));
  }
  if (b.groups.length > 0) out.push('  Across vendors (a KVM custom model for every host):');
  out.push(labelled('  x86-64 level', levelName(b.level)));
  const sources = b.hosts.map((h) => h.host.dump.source);
  const weakestF = weakest(sources);
  // Fidelity is shown when some host is below raw CPUID (what answers rest on by default).
  const lowFidelity = weakestF !== 'cpuid';
  if (lowFidelity) out.push(labelled('  Rests on', `${fidelityShort(weakestF)} for some hosts (see "rests on" below)`));
  out.push(labelled('  Common set', `${plural(b.features.size, 'feature')}${opts.long ? '' : ' (--long lists them)'}`));
  if (opts.long) out.push(`                ${wrapWords(b.features.ids(), width, 16)}`);

  out.push('');
  out.push('What each host loses');
  // Hosts of one CPU share their BaselineHost: its cells are worked out once for all of them.
  const cells = new Map<BaselineHost, { readonly evc: string; readonly lost: string; readonly marks: boolean }>();
  const lostOf = (h: BaselineHost): FeatureSet => h.lostUnderEvc ?? h.lost;
  const row = (i: number): string[] => {
    const h = b.hosts[i]!;
    let c = cells.get(h);
    if (c === undefined) {
      let marks = h.maxEvc !== undefined && !modeConfidence(h.maxEvc).confirmed;
      const lost = lostOf(h);
      const names = h.lostUnderEvc ? [...lost].map((f) => (unsurePlacement(f, h.host, b.evc) ? ((marks = true), `${f.id}${UNCONFIRMED_MARK}`) : f.id)) : lost.ids();
      c = { evc: h.maxEvc ? mk(h.maxEvc) : '-', lost: lost.size === 0 ? 'nothing' : `${lost.size}: ${shortList(names, opts.long ? 1000 : 8)}`, marks };
      cells.set(h, c);
    }
    // A shown row that marks something brings the legend.
    if (c.marks) marked = true;
    const r = [`  ${printable(paths[i] ?? h.host.id.brand)}`, c.evc, c.lost];
    if (lowFidelity) r.splice(1, 0, fidelityShort(fidelityOf(h.host.dump.source)));
    return r;
  };
  // Without --long, a large fleet shows its first 20 hosts that lose something: only those are worked out.
  const shown: string[][] = [];
  const all = opts.long || b.hosts.length <= 20;
  for (let i = 0; i < b.hosts.length && (all || shown.length < 20); i++) if (all || !lostOf(b.hosts[i]!).isEmpty) shown.push(row(i));
  out.push(table([['  host', ...(lowFidelity ? ['rests on'] : []), 'max EVC', b.evc ? `lost under ${mk(b.evc)}` : 'lost under the common set'], ...shown]));
  if (shown.length < b.hosts.length) out.push(`  … ${b.hosts.length - shown.length} more hosts (--long lists them all)`);

  out.push('');
  const caveat = fidelityCaveat(sources, b.hosts.map((h, i) => paths[i] ?? h.host.id.brand));
  if (caveat) {
    out.push(`Note: ${wrapWords(caveat.split(' '), width, 6)}`);
    out.push('');
  }
  if (b.limiting.length === 0 && b.evcHeldBy.length === 0) {
    out.push(b.hosts.length === 1 ? 'One host: nothing limits the baseline but the host itself.' : 'No single host holds the baseline down: the hosts share the same limits.');
  } else {
    out.push('What holds the baseline down');
    for (const l of b.limiting.slice(0, opts.long ? undefined : 10)) {
      const rises: string[] = [];
      if (l.evc) rises.push(`EVC rises to ${mk(l.evc)}`);
      if (l.level) rises.push(`x86-64 level rises to ${levelName(l.level)}`);
      if (l.qemuModel) rises.push(`QEMU model becomes ${l.qemuModel}`);
      if (!l.gains.isEmpty) rises.push(`VMs gain ${shortList(l.gains.ids(), 10)}`);
      out.push(`  retire ${printable(paths[l.index] ?? l.host.id.brand)}: ${rises.join('; ')}`);
    }
    if (!opts.long && b.limiting.length > 10) out.push(`  … ${b.limiting.length - 10} more (--long lists them all)`);
    if (b.evcHeldBy.length > 0) {
      out.push(`  ${plural(b.evcHeldBy.length, 'host')} share the lowest EVC mode (${mk(b.evc!)}); only retiring all of them raises it.`);
    }
  }
  if (marked) {
    out.push('');
    out.push(UNCONFIRMED_LEGEND);
  }
  return out.join('\n');
}
