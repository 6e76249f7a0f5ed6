/** Drift: seed 002's AES story (identical servers, a BIOS default that turned AES-NI on for some), host diffs, stale .vmx lines. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/shared.js';
import { HASWELL, fleetOf } from '../test-support/plan-fleet.js';
import { runCli } from '../test-support/cli.js';
import { diffHosts, fleetDrift, staleVmxLines } from './drift.js';
import { sameCpu } from '../core/host.js';
import { Sim, canMaskCpuid } from './sim.js';

/** The example Haswell host as a JSON object, with AES-NI off (leaf 1 ECX bit 25 clear), as a BIOS switch leaves it. */
function aesOff(): object {
  const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', HASWELL), 'utf8'));
  for (const l of doc.leaves) if (l.leaf === '0x00000001') l.ecx = `0x${(parseInt(l.ecx, 16) & ~(1 << 25) >>> 0).toString(16).padStart(8, '0')}`;
  doc.source.label = 'esx-13 (AES-NI off in firmware)';
  return doc;
}

const AES = () => `
openevc: inventory
version: 1
clusters: [{ name: c, evc: intel-westmere }]
hosts:
  - { name: esx-11, cluster: c, cpuid: ${HASWELL}, bios: "1.4" }
  - { name: esx-12, cluster: c, cpuid: ${HASWELL}, bios: "1.4" }
  - { name: esx-13, cpuid: ${JSON.stringify(aesOff())}, bios: "1.2" }
`;

describe("seed 002's AES story", () => {
  it('finds the host with the same CPU and AES-NI off, and names the BIOS option as the likely cause', () => {
    const fleet = fleetOf(AES());
    const groups = fleetDrift([...fleet.hosts.values()]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.reference).toEqual(['esx-11', 'esx-12']);
    const d = groups[0]!.deviants[0]!;
    expect(d.host).toBe('esx-13');
    expect(d.diff.sameCpu).toBe(true);
    expect(d.diff.features.map((f) => [f.id, f.onlyIn, f.cause])).toEqual([['aes', 'a', 'bios']]);
    expect(d.diff.features[0]!.why).toContain('AES-NI');
    expect(d.diff.features[0]!.why).toContain('BIOS 1.4 vs 1.2');
  });

  it('refuses the host from a Westmere cluster as a feature switched off, not a CPU below the mode (fleet-tools-and-lifecycle.md §2)', () => {
    const sim = Sim.fromFleet(fleetOf(AES()));
    const r = sim.addHost('esx-13', 'c');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fault.name).toBe('EVCAdmissionFailedCPUFeaturesForMode');
    expect(!r.ok && r.fault.features).toEqual(['AES-NI']);
    expect(!r.ok && r.fault.remedy).toContain('AES-NI');
  });

  it('diff on the command line: two hosts, exit 1 when a feature differs and 0 when none does', async () => {
    const r = await runCli('diff', 'examples/seed-000/esx-01-xeon-e5310.json', 'examples/seed-000/esx-04-xeon-e5420.json', '--json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.features.map((f: { id: string; onlyIn: string }) => [f.id, f.onlyIn])).toEqual([['sse4_1', 'b']]);
    const same = await runCli('diff', 'examples/seed-000/esx-01-xeon-e5310.json', 'examples/seed-000/esx-01-xeon-e5310.json');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no feature differs');
  });
});

