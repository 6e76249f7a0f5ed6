/**
 * Fleet exports through the commands: show, check, baseline and mask accept every fleet format,
 * name each host's fidelity, and read a folder of mixed files as one fleet.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT } from '../../test-support/shared.js';

const fx = (format: string, name: string) => join(REPO_ROOT, 'src', 'formats', format, 'fixtures', name);
const FLEET = join(REPO_ROOT, 'examples', 'fleet');

describe('fleet exports in the commands', () => {
  it('baseline of the mixed example folder (govc, kubectl nodes, InstLatx64 dumps) names each host and its fidelity', async () => {
    const r = await runCli('baseline', FLEET, '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts.map((h: { path: string; fidelity: string }) => [h.path.slice(FLEET.length + 1), h.fidelity])).toEqual([
      ['esx-11-xeon-e5-2650v3.CPUID.txt', 'cpuid'],
      ['esx-12-xeon-e5-2650v4.CPUID.txt', 'cpuid'],
      ['kubevirt-nodes.json#kv-01', 'flags'],
      ['kubevirt-nodes.json#kv-02', 'flags'],
      ['vcenter-prod.govc.json#esx-13', 'flags'],
      ['vcenter-prod.govc.json#esx-14', 'evc-key'],
    ]);
    expect(j.rests_on).toBe('evc-key');
    expect(j.evc.mode).toBe('intel-haswell');
    expect(j.clusters).toEqual([{ name: 'prod', current_evc: 'intel-broadwell' }]);
    expect(j.vms.map((v: { name: string; under_baseline_evc: string }) => [v.name, v.under_baseline_evc])).toEqual([['db-02', 'blocks'], ['analytics-01', 'blocks']]);
    const text = await runCli('baseline', FLEET);
    expect(text.stdout).toMatch(/Rests on +EVC key only for some hosts/);
    expect(text.stdout).toMatch(/vcenter-prod\.govc\.json#esx-14 +EVC key only +intel-cascadelake/);
    expect(text.stdout).toContain('Note: this answer rests on EVC mode keys for some hosts');
    expect(text.stdout).toContain('cluster prod: EVC intel-broadwell (the baseline is intel-haswell)');
  });

  it('one broken file in a fleet folder is reported and skipped; the rest is one fleet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-fleet-'));
    try {
      for (const f of ['kubevirt-nodes.json', 'esx-11-xeon-e5-2650v3.CPUID.txt']) copyFileSync(join(FLEET, f), join(dir, f));
      writeFileSync(join(dir, 'broken.govc.json'), '[{"name":"hardware.cpuFeature","op":"assign","val":[{"level":1,"eax":"zz"}]}]\n');
      const r = await runCli('baseline', dir, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).hosts).toHaveLength(3);
      expect(r.stderr).toMatch(/warning: skipped \(the rest of the folder is read\): .*broken\.govc\.json:1:\d+: expected \$\[0\]\.val\[0\]\.eax to be a host register/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('show reads one host of a fleet file (FILE#HOST), says its fidelity, and warns when a file holds several', async () => {
    const one = await runCli('show', `${fx('rvtools', 'tabvHost.csv')}#esx-52.dc1.example`);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/Fidelity +EVC mode key only \(intel-broadwell\)/);
    expect(one.stdout).toContain("Note: this host is known by its EVC mode key only: the features above are intel-broadwell's");
    const json = JSON.parse((await runCli('show', `${fx('kubevirt-nodes', 'nodes.json')}#kv-node-02`, '--json')).stdout);
    expect(json.source).toMatchObject({ format: 'kubevirt-nodes', fidelity: 'flags', evc_key: null });
    const first = await runCli('show', fx('govc', 'host-info.json'));
    expect(first.stdout).toContain('warning: the file holds 2 hosts; this is the first, esx-31.lab.local');
    const none = await runCli('show', `${fx('govc', 'host-info.json')}#nope`);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no host named 'nope' (the file holds: esx-31.lab.local, esx-32.lab.local)");
    const vmsOnly = await runCli('show', fx('powercli', 'vms-ps7.json'));
    expect(vmsOnly.code).toBe(2);
    expect(vmsOnly.stderr).toContain('expected a host (this file holds no host');
  });

  it('check compares hosts from two fleet formats and says what the answer rests on', async () => {
    const r = await runCli('check', `${fx('powercli', 'vmhosts-ps51.json')}#esx-42.corp.example`, `${fx('rvtools', 'tabvHost.csv')}#esx-53.dc1.example`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/to +.*esx-53\.dc1\.example: Intel\(R\) Xeon\(R\) CPU E5-2650 v3 @ 2\.30GHz +\(.*EVC key only\)/);
    expect(r.stdout).toContain('Note: this answer rests on EVC mode keys for some hosts');
    const j = JSON.parse((await runCli('check', `${fx('powercli', 'vmhosts-ps51.json')}#esx-42.corp.example`, `${fx('rvtools', 'tabvHost.csv')}#esx-53.dc1.example`, '--json')).stdout);
    expect(j.fidelity).toEqual({ from: 'flags', to: 'evc-key' });
  });

  it('mask accepts fleet inputs (--input-format too) and marks hosts below raw CPUID', async () => {
    const r = await runCli('mask', '--format', 'json', fx('rvtools', 'tabvHost.csv'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts.map((h: { fidelity: string }) => h.fidelity)).toEqual(['evc-key', 'evc-key', 'evc-key']);
    const t = await runCli('mask', '--input-format', 'govc', fx('govc', 'vcenter-type-gonames.json'));
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/esx-14\.lab\.local\s+\(GenuineIntel\)\s+\[EVC\s+key\s+only\]:\s+loses/);
    expect(t.stderr).toMatch(/Note:\s+this\s+answer\s+rests\s+on\s+EVC\s+mode\s+keys\s+for\s+some\s+hosts/);
  });

  it('reads xen-cpuid -p as raw CPUID in show and check', async () => {
    const json = JSON.parse((await runCli('show', fx('xen-cpuid', 'xen-cpuid-p.txt'), '--json')).stdout);
    expect(json.source).toMatchObject({ format: 'xen-cpuid', fidelity: 'cpuid' });
    const r = await runCli('check', fx('xen-cpuid', 'xen-cpuid-p.txt'), join(FLEET, 'esx-12-xeon-e5-2650v4.CPUID.txt'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT COMPATIBLE');
    expect(r.stdout).not.toContain('this answer rests on');
  });

  it('reads an RVTools xlsx workbook on the command line', async () => {
    const r = await runCli('baseline', fx('rvtools', 'rvtools-export.xlsx'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rests_on).toBe('evc-key');
    expect(j.evc.mode).toBe('intel-haswell');
    expect(j.vms.find((v: { name: string }) => v.name === 'ml-13').under_baseline_evc).toBe('blocks');
  });

  it('vCenter EVC definitions in a fleet folder replace the built-in modes; a folder of VMs only has no host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-fleet-'));
    try {
      copyFileSync(fx('rvtools', 'tabvHost.csv'), join(dir, 'tabvHost.csv'));
      copyFileSync(fx('vcenter-evc', 'supported-evc-modes-array.json'), join(dir, 'modes.json'));
      const r = await runCli('baseline', dir, '--json');
      expect(r.code, r.stderr).toBe(0);
      // The one host whose EVC key openevc does not know is skipped, and said so.
      expect(r.stderr).toMatch(/^openevc: warning: [^\n]*tabvHost\.csv:5: host esx-54\.dc1\.example skipped: EVC mode key "intel-graniterapids" is not one openevc knows\n$/);
      for (const f of ['host-a-atom-c2750.json', 'host-b-core-i7-3770.json']) copyFileSync(join(REPO_ROOT, 'examples', 'seed-002', f), join(dir, f));
      const m = await runCli('mask', '--evc', 'intel-westmere', '--format', 'json', dir);
      expect(m.code, m.stderr).toBe(0);
      expect(JSON.parse(m.stdout).mode).toMatchObject({ key: 'intel-westmere', label: 'Intel "Westmere" Generation', sources: [expect.stringMatching(/^loaded from .*modes\.json$/)] }); // the folder's definition, not the built-in one
      for (const f of ['host-a-atom-c2750.json', 'host-b-core-i7-3770.json']) rmSync(join(dir, f));
      rmSync(join(dir, 'tabvHost.csv'));
      copyFileSync(fx('rvtools', 'tabvInfo.csv'), join(dir, 'tabvInfo.csv'));
      const none = await runCli('baseline', dir);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('the inputs hold no host (only clusters, VMs or EVC mode definitions)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
