import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuidDump, SUBLEAF_LIMIT } from './cpuid.js';
import { contentKey, seedContentKey } from './machines.js';

const source = { format: 'openevc-json' as const, lossy: false };

describe('CpuidDump.setRows', () => {
  it('records what set() records, entry by entry, in the same order', () => {
    const row = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 3 }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }));
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => `${r[0]}.${r[1]}`, maxLength: 30 }), (rows) => {
        const a = new CpuidDump(source);
        for (const [leaf, subleaf, eax, ebx, ecx, edx] of rows) a.set(leaf, subleaf, { eax, ebx, ecx, edx });
        const b = new CpuidDump(source);
        expect(b.setRows(Uint32Array.from(rows.flat()), rows.length)).toBe(true);
        expect(b.list()).toEqual(a.list());
        expect(b.subleaves(rows[0]?.[0] ?? 0)).toEqual(a.subleaves(rows[0]?.[0] ?? 0));
      }),
      { numRuns: 100 },
    );
  });

  it('stops at a (leaf, subleaf) listed twice, and refuses a subleaf out of range', () => {
    const d = new CpuidDump(source);
    expect(d.setRows(Uint32Array.from([1, 0, 1, 2, 3, 4, 7, 0, 5, 6, 7, 8, 1, 0, 9, 9, 9, 9, 2, 0, 0, 0, 0, 0]), 4)).toBe(false);
    expect(d.size).toBe(2);
    expect(d.get(1)).toEqual({ leaf: 1, subleaf: 0, eax: 1, ebx: 2, ecx: 3, edx: 4 });
    expect(() => new CpuidDump(source).setRows(Uint32Array.from([4, SUBLEAF_LIMIT, 0, 0, 0, 0]), 1)).toThrow(RangeError);
  });
});

describe('contentKey seeded from rows', () => {
  const rows = Uint32Array.from([0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69, 1, 0, 0x906ea, 0x800, 0x7ffafbff, 0xbfebfbff, 7, 0, 0, 0x29c6fbf, 0, 0xbc000400, 7, 1, 0, 0, 0, 0]);
  const filled = () => {
    const d = new CpuidDump(source);
    d.setRows(rows, 4);
    return d;
  };

  it('is the key contentKey computes, and is dropped once the dump changes', () => {
    const plain = contentKey(filled());
    const d = filled();
    seedContentKey(d, rows, 4);
    expect(contentKey(d)).toBe(plain);
    d.set(1, 0, { eax: 0x906eb, ebx: 0x800, ecx: 0x7ffafbff, edx: 0xbfebfbff });
    expect(contentKey(d)).not.toBe(plain);
    expect(contentKey(d)).toBe(contentKey(d.clone()));
    // Taken once: the next key is worked out from the entries.
    const s = filled();
    s.seedKey('seeded');
    expect(contentKey(s)).toBe('seeded');
    expect(contentKey(s)).toBe(plain);
    const m = filled();
    seedContentKey(m, rows, 4);
    m.msrs.set(0x10a, 5n);
    expect(contentKey(m)).toBe(`${plain}266:5;`);
  });

  it('leaves rows out of order to contentKey', () => {
    const shuffled = Uint32Array.from([...rows.subarray(6, 12), ...rows.subarray(0, 6), ...rows.subarray(12)]);
    const d = new CpuidDump(source);
    d.setRows(shuffled, 4);
    seedContentKey(d, shuffled, 4);
    expect(contentKey(d)).toBe(contentKey(filled()));
  });
});
