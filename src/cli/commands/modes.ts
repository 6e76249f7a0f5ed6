/** `openevc modes [--vendor intel|amd] [--json]`: VMware EVC modes in ladder order, what each adds, and how sure we are. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Feature } from '../../core/catalog.js';
import type { EvcFact, EvcMode, EvcModeSet, EvcVendor } from '../../core/evc.js';
import { builtinEvcModes, EVC_VENDORS } from '../../core/evc.js';
import { readSupportedEvcModes } from '../../formats/vcenter-evc/reader.js';
import { EVC_SOURCES } from '../../data/evc-modes.js';
import { readInput } from '../../node/read.js';
import { outputWidth, wrapWords } from '../text.js';

/** `--evc-modes FILE`: vCenter definitions that replace the built-in modes by key. */
export function evcModesOption(): Option {
  return new Option('--evc-modes <file>', "a vCenter supportedEVCMode list (JSON) whose modes replace openevc's built-in ones by key");
}

/** The built-in modes, with the modes of `file` (if given) in place of those with the same key. */
export async function evcModeSet(file: string | undefined): Promise<EvcModeSet> {
  if (file === undefined) return builtinEvcModes();
  const input = await readInput(file);
  const loaded = readSupportedEvcModes(input.text, input.file);
  for (const d of [...input.diagnostics, ...loaded.diagnostics]) process.stderr.write(`openevc: ${d.level}: ${d.message}\n`);
  return builtinEvcModes().withOverrides(loaded.modes);
}

export function register(program: Command): void {
  program
    .command('modes')
    .description('list VMware EVC modes in ladder order: what each adds, and whether its definition is confirmed')
    .addOption(new Option('--vendor <vendor>', 'only this vendor').choices([...EVC_VENDORS]))
    .addOption(evcModesOption())
    .option('--json', 'print the modes as JSON (see docs/json.md)')
    .action(async (opts: { vendor?: EvcVendor; json?: boolean; evcModes?: string }) => {
      const set = await evcModeSet(opts.evcModes);
      const modes = set.list(opts.vendor);
      if (opts.json) process.stdout.write(`${JSON.stringify(modes.map(modeJson), null, 2)}\n`);
      else process.stdout.write(`${renderModes(set, opts.vendor)}\n`);
    });
}

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

export function renderModes(set: EvcModeSet, vendor?: EvcVendor): string {
  const width = outputWidth();
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
