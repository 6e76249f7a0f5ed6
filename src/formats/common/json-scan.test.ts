import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, formatJsonPath, locateJsonPath } from './json-scan.js';

describe('JSON scanner', () => {
  it('agrees with JSON.parse on what is valid', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ unit: 'binary', maxLength: 40 }), fc.json().map((j) => j.slice(0, -1))), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives deep nesting without recursion', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(findJsonSyntaxError(deep)).toBeUndefined();
    expect(findJsonSyntaxError(`${deep}]`)?.offset).toBe(400_000);
  });

  it('finds where the value at a path starts', () => {
    const text = '{\n  "a": [1, {"b": "x"}],\n  "c": 2,\n  "c": 3\n}';
    expect(locateJsonPath(text, [])).toBe(0);
    expect(text.slice(locateJsonPath(text, ['a', 1, 'b']))).toMatch(/^"x"/);
    expect(text.slice(locateJsonPath(text, ['c']))).toMatch(/^3/); // the last duplicate, as JSON.parse keeps it
    expect(locateJsonPath(text, ['zz'])).toBeUndefined();
  });

  it('prints paths the way jq users write them', () => {
    expect(formatJsonPath(['leaves', 3, 'eax'])).toBe('$.leaves[3].eax');
    expect(formatJsonPath(['meta', 'odd key'])).toBe('$.meta["odd key"]');
  });
});
