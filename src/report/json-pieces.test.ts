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

  it('splits a big array into runs of elements', () => {
    const v = { hosts: Array.from({ length: 1000 }, (_, i) => ({ path: `h${i}`, lost: ['a', 'b'] })) };
    const pieces = [...jsonPieces(v)];
    const longest = Math.max(...pieces.map((p) => p.length));
    expect(longest).toBeLessThan(JSON.stringify(v, null, 2).length / 3);
    expect(pieces.join('')).toBe(JSON.stringify(v, null, 2));
    expect(join(v.hosts, 1)).toBe(JSON.stringify(v.hosts, null, 2));
    const holes = [...v.hosts, undefined, ...v.hosts];
    expect(join(holes, 1)).toBe(JSON.stringify(holes, null, 2));
  });
});
