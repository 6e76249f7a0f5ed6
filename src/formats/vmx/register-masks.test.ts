import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { maskArb } from '../../test-support/masks.js';
import { importOrInputError, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { describeMask, mergeAll } from '../../core/masks/engine.js';
import { cpuidKey, formatMaskValue, parseCpuidKey, parseMaskValue, printVmwareMask } from './register-masks.js';
import type { MaskStyle } from './register-masks.js';
import { readVmxCpu } from './cpu.js';
import { VmxDocument } from './document.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const masksOf = (text: string, file = 'vm.vmx') => readVmxCpu(VmxDocument.parse(text, file)).mask;
const where = { file: 'vm.vmx', line: 3, column: 15 };

describe('VMware register mask values', () => {
  it('reads plain, colon-grouped and space-grouped values alike', () => {
    const plain = '---0----------------------H----1';
    expect(parseMaskValue(plain, where)).toEqual({ bits: plain, style: 'plain' });
    expect(parseMaskValue('---0:----:----:----:----:----:--H-:---1', where)).toEqual({ bits: plain, style: 'colon' });
    expect(parseMaskValue('---0 ---- ---- ---- ---- ---- --H- ---1', where)).toEqual({ bits: plain, style: 'space' });
    for (const style of ['plain', 'colon', 'space'] as const) expect(parseMaskValue(formatMaskValue(plain, style), where).bits).toBe(plain);
  });

  it('accepts every legend character, the lower-case h and r included', () => {
    expect(parseMaskValue('01-xTFRHhr01-xTFRHhr01-xTFRHhr01', where).bits).toBe('01-xTFRHhr01-xTFRHhr01-xTFRHhr01');
  });

  it('points at the bad character: file, line and column', () => {
    expect(inputErrorMessage(() => parseMaskValue('-------Q------------------------', where))).toBe(
      'vm.vmx:3:22: expected a mask character (one of 0 1 - x T F R H r h), found "Q"',
    );
    expect(inputErrorMessage(() => parseMaskValue('----:----:----:---- ----:----:----:----', where))).toBe(
      'vm.vmx:3:34: expected ":" between groups of 4 (the value starts with colon-grouping), found " "',
    );
    expect(inputErrorMessage(() => parseMaskValue('X---:----:----:----:----:----:----:----', where))).toMatch(/^vm\.vmx:3:15: expected a mask character/);
    expect(inputErrorMessage(() => parseMaskValue('-----', where))).toBe(
      'vm.vmx:3:15: expected 32 mask characters, plain or as 8 groups of 4 separated by ":" or " " (this value has 5), found "-----"',
    );
    expect(inputErrorMessage(() => parseMaskValue('-'.repeat(39), where))).toMatch(/^vm\.vmx:3:19: expected ":" or " " after the first group of 4/);
  });
});

describe('VMware register mask keys', () => {
  it('reads cpuid.<leaf>.<reg>, case-insensitively, with an optional vendor', () => {
    expect(parseCpuidKey('cpuid.1.ecx')).toEqual({ kind: 'register', target: { leaf: 1, subleaf: 0, reg: 'ecx' } });
    expect(parseCpuidKey('CPUID.80000001.EDX.AMD')).toEqual({ kind: 'register', target: { leaf: 0x8000_0001, subleaf: 0, reg: 'edx', vendor: 'amd' } });
    expect(parseCpuidKey('cpuid.d.eax')).toEqual({ kind: 'register', target: { leaf: 0xd, subleaf: 0, reg: 'eax' } });
  });

  it('recognises the subleaf forms without taking them for masks', () => {
    expect(parseCpuidKey('cpuid.7.0.ebx')).toEqual({ kind: 'subleaf', leaf: 7, subleaf: 0, reg: 'ebx' });
    expect(parseCpuidKey('cpuid.d.1.eax')).toEqual({ kind: 'subleaf', leaf: 0xd, subleaf: 1, reg: 'eax' });
  });

  it('never takes other CPU keys for masks', () => {
    const others = ['cpuid.coresPerSocket', 'cpuid.brandstring', 'cpuid.SS', 'cpuid.ds', 'cpuid.1', 'cpuid.1.ecx.via'];
    for (const k of [...others, 'cpuid.g.ecx', 'cpuidx.1.ecx', 'featMask.vm.cpuid.AVX', 'cpuid.1.2.3.ecx']) {
      expect(parseCpuidKey(k)).toBeUndefined();
    }
  });

  it('writes only the confirmed plain form, and refuses other subleaves with advice', () => {
    expect(cpuidKey({ leaf: 0x8000_0001, subleaf: 0, reg: 'edx', vendor: 'amd' })).toBe('cpuid.80000001.edx.amd');
    expect(() => cpuidKey({ leaf: 0xd, subleaf: 1, reg: 'eax' })).toThrow(UsageError);
    expect(() => cpuidKey({ leaf: 0xd, subleaf: 1, reg: 'eax' })).toThrow(/featMask\.vm\.cpuid/);
  });
});

describe('VMware register masks: seed 002', () => {
  it('merges the A→B and B→A lines into exactly the four merged lines of the seed', () => {
    const merged = mergeAll([masksOf(read('seed002-a-to-b.vmx')), masksOf(read('seed002-b-to-a.vmx'))]);
    expect(merged.conflicts).toEqual([]);
    const expected = masksOf(read('seed002-merged.vmx'));
    expect(merged.mask.equals(expected)).toBe(true);
    expect(printVmwareMask(merged.mask).sort()).toEqual(read('seed002-merged.vmx').trimEnd().split('\n').sort());
  });

  for (const name of ['seed002-merged', 'seed002-westmere']) {
    it(`prints and explains ${name}.vmx (golden)`, () => {
      const m = masksOf(read(`${name}.vmx`), `${name}.vmx`);
      const text = [...printVmwareMask(m), '', ...printVmwareMask(m, { style: 'colon' }), '', describeMask(m)].join('\n');
      expectGolden(text, join(FIXTURES, `${name}.golden.txt`));
    });
  }
});

describe('VMware register masks: properties', () => {
  const style = fc.constantFrom<MaskStyle>('plain', 'colon', 'space');

  it('reads back what it prints, in every style, quoted or not', () => {
    fc.assert(
      fc.property(maskArb(), style, fc.boolean(), (m, s, quoted) => {
        const lines = printVmwareMask(m, { style: s }).map((l) => (quoted ? l : l.replace(/"/g, '')));
        expect(masksOf(lines.join('\n')).equals(m)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('turns damaged mask lines into InputErrors with file:line:column, never anything else', () => {
    const base = read('seed002-westmere.vmx');
    let errors = 0;
    fc.assert(
      fc.property(mutatedText(base), (text) => {
        if (importOrInputError(() => masksOf(text, 'w.vmx'), 'w.vmx') === 'input-error') {
          errors++;
          expect(inputErrorMessage(() => masksOf(text, 'w.vmx'))).toMatch(/^w\.vmx:\d+:\d+: expected /);
        }
      }),
      { numRuns: 400 },
    );
    expect(errors).toBeGreaterThan(0);
  });
});
