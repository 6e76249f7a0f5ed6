import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CpuidDump } from '../core/cpuid.js';
import { hostNameOf, machineGroups } from '../core/machines.js';
import { importText } from '../formats/readers.js';
import { runCli } from '../test-support/cli.js';
import { duplicateDiagnostics } from './inputs.js';
import { filesUnder, hasShared, REPO_ROOT, shared } from '../test-support/shared.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'openevc-dup-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
/** `cpuid -r` text with one block per dump (as if several machines' outputs were concatenated). */
function cpuidR(dumps: readonly CpuidDump[]): string {
  return dumps
    .map((d, i) => [`CPU ${i}:`, ...d.list().map((e) => `   ${hex(e.leaf)} 0x${e.subleaf.toString(16).padStart(2, '0')}: eax=${hex(e.eax)} ebx=${hex(e.ebx)} ecx=${hex(e.ecx)} edx=${hex(e.edx)}`)].join('\n'))
    .join('\n') + '\n';
}
const load = (p: string) => importText(readFileSync(p, 'utf8'), { file: p }).dump;

describe('the same host given twice is reported and counted once; hosts with identical CPUID are each a host', () => {
  it('the same file twice', async () => {
    const a = ex('seed-002/host-a-atom-c2750.json');
    const r = await runCli('baseline', a, a, ex('seed-002/host-b-core-i7-3770.json'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts).toHaveLength(2);
    expect(j.duplicates).toEqual([{ path: a, same_as: a, why: 'the same file' }]);
    expect(r.stderr).toContain(`${a} is the same file as ${a}: counted once`);
  });

  it('identical CPUID in two files: two hosts of one CPU (identical servers give identical dumps), said once', async () => {
    const dir = tmp();
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a.json'));
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a-again.json'));
    copyFileSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, 'b.json'));
    const r = await runCli('baseline', dir, '--json');
    const j = JSON.parse(r.stdout);
    expect(j.hosts.map((h: { path: string }) => h.path)).toEqual([join(dir, 'a-again.json'), join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(j.duplicates).toEqual([]);
    // The two Atoms hold the EVC mode down together: retiring either alone raises nothing (before,
    // one was dropped and "retire a-again.json: EVC rises to intel-ivybridge" was printed).
    expect(j.limiting.map((l: { path: string }) => l.path)).toEqual([join(dir, 'b.json')]);
    expect(j.evc.held_by).toEqual([join(dir, 'a-again.json'), join(dir, 'a.json')]);
    expect(r.stderr).toContain(`${join(dir, 'a-again.json')} and ${join(dir, 'a.json')} have identical CPUID: counted as 2 hosts with one CPU`);
    const m = await runCli('mask', dir);
    expect(m.stderr).toMatch(/a-again\.json and .*a\.json have identical CPUID/);
    expect(m.stderr).toMatch(/for 3 hosts/);
  });

  it('one host saved twice (the same name, identical CPUID: esx-11.json and esx-11.CPUID.txt) is counted once', async () => {
    const json = ex('cluster/esx-11-xeon-e5-2650v3.json');
    const txt = ex('fleet/esx-11-xeon-e5-2650v3.CPUID.txt');
    const r = await runCli('baseline', json, txt, ex('cluster/esx-12-xeon-e5-2650v4.json'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts).toHaveLength(2);
    expect(j.duplicates).toEqual([{ path: txt, same_as: json, why: 'the same host' }]);
    expect(r.stderr).toContain(`${txt} is the same host as ${json} (the same name and identical CPUID): counted once`);
  });

  it('hosts of one vCenter export with the same CPU: each a host, and retiring one of them raises nothing', async () => {
    // esx-13 twice under another name and moref: two servers of one model, as vCenter lists them.
    const lines = readFileSync(ex('fleet/vcenter-prod.govc.json'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"HostSystem"') && l.includes('"host-13"'));
    lines.splice(at + 1, 0, lines[at]!.replace('"host-13"', '"host-15"').replace('"esx-13"', '"esx-15"'));
    const f = join(tmp(), 'vc.govc.json');
    writeFileSync(f, lines.join('\n'));
    const r = await runCli('baseline', f, '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts.map((h: { path: string }) => h.path)).toEqual([`${f}#esx-13`, `${f}#esx-15`, `${f}#esx-14`]);
    // Before, esx-15 was dropped as a duplicate and "retire esx-13" claimed that EVC would rise.
    expect(j.limiting.map((l: { path: string }) => l.path)).toEqual([`${f}#esx-14`]);
    // Hosts of one export are plainly different hosts: nothing to say about them.
    expect(r.stderr).not.toContain('identical CPUID');
  });
});

describe('what is said of hosts with identical CPUID', () => {
  it('one line per group for the first 20 groups, then one line for the rest', () => {
    const groups = Array.from({ length: 25 }, (_, g) => ({ files: Array.from({ length: 3 + (g % 6) }, (_, i) => `d${i}/host-${g}.json`) }));
    const lines = duplicateDiagnostics([], groups);
    expect(lines).toHaveLength(21);
    expect(lines[0]!.message).toBe('d0/host-0.json, d1/host-0.json and d2/host-0.json have identical CPUID: counted as 3 hosts with one CPU, as identical servers are (if they are one host saved twice, give it once)');
    expect(lines[5]!.message).toMatch(/^d0\/host-5\.json, d1\/host-5\.json, d2\/host-5\.json, d3\/host-5\.json, d4\/host-5\.json and 3 more have identical CPUID: counted as 8 hosts/);
    const rest = groups.slice(20).reduce((n, g) => n + g.files.length, 0);
    expect(lines[20]).toEqual({ level: 'info', message: `… and 5 more groups of hosts with identical CPUID (${rest} hosts, each counted)` });
  });

  it('inputs given again: the first 20 named, then one line for the rest', () => {
    const dups = Array.from({ length: 30 }, (_, i) => ({ file: `b/h${i}.json`, of: `a/h${i}.json`, why: 'the same file' as const }));
    const lines = duplicateDiagnostics(dups);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toEqual({ level: 'warning', message: 'b/h0.json is the same file as a/h0.json: counted once' });
    expect(lines[20]).toEqual({ level: 'warning', message: '… and 10 more inputs given again, each counted once' });
  });
});

describe('hostNameOf: the name a host input goes by', () => {
  it('HOST of FILE#HOST; the file name to its first dot; #N kept for a machine of a split file', () => {
    expect(hostNameOf('exports/vc.govc.json#esx-13')).toBe('esx-13');
    expect(hostNameOf('a/esx-11.json')).toBe('esx-11');
    expect(hostNameOf('b/esx-11.CPUID.txt')).toBe('esx-11');
    expect(hostNameOf('C:\\fleet\\esx-11.json')).toBe('esx-11');
    expect(hostNameOf('cpus.xml#2')).toBe('cpus#2');
    expect(hostNameOf('.hidden')).toBe('.hidden');
    expect(hostNameOf('-')).toBe('-');
  });
});

describe('a file whose CPU blocks are different machines', () => {
  const write = () => {
    const f = join(tmp(), 'two-machines.txt');
    writeFileSync(f, cpuidR([load(ex('seed-002/host-a-atom-c2750.json')), load(ex('seed-002/host-b-core-i7-3770.json'))]));
    return f;
  };

  it('is refused with a message that says so', async () => {
    const f = write();
    for (const args of [['show', f], ['baseline', f], ['mask', f], ['check', f, ex('seed-002/host-a-atom-c2750.json')]]) {
      const r = await runCli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${f}: its 2 CPU blocks are 2 different machines`);
      expect(r.stderr).toContain('Atom(TM) CPU C2750');
      expect(r.stderr).toContain('--split');
    }
  });

  it('is split with --split; --cpu N still picks one CPU', async () => {
    const f = write();
    const r = await runCli('baseline', f, '--split', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts.map((h: { path: string }) => h.path)).toEqual([`${f}#1`, `${f}#2`]);
    expect(j.evc.mode).toBe('intel-westmere');
    const one = await runCli('show', f, '--cpu', '1', '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).cpu.brand).toMatch(/i7-3770/);
  });

  it('one machine\'s CPUs are not split (same brand and signature)', () => {
    const a = load(ex('seed-002/host-a-atom-c2750.json'));
    expect(machineGroups([a, a.clone()])).toHaveLength(1);
  });
});


describe.skipIf(!hasShared)('real multi-CPU dumps are one machine each, hybrid parts included (needs ../shared)', () => {
  it('every InstLatx64 dump', () => {
    const files = hasShared ? filesUnder(shared('oracle', 'instlatx64'), (name) => name.endsWith('.txt')) : [];
    expect(files.length).toBe(118);
    for (const f of files) {
      const r = importText(readFileSync(f, 'latin1'), { file: f });
      expect(machineGroups(r.cpus).length, f).toBe(1);
    }
  });
});
