import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuidDump } from '../../core/cpuid.js';
import type { DumpSource, FormatId } from '../../core/cpuid.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { REPO_ROOT } from '../../test-support/shared.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { openevcJsonImporter, parseCanonicalJson, parseHex32, toCanonicalJson } from './reader.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const ctx = { file: 'in.json' };

const errorOf = (text: string): string => inputErrorMessage(() => parseCanonicalJson(text, ctx));

const FORMATS: FormatId[] = ['openevc-json', 'instlatx64', 'cpuid-r', 'libvirt', 'vmware-log', 'proc-cpuinfo', 'probe', 'synthetic'];
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const sourceArb: fc.Arbitrary<DumpSource> = fc
  .record({
    format: fc.constantFrom(...FORMATS),
    path: opt(fc.string({ unit: 'grapheme', maxLength: 20 })),
    lossy: fc.boolean(),
    label: opt(fc.string({ unit: 'binary', maxLength: 20 })),
    captured: opt(fc.string({ maxLength: 30 })),
    model: opt(fc.string({ maxLength: 24 })),
    cpu: opt(fc.nat({ max: 4096 })),
    view: opt(fc.constantFrom('host' as const, 'guest' as const)),
  })
  .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as DumpSource);
const dumpArb = fc
  .record({
    source: sourceArb,
    leaves: fc.array(fc.record({ leaf: u32, subleaf: fc.integer({ min: 0, max: 0xf_ffff }), eax: u32, ebx: u32, ecx: u32, edx: u32 }), { maxLength: 40 }),
    msrs: fc.array(fc.tuple(u32, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })), { maxLength: 5 }),
  })
  .map(({ source, leaves, msrs }) => {
    const d = new CpuidDump(source);
    for (const l of leaves) d.set(l.leaf, l.subleaf, l);
    for (const [i, v] of msrs) d.msrs.set(i, v);
    return d;
  });
const metaArb = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 30 }), { maxKeys: 4 });

function plain(d: CpuidDump) {
  return { source: d.source, leaves: d.list(), msrs: [...d.msrs].sort((a, b) => a[0] - b[0]) };
}

