import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { expectGolden } from '../../test-support/expect-golden.js';

const FIX = 'src/cli/commands/fixtures/modes';

describe('openevc modes', () => {
  it('lists both vendors in ladder order with what each mode adds (golden)', async () => {
    const r = await runCli('modes');
    expect(r.code).toBe(0);
    expectGolden(r.stdout, `${FIX}/modes.golden.txt`);
  });

  it('filters by vendor', async () => {
    const r = await runCli('modes', '--vendor', 'amd');
    expect(r.stdout).toContain('amd-greyhound-no3dnow');
    expect(r.stdout).not.toContain('intel-merom');
    expect((await runCli('modes', '--vendor', 'via')).code).toBe(2);
  });

  it('prints keys, labels, vendor, track, level, adds, removes, features, confirmed and sources as JSON', async () => {
    const r = await runCli('modes', '--json', '--vendor', 'amd');
    const modes = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(modes.map((m) => m.key)[0]).toBe('amd-rev-e');
    const no3dnow = modes.find((m) => m.key === 'amd-greyhound-no3dnow')!;
    expect(Object.keys(no3dnow)).toEqual([
      'key', 'label', 'vendor', 'track', 'level', 'tier', 'parent', 'adds', 'removes', 'passes', 'features', 'confirmed', 'placements', 'key_confirmed', 'label_confirmed', 'source',
    ]);
    expect(no3dnow).toMatchObject({
      label: 'AMD Opteron Generation 3 (no 3DNow!)',
      vendor: 'amd',
      track: ['A', 'B'],
      level: 'A2/B0',
      parent: 'amd-rev-f',
      removes: [{ ids: ['3dnow'], source: 'kb1003212', confirmed: true }],
      confirmed: false,
      key_confirmed: true,
      source: { origin: 'built-in', key: 'pcli-vmevc' },
    });
    expect(no3dnow.features).toContain('sse4a');
    expect(no3dnow.features).not.toContain('3dnow');
  });

  it('takes vCenter definitions with --evc-modes and marks them as loaded', async () => {
    const r = await runCli('modes', '--vendor', 'intel', '--evc-modes', 'src/formats/vcenter-evc/fixtures/supported-evc-modes.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/L1 +intel-penryn +Intel "Penryn" Generation \(Xeon 45 nm Core 2\) +\[confirmed, loaded from src\/formats\/vcenter-evc\/fixtures\/supported-evc-modes\.json\]/);
    expect(r.stdout).toContain('intel-lab');
    expect(r.stderr).toContain('ignored amd_ibpb');
  });
});
