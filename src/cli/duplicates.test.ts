import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CpuidDump } from '../core/cpuid.js';
import { machineGroups } from '../core/machines.js';
import { importText } from '../formats/readers.js';
import { runCli } from '../test-support/cli.js';
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

describe('duplicate hosts are reported and counted once', () => {
  it('the same file twice', async () => {
    const a = ex('seed-002/host-a-atom-c2750.json');
    const r = await runCli('baseline', a, a, ex('seed-002/host-b-core-i7-3770.json'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts).toHaveLength(2);
    expect(j.duplicates).toEqual([{ path: a, same_as: a, why: 'the same file' }]);
    expect(r.stderr).toContain(`${a} is the same file as ${a}: counted once`);
  });

  it('identical CPUID under two names', async () => {
    const dir = tmp();
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a.json'));
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a-again.json'));
    copyFileSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, 'b.json'));
    const r = await runCli('baseline', dir, '--json');
    const j = JSON.parse(r.stdout);
    expect(j.hosts).toHaveLength(2);
    expect(j.duplicates).toEqual([{ path: join(dir, 'a.json'), same_as: join(dir, 'a-again.json'), why: 'identical CPUID' }]);
    const m = await runCli('mask', dir);
    expect(m.stderr).toMatch(/identical CPUID to .*a-again\.json: counted once/);
    expect(m.stderr).toMatch(/for 2 hosts/);
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
