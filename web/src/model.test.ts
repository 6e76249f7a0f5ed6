import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMigration, computeBaseline, getProfile, profileIds } from '../../src/index.js';
import { runCli } from '../../src/test-support/cli.js';
import { REPO_ROOT } from '../../src/test-support/shared.js';
import { Fleet, baselineCandidates, compatibility, groupHosts, groupLabel, hostRows, renderMask } from './model.js';

/** The bundled example fleet, loaded as the page loads it (names as `openevc serve examples` lists them). */
function exampleFleet(dirs = ['amd', 'cluster', 'seed-000', 'seed-002']): Fleet {
  const fleet = new Fleet();
  for (const d of dirs) {
    for (const f of readdirSync(join(REPO_ROOT, 'examples', d)).sort()) {
      fleet.addText(`examples/${d}/${f}`, readFileSync(join(REPO_ROOT, 'examples', d, f), 'utf8'), { fromDirectory: true });
    }
  }
  return fleet;
}

describe('dashboard model', () => {
  it('loads the example fleet with the CLI importers', () => {
    const fleet = exampleFleet();
    expect(fleet.hosts).toHaveLength(10);
    expect(fleet.problems).toEqual([]);
    const rows = hostRows(fleet.hosts);
    const i7 = rows.find((r) => r.name.endsWith('host-b-core-i7-3770.json'))!;
    expect(i7).toMatchObject({ uarch: 'Ivy Bridge', evc: 'intel-ivybridge', qemu: 'IvyBridge-v1', level: 'x86-64-v2', fidelity: 'full (openevc-json)', drift: [] });
  });

  it('the heatmap says what checkMigration says, for every pair and profile', () => {
    const fleet = exampleFleet();
    const groups = groupHosts(fleet.hosts);
    expect(groups).toHaveLength(10);
    for (const id of profileIds()) {
      const profile = getProfile(id);
      const m = compatibility(groups, profile);
      let blocked = 0;
      groups.forEach((a, i) =>
        groups.forEach((b, j) => {
          if (i === j) return;
          const r = checkMigration(a.rep.host, b.rep.host, { profile });
          expect(m[i]![j], `${id}: ${a.label} → ${b.label}`).toBe(r.compatible);
          if (!r.compatible) blocked++;
        }),
      );
      expect(blocked).toBeGreaterThan(0);
    }
  });

  it('loads every host of a fleet export, as openevc baseline reads the folder', async () => {
    const fleet = exampleFleet(['fleet']);
    const cli = await runCli('baseline', '--json', join(REPO_ROOT, 'examples', 'fleet'));
    expect(cli.code).toBe(0);
    const paths = (JSON.parse(cli.stdout) as { hosts: { path: string }[] }).hosts.map((h) => h.path.split(REPO_ROOT + '/').join(''));
    expect(paths.length).toBeGreaterThan(4);
    expect(fleet.hosts.map((h) => h.name)).toEqual(paths);
    expect(fleet.problems.map((p) => [p.name, p.passedOver])).toEqual([['examples/fleet/README.md', true]]);
    // A file of EVC mode definitions only holds no host: passed over in a folder, not a host made of nothing.
    const evc = readFileSync(join(REPO_ROOT, 'src/formats/vcenter-evc/fixtures/supported-evc-modes.json'), 'utf8');
    expect(fleet.addText('modes.json', evc, { fromDirectory: true })).toBeUndefined();
    expect(fleet.problems.at(-1)).toMatchObject({ name: 'modes.json', passedOver: true, message: expect.stringContaining('holds no host') });
  });

  it('counts one host saved twice once, as the CLI does (the same name and identical CPUID)', async () => {
    const fleet = exampleFleet(['cluster', 'fleet']);
    const cli = await runCli('baseline', '--json', join(REPO_ROOT, 'examples', 'cluster'), join(REPO_ROOT, 'examples', 'fleet'));
    expect(cli.code).toBe(0);
    const j = JSON.parse(cli.stdout) as { hosts: { path: string }[]; duplicates: { path: string; same_as: string }[] };
    const rel = (p: string) => p.split(REPO_ROOT + '/').join('');
    expect(fleet.hosts.map((h) => h.name)).toEqual(j.hosts.map((h) => rel(h.path)));
    // esx-11 and esx-12 of examples/fleet are the cluster's hosts again, as CPUID.txt.
    expect(fleet.duplicates).toEqual(j.duplicates.map((d) => ({ name: rel(d.path), of: rel(d.same_as) })));
    expect(fleet.duplicates.map((d) => d.name)).toEqual(['examples/fleet/esx-11-xeon-e5-2650v3.CPUID.txt', 'examples/fleet/esx-12-xeon-e5-2650v4.CPUID.txt']);
  });

  it('names a group by its microarchitecture, or by the model a flags-only input names, and says when it rests on flags', () => {
    const fleet = exampleFleet(['seed-002']);
    fleet.addText('examples/fleet/kubevirt-nodes.json', readFileSync(join(REPO_ROOT, 'examples/fleet/kubevirt-nodes.json'), 'utf8'));
    const labels = groupHosts(fleet.hosts).map((g) => g.label);
    expect(labels).toContain('Ivy Bridge · Intel(R) Core(TM) i7-3770 CPU @ 3.40GHz');
    // A KubeVirt node is known by its labels: its host-model, never "unknown".
    // Every node of the export is a host of the fleet, named FILE#NODE.
    expect(fleet.hosts.filter((h) => h.name.startsWith('examples/fleet/kubevirt-nodes.json#')).map((h) => h.name.split('#')[1])).toEqual(['kv-01', 'kv-02']);
    const kv = fleet.hosts.find((h) => h.name.endsWith('#kv-01'))!;
    expect(groupLabel(kv.host)).toBe('Skylake-Server-IBRS · GenuineIntel (flags only)');
    expect(labels.some((l) => l.startsWith('unknown'))).toBe(false);
  });

  it('groups hosts with identical feature sets, and flags same-CPU drift', () => {
    const fleet = exampleFleet(['seed-002']);
    const text = readFileSync(join(REPO_ROOT, 'examples/seed-002/host-a-atom-c2750.json'), 'utf8');
    fleet.addText('copy-of-a.json', text);
    // The same CPU with AES-NI switched off in firmware (CPUID.1:ECX[25] cleared).
    const noAes = text.replace(/("leaf": "0x00000001", "subleaf": 0, "eax": "0x[0-9a-f]+", "ebx": "0x[0-9a-f]+", "ecx": ")0x([0-9a-f]+)"/, (_, pre: string, ecx: string) => `${pre}0x${(parseInt(ecx, 16) & ~(1 << 25)).toString(16).padStart(8, '0')}"`);
    expect(noAes).not.toBe(text);
    fleet.addText('a-without-aes.json', noAes);
    const groups = groupHosts(fleet.hosts);
    expect(groups.map((g) => g.hosts.length).sort()).toEqual([1, 1, 2]);
    const rows = hostRows(fleet.hosts);
    expect(rows.find((r) => r.name === 'a-without-aes.json')!.drift).toEqual(['same CPU, other features elsewhere']);
    expect(rows.find((r) => r.name.endsWith('i7-3770.json'))!.drift).toEqual([]);
  });

  it('baseline candidates agree with computeBaseline and name what holds them down', () => {
    const fleet = exampleFleet(['cluster']);
    const profile = getProfile('esxi');
    const { candidates } = baselineCandidates(fleet.hosts, profile);
    const b = computeBaseline(fleet.hosts.map((h) => h.host), { profile });
    const evc = candidates.find((c) => c.kind === 'evc')!;
    expect(evc.id).toBe(`evc:${b.evc!.key}`);
    expect(evc.lost.map((s) => s.ids())).toEqual(b.hosts.map((h) => h.lostUnderEvc!.ids()));
    expect(evc.limits.map((l) => `${l.host}: ${l.rises}`)).toEqual(['examples/cluster/esx-11-xeon-e5-2650v3.json: EVC rises to intel-broadwell']);
    const common = candidates.find((c) => c.kind === 'common')!;
    expect(common.lost.map((s) => s.ids())).toEqual(b.hosts.map((h) => h.lost.ids()));
    expect(candidates.filter((c) => c.kind === 'level').map((c) => c.id)).toEqual(['level:3', 'level:2', 'level:1']);
    // The libvirt baseline first, then named models every host runs as they are, each costing at least as much.
    const qemu = candidates.filter((c) => c.kind === 'qemu');
    expect(qemu[0]!.id).toBe('qemu');
    expect(qemu.length).toBeGreaterThan(1);
    for (const q of qemu.slice(1)) q.lost.forEach((l, i) => expect(l.size, `${q.id} host ${i}`).toBeGreaterThanOrEqual(qemu[0]!.lost[i]!.size));
    expect(qemu.map((q) => q.id)).toContain('qemu:IvyBridge');
  });

  it('renders the same mask as openevc mask, for every format', async () => {
    const fleet = exampleFleet(['seed-002']);
    const paths = fleet.hosts.map((h) => h.name);
    for (const format of ['vmx', 'libvirt', 'json']) {
      const cli = await runCli('mask', '--format', format, ...paths.map((p) => join(REPO_ROOT, p)));
      expect(cli.code).toBe(0);
      // The CLI names hosts by the paths given; the page by the names the server lists.
      expect(renderMask(fleet.hosts, format).text, format).toBe(cli.stdout.split(REPO_ROOT + '/').join(''));
    }
  });

  it('refuses binary and oversized drops with the CLI guards', () => {
    const fleet = new Fleet();
    expect(fleet.addBytes('x.bin', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))).toBeUndefined();
    expect(fleet.addBytes('big.txt', new TextEncoder().encode('a'.repeat(200)), 100)).toBeUndefined();
    expect(fleet.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^x\.bin:1: expected text, not binary data \(a NUL byte/), expect.stringMatching(/^big\.txt: expected a CPUID dump of at most 100 bytes/)]);
  });
});
