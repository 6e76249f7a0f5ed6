import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuidDump, SUBLEAF_LIMIT } from './cpuid.js';
import { contentDigest, contentKey } from './machines.js';

const source = { format: 'openevc-json' as const, lossy: false };

describe('CpuidDump.setRows', () => {
  it('records what set() records, entry by entry, in the same order', () => {
    const row = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 3 }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }));
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => `${r[0]}.${r[1]}`, maxLength: 30 }), fc.boolean(), (given, sorted) => {
        // In (leaf, subleaf) order the rows are kept as they are; in any other, entry by entry.
        const rows = sorted ? [...given].sort((x, y) => x[0] - y[0] || x[1] - y[1]) : given;
        const a = new CpuidDump(source);
        for (const [leaf, subleaf, eax, ebx, ecx, edx] of rows) a.set(leaf, subleaf, { eax, ebx, ecx, edx });
        const b = new CpuidDump(source);
        expect(b.setRows(Uint32Array.from(rows.flat()), rows.length)).toBe(true);
        expect(b.list()).toEqual(a.list());
        expect(b.subleaves(rows[0]?.[0] ?? 0)).toEqual(a.subleaves(rows[0]?.[0] ?? 0));
        for (const [leaf, subleaf] of rows) expect(b.get(leaf, subleaf)).toEqual(a.get(leaf, subleaf));
        expect(contentKey(b)).toBe(contentKey(a));
        expect(contentDigest(b)).toBe(contentDigest(a));
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

describe('a dump filled from rows in order', () => {
  const rows = Uint32Array.from([0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69, 1, 0, 0x906ea, 0x800, 0x7ffafbff, 0xbfebfbff, 7, 0, 0, 0x29c6fbf, 0, 0xbc000400, 7, 1, 0, 0, 0, 0]);
  const filled = () => {
    const d = new CpuidDump(source);
    d.setRows(rows, 4);
    return d;
  };
  const bySet = () => {
    const d = new CpuidDump(source);
    for (let i = 0; i < rows.length; i += 6) d.set(rows[i]!, rows[i + 1]!, { eax: rows[i + 2]!, ebx: rows[i + 3]!, ecx: rows[i + 4]!, edx: rows[i + 5]! });
    return d;
  };

  it('keeps its own copy of the rows and answers as a dump filled by set()', () => {
    const scratch = rows.slice();
    const d = new CpuidDump(source);
    d.setRows(scratch, 4);
    scratch.fill(0);
    expect(d.rows()).toEqual(rows);
    const e = bySet();
    expect(d.list()).toEqual(e.list());
    expect(d.size).toBe(4);
    expect(d.get(7, 1)).toEqual(e.get(7, 1));
    expect(d.get(7, 1)).toBe(d.get(7, 1));
    expect(d.get(7, 2)).toBeUndefined();
    expect(d.has(0xd)).toBe(false);
    expect(d.reg(1, 0, 'ecx')).toBe(0x7ffafbff);
    expect(d.reg(0x80000000, 0, 'eax')).toBeUndefined();
    expect(d.subleaves(7)).toEqual([0, 1]);
    expect(d.isValidLeaf(7, 1)).toBe(true);
  });

  it('has the key contentKey computes from the entries, until it changes', () => {
    const plain = contentKey(bySet());
    const d = filled();
    expect(bySet().rows()).toBeUndefined();
    expect(contentKey(d)).toBe(plain);
    const copy = d.clone();
    d.set(1, 0, { eax: 0x906eb, ebx: 0x800, ecx: 0x7ffafbff, edx: 0xbfebfbff });
    expect(d.rows()).toBeUndefined();
    expect(d.size).toBe(4);
    expect(contentKey(d)).not.toBe(plain);
    expect(contentKey(d)).toBe(contentKey(d.clone()));
    // The clone taken before is unchanged.
    expect(contentKey(copy)).toBe(plain);
    expect(copy.get(1)?.eax).toBe(0x906ea);
    const gone = filled();
    expect(gone.delete(7, 1)).toBe(true);
    expect(gone.list().map((e) => `${e.leaf}.${e.subleaf}`)).toEqual(['0.0', '1.0', '7.0']);
    const m = filled();
    m.msrs.set(0x10a, 5n);
    expect(contentKey(m)).toBe(`${plain}266:5;`);
  });

  it('takes rows out of order, or added to entries, entry by entry', () => {
    const shuffled = Uint32Array.from([...rows.subarray(6, 12), ...rows.subarray(0, 6), ...rows.subarray(12)]);
    const d = new CpuidDump(source);
    d.setRows(shuffled, 4);
    expect(d.rows()).toBeUndefined();
    expect(contentKey(d)).toBe(contentKey(filled()));
    const twice = filled();
    expect(twice.setRows(Uint32Array.from([0x80000000, 0, 0x80000008, 0, 0, 0]), 1)).toBe(true);
    expect(twice.size).toBe(5);
    expect(twice.setRows(rows.subarray(6, 12), 1)).toBe(false);
  });
});

describe('contentDigest', () => {
  const words = fc.array(fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })), { minLength: 1, maxLength: 40 });
  const dumpOf = (regs: [number, number, number, number][]) => {
    const d = new CpuidDump(source);
    regs.forEach(([eax, ebx, ecx, edx], i) => d.set(i, 0, { eax, ebx, ecx, edx }));
    return d;
  };

  it('is equal for identical contents, however the dump was filled, and 8 code units long', () => {
    fc.assert(
      fc.property(words, (regs) => {
        const byRows = new CpuidDump(source);
        byRows.setRows(Uint32Array.from(regs.flatMap(([eax, ebx, ecx, edx], i) => [i, 0, eax, ebx, ecx, edx])), regs.length);
        expect(byRows.rows()).toBeDefined();
        expect(contentDigest(byRows)).toBe(contentDigest(dumpOf(regs)));
        expect(contentDigest(byRows)).toHaveLength(8);
      }),
      { numRuns: 100 },
    );
  });

  it('changes with any one bit of any register, an entry more, or an MSR', () => {
    fc.assert(
      fc.property(words, fc.nat(), fc.nat({ max: 3 }), fc.nat({ max: 31 }), (regs, at, reg, bit) => {
        const d = dumpOf(regs);
        const flipped = regs.map((r) => [...r] as [number, number, number, number]);
        const row = flipped[at % flipped.length]!;
        row[reg] = (row[reg]! ^ (1 << bit)) >>> 0;
        expect(contentDigest(dumpOf(flipped))).not.toBe(contentDigest(d));
        const more = d.clone().set(regs.length, 0, { eax: 0, ebx: 0, ecx: 0, edx: 0 });
        expect(contentDigest(more)).not.toBe(contentDigest(d));
        const withMsr = d.clone();
        withMsr.msrs.set(0x10a, 1n << BigInt(bit + 32));
        expect(contentDigest(withMsr)).not.toBe(contentDigest(d));
        const other = d.clone();
        other.msrs.set(0x10a, 1n << BigInt(bit));
        expect(contentDigest(other)).not.toBe(contentDigest(withMsr));
      }),
      { numRuns: 200 },
    );
  });

  it('tells 100,000 dumps differing in one register apart', () => {
    const seen = new Set<string>();
    const d = dumpOf([[0x16, 0x756e6547, 0x6c65746e, 0x49656e69], [0x50656, 0x200800, 0x7ffefbff, 0xbfebfbff]]);
    for (let i = 0; i < 100_000; i++) seen.add(contentDigest(d.clone().set(0xb, 0, { eax: 1, ebx: 2, ecx: 0x100, edx: i })));
    expect(seen.size).toBe(100_000);
  });
});
