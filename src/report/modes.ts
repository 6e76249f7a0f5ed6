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
  out.push('"?" marks a feature whose place in the ladder no source confirms (--json shows the source of each).');
  out.push("A mode is confirmed when a source gives its whole feature set (a vCenter mask, a VM's requirement list) or every step up to it.");
  out.push(`Sources: ${Object.keys(EVC_SOURCES).length} (see src/data/evc-modes.ts); load a real vCenter list with --evc-modes FILE.`);
  return out.join('\n');
}