describe('openevc canonical JSON', () => {
  it('round-trips any dump exactly: parse(toCanonicalJson(d)) equals d', () => {
    fc.assert(
      fc.property(dumpArb, metaArb, (d, meta) => {
        const text = toCanonicalJson(d, meta);
        const back = parseCanonicalJson(text, ctx);
        expect(plain(back.dump)).toEqual(plain(d));
        expect(back.meta).toEqual(meta);
        // Canonical text is a fixed point.
        expect(toCanonicalJson(back.dump, back.meta)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps metadata keys that look like JavaScript internals', () => {
    const meta = Object.fromEntries([
      ['__proto__', 'a'],
      ['constructor', 'b'],
    ]);
    const back = parseCanonicalJson(toCanonicalJson(new CpuidDump({ format: 'synthetic', lossy: false }), meta), ctx);
    expect(Object.entries(back.meta)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
    ]);
  });

  it('writes deterministic text: same dump, same bytes, whatever the insertion order', () => {
    const a = new CpuidDump({ format: 'synthetic', lossy: false });
    const b = new CpuidDump({ format: 'synthetic', lossy: false });
    const rows = [
      [0x8000_0001, 0, 1],
      [7, 1, 2],
      [7, 0, 3],
      [0, 0, 4],
    ] as const;
    for (const [l, s, v] of rows) a.set(l, s, { eax: v, ebx: 0, ecx: 0, edx: 0 });
    for (const [l, s, v] of [...rows].reverse()) b.set(l, s, { eax: v, ebx: 0, ecx: 0, edx: 0 });
    expect(toCanonicalJson(a, { z: '1', a: '2' })).toBe(toCanonicalJson(b, { a: '2', z: '1' }));
    expect(toCanonicalJson(a).split('\n').filter((l) => l.includes('"leaf"')).map((l) => /"leaf": "(\w+)", "subleaf": (\d+)/.exec(l)!.slice(1).join('.'))).toEqual([
      '0x00000000.0',
      '0x00000007.0',
      '0x00000007.1',
      '0x80000001.0',
    ]);
  });

  it('reads hand-written documents (golden) and keeps canonical ones byte for byte', () => {
    const hand = readFileSync(join(FIXTURES, 'handwritten.json'), 'utf8');
    const doc = parseCanonicalJson(hand, { file: 'handwritten.json' });
    expectGolden(toCanonicalJson(doc.dump, doc.meta), join(FIXTURES, 'handwritten.expected.json'));
    expectGolden(renderImport(openevcJsonImporter.parse(hand, { file: 'handwritten.json' })), join(FIXTURES, 'handwritten.expected.txt'));
    const canonical = readFileSync(join(FIXTURES, 'captured-vmware-guest.json'), 'utf8');
    const c = parseCanonicalJson(canonical, { file: 'x.json' });
    expect(c.dump.source).toEqual({
      format: 'vmware-log',
      path: 'vm01/vmware.log',
      lossy: false,
      label: 'esx-07.lab.example',
      captured: '2016-01-04T16:19:47.001-08:00',
      view: 'guest',
    });
    expect(toCanonicalJson(c.dump, c.meta)).toBe(canonical);
  });

  it('matches its documentation: the example is canonical and the quoted errors are real', () => {
    const md = readFileSync(join(REPO_ROOT, 'docs', 'canonical-json.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(md)![1]!;
    const doc = parseCanonicalJson(example, { file: 'host.json' });
    expect(toCanonicalJson(doc.dump, doc.meta)).toBe(example);
    const quoted = /```\n\s*(host\.json:.*)\n\s*(host\.json:.*)\n/.exec(md)!;
    const messageOf = (text: string) => {
      try {
        parseCanonicalJson(text, { file: 'host.json' });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(messageOf(example.replace('"0x44400800"', '"0x4440080z"'))).toBe(quoted[1]);
    expect(messageOf(example.replace('"0x00000000" }\n  ]', '"0x00000000" },\n  ]'))).toBe(quoted[2]);
  });

  it('fills in the source of a document that has none', () => {
    const d = parseCanonicalJson('{"openevc":"cpuid","version":1,"leaves":[]}', ctx).dump;
    expect(d.source).toEqual({ format: 'openevc-json', path: 'in.json', lossy: false });
    expect(d.size).toBe(0);
  });

  it('locates syntax errors itself', () => {
    expect(errorOf('')).toBe('in.json:1:1: expected valid JSON: a value (object, array, string, number, true, false or null), found nothing');
    expect(errorOf('{\n  "openevc": "cpuid",\n  "version": 1,\n  "leaves": [\n  ],\n}')).toBe('in.json:6:1: expected valid JSON: a quoted key (JSON allows no trailing comma), found "}"');
    expect(errorOf('{"a": 01}')).toMatch(/^in\.json:1:8: expected valid JSON: a number/);
    expect(errorOf('{"a": "x\ty"}')).toMatch(/^in\.json:1:9: expected valid JSON: a closing quote \(control characters/);
    expect(errorOf('{"a" 1}')).toBe('in.json:1:6: expected valid JSON: ":" after the key, found "1"');
    expect(errorOf('{} x')).toMatch(/^in\.json:1:4: expected valid JSON: the end of the document/);
    expect(errorOf('{"a": "\\q"}')).toMatch(/^in\.json:1:9: expected valid JSON: an escape/);
    expect(errorOf('[\n1,\n2\n')).toBe('in.json:4:1: expected valid JSON: "," or "]", found nothing');
  });

  it('names line, JSON path, expectation and finding for semantic errors', () => {
    const good = toCanonicalJson(new CpuidDump({ format: 'libvirt', lossy: false }).set(1, 0, { eax: 0x306a9, ebx: 1, ecx: 2, edx: 3 }).set(7, 0, { eax: 0, ebx: 4, ecx: 5, edx: 6 }));
    const lineOf = (needle: string) => good.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(errorOf(good.replace('"0x00000004"', '"0x0000000z"'))).toMatch(
      new RegExp(`^in\\.json:${lineOf('"0x00000004"')}:\\d+: expected \\$\\.leaves\\[1\\]\\.ebx to be a register value: "0x" and at most 8 hex digits.*, found "0x0000000z"$`),
    );
    expect(errorOf(good.replace('"lossy": false', '"lossy": "no"'))).toBe(`in.json:${lineOf('"lossy"')}:14: expected $.source.lossy to be true or false, found "no"`);
    expect(errorOf(good.replace('"format": "libvirt"', '"format": "hyperv"'))).toMatch(/expected \$\.source\.format to be one of "openevc-json", .*found "hyperv"$/);
    expect(errorOf(good.replace('"msrs": []', '"msr": []'))).toMatch(/^in\.json:\d+:\d+: expected only the keys "openevc", "version", "source", "meta", "leaves", "msrs" in \$, found "msr"$/);
    expect(errorOf(good.replace('"subleaf": 0, "eax": "0x00000000"', '"subleaf": 1048576, "eax": "0x00000000"'))).toMatch(/expected \$\.leaves\[1\]\.subleaf to be a subleaf below 0x100000, found "1048576"$/);
    expect(errorOf(good.replace(', "edx": "0x00000006"', ''))).toMatch(
      new RegExp(`^in\\.json:${lineOf('"0x00000006"')}:5: expected \\$\\.leaves\\[1\\]\\.edx to be a register value \\(every leaf needs eax, ebx, ecx and edx\\), found nothing$`),
    );
    expect(errorOf(good.replace('"leaf": "0x00000007"', '"leaf": "0x00000001"'))).toMatch(/expected each \(leaf, subleaf\) listed once, found "leaf 0x1 subleaf 0 again \(first at \$\.leaves\[0\]\)"$/);
    expect(errorOf('{"openevc": "cpuid", "version": 1, "leaves": [], "msrs": [{"index": "0x10a", "value": "0x10000000000000000"}]}')).toMatch(
      /^in\.json:1:\d+: expected \$\.msrs\[0\]\.value to be a 64-bit MSR value: "0x" and at most 16 hex digits, found "0x10000000000000000"$/,
    );
  });

  it('refuses other documents and other versions clearly', () => {
    expect(errorOf('[1, 2]')).toMatch(/^in\.json:1:1: expected \$ to be an openevc canonical CPUID document/);
    expect(errorOf('{"openevc": "baseline", "version": 1}')).toBe('in.json:1:13: expected $.openevc to be "cpuid" (the marker of an openevc canonical CPUID document), found "baseline"');
    expect(errorOf('{"version": 1}')).toMatch(/^in\.json:1:1: expected \$\.openevc to be "cpuid"/);
    expect(errorOf('{\n  "openevc": "cpuid",\n  "version": 2,\n  "cpus": []\n}')).toBe(
      'in.json:3:14: expected $.version to be 1: this openevc reads version 1 only (the file was written by a newer openevc; upgrade to read it), found "2"',
    );
    expect(errorOf('{"openevc": "cpuid", "version": "1"}')).toMatch(/expected \$\.version to be the format version, 1, found "1"$/);
  });

  it('sniffs its own documents', () => {
    expect(openevcJsonImporter.sniff('{\n  "openevc": "cpuid",\n  "version": 1,')).toBe(1);
    expect(openevcJsonImporter.sniff('{"return": {"model": {}}}')).toBeLessThan(0.5);
    expect(openevcJsonImporter.sniff('<cpudata>')).toBe(0);
  });

  it('stays fast on 1 MB pathological input (no super-linear parsing)', () => {
    expectFastOnPathologicalInput(openevcJsonImporter, ['', '{"openevc": "cpuid", "version": 1, "leaves": [', '{"openevc": "cpuid", "version": 1, "leaves": [{"leaf": '], 'slow.json');
  });

  it('never throws anything but a well-shaped InputError (random and mutated input)', () => {
    const base = readFileSync(join(FIXTURES, 'handwritten.json'), 'utf8');
    expectRobustAgainstDamage(openevcJsonImporter, fc.oneof(mutatedText(base), fc.json(), fc.string({ unit: 'binary', maxLength: 100 })), 'fuzz.json', 800);
  });
});

describe('parseHex32', () => {
  it('accepts exactly what /^0x0*([0-9a-fA-F]{1,8})$/ accepts, with the same value', () => {
    const reference = (s: string) => {
      const m = /^0x0*([0-9a-fA-F]{1,8})$/.exec(s);
      return m ? Number.parseInt(m[1]!, 16) : undefined;
    };
    const hexish = fc.stringMatching(/^(0x|0X|x|0)?[0-9a-fA-FgG]{0,12}$/);
    fc.assert(fc.property(fc.oneof(hexish, fc.string({ maxLength: 12 })), (s) => parseHex32(s) === reference(s)), { numRuns: 2000 });
    expect(parseHex32('0x0000000000000001')).toBe(1);
    expect(parseHex32('0xffffffff')).toBe(0xffffffff);
    expect(parseHex32('0x100000000')).toBeUndefined();
  });
});

