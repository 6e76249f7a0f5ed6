import { describe, expect, it } from 'vitest';
import { CpuidDump } from '../../core/cpuid.js';
import type { Regs } from '../../core/cpuid.js';
import type { Diagnostic } from '../../core/errors.js';
import { InputError } from '../../core/errors.js';
import { CpuBuilder, looksLikeXsaveSubleaf1, placeXsaveRows } from './cpu-builder.js';
import type { XsaveRow } from './cpu-builder.js';

const regs = (eax: number, ebx = 0, ecx = 0, edx = 0): Regs => ({ eax, ebx, ecx, edx });
const rows = (...list: Regs[]): XsaveRow[] => list.map((r, i) => ({ ...r, line: i + 1 }));
const dump = () => new CpuidDump({ format: 'synthetic', lossy: false });

function place(list: XsaveRow[]): { subleaves: number[]; unplaced: number[]; d: CpuidDump } {
  const d = dump();
  const unplaced = placeXsaveRows(d, list);
  return { subleaves: d.subleaves(0xd), unplaced, d };
}

// Leaf 0xD.0 of a part with x87, SSE, YMM, opmask, ZMM_Hi256, Hi16_ZMM, PKRU (XCR0 0x2e7).
const SUB0_AVX512 = regs(0x2e7, 0xa80, 0xa88, 0);
const SUB1 = regs(0xf, 0xa00, 0x100, 0); // XSAVEOPT/XSAVEC/XGETBV1/XSAVES, IA32_XSS supports PT (bit 8)
const YMM = regs(0x100, 0x240);
const OPMASK = regs(0x40, 0x440);
const ZMM_HI256 = regs(0x200, 0x480);
const HI16_ZMM = regs(0x400, 0x680);
const PT = regs(0x80, 0, 1);
const PKRU = regs(8, 0xa80);

describe('placing leaf 0xD lines without subleaf', () => {
  it('tells subleaf 1 from a state component', () => {
    expect(looksLikeXsaveSubleaf1(SUB1)).toBe(true);
    expect(looksLikeXsaveSubleaf1(regs(1))).toBe(true); // XSAVEOPT only (Sandy/Ivy Bridge)
    expect(looksLikeXsaveSubleaf1(regs(0))).toBe(true); // no XSAVEOPT (Bulldozer)
    expect(looksLikeXsaveSubleaf1(YMM)).toBe(false);
    expect(looksLikeXsaveSubleaf1(PKRU)).toBe(false); // size 8: even
    expect(looksLikeXsaveSubleaf1(regs(0x11, 0, 1))).toBe(false); // supervisor flag
  });

  it('puts the YMM line at subleaf 2 when 0xD.1 was not dumped', () => {
    const { subleaves, d } = place(rows(regs(7, 0x340, 0x340), YMM));
    expect(subleaves).toEqual([0, 2]);
    expect(d.get(0xd, 2)).toMatchObject(YMM);
  });

  it('follows the enabled components, user ones from XCR0 and supervisor ones from IA32_XSS', () => {
    expect(place(rows(SUB0_AVX512, SUB1, YMM, OPMASK, ZMM_HI256, HI16_ZMM, PT, PKRU)).subleaves).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
  });

  it('skips ahead when a line has the usual size of a later component (a dump that left out opmask)', () => {
    const { subleaves, d } = place(rows(SUB0_AVX512, SUB1, YMM, ZMM_HI256, HI16_ZMM, PKRU));
    expect(subleaves).toEqual([0, 1, 2, 6, 7, 9]);
    expect(d.get(0xd, 6)).toMatchObject(ZMM_HI256);
  });

  it('keeps an unusual size at the next enabled component (Zen 2 reports 64 bytes for PKRU)', () => {
    expect(place(rows(regs(0x207, 0x340, 0x380), SUB1, YMM, regs(0x40, 0x340))).subleaves).toEqual([0, 1, 2, 9]);
  });

  it('does not invent subleaves: dropped components stay absent, all-zero lines are ignored', () => {
    const { subleaves, unplaced } = place(rows(SUB0_AVX512, SUB1, YMM, regs(0, 0, 0, 0)));
    expect(subleaves).toEqual([0, 1, 2]);
    expect(unplaced).toEqual([]);
  });

  it('reports lines it cannot place: a supervisor component without 0xD.1, a component XCR0 does not enable', () => {
    expect(place(rows(SUB0_AVX512, YMM, PT))).toMatchObject({ subleaves: [0, 2], unplaced: [3] });
    expect(place(rows(regs(7, 0x340, 0x340), YMM, OPMASK))).toMatchObject({ subleaves: [0, 2], unplaced: [3] });
    expect(place(rows(regs(7, 0x340, 0x340), regs(0, 0, 0, 5)))).toMatchObject({ subleaves: [0, 1] });
  });

  it('places around subleaves the dump already has', () => {
    const d = dump();
    d.set(0xd, 0, SUB0_AVX512);
    d.set(0xd, 1, SUB1);
    expect(placeXsaveRows(d, rows(YMM, PT))).toEqual([]);
    expect(d.subleaves(0xd)).toEqual([0, 1, 2, 8]);
  });
});

describe('CpuBuilder', () => {
  const builder = () => new CpuBuilder({ format: 'synthetic', lossy: false }, 'x.txt', 1);

  it('numbers repeated lines per leaf and continues after explicit subleaves', () => {
    const b = builder();
    b.add(4, undefined, 1, 0, 0, 0, 1);
    b.add(4, undefined, 2, 0, 0, 0, 2);
    b.add(0xb, 5, 3, 0, 0, 0, 3);
    b.add(0xb, undefined, 4, 0, 0, 0, 4);
    const d = b.finish([], 'the dump');
    expect(d.subleaves(4)).toEqual([0, 1]);
    expect(d.subleaves(0xb)).toEqual([5, 6]);
  });

  it('warns once about lines that repeat a subleaf with other values, and not about identical repeats', () => {
    const b = builder();
    b.add(7, 0, 1, 0, 0, 0, 10);
    b.add(7, 0, 1, 0, 0, 0, 11);
    b.add(7, 0, 2, 0, 0, 0, 12);
    const diagnostics: Diagnostic[] = [];
    expect(b.finish(diagnostics, 'CPU 3 (line 9)').get(7)?.eax).toBe(2);
    expect(diagnostics).toEqual([
      {
        level: 'warning',
        message: 'CPU 3 (line 9): 1 line repeats a leaf and subleaf already given, with other values (line 12); the later value is used',
        where: { file: 'x.txt', line: 12 },
      },
    ]);
  });

  it('reports unplaceable leaf 0xD lines with their line numbers', () => {
    const b = builder();
    b.add(0xd, undefined, 7, 0x340, 0x340, 0, 20);
    b.add(0xd, undefined, 0x80, 0, 1, 0, 21);
    const diagnostics: Diagnostic[] = [];
    b.finish(diagnostics, 'the dump');
    expect(diagnostics[0]?.where).toEqual({ file: 'x.txt', line: 21 });
    expect(diagnostics[0]?.message).toMatch(/^the dump: 1 leaf 0xd line without a subleaf could not be matched/);
  });

  it('refuses subleaves beyond the data model with an InputError naming the line', () => {
    const b = builder();
    expect(() => b.add(4, 0x10_0000, 0, 0, 0, 0, 7)).toThrow(InputError);
    expect(() => b.add(4, 0x10_0000, 0, 0, 0, 0, 7)).toThrow(/^x\.txt:7: expected a subleaf below 0x100000/);
  });
});
