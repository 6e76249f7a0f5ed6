/** What `openevc modes` prints (text and JSON), as pure functions the CLI and the library share. */
import type { Feature } from '../core/catalog.js';
import type { EvcFact, EvcMode, EvcModeSet, EvcVendor } from '../core/evc.js';
import { EVC_VENDORS } from '../core/evc.js';
import { EVC_SOURCES } from '../data/evc-modes.js';
import { wrapWords, DEFAULT_WIDTH } from './text.js';

const ids = (features: readonly Feature[]): string[] => features.map((f) => f.id);

function factJson(f: EvcFact): { ids: string[]; source: string; confirmed: boolean; note: string | null } {
  return { ids: ids(f.features), source: f.source, confirmed: f.confirmed, note: f.note ?? null };
}

/** A mode's placements (one feature put into, taken out of or let through the mode by one fact), and how many a source confirms. */
export function placements(m: EvcMode): { confirmed: number; total: number } {
  const facts = [...m.adds, ...m.removes, ...m.passFacts];
  const count = (list: readonly EvcFact[]): number => list.reduce((n, f) => n + f.features.length, 0);
  return { confirmed: count(facts.filter((f) => f.confirmed)), total: count(facts) };
}

/** The `openevc modes --json` element. */
export function modeJson(m: EvcMode): Record<string, unknown> {
  return {
    key: m.key,
    label: m.label,
    vendor: m.vendor,
    track: m.tracks,
    level: m.level,
    tier: m.tier,
    parent: m.parent ?? null,
    adds: m.adds.map(factJson),
    removes: m.removes.map(factJson),
    passes: m.passFacts.map(factJson),
    features: m.features.ids(),
    confirmed: m.confirmed,
    placements: placements(m),
    key_confirmed: m.keyConfirmed,
    label_confirmed: m.labelConfirmed,
    source: {
      origin: m.origin,
      key: m.sources.key ?? null,
      label: m.sources.label ?? null,
      level: m.sources.level ?? null,
      evidence: m.evidence?.source ?? null,
    },
  };
}

const TRACK_TITLES: Readonly<Record<string, string>> = {
  intel: 'Intel: one ladder, each mode a superset of the one before',
  amd: 'AMD: sequence A (first Opteron generations, with 3DNow!) and B (Generation 3 and later, without), joined at Generation 3 (no 3DNow!)',
};

export function renderModes(set: EvcModeSet, vendor?: EvcVendor, width = DEFAULT_WIDTH): string {
  const out: string[] = [];
  for (const v of vendor ? [vendor] : EVC_VENDORS) {
    const modes = set.list(v);
    if (modes.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(TRACK_TITLES[v]!);
    const keyWidth = Math.max(...modes.map((m) => m.key.length));
    const levelWidth = Math.max(...modes.map((m) => m.level.length));
    for (const m of modes) {
      const status = m.confirmed ? 'confirmed' : 'unconfirmed';
      out.push(`  ${m.level.padEnd(levelWidth)}  ${m.key.padEnd(keyWidth)}  ${m.label}  [${status}${m.origin === 'built-in' ? '' : `, ${m.origin}`}]`);
      const indent = 6 + levelWidth;
      const line = (verb: string, facts: readonly EvcFact[]): void => {
        const words = facts.flatMap((f) => f.features.map((x) => (f.confirmed ? x.id : `${x.id}?`)));
        if (words.length > 0) out.push(`${' '.repeat(indent)}${verb.padEnd(8)}${wrapWords(words, width, indent + 8)}`);
      };
      line('adds', m.adds);
      line('removes', m.removes);
      line('passes', m.passFacts);
    }
  }
  out.push('');
  const vendors = (vendor ? [vendor] : EVC_VENDORS).filter((v) => set.list(v).length > 0);
  const tally = vendors.map((v) => {
    const each = set.list(v).map(placements);
    return { v, confirmed: each.reduce((n, p) => n + p.confirmed, 0), total: each.reduce((n, p) => n + p.total, 0) };
  });
  const all = tally.reduce((a, t) => ({ confirmed: a.confirmed + t.confirmed, total: a.total + t.total }), { confirmed: 0, total: 0 });
  const byVendor = tally.length > 1 ? ` (${tally.map((t) => `${t.v === 'intel' ? 'Intel' : 'AMD'} ${t.confirmed} of ${t.total}`).join(', ')})` : '';
  out.push(`Placements: ${all.confirmed} of ${all.total} confirmed by a source${byVendor}; the others are marked "?".`);
  out.push('"?" marks a feature whose place in the ladder no source confirms (--json shows the source of each).');
  out.push("A mode is confirmed when a source gives its whole feature set (a vCenter mask, a VM's requirement list) or every step up to it.");
  out.push(`Sources: ${Object.keys(EVC_SOURCES).length} (see src/data/evc-modes.ts); load a real vCenter list with --evc-modes FILE.`);
  return out.join('\n');
}
