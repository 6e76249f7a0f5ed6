import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { importText } from '../readers.js';

const json = (leaves: object[]) => JSON.stringify({ openevc: 'cpuid', version: 1, leaves });
const leaf = (l: number, eax: number, ebx = 0, ecx = 0, edx = 0) => ({ leaf: `0x${l.toString(16)}`, subleaf: 0, eax: `0x${eax.toString(16)}`, ebx: `0x${ebx.toString(16)}`, ecx: `0x${ecx.toString(16)}`, edx: `0x${edx.toString(16)}` });
// "GenuineIntel" in ebx, edx, ecx.
const intel0 = (max: number) => leaf(0, max, 0x756e6547, 0x6c65746e, 0x49656e69);
const intel1 = leaf(1, 0x000306a9, 0x00100800, 0x7f9ae3bf, 0xbfebfbff);

describe('a dump must be able to be a host', () => {
  it('no leaves, or only leaf 0, is an error (it decoded as a CPU with no features before)', () => {
    expect(() => importText(json([]), { file: 'empty.json' })).toThrow(InputError);
    expect(() => importText(json([]), { file: 'empty.json' })).toThrow(/^empty\.json: expected a CPUID dump holding at least leaves 0x0 \(vendor\) and 0x1 .*--lenient.*, found "no CPUID leaf"$/);
    expect(() => importText(json([intel0(0xd)]), { file: 'leaf0.json' })).toThrow(/found "only leaves 0x0"$/);
  });

  it('an unknown vendor string is an error; every real x86 vendor reads', () => {
    expect(() => importText(json([leaf(0, 0xd, 0x41414141, 0x41414141, 0x41414141), intel1]), { file: 'v.json' })).toThrow(/expected a known CPU vendor string in leaf 0x0 .*found "\\"AAAAAAAAAAAA\\""$/);
    // "CyrixInstead": a real vendor openevc has no data for.
    expect(importText(json([leaf(0, 1, 0x69727943, 0x64616574, 0x736e4978), intel1]), { file: 'cyrix.json' }).format).toBe('openevc-json');
  });

  it('--lenient reads it anyway and says the answer rests on damaged input', () => {
    const r = importText(json([intel0(0xd)]), { file: 'leaf0.json', lenient: true });
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^the answer rests on damaged input: expected a CPUID dump holding at least leaves 0x0/)]);
  });

  it('absurd values are warnings: a maximum basic leaf of 0xFFFFFFFF', () => {
    const r = importText(json([intel0(0xffffffff), intel1]), { file: 'max.json' });
    expect(r.diagnostics).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^leaf 0x0 reports a maximum basic leaf of 0xffffffff, which no CPU does/i) })]);
  });

  it('a maximum leaf far beyond what a text dump holds is reported (truncated dump), with the line', () => {
    const text = 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\nCPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBFF\n';
    const r = importText(text, { file: 'cut.txt' });
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/maximum basic leaf of 0xd, but the dump holds fewer than half of the leaves up to it, the last 0x1/)]);
  });
});

describe('damaged leaf lines in InstLatx64 dumps', () => {
  it('a CPUID line whose leaf does not parse is an error with file:line (it was skipped as a label line)', () => {
    const text = 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\nCPUID 0000000G: 000306A9-00100800-7F9AE3BF-BFEBFBFF\n';
    expect(() => importText(text, { file: 'd.txt' })).toThrow('d.txt:2: expected an 8-digit hex leaf after "CPUID", found "CPUID 0000000G: 000306A9-00100800-7F9AE3BF-BFEBFBFF"');
    // Label lines still read as labels.
    expect(importText(`CPUID Manufacturer : GenuineIntel\n${text.split('\n')[0]}\nCPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBFF\n`, { file: 'ok.txt' }).format).toBe('instlatx64');
  });

  it('the truncation warning names the line of leaf 0', () => {
    const r = importText('CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\nCPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBFF\n', { file: 'cut.txt' });
    expect(r.diagnostics[0]!.where).toEqual({ file: 'cut.txt', line: 1 });
  });
});
