import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { identify } from '../../core/identity.js';
import { describeImport, golden } from '../../test-support/golden.js';
import { importText } from '../readers.js';
import { instlatx64Importer } from './reader.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const load = (name: string) => importText(read(name), { file: name });

function parseError(text: string): InputError {
  try {
    instlatx64Importer.parse(text, { file: 'dump.txt' });
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('InstLatx64 / AIDA64 importer: golden files', () => {
  it('has a fixture for every layout', () => {
    for (const layout of ['aida-full', 'aida-cpuidregs', 'aida-logical', 'aida-old', 'affmask', 'group-affmask', 'bare-multi']) {
      expect(fixtures).toContain(`${layout}.txt`);
    }
  });

  for (const name of fixtures) {
    it(name, () => {
      const r = load(name);
      expect(r.format).toBe('instlatx64');
      expect(r.dump).toBe(r.cpus[0]);
      expect(describeImport(r)).toBe(golden(join(FIXTURES, name.replace(/\.txt$/, '.golden.json')), describeImport(r)));
    });
  }
});

describe('InstLatx64 / AIDA64 importer: layouts and quirks', () => {
  it('keeps every logical CPU of each layout, in file order', () => {
    const expected: Record<string, number> = {
      'aida-full.txt': 2,
      'aida-cpuidregs.txt': 2,
      'aida-logical.txt': 2,
      'aida-old.txt': 2,
      'affmask.txt': 2,
      'group-affmask.txt': 2,
      'bare-multi.txt': 3,
    };
    for (const [name, n] of Object.entries(expected)) {
      const r = load(name);
      expect(r.cpus.map((c) => c.source.cpu), name).toEqual([...Array(n).keys()]);
      // The APIC ID (CPUID.1:EBX[31:24]) tells the CPUs apart: each block went to its own dump.
      expect(new Set(r.cpus.map((c) => c.get(1)!.ebx >>> 24)).size, name).toBe(n);
    }
  });

  it('places a 0xD line by content when the dump skips 0xD.1 (Ivy Bridge: 0xD.0 then the YMM component)', () => {
    const d = load('aida-full.txt').dump;
    expect(d.subleaves(0xd)).toEqual([0, 2]);
    expect(d.get(0xd, 2)).toEqual({ leaf: 0xd, subleaf: 2, eax: 0x100, ebx: 0x240, ecx: 0, edx: 0 });
    expect(d.has(0xd, 1)).toBe(false);
  });

  it('numbers repeated lines of other leaves 0, 1, 2, ...', () => {
    const d = load('aida-full.txt').dump;
    expect(d.subleaves(4)).toEqual([0, 1, 2, 3]);
    expect(d.get(4, 3)?.eax).toBe(0x1c03c163);
    expect(d.subleaves(0xb)).toEqual([0, 1]);
    expect(load('aida-logical.txt').dump.subleaves(0x8000001d)).toEqual([0, 1, 2, 3]);
  });

  it('places subleaf 1, user and supervisor components, and drops all-zero lines (Ice Lake-SP style)', () => {
    const d = load('xsave-untagged.txt').dump;
    expect(d.subleaves(0xd)).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
    expect(d.get(0xd, 8)?.ecx).toBe(1); // PT: a supervisor component, enabled by 0xD.1 ECX bit 8
    expect(d.get(0xd, 9)?.eax).toBe(8); // PKRU
  });

  it('does not infer a component 0xD.0 does not enable (Bulldozer: LWP bit 62 set, only YMM listed)', () => {
    expect(load('aida-logical.txt').dump.subleaves(0xd)).toEqual([0, 2]);
  });

  it('uses [SL xx] tags as given, and ignores MSR sections', () => {
    const d = load('aida-cpuidregs.txt').dump;
    expect(d.subleaves(0xd)).toEqual([0, 1, 2, 5, 6, 7, 8, 9, 0xb, 0xc, 0x11, 0x12]);
    expect(d.subleaves(7)).toEqual([0, 1, 2]);
    expect(d.msrs.size).toBe(0);
  });

  it('reads separator variants, lower-case hex and blank-separated registers', () => {
    const r = load('bare-multi.txt');
    for (const cpu of r.cpus) expect(identify(cpu).signature).toBe(0x6f6);
    expect(r.dump.get(4, 2)).toEqual({ leaf: 4, subleaf: 2, eax: 0x04004143, ebx: 0x03c0003f, ecx: 0xfff, edx: 1 });
    expect(load('aida-old.txt').dump.get(4, 1)?.ecx).toBe(0x3ff);
  });

  it('decodes the brand string across the trailers', () => {
    expect(identify(load('aida-full.txt').dump).brand).toBe('Intel(R) Core(TM) i7-3770K CPU @ 3.50GHz');
  });

  it('says when CPUs disagree on features, and not when P- and E-cores differ only in caches and topology', () => {
    // (The fixtures are cut-down dumps: the registry's truncation warnings are not the point here.)
    const own = (name: string) => load(name).diagnostics.filter((d) => !/truncated dump/.test(d.message));
    const disagree = own('disagree.txt');
    expect(disagree).toHaveLength(1);
    expect(disagree[0]!.message).toMatch(/missing on 2 CPUs \(2-3\): avx/);
    expect(own('hybrid.txt')).toEqual([]);
  });

  it('is chosen by detection for every fixture, with AIDA64 headers scoring highest', () => {
    expect(instlatx64Importer.sniff(read('aida-full.txt'))).toBe(0.95);
    expect(instlatx64Importer.sniff(read('xsave-untagged.txt'))).toBe(0.9);
    expect(instlatx64Importer.sniff('hello\nworld\n')).toBe(0);
  });
});

describe('InstLatx64 / AIDA64 importer: errors', () => {
  it('names file and line of a malformed register field', () => {
    const e = parseError('CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\nCPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBF\n');
    expect(e.message).toBe(
      'dump.txt:2: expected four 8-digit hex registers after the leaf (EAX-EBX-ECX-EDX), found "CPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBF"',
    );
    expect(e.line).toBe(2);
  });

  it('rejects a short leaf, a bad [SL] tag and text glued to the registers', () => {
    expect(parseError('CPUID 0000001: 00000000-00000000-00000000-00000000').message).toMatch(/^dump\.txt:1: expected an 8-digit hex leaf after "CPUID"/);
    expect(parseError('\nCPUID 00000007: 00000000-00000000-00000000-00000000 [SL zz]').message).toMatch(/^dump\.txt:2: expected a hex subleaf in "\[SL xx\]"/);
    expect(parseError('CPUID 00000001: 00000000-00000000-00000000-000000001').message).toMatch(/^dump\.txt:1: expected four 8-digit/);
  });

  it('rejects text without a single CPUID line', () => {
    expect(parseError('------[ Versions ]------\nProgram Version : AIDA64\nCPUID Manufacturer : GenuineIntel\n').message).toBe(
      'dump.txt: expected at least one "CPUID <leaf>: EAX-EBX-ECX-EDX" line (InstLatx64/AIDA64 dump), found nothing',
    );
  });

  it('rejects a subleaf tag beyond what a dump can hold', () => {
    expect(parseError('CPUID 00000007: 00000000-00000000-00000000-00000000 [SL 100000]').message).toBe(
      'dump.txt:1: expected a subleaf below 0x100000, found "0x100000"',
    );
  });
});
