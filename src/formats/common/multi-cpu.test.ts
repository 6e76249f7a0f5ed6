import { describe, expect, it } from 'vitest';
import { Catalog, catalog } from '../../core/catalog.js';
import type { FeatureRow } from '../../core/catalog.js';
import { CpuidDump } from '../../core/cpuid.js';
import { featureDisagreement } from './multi-cpu.js';

// A small catalog of its own, so the test does not depend on how complete the real table is.
const ROWS: FeatureRow[] = [
  { id: 'avx', at: '1.ecx.28', name: 'AVX', cat: 'simd' },
  { id: 'osxsave', at: '1.ecx.27', name: 'OSXSAVE', cat: 'xsave', kind: 'os' },
  { id: 'avx512f', at: '7.0.ebx.16', name: 'AVX-512 Foundation', cat: 'simd' },
  { id: 'hybrid_cpu', at: '7.0.edx.15', name: 'Hybrid part', cat: 'info', kind: 'info' },
];
const small = new Catalog(ROWS);

function cpu(opts: { ecx1?: number; ebx7?: number; edx7?: number; apic?: number; cache?: number } = {}): CpuidDump {
  const d = new CpuidDump({ format: 'synthetic', lossy: false });
  d.set(0, 0, { eax: 0x20, ebx: 0x756e6547, ecx: 0x6c65746e, edx: 0x49656e69 });
  d.set(1, 0, { eax: 0x90672, ebx: (opts.apic ?? 0) << 24, ecx: opts.ecx1 ?? (1 << 28) | (1 << 27), edx: 0 });
  d.set(4, 0, { eax: opts.cache ?? 0x121, ebx: 0, ecx: 0, edx: 0 });
  d.set(7, 0, { eax: 0, ebx: opts.ebx7 ?? 1 << 16, ecx: 0, edx: opts.edx7 ?? 0 });
  return d;
}

describe('comparing the logical CPUs of one dump', () => {
  it('ignores APIC IDs, cache leaves and OS-state bits', () => {
    const cpus = [cpu(), cpu({ apic: 1, cache: 0x122 }), cpu({ apic: 2, ecx1: 1 << 28 })];
    expect(featureDisagreement(cpus, small)).toBeUndefined();
  });

  it('groups features by the CPUs that differ and names the first of them', () => {
    const cpus = [cpu(), cpu({ apic: 1 }), cpu({ apic: 2, ebx7: 0, ecx1: 0 }), cpu({ apic: 3, ebx7: 0, ecx1: 0 }), cpu({ apic: 5, ebx7: 0 })];
    expect(featureDisagreement(cpus, small)).toEqual({
      message: 'logical CPUs disagree on features; openevc uses CPU 0. Compared with CPU 0, missing on 2 CPUs (2-3): avx; missing on 3 CPUs (2-4): avx512f',
      firstCpu: 2,
    });
  });

  it('says when the CPUs of a hybrid part disagree, and what CPU 0 lacks', () => {
    const hybrid = 1 << 15;
    const cpus = [cpu({ edx7: hybrid, ebx7: 0 }), cpu({ edx7: hybrid, apic: 0x40 })];
    expect(featureDisagreement(cpus, small)?.message).toBe(
      'hybrid part: its performance and efficiency cores disagree on features; openevc uses CPU 0. Compared with CPU 0, present only on CPU 1: avx512f',
    );
  });

  it('treats a leaf a CPU does not answer as all zero', () => {
    const short = cpu({ apic: 1 });
    short.set(0, 0, { eax: 1, ebx: 0x756e6547, ecx: 0x6c65746e, edx: 0x49656e69 }); // max basic leaf 1: leaf 7 is not answered
    expect(featureDisagreement([cpu(), short], small)?.message).toMatch(/missing on CPU 1: avx512f$/);
  });

  it('works with the real catalog', () => {
    expect(featureDisagreement([cpu(), cpu({ apic: 1 })], catalog)).toBeUndefined();
    expect(featureDisagreement([cpu(), cpu({ ecx1: 0 })], catalog)?.message).toMatch(/missing on CPU 1: .*\bavx\b/);
  });
});
