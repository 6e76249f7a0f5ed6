import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identify } from '../../core/identity.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { libvirtImporter } from './cpudata-reader.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'cpudata');
const parse = (text: string, file = 'in.xml') => libvirtImporter.parse(text, { file });

const errorOf = (text: string): string => inputErrorMessage(() => parse(text));

describe('libvirt <cpudata> importer', () => {
  for (const name of ['xeon-platinum-8268', 'epyc-7502-terse']) {
    it(`imports ${name}.xml (golden)`, () => {
      const text = readFileSync(join(FIXTURES, `${name}.xml`), 'utf8');
      expectGolden(renderImport(parse(text, `${name}.xml`)), join(FIXTURES, `${name}.expected.txt`));
    });
  }

  it('stores MSRs as 64-bit values, edx high and eax low', () => {
    const r = parse(readFileSync(join(FIXTURES, 'epyc-7502-terse.xml'), 'utf8'));
    expect(r.dump.msrs.get(0x10a)).toBe(0x1_8000_0000n);
    expect(r.dump.get(7, 0)?.ebx).toBe(0x219c91a9);
    expect(identify(r.dump)).toMatchObject({ vendor: 'amd', family: 0x17, model: 0x31, stepping: 0 });
  });

  it('sniffs cpudata documents only', () => {
    expect(libvirtImporter.sniff("<!-- x -->\n<cpudata arch='x86'>\n")).toBeGreaterThan(0.9);
    expect(libvirtImporter.sniff('<cpu mode="custom"><model>Haswell</model></cpu>')).toBe(0);
    expect(libvirtImporter.sniff('CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69')).toBe(0);
  });

  it('names the line of a bad or missing attribute on the nth <cpuid>', () => {
    const xml = [
      "<cpudata arch='x86'>",
      "  <cpuid eax_in='0x0' ecx_in='0x0' eax='0xd' ebx='0x0' ecx='0x0' edx='0x0'/>",
      "  <cpuid eax_in='0x1' ecx_in='0x0' eax='0x306a9' ebx='0x0' ecx='0xzz' edx='0x0'/>",
      '</cpudata>',
    ].join('\n');
    expect(errorOf(xml)).toBe(`in.xml:3:3: expected the 2nd <cpuid> element to have ecx='0x…' (hexadecimal, at most 8 digits), found "ecx='0xzz'"`);
    expect(errorOf(xml.replace(" ebx='0x0' ecx='0xzz'", " ecx='0x1'"))).toMatch(/^in\.xml:3:3: expected the 2nd <cpuid> element to have ebx='0x…'.*found "<cpuid eax_in='0x1'/);
    expect(errorOf(xml.replace("eax='0xd'", "eax='0x123456789'"))).toMatch(/^in\.xml:2:3: expected the 1st <cpuid> element to have eax=/);
    expect(errorOf("<cpudata>\n<msr index='0x10a' eax='0x1'/>\n<cpuid eax_in='0x0' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/></cpudata>")).toMatch(
      /^in\.xml:2:1: expected the 1st <msr> element to have edx=/,
    );
  });

  it('reports malformed XML with the validator position', () => {
    expect(errorOf("<cpudata arch='x86'>\n  <cpuid eax_in='0x0'>\n</cpudata>")).toMatch(/^in\.xml:3:\d+: expected well-formed XML \(expected closing tag 'cpuid'/);
    expect(errorOf("<cpudata arch='x86'>\n <cpuid eax_in='0x0' eax_in='0x1'/>\n</cpudata>")).toMatch(/^in\.xml:2:\d+: expected well-formed XML \(attribute 'eax_in' is repeated\)/);
  });

  it('rejects documents that are not raw CPUID dumps', () => {
    expect(errorOf('')).toBe("in.xml:1: expected a libvirt <cpudata arch='x86'> document, found nothing");
    expect(errorOf("<?xml version='1.0'?>\n<cpu mode='custom'>\n  <model>Haswell</model>\n</cpu>")).toMatch(/^in\.xml:2:1: expected a <cpudata arch='x86'> root element.*found "<cpu>"/);
    expect(errorOf("<cpudata arch='ppc64'>\n</cpudata>")).toMatch(/^in\.xml:1:1: expected <cpudata arch='x86'>, found "arch='ppc64'"/);
    expect(errorOf("<cpudata arch='x86'>\n</cpudata>")).toMatch(/^in\.xml:1:1: expected at least one <cpuid/);
    expect(errorOf("<cpudata/>\n<cpudata/>")).toMatch(/^in\.xml:2:1: expected a single root element/);
    expect(errorOf("<cpudata>\n<!-- a > b -->\n  stray text\n<cpuid eax_in='0x0' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/></cpudata>")).toBe(
      'in.xml:3: expected only <cpuid> and <msr> elements inside <cpudata>, found "stray text"',
    );
    expect(errorOf(`<cpudata>\n${'<a>'.repeat(12)}${'</a>'.repeat(12)}</cpudata>`)).toMatch(/^in\.xml:2: expected elements nested at most 8 deep/);
    expect(errorOf("<cpudata>\n<cpuid eax_in='0x0' ecx_in='0x100000' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/></cpudata>")).toMatch(/^in\.xml:2:1: expected the 1st <cpuid> element to have ecx_in below 0x100000/);
  });

  it('warns about duplicates and unknown elements but keeps going', () => {
    const r = parse(
      "<cpudata>\n<cpuid eax_in='0x0' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/>\n<cpuid eax_in='0x0' eax='0x2' ebx='0x0' ecx='0x0' edx='0x0'/>\n<note>x</note>\n</cpudata>",
    );
    expect(r.dump.get(0)?.eax).toBe(2);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'leaf 0x0 subleaf 0 appears twice (lines 2 and 3): the later one is used',
      'ignored <note> (a <cpudata> dump holds only <cpuid> and <msr>)',
    ]);
  });

  it('stays fast on 1 MB pathological input (no super-linear parsing)', () => {
    expectFastOnPathologicalInput(libvirtImporter, ['', "<cpudata>\n<cpuid eax_in='", '<cpudata>\n<!-- '], 'slow.xml');
  });

  it('never throws anything but a well-shaped InputError (random and mutated input)', () => {
    const base = readFileSync(join(FIXTURES, 'xeon-platinum-8268.xml'), 'utf8');
    expectRobustAgainstDamage(libvirtImporter, fc.oneof(mutatedText(base), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 })), 'fuzz.xml', 600);
  });
});

