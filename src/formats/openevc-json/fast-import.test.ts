import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importText } from '../readers.js';
import { REPO_ROOT } from '../../test-support/shared.js';
import { importIfOpenevcJson } from './fast-import.js';

const examples = readdirSync(join(REPO_ROOT, 'examples', 'cluster')).map((f) => readFileSync(join(REPO_ROOT, 'examples', 'cluster', f), 'utf8'));
const text = examples[0]!;

function both(t: string, format?: string) {
  const opts = { file: 'h.json', ...(format ? { format } : {}) };
  let generic: unknown;
  try {
    generic = importText(t, opts);
  } catch (e) {
    generic = (e as Error).message;
  }
  let fast: unknown;
  try {
    fast = importIfOpenevcJson(t, opts);
  } catch (e) {
    fast = (e as Error).message;
  }
  return { fast, generic };
}

describe('importIfOpenevcJson (openevc JSON without the registry)', () => {
  it('gives what importText gives for openevc JSON, and leaves everything else to it', () => {
    for (const [t, format] of [[text], [`\ufeff${text}`], [`  \n${text}`], [text, 'openevc-json'], ['{}', 'openevc-json'], ['{"openevc": "cpuid"'], ['CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69']] as const) {
      const { fast, generic } = both(t, format);
      if (fast !== undefined) expect(fast).toEqual(generic);
    }
    expect(importIfOpenevcJson('CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69', { file: 'x' })).toBeUndefined();
    expect(importIfOpenevcJson(text, { file: 'x', format: 'instlatx64' })).toBeUndefined();
    expect(importIfOpenevcJson('  ', { file: 'x' })).toBeUndefined();
  });

  it('agrees on arbitrary prefixes and damage (the same dump, the same error, or undefined)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.nat(), fc.string({ maxLength: 5 }), (prefix, at, insert) => {
        const t = prefix + text.slice(0, at % text.length) + insert + text.slice(at % text.length);
        const { fast, generic } = both(t);
        if (fast !== undefined) expect(fast).toEqual(generic);
      }),
      { numRuns: 200 },
    );
  });
});
