import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../catalog.js';
import { hostArb, host, maskArb, maskBits } from '../../test-support/masks.js';
import {
  CpuidMask,
  MASK_CHARS,
  MaskBuilder,
  UNSET,
  applyBits,
  applyMask,
  applyMaskToFeatures,
  charAt,
  composeMasks,
  describeMask,
  maskRequirements,
  mergeAll,
  mergeChar,
  mergeMasks,
  unmetRequirements,
} from './engine.js';
import type { BitRequirement, MaskChar } from './engine.js';

/** A mask with one register, from a readable list of bit → character. */
function mask(leaf: number, reg: 'eax' | 'ebx' | 'ecx' | 'edx', bits: Record<number, MaskChar>, vendor?: 'amd' | 'intel'): CpuidMask {
  const b = new MaskBuilder();
  for (const [bit, c] of Object.entries(bits)) b.set({ leaf, subleaf: 0, reg, bit: Number(bit), ...(vendor ? { vendor } : {}) }, c);
  return b.build();
}

const ids = (reqs: readonly BitRequirement[]) => reqs.map((r) => `${r.feature?.id ?? `${r.leaf}.${r.reg}.${r.bit}`}=${r.mustBe}:${r.because}`).sort();

describe('mask engine: characters', () => {
  it('reads bits MSB first and applies 1 / 0 / R / r, passing everything else', () => {
    const bits = '1' + '-'.repeat(27) + 'R0rx';
    expect(charAt(bits, 31)).toBe('1');
    expect(charAt(bits, 0)).toBe('x');
    expect(applyBits(0x0000_000f, bits)).toBe(0x8000_0001);
    for (const c of ['-', 'x', 'T', 'F', 'H', 'h'] as const) expect(applyBits(0xdead_beef, c.repeat(32))).toBe(0xdead_beef);
  });

  it('drops all-dash registers and compares masks by content', () => {
    const m = CpuidMask.of([{ leaf: 1, subleaf: 0, reg: 'ecx', bits: UNSET }]);
    expect(m.isEmpty).toBe(true);
    expect(m.equals(CpuidMask.EMPTY)).toBe(true);
    expect(() => CpuidMask.of([{ leaf: 1, subleaf: 0, reg: 'ecx', bits: 'Q'.repeat(32) }])).toThrow(RangeError);
  });

  it('lists registers in a stable order: leaf, subleaf, register, plain before vendor', () => {
    const m = CpuidMask.of(
      [
        [0x8000_0001, 0, 'edx', 'amd'],
        [0xd, 1, 'eax', undefined],
        [1, 0, 'edx', undefined],
        [0x8000_0001, 0, 'edx', undefined],
        [1, 0, 'ecx', undefined],
        [0xd, 0, 'eax', undefined],
      ].map(([leaf, subleaf, reg, vendor]) => ({ leaf, subleaf, reg, ...(vendor ? { vendor } : {}), bits: '0'.repeat(32) }) as never),
    );
    expect(m.list().map((r) => `${r.leaf.toString(16)}.${r.subleaf}.${r.reg}${r.vendor ? `.${r.vendor}` : ''}`)).toEqual([
      '1.0.ecx',
      '1.0.edx',
      'd.0.eax',
      'd.1.eax',
      '80000001.0.edx',
      '80000001.0.edx.amd',
    ]);
  });
});

