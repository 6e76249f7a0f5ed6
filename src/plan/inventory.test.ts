/** The inventory: published schema, errors at line and column, the inventory command, diff over an inventory. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/shared.js';
import { runCli } from '../test-support/cli.js';
import { fleetOf } from '../test-support/plan-fleet.js';
import { parseInventory } from './inventory.js';
import { INVENTORY_SCHEMA } from './schema.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('inventory schema', () => {
  it('the published schema/inventory.schema.json is the one the validator uses', () => {
    const published = JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'inventory.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(INVENTORY_SCHEMA)));
  });

  it('the bundled inventories are valid', () => {
    for (const f of ['seed-000.yaml', 'seed-002.yaml']) {
      const text = readFileSync(join(REPO_ROOT, 'examples', 'inventory', f), 'utf8');
      expect(parseInventory(text, f).doc.openevc).toBe('inventory');
    }
  });
});

describe('inventory errors point at the field', () => {
  const head = 'openevc: inventory\nversion: 1\n';
  it('an unknown field, with line and column of its key', () => {
    expect(errorOf(() => parseInventory(`${head}hosts:\n  - name: a\n    cpuid: x.json\n    bogus: 1\n`, 'inv.yaml'))).toBe(
      "inv.yaml:6:5: expected no field 'bogus' in hosts[0] (known fields: name, cluster, cpuid, format, maxEvc, bios, microcode, hypervisor, vendorModel), found \"bogus\"",
    );
  });
  it('a bad power state', () => {
    expect(errorOf(() => parseInventory(`${head}hosts:\n  - { name: a, cpuid: x.json }\nvms:\n  - name: v\n    host: a\n    power: running\n`, 'inv.yaml'))).toBe(
      'inv.yaml:8:12: expected vms[0].power to be one of "on", "off", "suspended", "poweredOn", "poweredOff", found "running"',
    );
  });
  it('a missing required field', () => {
    expect(errorOf(() => parseInventory(`${head}hosts:\n  - name: a\n    cpuid: x.json\nvms:\n  - name: v\n`, 'inv.yaml'))).toBe("inv.yaml:7:5: expected vms[0] to have the field 'host', found \"an object\"");
  });
  it('JSON input: line and column too', () => {
    const json = '{\n  "openevc": "inventory",\n  "version": 1,\n  "hosts": [\n    { "name": "a", "cpuid": 42 }\n  ]\n}\n';
    expect(errorOf(() => parseInventory(json, 'inv.json'))).toMatch(/^inv\.json:5:29: expected hosts\[0\]\.cpuid to be /);
  });
  it('YAML syntax', () => {
    expect(errorOf(() => parseInventory(`${head}hosts: [\n`, 'inv.yaml'))).toMatch(/^inv\.yaml:\d+:\d+: expected valid YAML or JSON/);
  });
  it('references: unknown host, cluster, EVC mode and feature', () => {
    expect(errorOf(() => fleetOf(`${head}hosts:\n  - { name: a, cpuid: seed-000/esx-01-xeon-e5310.json }\nvms:\n  - { name: v, host: b }\n`))).toBe('test.yaml:6:22: expected a host defined under hosts, found "b"');
    expect(errorOf(() => fleetOf(`${head}hosts:\n  - { name: a, cluster: c, cpuid: seed-000/esx-01-xeon-e5310.json }\n`))).toBe('test.yaml:4:25: expected a cluster defined under clusters (none is), found "c"');
    expect(errorOf(() => fleetOf(`${head}clusters: [{ name: c, evc: intel-banana }]\nhosts: []\n`))).toMatch(/^test\.yaml:3:28: expected an EVC mode key openevc knows \(intel-merom, /);
    expect(errorOf(() => fleetOf(`${head}hosts:\n  - { name: a, cpuid: seed-000/esx-01-xeon-e5310.json }\nvms:\n  - { name: v, host: a, seen: { features: [sse4_1, warp-drive] } }\n`))).toBe(
      'test.yaml:6:52: expected a feature id or name openevc knows (see openevc features), found "warp-drive"',
    );
  });
  it('a malformed inline mask names its key', () => {
    expect(errorOf(() => fleetOf(`${head}hosts:\n  - { name: a, cpuid: seed-000/esx-01-xeon-e5310.json }\nvms:\n  - { name: v, host: a, masks: { cpuid.1.ecx: "0101" } }\n`))).toMatch(/^test\.yaml:6:47: expected 32 mask characters/);
  });
  it('the CLI exits 2 with the message and no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-inv-'));
    writeFileSync(join(dir, 'bad.yaml'), `${head}hosts:\n  - name: a\n    cpuid: missing.json\n`);
    const r = await runCli('plan', join(dir, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.json');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('openevc inventory FILES -o', () => {
  it('builds an inventory from CPUID files and a .vmx that plans and reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-inv-'));
    const out = join(dir, 'inv.yaml');
    const r = await runCli('inventory', resolve(REPO_ROOT, 'examples/seed-002'), resolve(REPO_ROOT, 'examples/inventory/vms/lab-merged.vmx'), '-o', out, '--cluster', 'lab');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const inv = parseInventory(text, out).doc;
    expect(inv.hosts.map((h) => [h.name, h.cluster])).toEqual([['host-a', 'lab'], ['host-b', 'lab']]);
    expect(inv.vms).toEqual([expect.objectContaining({ name: 'lab-merged', host: 'host-a', power: 'off', hardware: 11 })]);
    const plan = JSON.parse((await runCli('plan', out, '--json')).stdout);
    expect(plan.clusters[0]).toMatchObject({ name: 'lab', highestMode: 'intel-westmere' });
  });
});

describe('openevc inventory from a vCenter export (fleet readers)', () => {
  it('turns govc JSON, a KubeVirt node list and CPUID dumps into an inventory: clusters, hosts by fidelity, VMs with what they require', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-inv-'));
    const out = join(dir, 'fleet.yaml');
    const r = await runCli('inventory', resolve(REPO_ROOT, 'examples/fleet'), '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('host esx-13 placed in cluster prod');
    const inv = parseInventory(readFileSync(out, 'utf8'), out).doc;
    expect(inv.clusters).toEqual([{ name: 'prod', evc: 'intel-broadwell' }]);
    const hosts = Object.fromEntries(inv.hosts.map((h) => [h.name, h]));
    expect(Object.keys(hosts).sort()).toEqual(['esx-11-xeon-e5-2650v3', 'esx-12-xeon-e5-2650v4', 'esx-13', 'esx-14', 'kv-01', 'kv-02']);
    expect(hosts['esx-14']).toEqual({ name: 'esx-14', cluster: 'prod', maxEvc: 'intel-cascadelake' });
    expect(typeof hosts['esx-13']!.cpuid).toBe('object');
    expect(typeof hosts['esx-11-xeon-e5-2650v3']!.cpuid).toBe('string');
    expect(inv.vms?.map((v) => [v.name, v.host, v.power, v.seen?.evcModeKey])).toEqual([
      ['db-02', 'esx-13', 'on', 'intel-broadwell'],
      ['analytics-01', 'esx-14', 'on', 'intel-cascadelake'],
    ]);
    const plan = JSON.parse((await runCli('plan', out, '--json')).stdout);
    expect(plan.clusters[0]).toMatchObject({ name: 'prod', evc: 'intel-broadwell', hosts: ['esx-13', 'esx-14'] });
    expect(plan.restsOn.join('\n')).toContain('minRequiredEVCModeKey only');
  });
});