describe('stale cpuid.* lines', () => {
  it('reports a .vmx requirement the new host does not meet (power-on fails) and lines left redundant by an EVC mode', () => {
    const fleet = fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: c, evc: intel-merom }]
hosts: [{ name: h, cluster: c, cpuid: seed-000/esx-04-xeon-e5420.json }]
vms:
  - { name: needs-avx, host: h, power: off, masks: { cpuid.1.ecx: "---T----------------------------" } }
  - { name: moved, host: h, power: off, masks: { cpuid.1.ecx: "--00-0---0----0-----------------" } }
`);
    const stale = staleVmxLines(fleet);
    expect(stale.map((s) => [s.vm, s.key, s.problem])).toEqual([
      ['needs-avx', 'cpuid.1.ecx', 'power-on-fails'],
      ['moved', 'cpuid.1.ecx', 'redundant-under-evc'],
    ]);
    expect(stale[0]!.detail).toContain('Advanced Vector Extensions (AVX) present');
  });
});

describe('CPUID masking ability (seed 000: FlexMigration from Penryn, Extended Migration from Rev E/F)', () => {
  it('a Merom CPU cannot mask, a Penryn can', () => {
    const fleet = fleetOf(`
openevc: inventory
version: 1
hosts: [{ name: old, cpuid: seed-000/esx-01-xeon-e5310.json }, { name: new, cpuid: seed-000/esx-04-xeon-e5420.json }]
`);
    expect(canMaskCpuid(fleet.hosts.get('old')!.cpu)).toBe(false);
    expect(canMaskCpuid(fleet.hosts.get('new')!.cpu)).toBe(true);
  });
});

describe('hosts whose data names no CPU (feature flags only)', () => {
  it('are left out of drift: the example KubeVirt nodes are a Skylake and a Cascade Lake, not one CPU with features switched off', async () => {
    const r = await runCli('diff', '--json', 'examples/fleet');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.drift).toEqual([]);
    expect(out.left_out).toEqual(['examples/fleet/kubevirt-nodes.json#kv-01', 'examples/fleet/kubevirt-nodes.json#kv-02', 'examples/fleet/vcenter-prod.govc.json#esx-14']);
    expect(r.stderr).toContain('left out of drift: examples/fleet/kubevirt-nodes.json#kv-01');
  });

  it('compared two by two, say the models differ when the inputs name them, else that the CPU is unknown', async () => {
    const r = await runCli('diff', '--json', '--raw', 'examples/fleet/kubevirt-nodes.json#kv-01', 'examples/fleet/kubevirt-nodes.json#kv-02');
    const d = JSON.parse(r.stdout);
    expect(d.sameCpu).toBe(false);
    expect(d.cpusKnown).toBe(true);
    expect(new Set(d.features.map((f: { cause: string }) => f.cause))).toEqual(new Set(['different-cpu']));
    expect(d.features[0].why).toContain('Skylake-Server-IBRS vs Cascadelake-Server');
    // Two flag lists that name no model: nothing says they are one CPU, or two.
    const flags = (name: string, extra: string) => `
openevc: inventory
version: 1
hosts: [{ name: ${name}, cpuid: { openevc: cpuid, version: 1, source: { format: proc-cpuinfo, lossy: true, fidelity: flags }, leaves: [{ leaf: "0x0", subleaf: 0, eax: "0xd", ebx: "0x756e6547", ecx: "0x6c65746e", edx: "0x49656e69" }, { leaf: "0x1", subleaf: 0, eax: "0x0", ebx: "0x0", ecx: "${extra}", edx: "0x0" }] } }]
`;
    const a = fleetOf(flags('a', '0x02000000')).hosts.get('a')!.cpu.host;
    const b = fleetOf(flags('b', '0x00000000')).hosts.get('b')!.cpu.host;
    const diff = diffHosts(a, b, ['a', 'b']);
    expect(diff.sameCpu).toBe(false);
    expect(diff.cpusKnown).toBe(false);
    expect(diff.features.map((f) => [f.id, f.cause])).toEqual([['aes', 'unknown']]);
    expect(sameCpu(a, a)).toBe(false);
  });
});

describe('diff over a fleet of files', () => {
  it('reads directories and exports, and finds the host whose BIOS turned AES-NI off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-drift-'));
    try {
      for (const n of ['esx-11', 'esx-12']) writeFileSync(join(dir, `${n}.json`), readFileSync(join(REPO_ROOT, 'examples', HASWELL)));
      writeFileSync(join(dir, 'esx-13.json'), JSON.stringify(aesOff()));
      const r = await runCli('diff', '--json', dir);
      expect(r.code).toBe(1);
      const [g] = JSON.parse(r.stdout).drift;
      expect(g.reference).toEqual([join(dir, 'esx-11.json'), join(dir, 'esx-12.json')]);
      expect(g.deviants.map((d: { host: string; diff: { features: { id: string; cause: string }[] } }) => [d.host, d.diff.features.map((f) => `${f.id}:${f.cause}`)])).toEqual([[join(dir, 'esx-13.json'), ['aes:bios']]]);
      // The same three named one by one give the same answer.
      const named = await runCli('diff', '--json', join(dir, 'esx-11.json'), join(dir, 'esx-12.json'), join(dir, 'esx-13.json'));
      expect(named.stdout).toBe(r.stdout);
      const one = await runCli('diff', join(dir, 'esx-11.json'));
      expect(one.code).toBe(2);
      expect(one.stderr).toContain('diff needs two hosts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
