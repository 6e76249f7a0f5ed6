import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { REGISTERS } from '../../core/cpuid.js';
import { XEN_NUMERIC_KEYS } from './keys.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { host } from '../../test-support/masks.js';
import { importOrInputError, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { describeMask } from '../../core/masks/engine.js';
import { XEN_CHARS, applyXenCpuid, parseXenCpuid, printXenCpuid, xenRequirements, xenToCpuidMask } from './syntax.js';
import type { XenCpuid, XenLegacyLeaf, XenLibxlSetting } from './syntax.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const parse = (text: string) => parseXenCpuid(text, 'guest.cfg');

describe('Xen cpuid=: both syntaxes', () => {
  it('reads the libxl string of xl.cfg(5) and the legacy list that does the same', () => {
    const libxl = parse('cpuid = "host,tm=0,sse3=0"');
    expect(libxl).toEqual({
      syntax: 'libxl',
      settings: [
        { key: 'tm', value: '0', feature: catalog.require('tm') },
        { key: 'sse3', value: '0', feature: catalog.require('sse3') },
      ],
    });
    const legacy = parse('cpuid = [ "1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,edx=xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ]');
    expect(legacy.syntax).toBe('legacy');
    expect(xenToCpuidMask(legacy).equals(xenToCpuidMask(libxl))).toBe(true);
    const h = host(['sse3', 'tm', 'ssse3', 'nx', 'lm']);
    expect(catalog.decode(applyXenCpuid(libxl, h)).ids()).toEqual(['ssse3', 'nx', 'lm']);
  });

  it('reads a bare value, decimal and hex leaves, subleaves, and finds cpuid= among other settings', () => {
    expect(parse('"host"')).toEqual({ syntax: 'libxl', settings: [] });
    const l = parse('[ "13,1:eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0", "0x80000001:ecx=11111111111111111111111111111111" ]');
    expect(l.syntax === 'legacy' && l.leaves.map((x) => [x.leaf, x.subleaf])).toEqual([
      [13, 1],
      [0x8000_0001, undefined],
    ]);
    const cfg = parse('name = "a"\ncpuid = "host,aes=0"; memory = 512\n# cpuid = "host,avx=0"\ncpuid = "host,avx=0"\n');
    expect(cfg.syntax === 'libxl' && cfg.settings.map((s) => s.key)).toEqual(['avx']); // the last setting wins
  });

  for (const name of ['xen-libxl', 'xen-legacy']) {
    it(`reads ${name}.cfg (golden)`, () => {
      const x = parse(read(`${name}.cfg`));
      const text = [printXenCpuid(x), '', describeMask(xenToCpuidMask(x))].join('\n');
      expectGolden(text, join(FIXTURES, `${name}.golden.txt`));
    });
  }

  it('reads clflush, a numeric key and a Xen feature name alike, as the numeric key', () => {
    expect(XEN_NUMERIC_KEYS.filter((k) => catalog.resolve(k, 'xen'))).toEqual(['clflush']);
    expect(parse('cpuid = "host,clflush=8"')).toEqual({ syntax: 'libxl', settings: [{ key: 'clflush', value: '8' }] });
  });

  it('keeps numeric libxl keys without applying them', () => {
    const x = parse(read('xen-libxl.cfg'));
    expect(x.syntax === 'libxl' && x.settings.filter((s) => !s.feature).map((s) => `${s.key}=${s.value}`)).toEqual(['family=6', 'model=0x2c']);
  });

  it('needs every feature the guest saw at boot on a migration destination', () => {
    const x = parse('cpuid = "host,avx=0,x2apic=k"');
    const source = host(['avx', 'x2apic', 'sse3', 'apic']);
    expect(xenRequirements(x, source).bits.map((r) => `${r.feature!.id}:${r.because}`)).toEqual(['x2apic:seen', 'sse3:seen', 'apic:seen']);
  });

  it('points at the error: file, line, column', () => {
    const err = (t: string) => inputErrorMessage(() => parse(t));
    expect(err('cpuid = "hots,tm=0"')).toBe(`guest.cfg:1:10: expected 'host' to start a libxl cpuid string ("host,name=value,…"), found "hots"`);
    expect(err('cpuid = "host,tm=0,frobnicate=1"')).toMatch(/^guest\.cfg:1:20: expected a Xen CPUID feature name or one of apicidsize, /);
    expect(err('cpuid = "host,sse3=2"')).toBe(`guest.cfg:1:20: expected one of 1 0 x k s for 'sse3', found "2"`);
    expect(err('cpuid = "host,family=six"')).toBe(`guest.cfg:1:22: expected a number for 'family', found "six"`);
    expect(err('x = 1\ncpuid = [\n  "1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxQ"\n]')).toBe('guest.cfg:3:41: expected one of 1 0 x k s, found "Q"');
    expect(err('cpuid = [ "1:ecx=xxxx" ]')).toBe('guest.cfg:1:18: expected 32 characters for ecx (this value has 4), found "xxxx"');
    expect(err('cpuid = [ "1:esx=xxxx" ]')).toBe('guest.cfg:1:14: expected eax=, ebx=, ecx= or edx=, found "esx=xxxx"');
    expect(err('cpuid = [ "one:ecx=x" ]')).toBe('guest.cfg:1:12: expected a leaf number (decimal or 0x hex), found "one"');
    expect(err('cpuid = [ "1:ecx=x" "2:ecx=x" ]')).toMatch(/^guest\.cfg:1:1[0-9]: /);
    expect(err('cpuid = "host')).toBe('guest.cfg:1:14: expected the closing " of the string opened at column 9, found nothing');
    expect(err('cpuid = "host\nx = 1')).toBe('guest.cfg:1:14: expected the closing " of the string opened at column 9, found "\\n"');
    expect(err('memory = 512')).toBe('guest.cfg:1: expected a cpuid= setting');
    expect(err('cpuid = [ "1:ecx=x"')).toBe('guest.cfg:1:9: expected a ] closing this list, found nothing');
  });
});

describe('Xen cpuid=: properties', () => {
  const xenFeatures = catalog.features.filter((f) => f.xen && f.loc.type === 'cpuid' && !XEN_NUMERIC_KEYS.includes(f.xen));
  const libxl: fc.Arbitrary<XenCpuid> = fc
    .array(
      fc.oneof(
        fc
          .record({ f: fc.constantFrom(...xenFeatures), value: fc.constantFrom(...XEN_CHARS) })
          .map(({ f, value }): XenLibxlSetting => ({ key: f.xen!, value, feature: f })),
        fc.record({ key: fc.constantFrom('family', 'model', 'stepping'), value: fc.constantFrom('6', '0x2c', '1x0k') }).map((s): XenLibxlSetting => s),
      ),
      { maxLength: 8 },
    )
    .map((settings) => ({ syntax: 'libxl', settings }));
  const xenBits = fc.array(fc.constantFrom(...XEN_CHARS), { minLength: 32, maxLength: 32 }).map((a) => a.join(''));
  const leaf: fc.Arbitrary<XenLegacyLeaf> = fc
    .record({
      leaf: fc.constantFrom(1, 7, 0xd, 0x8000_0001),
      subleaf: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
      regs: fc.array(fc.record({ reg: fc.constantFrom(...REGISTERS), bits: xenBits }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ subleaf, ...l }) => (subleaf === undefined ? l : { ...l, subleaf }));
  const legacy: fc.Arbitrary<XenCpuid> = fc.array(leaf, { maxLength: 5 }).map((leaves) => ({ syntax: 'legacy', leaves }));

  it('reads back what it prints, in both syntaxes', () => {
    fc.assert(
      fc.property(fc.oneof(libxl, legacy), (x) => {
        expect(parse(printXenCpuid(x))).toEqual(x);
      }),
      { numRuns: 300 },
    );
  });

  it('applying a setting twice changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(libxl, legacy), (x) => {
        const once = applyXenCpuid(x, host(['sse3', 'avx', 'fsgsbase', 'nx', 'lm']));
        expect(applyXenCpuid(x, once).list()).toEqual(once.list());
      }),
      { numRuns: 200 },
    );
  });

  it('damaged settings fail only with InputErrors naming file:line:column', () => {
    let errors = 0;
    for (const name of ['xen-libxl.cfg', 'xen-legacy.cfg']) {
      fc.assert(
        fc.property(mutatedText(read(name)), (text) => {
          if (importOrInputError(() => parse(text), 'guest.cfg') === 'input-error') {
            errors++;
            expect(inputErrorMessage(() => parse(text))).toMatch(/^guest\.cfg:\d+(:\d+)?: expected /);
          }
        }),
        { numRuns: 300 },
      );
    }
    expect(errors).toBeGreaterThan(0);
  });
});
