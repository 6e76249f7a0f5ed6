import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces } from './json-pieces.js';

const join = (v: unknown, depth?: number) => [...jsonPieces(v, depth)].join('');

describe('jsonPieces', () => {
  it('joins to JSON.stringify(value, null, 2), at every depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (v, depth) => {
        expect(join(v, depth)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out what JSON.stringify leaves out, and writes null for it in arrays', () => {
    const v = { a: undefined, b: () => 1, c: [undefined, 1, () => 2], d: { toJSON: () => ({ x: [1, 2] }) }, e: 'line\nbreak', f: {}, g: [] };
    for (const depth of [0, 1, 2, 3]) expect(join(v, depth)).toBe(JSON.stringify(v, null, 2));
  });

  it('splits a big array into one piece per element and separator', () => {
    const v = { hosts: Array.from({ length: 1000 }, (_, i) => ({ path: `h${i}`, lost: ['a', 'b'] })) };
    const pieces = [...jsonPieces(v)];
    expect(pieces.length).toBeGreaterThan(2000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
    expect(pieces.join('')).toBe(JSON.stringify(v, null, 2));
  });
});
