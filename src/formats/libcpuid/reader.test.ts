import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { identify } from '../../core/identity.js';
import { describeImport, golden } from '../../test-support/golden.js';
import { importText } from '../readers.js';
import { libcpuidImporter } from './reader.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const load = (name: string) => importText(read(name), { file: name });
const parse = (text: string) => libcpuidImporter.parse(text, { file: 'raw.txt' });

describe('libcpuid raw importer: golden files', () => {
  for (const name of fixtures) {
    it(name, () => {
      const r = load(name);
      expect(r.format).toBe('libcpuid');
      expect(describeImport(r)).toBe(golden(join(FIXTURES, name.replace(/\.txt$/, '.golden.json')), describeImport(r)));
    });
  }
});

describe('libcpuid raw importer', () => {
  it('maps each key to its leaf: decimal `fn4`/`fn11`, hex `fn12h`/`fn8000001dh`, ext_cpuid from 0x80000000', () => {
    const r = load('multi.txt');
    expect(r.cpus).toHaveLength(2);
    expect(r.dump.subleaves(0xb)).toEqual([0, 1]);
    expect(r.dump.subleaves(0x8000001d)).toEqual([0, 1]);
    expect(r.dump.has(0x12, 0)).toBe(true);
    expect(identify(r.dump)).toMatchObject({ vendorString: 'AuthenticAMD', family: 0x19, model: 0x75, stepping: 2 });
  });

  it('accepts a leaf given twice with the same values (basic_cpuid[4] and intel_fn4[0])', () => {
    const r = load('raw.txt');
    // (A cut-down dump: the registry's truncation warnings are not the point here.)
    expect(r.diagnostics.filter((d) => !/truncated dump/.test(d.message))).toEqual([]);
    expect(r.dump.subleaves(4)).toEqual([0, 1, 2]);
  });

  it('ignores unknown keys with a warning, and rejects lines that are not key=value', () => {
    const r = parse('basic_cpuid[0]=00000001 756e6547 6c65746e 49656e69\nfuture_leaf[0]=1 2 3 4\n');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['unknown libcpuid entries ignored: future_leaf']);
    expect(() => parse('basic_cpuid[0]=00000001 756e6547 6c65746e\n')).toThrow(
      'raw.txt:1: expected a libcpuid raw line like "basic_cpuid[1]=000306a9 00100800 7f9ae3bf bfebfbff", found "basic_cpuid[0]=00000001 756e6547 6c65746e"',
    );
    expect(() => parse('version=0.6.4\n')).toThrow(/^raw\.txt: expected libcpuid raw lines like/);
  });
});