describe('mask engine: compose and merge', () => {
  it('composes bit by bit: the upper mask wins where it says anything', () => {
    const base = mask(1, 'ecx', { 0: 'H', 1: 'H', 2: '0' });
    const over = mask(1, 'ecx', { 1: '0', 3: 'T' });
    const m = composeMasks(base, over).get({ leaf: 1, subleaf: 0, reg: 'ecx' })!;
    expect([3, 2, 1, 0].map((b) => charAt(m.bits, b)).join('')).toBe('T00H');
  });

  it('merges seed 002 style: a bit hidden in either mask is hidden, without conflicts', () => {
    const r = mergeMasks(mask(1, 'ecx', { 22: '0' }), mask(1, 'ecx', { 17: '0', 26: '0', 28: '0', 29: '0' }));
    expect(r.conflicts).toEqual([]);
    expect(r.mask.get({ leaf: 1, subleaf: 0, reg: 'ecx' })!.bits).toBe('--00-0---0----0-----------------');
  });

  it('merges by the fixed order - x 1 h H T 0 r R F', () => {
    expect(MASK_CHARS.join(' ')).toBe('- x 1 h H T 0 r R F');
    expect(mergeChar('H', '0')).toBe('0');
    expect(mergeChar('T', 'x')).toBe('T');
    expect(mergeChar('1', '0')).toBe('0');
    expect(mergeChar('F', 'R')).toBe('F');
  });

  it('reports the bits where the merged character drops what one side asked for', () => {
    const r = mergeMasks(mask(1, 'ecx', { 28: 'T', 9: '1', 0: 'H', 5: '1', 6: 'H' }), mask(1, 'ecx', { 28: '0', 9: 'T', 0: '0', 5: '0', 6: 'R' }));
    expect(r.conflicts.map((c) => `${c.feature?.id}:${c.a}+${c.b}=${c.result}`)).toEqual(['avx:T+0=0', 'vmx:1+0=0', 'sse3:H+0=0']);
  });

  it('is commutative, associative and idempotent (property)', () => {
    fc.assert(
      fc.property(maskArb(), maskArb(), maskArb(), (a, b, c) => {
        const m = (x: CpuidMask, y: CpuidMask) => mergeMasks(x, y).mask;
        expect(m(a, b).equals(m(b, a))).toBe(true);
        expect(m(m(a, b), c).equals(m(a, m(b, c)))).toBe(true);
        expect(m(a, a).equals(a)).toBe(true);
        expect(mergeMasks(a, a).conflicts).toEqual([]);
        expect(m(a, CpuidMask.EMPTY).equals(a)).toBe(true);
        expect(mergeAll([a, b, c]).mask.equals(m(a, m(b, c)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('finds the same conflicting bits whichever side comes first (property)', () => {
    fc.assert(
      fc.property(maskArb(), maskArb(), (a, b) => {
        const key = (r: ReturnType<typeof mergeMasks>) => r.conflicts.map((c) => `${c.leaf}.${c.reg}.${c.vendor}.${c.bit}`).sort();
        expect(key(mergeMasks(a, b))).toEqual(key(mergeMasks(b, a)));
      }),
      { numRuns: 200 },
    );
  });

  it('merges every character pair without losing a hide: if either side hides, the merge hides', () => {
    const hides = (c: MaskChar) => c === '0' || c === 'r' || c === 'R' || c === 'F';
    for (const a of MASK_CHARS) for (const b of MASK_CHARS) if (hides(a) || hides(b)) expect(hides(mergeChar(a, b))).toBe(true);
  });
});

describe('mask engine: apply', () => {
  it('hides and forces bits of a host dump, leaves other registers and absent leaves alone', () => {
    const h = host(['sse3', 'avx', 'xsave', 'fsgsbase']);
    const m = composeMasks(mask(1, 'ecx', { 28: '0', 1: '1' }), mask(0x14, 'eax', { 0: '1' }));
    const g = applyMask(m, h);
    expect(catalog.decode(g).ids()).toEqual(['sse3', 'pclmulqdq', 'xsave', 'fsgsbase']);
    expect(g.has(0x14)).toBe(false);
    expect(g.source.view).toBe('guest');
    expect(catalog.decode(h).ids()).toEqual(['sse3', 'xsave', 'avx', 'fsgsbase']); // the host is untouched
  });

  it('applies a vendor-specific register only on that vendor, over the plain one', () => {
    const m = composeMasks(mask(1, 'ecx', { 0: '0' }), mask(1, 'ecx', { 0: '1', 9: '0' }, 'amd'));
    expect(catalog.decode(applyMask(m, host(['sse3', 'ssse3']))).ids()).toEqual(['ssse3']);
    expect(catalog.decode(applyMask(m, host(['sse3', 'ssse3'], 'AuthenticAMD'))).ids()).toEqual(['sse3']);
    expect(catalog.decode(applyMask(m, host(['sse3', 'ssse3'], 'HygonGenuine'))).ids()).toEqual(['sse3']);
  });

  it('agrees with the feature-set form', () => {
    fc.assert(
      fc.property(maskArb(), hostArb, (m, h) => {
        const viaDump = catalog.decode(applyMask(m, h));
        const vendor = h.get(0)!.ebx === 0x68747541 ? 'amd' : 'intel';
        expect(applyMaskToFeatures(m, catalog.decode(h), vendor).ids()).toEqual(viaDump.ids());
      }),
      { numRuns: 200 },
    );
  });

  it('changes nothing when applied a second time (property)', () => {
    fc.assert(
      fc.property(maskArb(), hostArb, (m, h) => {
        const once = applyMask(m, h);
        expect(applyMask(m, once).list()).toEqual(once.list());
      }),
      { numRuns: 300 },
    );
  });

  it('passes every register untouched under an all-pass mask (property)', () => {
    fc.assert(
      fc.property(maskArb(['-', 'x', 'T', 'F', 'H', 'h']), hostArb, (m, h) => {
        expect(applyMask(m, h).list()).toEqual(h.list());
      }),
      { numRuns: 100 },
    );
  });
});

describe('mask engine: requirements', () => {
  const source = host(['sse3', 'ssse3', 'sse4_1', 'sse4_2', 'xsave', 'xsave_sse', 'xsave_ymm', 'avx', 'osxsave', 'nx', 'lm', 'fsgsbase']);

  it('at power-on asks only for T and F bits', () => {
    const m = mask(1, 'ecx', { 28: 'T', 22: 'F', 0: 'H', 9: 'R' });
    expect(ids(maskRequirements(m, source, { phase: 'power-on' }).bits)).toEqual(['avx=1:T', 'movbe=0:F']);
  });

  it('for vMotion adds H/R bits at the source value and every feature the guest saw through a - bit', () => {
    const m = mask(1, 'ecx', { 28: '0', 27: '0', 26: 'x', 22: 'H', 9: 'R', 19: '1' });
    expect(ids(maskRequirements(m, source).bits)).toEqual([
      'fsgsbase=1:seen',
      'lm=1:seen',
      'movbe=0:H', // H at the source's 0
      'nx=1:seen',
      'sse3=1:seen',
      'sse4_2=1:seen',
      'ssse3=1:R', // hidden, but must match the source's 1
      'xsave_sse=1:seen',
      'xsave_ymm=1:seen',
    ]);
  });

  it('counts only features the view shows the guest, when given', () => {
    const visible = catalog.setOf(['sse3', 'lm']);
    expect(ids(maskRequirements(CpuidMask.EMPTY, source, { visible }).bits)).toEqual(['lm=1:seen', 'sse3=1:seen']);
  });

  it('finds what a destination lacks, and what it cannot be shown to have', () => {
    const reqs = maskRequirements(mask(1, 'ecx', { 22: 'F' }), source);
    const dest = host(['sse3', 'ssse3', 'sse4_1', 'sse4_2', 'nx', 'lm', 'movbe']);
    dest.delete(7, 0); // leaf 7 in range but not dumped: unknown
    const unmet = unmetRequirements(reqs, dest);
    expect(unmet.bits.map((u) => `${u.requirement.feature!.id}:${u.found}`).sort()).toEqual([
      'avx:0',
      'fsgsbase:undefined',
      'movbe:1',
      'xsave:0',
      'xsave_sse:0',
      'xsave_ymm:0',
    ]);
    expect(unmetRequirements(reqs, source).bits).toEqual([]);
  });

  it('never asks a host for a bit the mask hides or forces (property)', () => {
    fc.assert(
      fc.property(maskBits(['-', '0', '1', 'x']), hostArb, (bits, h) => {
        const m = CpuidMask.of([{ leaf: 1, subleaf: 0, reg: 'ecx', bits }]);
        for (const r of maskRequirements(m, h).bits) {
          if (r.leaf === 1 && r.reg === 'ecx') expect(charAt(bits, r.bit)).toBe('-');
        }
        // The source itself always meets what a VM started on it needs.
        expect(unmetRequirements(maskRequirements(m, h), h).bits).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('mask engine: describeMask', () => {
  it('names the catalog feature of every bit that is set', () => {
    expect(describeMask(mask(0xd, 'edx', { 31: '0', 30: '0', 29: '0', 16: 'H', 5: '0', 4: '0', 3: '0', 2: '0' }))).toBe(
      [
        '0xd edx  000------------H----------0000--',
        '  bit 30  0  xsave_lwp (XSAVE LWP State (XCR0 bit 62))',
        '  bits 31,29,5-2  0  (no catalog feature)',
        '  bits 16  H  (no catalog feature)',
        '',
      ].join('\n'),
    );
    expect(describeMask(CpuidMask.EMPTY)).toBe('(empty mask)\n');
  });
});
