import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { identify } from '../../core/identity.js';
import { describeImport, golden } from '../../test-support/golden.js';
import { cpuidToolImporter } from './reader.js';
import { importText } from '../readers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const load = (name: string) => importText(read(name), { file: name });
const parse = (text: string) => cpuidToolImporter.parse(text, { file: 'cpuid.txt' });

describe('cpuid -r importer: golden files', () => {
  for (const name of fixtures) {
    it(name, () => {
      const r = load(name);
      expect(r.format).toBe('cpuid-r');
      expect(r.dump).toBe(r.cpus[0]);
      expect(describeImport(r)).toBe(golden(join(FIXTURES, name.replace(/\.txt$/, '.golden.json')), describeImport(r)));
    });
  }
});

describe('cpuid -r importer', () => {
  it('keeps every `CPU N:` block and sees the hypervisor', () => {
    const r = load('all-cpus.txt');
    expect(r.cpus).toHaveLength(2);
    const id = identify(r.dump);
    expect(id.hypervisor).toBe(true);
    expect(id.hypervisorVendor).toBe('KVMKVMKVM');
    expect(r.dump.subleaves(0xd)).toEqual([0, 1, 2, 9]);
  });

  it('reads `cpuid -1 -r` (a single `CPU:` header)', () => {
    const r = load('one-cpu.txt');
    expect(r.cpus).toHaveLength(1);
    expect(identify(r.dump).signature).toBe(0x906ea);
    expect(r.dump.subleaves(4)).toEqual([0, 1, 2, 3]);
  });

  it('infers subleaves when the old layout has no subleaf column', () => {
    const d = load('old-no-subleaf.txt').dump;
    expect(d.subleaves(4)).toEqual([0, 1, 2]);
    expect(d.subleaves(0xd)).toEqual([0, 1, 2]);
    expect(d.get(0xd, 1)?.eax).toBe(1);
  });

  it('splits headerless output at each new leaf 0 and notes lines that are not raw output', () => {
    const line0 = '   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69';
    const r = parse(`$ cpuid -r\n${line0}\n${line0}\n`);
    expect(r.cpus).toHaveLength(2);
    expect(r.diagnostics).toEqual([{ level: 'info', message: '1 line that is not `cpuid -r` output ignored', where: { file: 'cpuid.txt', line: 1 } }]);
  });

  it('names file and line of a malformed leaf line', () => {
    expect(() => parse('CPU 0:\n   0x00000001 0x00: eax=0x000306a9 ebx=0x00100800 ecx=0x7f9ae3bf\n')).toThrow(
      'cpuid.txt:2: expected a raw CPUID line like "   0x00000007 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000", found "   0x00000001 0x00: eax=0x000306a9 ebx=0x00100800 ecx=0x7f9a…"',
    );
  });

  it('explains that decoded `cpuid` output cannot be read back', () => {
    expect(() => parse('CPU 0:\n   vendor_id = "GenuineIntel"\n')).toThrow(
      /^cpuid\.txt: expected raw lines like .* \(run `cpuid -r`; decoded `cpuid` output cannot be read back\), found " {3}vendor_id = \\"GenuineIntel\\""$/,
    );
  });

  it('rejects a subleaf beyond what a dump can hold', () => {
    expect(() => parse('   0x00000004 0x100000: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n')).toThrow(
      'cpuid.txt:1: expected a subleaf below 0x100000, found "0x100000"',
    );
  });
});
