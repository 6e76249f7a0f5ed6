import { describe, expect, it } from 'vitest';
import { catalog, parseLocation, formatLocation, normalizeName } from './catalog.js';
import { CpuidDump } from './cpuid.js';

describe('catalog machinery', () => {
  it('parses and prints compact locations', () => {
    expect(parseLocation('7.0.ebx.5')).toEqual({ type: 'cpuid', leaf: 7, subleaf: 0, reg: 'ebx', bit: 5 });
    expect(parseLocation('80000001.ecx.8')).toEqual({ type: 'cpuid', leaf: 0x80000001, subleaf: 0, reg: 'ecx', bit: 8 });
    expect(parseLocation('msr.10a.5')).toEqual({ type: 'msr', index: 0x10a, bit: 5 });
    for (const at of ['7.0.ebx.5', '1.ecx.19', 'd.1.eax.0', '80000001.edx.29', 'msr.10a.63']) expect(formatLocation(parseLocation(at))).toBe(at);
    expect(() => parseLocation('1.xyz.3')).toThrow();
    expect(() => parseLocation('1.ecx.32')).toThrow();
  });

  it('resolves any spelling to one entry', () => {
    expect(catalog.resolve('pni')?.id).toBe('sse3');
    expect(catalog.resolve('SSE4.1')?.id).toBe('sse4_1');
    expect(catalog.resolve('sse4-1')?.id).toBe('sse4_1');
    expect(catalog.resolve('pclmuldq', 'libvirt')?.id).toBe('pclmulqdq');
    expect(catalog.resolve('aesni', 'xen')?.id).toBe('aes');
    expect(normalizeName('TSC-Deadline')).toBe('tscdeadline');
  });

  it('decodes only bits of leaves the CPU answers', () => {
    const d = new CpuidDump({ format: 'synthetic', lossy: false });
    d.set(0, 0, { eax: 1, ebx: 0, ecx: 0, edx: 0 });
    d.set(1, 0, { eax: 0x306a9, ebx: 0, ecx: (1 << 19) | (1 << 28), edx: 0 });
    d.set(0xd, 0, { eax: 7, ebx: 0, ecx: 0, edx: 0 }); // beyond max basic leaf 1: ignored
    const s = catalog.decode(d);
    expect(s.has('sse4_1')).toBe(true);
    expect(s.has('avx')).toBe(true);
    expect(s.has('xsave_ymm')).toBe(false);
  });

  it('closes over dependencies both ways', () => {
    const hidden = catalog.dependents(catalog.setOf(['xsave']));
    for (const id of ['avx', 'f16c', 'fma', 'xsave_ymm', 'xsave_sse', 'osxsave']) expect(hidden.has(id)).toBe(true);
    const needs = catalog.requirements(catalog.setOf(['f16c']));
    for (const id of ['avx', 'xsave', 'xsave_ymm', 'sse4_2', 'sse']) expect(needs.has(id)).toBe(true);
  });
});
