/**
 * The openevc JSON fast path (scanCanonicalLeaves) against the generic parser: the same dump
 * (entries in the same order, source, meta) or the same error, on every example host, on dumps
 * written by toCanonicalJson from ../shared's real CPUs, and on damaged and re-spaced copies.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importText } from '../readers.js';
import { mutatedText } from '../../test-support/text-mutations.js';
import { REPO_ROOT, hasShared, shared } from '../../test-support/shared.js';
import { parseCanonicalJson, parseCanonicalJsonGeneric, scanCanonicalLeaves, toCanonicalJson } from './reader.js';

type Outcome = { ok: true; entries: unknown; source: unknown; meta: unknown; msrs: unknown } | { ok: false; message: string };

function outcome(parse: () => ReturnType<typeof parseCanonicalJson>): Outcome {
  try {
    const { dump, meta } = parse();
    return { ok: true, entries: dump.list(), source: dump.source, meta, msrs: [...dump.msrs] };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function expectSame(text: string): void {
  const ctx = { file: 'host.json' };
  expect(outcome(() => parseCanonicalJson(text, ctx))).toEqual(outcome(() => parseCanonicalJsonGeneric(text, ctx)));
}

const examples = ['seed-000', 'seed-002', 'cluster', 'amd'].flatMap((d) =>
  readdirSync(join(REPO_ROOT, 'examples', d))
    .filter((f) => f.endsWith('.json'))
    .map((f) => readFileSync(join(REPO_ROOT, 'examples', d, f), 'utf8')),
);

describe('openevc JSON: fast path and generic parser agree', () => {
  it('the scanner takes the layout openevc writes (every example host)', () => {
    for (const text of examples) {
      expect(scanCanonicalLeaves(text)).toBeDefined();
      expectSame(text);
    }
  });

  it('on damaged copies (the same dump or the same error, file, line and JSON path)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples).chain((t) => mutatedText(t)), (text) => expectSame(text)),
      { numRuns: 400 },
    );
  });

  it('on copies spaced or cased differently (the generic path takes over)', () => {
    const t = examples[0]!;
    for (const variant of [t.replace(/"leaves": \[/, '"leaves":['), t.replace(/, "ebx"/g, ',"ebx"'), t.toUpperCase().replace(/"OPENEVC": "CPUID"/, '"openevc": "cpuid"'), t.replace(/0x000000/g, '0x000000').replace(/"0x([0-9a-f]{8})"/, '"0X$1"'), t.replace(/"subleaf": 0/, '"subleaf": 00'), t.replace(/(\{ "leaf"[^\n]*\n)/, '$1$1')]) {
      expectSame(variant);
    }
  });

  describe.skipIf(!hasShared)('dumps of real CPUs re-saved by openevc (needs ../shared)', () => {
    it('InstLatx64 and libvirt corpora', () => {
      const dirs = [shared('oracle', 'instlatx64', 'GenuineIntel'), shared('oracle', 'instlatx64', 'AuthenticAMD'), shared('oracle', 'libvirt-cputestdata', 'cputestdata')];
      let n = 0;
      for (const dir of dirs) {
        let names: string[];
        try {
          names = readdirSync(dir).filter((f) => f.endsWith('.txt') || (/^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline')));
        } catch {
          continue;
        }
        for (const f of names) {
          const text = toCanonicalJson(importText(readFileSync(join(dir, f), 'latin1'), { file: f }).dump);
          expect(scanCanonicalLeaves(text), f).toBeDefined();
          expectSame(text);
          n++;
        }
      }
      expect(n).toBeGreaterThan(100);
    });
  });
});
