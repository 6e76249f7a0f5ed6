/**
 * openevc JSON read from bytes (importOpenevcJsonBytes, scanLeafBytes) against the text path
 * (the bytes decoded as the CLI decodes a file, then importIfOpenevcJson): whenever the bytes
 * path answers, it is the same dump (entries in the same order, source, MSRs) and the same notes
 * or the same error; anything else it leaves to the text path. Examples, damaged copies,
 * re-spaced copies, Latin-1, control bytes and byte-order marks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedText } from '../../test-support/text-mutations.js';
import { REPO_ROOT } from '../../test-support/shared.js';
import { decode } from '../common/input-text.js';
import { scanLeafBytes } from './byte-scan.js';
import { importIfOpenevcJson, importOpenevcJsonBytes } from './fast-import.js';
import { scanCanonicalLeaves } from './reader.js';

const examples = ['seed-000', 'seed-002', 'cluster', 'amd'].flatMap((d) =>
  readdirSync(join(REPO_ROOT, 'examples', d))
    .filter((f) => f.endsWith('.json'))
    .map((f) => readFileSync(join(REPO_ROOT, 'examples', d, f), 'utf8')),
);
const utf8 = (t: string) => new TextEncoder().encode(t);

type Outcome = { ok: true; entries: unknown; source: unknown; msrs: unknown; diagnostics: unknown; format: unknown } | { ok: false; message: string };

function outcome(run: () => ReturnType<typeof importIfOpenevcJson>): Outcome | undefined {
  try {
    const r = run();
    return r && { ok: true, entries: r.dump.list(), source: r.dump.source, msrs: [...r.dump.msrs], diagnostics: r.diagnostics, format: r.format };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** The bytes path, when it answers, answers as the text path does. Returns whether it answered. */
function expectAgrees(bytes: Uint8Array, options: { format?: string; lenient?: boolean } = {}): boolean {
  const opts = { file: 'h.json', ...options };
  const fast = outcome(() => importOpenevcJsonBytes(bytes, opts));
  if (fast === undefined) return false;
  const text = decode(bytes, 'h.json');
  expect(text.diagnostics).toEqual([]);
  expect(fast).toEqual(outcome(() => importIfOpenevcJson(text.text, opts)));
  return true;
}

describe('openevc JSON from bytes', () => {
  it('scans the leaves the text scanner scans, and answers for every example host', () => {
    for (const t of examples) {
      const b = utf8(t);
      const s = scanLeafBytes(b);
      const textScan = scanCanonicalLeaves(t)!;
      expect(s).toBeDefined();
      expect(Array.from(s!.rows.subarray(0, s!.count * 6))).toEqual(Array.from(textScan.rows.subarray(0, textScan.count * 6)));
      expect(expectAgrees(b)).toBe(true);
      expect(expectAgrees(b, { lenient: true })).toBe(true);
      expect(expectAgrees(b, { format: 'openevc-json' })).toBe(true);
      expect(importOpenevcJsonBytes(b, { file: 'h.json', format: 'cpuid-r' })).toBeUndefined();
    }
  });

  it('on damaged copies: the same dump or error as the text path, or no answer', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.constantFrom(...examples).chain((t) => mutatedText(t)), fc.boolean(), (text, lenient) => {
        if (expectAgrees(utf8(text), { lenient })) answered++;
      }),
      { numRuns: 400 },
    );
    // Most damage is outside the leaves' layout or breaks it: some copies still take the bytes path.
    expect(answered).toBeGreaterThan(0);
  });

  it('leaves to the text path what it does not read as the text path would', () => {
    const t = examples[0]!;
    const latin1 = utf8(t.replace('"lossy": false', '"label": "caf\u00e9", "lossy": false'));
    // Latin-1 é: not UTF-8 (the text path reads it with a note).
    const i = latin1.indexOf(0xc3);
    const bad = new Uint8Array([...latin1.subarray(0, i), 0xe9, ...latin1.subarray(i + 2)]);
    for (const b of [
      bad,
      new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(t)]), // UTF-8 byte-order mark
      utf8(` ${t}`), // space before the object
      utf8(t.replace('"version": 1,', '"version": 1, "x": "\u0001",')), // a control character
      utf8(t.replace('"leaves": [', '"leaves":[')),
      utf8(`${t}\n"leaves": [`),
    ]) {
      expect(importOpenevcJsonBytes(b, { file: 'h.json' })).toBeUndefined();
    }
    // UTF-8 in the text around the leaves is read.
    const accented = utf8(t.replace('"lossy": false', '"label": "caf\u00e9", "lossy": false'));
    expect(expectAgrees(accented)).toBe(true);
  });
});
