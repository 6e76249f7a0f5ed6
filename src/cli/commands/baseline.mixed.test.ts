import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT } from '../../test-support/shared.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);

describe('openevc baseline over mixed Intel and AMD hosts', () => {
  it('every host keeps its own max EVC mode (as show gives it), and the baseline is reported per vendor group', async () => {
    const r = await runCli('baseline', ex('cluster'), ex('amd'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.vendor).toBe('mixed');
    for (const h of j.hosts) {
      const show = JSON.parse((await runCli('show', h.path, '--json')).stdout);
      expect(h.max_evc, h.path).toBe(show.evc.max);
      expect(h.max_evc, h.path).not.toBeNull();
    }
    expect(j.groups).toHaveLength(2);
    expect(j.groups[0]).toMatchObject({ vendor: 'intel', evc: { mode: 'intel-haswell' }, qemu: { model: 'Haswell-noTSX' }, x86_64_level: 3 });
    expect(j.groups[0].hosts).toHaveLength(4);
    expect(j.groups[1]).toMatchObject({ vendor: 'amd', evc: { mode: 'amd-zen' }, qemu: { model: 'EPYC' } });
    expect(j.groups[1].hosts).toEqual([ex('amd/kvm-21-epyc-7601.json'), ex('amd/kvm-22-epyc-7502.json')]);
    // the cross-vendor common set stays, for KVM targets
    expect(j.evc.mode).toBeNull();
    expect(j.features).toContain('avx2');
  });

  it('text: one block per vendor, then the cross-vendor set; no host without its max EVC', async () => {
    const r = await runCli('baseline', ex('cluster'), ex('amd'));
    expect(r.stdout).toMatch(/GenuineIntel hosts \(4\)[^\n]*\n\s+EVC mode\s+intel-haswell\?/);
    expect(r.stdout).toMatch(/AuthenticAMD hosts \(2\)[^\n]*\n\s+EVC mode\s+amd-zen\? /);
    expect(r.stdout).toMatch(/kvm-22-epyc-7502\.json\s+amd-zen2\?/);
    expect(r.stdout).not.toMatch(/\.json\s+-\s/);
  });

  it('one vendor: no groups', async () => {
    const j = JSON.parse((await runCli('baseline', ex('cluster'), '--json')).stdout);
    expect(j.groups).toEqual([]);
  });
});

describe('computeBaseline with vendors openevc has no data for', () => {
  it('one such vendor: no groups (and no endless recursion); mixed with Intel: one group each', async () => {
    const { computeBaseline } = await import('../../core/baseline.js');
    const { syntheticHost } = await import('../../test-support/hosts.js');
    const cyrix = syntheticHost({ vendor: 'CyrixInstead', signature: 0x524, ids: ['fpu', 'tsc', 'cx8'] });
    const intel = syntheticHost({ vendor: 'GenuineIntel', signature: 0x306a9, ids: ['sse2', 'lm'] });
    expect(computeBaseline([cyrix, cyrix]).groups).toEqual([]);
    const mixed = computeBaseline([cyrix, intel, cyrix]);
    expect(mixed.groups.map((g) => [g.vendorString, g.indices])).toEqual([['CyrixInstead', [0, 2]], ['GenuineIntel', [1]]]);
  });
});
