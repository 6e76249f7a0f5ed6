/** Every unconfirmed EVC fact is marked wherever it is used: `?` with a legend in text, `"confirmed": false` with the source in JSON. */
import { describe, expect, it } from 'vitest';
import { UNCONFIRMED_LEGEND } from '../core/evc.js';
import { runCli } from '../test-support/cli.js';

const IVY = 'examples/seed-002/host-b-core-i7-3770.json';
const PENRYN = 'examples/seed-000/esx-04-xeon-e5420.json';

describe('unconfirmed EVC facts are marked, never stated as fact', () => {
  it('check: XSAVEOPT "arrives with intel-broadwell?" (placement rule, unconfirmed), with the legend; JSON evc_mode.confirmed false with the source', async () => {
    const r = await runCli('check', IVY, PENRYN);
    expect(r.stdout).toMatch(/xsaveopt .*arrives with EVC mode intel-broadwell\?/);
    expect(r.stdout).toMatch(/xsave_ymm .*arrives with EVC mode intel-sandybridge\s*$/m); // confirmed by seed 002: no mark
    expect(r.stdout).toContain(UNCONFIRMED_LEGEND);
    const j = JSON.parse((await runCli('check', IVY, PENRYN, '--json')).stdout);
    const x = j.blockers.find((b: { id: string }) => b.id === 'xsaveopt');
    expect(x.evc_mode).toEqual({ key: 'intel-broadwell', confirmed: false, sources: ['govc-dump'] });
    expect(j.blockers.find((b: { id: string }) => b.id === 'xsave_ymm').evc_mode).toMatchObject({ key: 'intel-sandybridge', confirmed: true });
    expect(j.evc.facts).toContainEqual(expect.objectContaining({ key: 'intel-ivybridge', confirmed: false }));
  });

  it('baseline: the mode and "loses xsaveopt" are marked; JSON says which losses are unconfirmed', async () => {
    const r = await runCli('baseline', 'examples/cluster');
    expect(r.stdout).toMatch(/EVC mode\s+intel-haswell\?/);
    expect(r.stdout).toMatch(/esx-11-xeon-e5-2650v3\.json\s+intel-haswell\?\s+1: xsaveopt\?/);
    expect(r.stdout).toContain(UNCONFIRMED_LEGEND);
    const j = JSON.parse((await runCli('baseline', 'examples/cluster', '--json')).stdout);
    expect(j.evc).toMatchObject({ mode: 'intel-haswell', confirmed: false });
    expect(j.evc.sources).toContain('kb1005764-recalled');
    expect(j.hosts[0]).toMatchObject({ max_evc: 'intel-haswell', max_evc_confirmed: false, lost_under_evc_unconfirmed: ['xsaveopt'] });
    // Under a mode whose whole set is confirmed (Westmere, by seed 002's mask), what a host loses is not in doubt.
    const w = await runCli('baseline', 'examples/seed-002');
    expect(w.stdout).toMatch(/host-a-atom-c2750\.json\s+intel-westmere\s+\d+: movbe /);
    expect(JSON.parse((await runCli('baseline', 'examples/seed-002', '--json')).stdout).hosts[0].lost_under_evc_unconfirmed).toEqual([]);
  });

  it('mask: the mode is marked in the explanation; --format json carries confirmed and sources', async () => {
    const r = await runCli('mask', '--evc', 'intel-haswell', 'examples/cluster');
    expect(r.stderr).toMatch(/EVC baseline intel-haswell\? /);
    expect(r.stderr).toContain(UNCONFIRMED_LEGEND);
    const j = JSON.parse((await runCli('mask', '--evc', 'intel-haswell', '--format', 'json', 'examples/cluster')).stdout);
    expect(j.mode).toMatchObject({ key: 'intel-haswell', confirmed: false });
    // a mode whose set is confirmed by evidence carries no mark
    const w = await runCli('mask', '--evc', 'intel-westmere', 'examples/seed-002');
    expect(w.stderr).toMatch(/EVC baseline intel-westmere \(/);
  });

  it('show: the max mode is marked, with the legend; JSON confirmed false with the sources', async () => {
    const r = await runCli('show', IVY);
    expect(r.stdout).toMatch(/Max EVC mode\s+intel-ivybridge\?/);
    expect(r.stdout).toContain(UNCONFIRMED_LEGEND);
    const j = JSON.parse((await runCli('show', IVY, '--json')).stdout);
    expect(j.evc).toMatchObject({ max: 'intel-ivybridge', confirmed: false });
    expect(j.evc.sources.length).toBeGreaterThan(0);
  });
});
