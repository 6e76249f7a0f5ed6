/** What `openevc baseline` prints (text and JSON), as pure functions the CLI and the library share. */
import type { Baseline } from '../core/baseline.js';
import type { FeatureSet } from '../core/catalog.js';
import type { Host } from '../core/host.js';
import { levelName } from '../core/levels.js';
import { libvirtNames } from '../core/models.js';
import { labelled, plural, printable, table, wrapWords, DEFAULT_WIDTH } from './text.js';

/** The `openevc baseline --json` object (see docs/json.md). */
export function baselineToJson(b: Baseline, paths: readonly string[]) {
  const ids = (s: FeatureSet | undefined) => (s ? s.ids() : null);
  const pathOf = (h: Host) => paths[b.hosts.findIndex((x) => x.host === h)] ?? null;
  return {
    vendor: b.vendor ?? 'mixed',
    vendor_mismatch: b.vendorMismatch ?? null,
    profile: b.profile.id,
    evc: { mode: b.evc?.key ?? null, label: b.evc?.label ?? null, held_by: b.evcHeldBy.map(pathOf) },
    qemu: b.qemu
      ? {
          model: b.qemu.model.name,
          extra: libvirtNames(b.qemu.require),
          disabled: libvirtNames(b.qemu.disable),
          fallback: b.qemu.fallback,
          view: b.modelProfile.id,
        }
      : null,
    x86_64_level: b.level,
    features: b.features.ids(),
    hosts: b.hosts.map((h, i) => ({
      path: paths[i] ?? null,
      cpu: h.host.id.brand || h.host.id.vendorString,
      max_evc: h.maxEvc?.key ?? null,
      lost: h.lost.ids(),
      lost_under_evc: ids(h.lostUnderEvc),
      lost_under_qemu: ids(h.lostUnderQemu),
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

function shortList(ids: readonly string[], max = 12): string {
  if (ids.length === 0) return 'nothing';
  return ids.length <= max ? ids.join(' ') : `${ids.slice(0, max).join(' ')} … (+${ids.length - max})`;
}

export function renderBaseline(b: Baseline, paths: readonly string[], opts: { long: boolean; width?: number }): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  out.push(`Baseline of ${plural(b.hosts.length, 'host')} (${b.profile.id} profile: ${b.profile.name})`);
  if (b.vendorMismatch) out.push(`  Vendors       ${b.vendorMismatch}`);
  else out.push(labelled('  Vendor', printable(b.hosts[0]!.host.id.vendorString)));
  if (!b.vendorMismatch) {
    out.push(labelled('  EVC mode', b.evc ? `${b.evc.key}  (${b.evc.label})` : 'none (no EVC mode fits every host)'));
    if (b.qemu) {
      const extra = libvirtNames(b.qemu.require);
      const disabled = libvirtNames(b.qemu.disable);
      const parts = [b.qemu.model.name];
      if (extra.length > 0) parts.push(`+ ${extra.join(' ')}`);
      if (disabled.length > 0) parts.push(`- ${disabled.join(' ')}`);
      out.push(`  QEMU model    ${wrapWords(parts.join(' ').split(' '), width, 16)}`);
      out.push(`                (libvirt baseline through the ${b.modelProfile.id} view)`);
    }
  }
  out.push(labelled('  x86-64 level', levelName(b.level)));
  out.push(labelled('  Common set', `${plural(b.features.size, 'feature')}${opts.long ? '' : ' (--long lists them)'}`));
  if (opts.long) out.push(`                ${wrapWords(b.features.ids(), width, 16)}`);

  out.push('');
  out.push('What each host loses');
  const rows = b.hosts.map((h, i) => {
    const lost = h.lostUnderEvc ?? h.lost;
    return [`  ${printable(paths[i] ?? h.host.id.brand)}`, h.maxEvc?.key ?? '-', lost.size === 0 ? 'nothing' : `${lost.size}: ${shortList(lost.ids(), opts.long ? 1000 : 8)}`];
  });
  const shown = opts.long || rows.length <= 20 ? rows : [...rows.filter((r) => r[2] !== 'nothing').slice(0, 20)];
  out.push(table([['  host', 'max EVC', b.evc ? `lost under ${b.evc.key}` : 'lost under the common set'], ...shown]));
  if (shown.length < rows.length) out.push(`  … ${rows.length - shown.length} more hosts (--long lists them all)`);

  out.push('');
  if (b.limiting.length === 0 && b.evcHeldBy.length === 0) {
    out.push(b.hosts.length === 1 ? 'One host: nothing limits the baseline but the host itself.' : 'No single host holds the baseline down: the hosts share the same limits.');
  } else {
    out.push('What holds the baseline down');
    for (const l of b.limiting.slice(0, opts.long ? undefined : 10)) {
      const rises: string[] = [];
      if (l.evc) rises.push(`EVC rises to ${l.evc.key}`);
      if (l.level) rises.push(`x86-64 level rises to ${levelName(l.level)}`);
      if (l.qemuModel) rises.push(`QEMU model becomes ${l.qemuModel}`);
      if (!l.gains.isEmpty) rises.push(`VMs gain ${shortList(l.gains.ids(), 10)}`);
      out.push(`  retire ${printable(paths[l.index] ?? l.host.id.brand)}: ${rises.join('; ')}`);
    }
    if (!opts.long && b.limiting.length > 10) out.push(`  … ${b.limiting.length - 10} more (--long lists them all)`);
    if (b.evcHeldBy.length > 0) {
      out.push(`  ${plural(b.evcHeldBy.length, 'host')} share the lowest EVC mode (${b.evc!.key}); only retiring all of them raises it.`);
    }
  }
  return out.join('\n');
}
