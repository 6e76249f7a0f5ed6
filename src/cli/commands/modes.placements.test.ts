import { describe, expect, it } from 'vitest';
import { builtinEvcModes } from '../../core/evc.js';
import { EVC_MODE_TABLE, EVC_SOURCES } from '../../data/evc-modes.js';
import { runCli } from '../../test-support/cli.js';
import { placements } from '../../report/modes.js';

/** The placements public VMware/Broadcom sources confirm (see the header of src/data/evc-modes.ts). */
const CONFIRMED: Readonly<Record<string, readonly string[]>> = {
  'intel-penryn': ['sse4_1'],
  'intel-sandybridge': ['avx', 'xsave', 'xsave_sse', 'xsave_ymm', 'tsc_deadline_timer'],
  'intel-ivybridge': ['spec_ctrl_ssbd'],
  'intel-broadwell': ['spec_ctrl', 'intel_stibp', 'md_clear', 'flush_l1d'],
  'amd-greyhound-no3dnow': ['3dnow'],
  'amd-greyhound': ['3dnow'],
};

const NOT_A_CONFIRMATION = new Set(['inferred', 'kb1005764-recalled']);

describe('EVC modes: every placement cites its source', () => {
  it('cites a known source beside every placement, and confirms only from sources that can confirm', () => {
    for (const row of EVC_MODE_TABLE) {
      for (const fact of [...row.adds, ...(row.removes ?? []), ...(row.passes ?? [])]) {
        expect(EVC_SOURCES[fact.source], `${row.key}: ${fact.source}`).toBeDefined();
        if (fact.confirmed) expect(NOT_A_CONFIRMATION.has(fact.source), `${row.key}: ${fact.ids.join(',')} confirmed by ${fact.source}`).toBe(false);
        if (NOT_A_CONFIRMATION.has(fact.source)) expect(fact.confirmed, `${row.key}: ${fact.ids.join(',')}`).toBe(false);
      }
    }
  });

  it('confirms exactly the placements public documentation supports', () => {
    const confirmed: Record<string, string[]> = {};
    for (const m of builtinEvcModes().list()) {
      const ids = [...m.adds, ...m.removes, ...m.passFacts].filter((f) => f.confirmed).flatMap((f) => f.features.map((x) => x.id));
      if (ids.length > 0) confirmed[m.key] = ids;
    }
    expect(confirmed).toEqual(CONFIRMED);
  });
});

describe('openevc modes: how many placements are confirmed', () => {
  const modes = builtinEvcModes().list();
  const sum = (keys: (m: (typeof modes)[number]) => boolean) =>
    modes.filter(keys).map(placements).reduce((a, p) => ({ confirmed: a.confirmed + p.confirmed, total: a.total + p.total }), { confirmed: 0, total: 0 });

  it('prints the count in text, in all and per vendor', async () => {
    const all = sum(() => true);
    const intel = sum((m) => m.vendor === 'intel');
    const amd = sum((m) => m.vendor === 'amd');
    expect(all.confirmed).toBe(Object.values(CONFIRMED).flat().length);
    expect(all.total).toBeGreaterThan(all.confirmed);
    const r = await runCli('modes');
    expect(r.stdout).toContain(`Placements: ${all.confirmed} of ${all.total} confirmed by a source (Intel ${intel.confirmed} of ${intel.total}, AMD ${amd.confirmed} of ${amd.total})`);
    const one = await runCli('modes', '--vendor', 'amd');
    expect(one.stdout).toContain(`Placements: ${amd.confirmed} of ${amd.total} confirmed by a source; the others are marked "?".`);
  });

  it('gives each mode its count in JSON', async () => {
    const json = JSON.parse((await runCli('modes', '--json')).stdout) as { key: string; placements: { confirmed: number; total: number } }[];
    expect(json.find((m) => m.key === 'intel-sandybridge')!.placements).toEqual({ confirmed: 5, total: 5 });
    expect(json.find((m) => m.key === 'intel-haswell')!.placements).toEqual({ confirmed: 0, total: 9 });
    expect(json.reduce((n, m) => n + m.placements.confirmed, 0)).toBe(Object.values(CONFIRMED).flat().length);
  });
});
