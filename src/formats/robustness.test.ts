/**
 * Property tests: whatever text the importers get, they either return dumps or throw an
 * InputError shaped `file[:line]: expected ...` — never a TypeError, a RangeError or a hang.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { IMPORTERS, importText } from './readers.js';
import { readerFixtures } from '../test-support/fixtures.js';

const seeds: { format: string; name: string; text: string }[] = [];
for (const dir of ['instlatx64', 'cpuid-r', 'libcpuid']) {
  for (const f of readdirSync(readerFixtures(dir)).filter((n) => n.endsWith('.txt'))) {
    seeds.push({ format: dir === 'cpuid-r' ? 'cpuid-r' : dir, name: `${dir}/${f}`, text: readFileSync(readerFixtures(dir, f), 'utf8') });
  }
}

const FILE = 'input.txt';
/** Errors that blame the whole input rather than one line. */
const WHOLE_INPUT = /^(a CPUID dump|input in one recognisable format|at least one "CPUID|raw lines like|libcpuid raw lines like|a CPUID dump holding at least leaves|a known CPU vendor string)/;

/** Runs `fn`; a thrown error must be a well-formed InputError. */
function expectCleanFailure(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`expected only InputError, got ${String(e)}`, { cause: e });
    expect(e.message).toMatch(/^[^\n]*: expected [^\n]+$/);
    if (e.line !== undefined) {
      expect(e.line).toBeGreaterThan(0);
      // `file:line: expected …`, or `file:line:column: expected …` where a column helps.
      expect(e.message).toMatch(new RegExp(`^${FILE.replace('.', '\\.')}:${e.line}(:\\d+)?: expected `));
    } else {
      expect(e.message.startsWith(`${FILE}: expected `)).toBe(true);
      expect(e.expected).toMatch(WHOLE_INPUT);
    }
  }
}

function everyWay(text: string): void {
  expectCleanFailure(() => importText(text, { file: FILE }));
  for (const importer of IMPORTERS) {
    expect(() => importer.sniff(text)).not.toThrow();
    expectCleanFailure(() => importer.parse(text, { file: FILE }));
  }
}

/** Pieces real dumps are made of, so random text reaches deep into the parsers. */
const TOKENS = [
  'CPUID ', 'CPUID  \t', 'CPUID Registers (CPU #1):', '0000000D', '00000000', '00000007', '80000008', ': ', ' : ', '-', ' ', '\t', '\n',
  '00000000-00000000-00000000-00000000', ' 00000001 00000002 00000003 00000004', '[SL ', '[SL 3E]', ']', 'FFFFFFFF', '0000002', 'zz', '0x', '0x0000000d', ' 0x01:', ': eax=0x', 'eax=0x00000001 ', 'ebx=0x', 'CPU 0:', 'CPU:',
  'basic_cpuid[', 'ext_cpuid[', 'intel_fn4[', 'amd_fn8000001dh[', ']=', '1 2 3 4', '_____ Logical CPU #1 _____', '------[ Logical CPU #0 ]------',
  'CPU#000 AffMask: 0x1', 'Group: 0x00 Affinity mask: 0x1', '\r\n', '\uFEFF', '\u0000', 'é',
];

describe('importers never fail with anything but a well-formed InputError', () => {
  it('random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), everyWay), { numRuns: 300 });
  });

  it('random sequences of dump fragments', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((parts) => parts.join(''));
    fc.assert(fc.property(soup, everyWay), { numRuns: 1000 });
  });

  it('valid fixtures with bytes flipped, lines dropped, duplicated or truncated, hex corrupted', () => {
    type Mutation = (lines: string[], pick: number, char: string) => void;
    const at = (lines: string[], pick: number) => pick % Math.max(1, lines.length);
    const mutations: Mutation[] = [
      (l, p) => l.splice(at(l, p), 1), // drop a line
      (l, p) => l.splice(at(l, p), 0, l[at(l, p)] ?? ''), // duplicate a line
      (l, p) => (l[at(l, p)] = (l[at(l, p)] ?? '').slice(0, p % 40)), // truncate a line
      (l, p, c) => {
        const i = at(l, p);
        const s = l[i] ?? '';
        const j = p % Math.max(1, s.length);
        l[i] = s.slice(0, j) + c + s.slice(j + 1); // flip a character
      },
      (l, p) => {
        const i = at(l, p);
        const s = l[i] ?? '';
        const j = p % Math.max(1, s.length);
        l[i] = s.slice(0, j) + s.slice(j + 1); // delete a character
      },
      (l, p) => (l[at(l, p)] = (l[at(l, p)] ?? '').replace(/[0-9A-Fa-f](?=[0-9A-Fa-f]*$)/, 'G')), // corrupt a hex digit
      (l, p, c) => l.splice(at(l, p), 0, c.repeat(p % 7)), // insert noise
    ];
    const mutation = fc.tuple(fc.integer({ min: 0, max: mutations.length - 1 }), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (s, muts) => {
        const seed = seeds[s]!;
        const lines = seed.text.split('\n');
        for (const [m, pick, char] of muts) mutations[m]!(lines, pick, char);
        const text = lines.join('\n');
        everyWay(text);
        expectCleanFailure(() => importText(text, { file: FILE, format: seed.format }));
      }),
      { numRuns: 1500 },
    );
  });

  it('the unmutated fixtures import cleanly', () => {
    for (const seed of seeds) expect(importText(seed.text, { file: seed.name }).format, seed.name).toBe(seed.format);
  });
});