describe.skipIf(!hasShared)('libvirt cputestdata oracle (needs ../shared)', () => {
  const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
  const files = hasShared
    ? readdirSync(dir)
        .filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
        .sort()
    : [];

  it('finds the 61 raw dumps', () => {
    expect(files).toHaveLength(61);
  });

  it('imports every dump; family/model/stepping match the .sig files; MSRs are kept', () => {
    let withMsr = 0;
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const r = parse(text, f);
      expect(r.diagnostics, f).toEqual([]);
      const sig = readFileSync(join(dir, f.replace(/\.xml$/, '.sig')), 'utf8');
      const num = (label: string): number => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(sig)![1]);
      const id = identify(r.dump);
      expect({ f, family: id.family, model: id.model, stepping: id.stepping }).toEqual({ f, family: num('family'), model: num('model'), stepping: num('stepping') });
      expect(id.signature.toString(16).padStart(6, '0'), f).toBe(sig.split('\n')[0]!.trim());
      expect(r.dump.size, f).toBe((text.match(/<cpuid /g) ?? []).length);
      for (const m of text.matchAll(/<msr index='(0x[0-9a-f]+)' edx='(0x[0-9a-f]+)' eax='(0x[0-9a-f]+)'\/>/g)) {
        expect(r.dump.msrs.get(Number(m[1])), f).toBe((BigInt(m[2]!) << 32n) | BigInt(m[3]!));
        if (Number(m[1]) === 0x10a) withMsr++;
      }
      expect(r.dump.msrs.has(0x10a), f).toBe(text.includes("<msr index='0x10a'"));
    }
    expect(withMsr).toBe(8);
  });
});
