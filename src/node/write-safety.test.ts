import { chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/shared.js';
import { runCli } from '../test-support/cli.js';
import { spawnCli } from '../test-support/cli-bundle.js';
import { WriteRefusedError, cleanStaleTemps, mayWrite, resolveTarget, writeFileAtomic } from './atomic.js';
import { VmRunningError, applyVmxFile, maskLinesOf } from './vmx-edit.js';

const FIXTURES = join(REPO_ROOT, 'src', 'formats', 'vmx', 'fixtures');
const LINES = maskLinesOf(['cpuid.1.ecx = "--00-0---0----0-----------------"']);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** A process id above Linux's largest (pid_max ≤ 2^22): never alive. */
const DEAD_PID = 4_194_305;

function vmDir(): { dir: string; real: string; vmx: string } {
  const dir = mkdtempSync(join(tmpdir(), 'openevc-safe-'));
  chmodSync(dir, 0o755);
  const real = join(dir, 'datastore', 'vm1');
  mkdirSync(real, { recursive: true });
  const vmx = join(real, 'vm1.vmx');
  copyFileSync(join(FIXTURES, 'esxi-typical.vmx'), vmx);
  return { dir, real, vmx };
}

describe('edits land where the user meant: symbolic links', () => {
  it('vmx apply through a link edits the file it leads to, in its own directory, and keeps the link', () => {
    const { dir, real, vmx } = vmDir();
    const link = join(dir, 'vm1.vmx');
    symlinkSync(join('datastore', 'vm1', 'vm1.vmx'), link);
    const r = applyVmxFile(link, LINES, { now: new Date('2026-03-01T00:00:00Z') });
    expect(r.written).toBe(true);
    expect(r.target).toBe(vmx);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('datastore', 'vm1', 'vm1.vmx'));
    expect(readFileSync(vmx, 'utf8')).toContain('cpuid.1.ecx = "--00-0---0----0-----------------"');
    // The backup sits beside the real file; nothing is left beside the link.
    expect(r.backup).toBe(join(real, 'vm1.vmx.20260301T000000Z.bak'));
    expect(readdirSync(dir).sort()).toEqual(['datastore', 'vm1.vmx']);
  });

  it('mask -o LINK writes the file the link leads to (also a dangling link), and keeps the link', async () => {
    const { dir } = vmDir();
    const out = join(dir, 'out', 'mask.vmx');
    mkdirSync(join(dir, 'out'));
    const link = join(dir, 'mask-link.vmx');
    symlinkSync(out, link);
    const r = await runCli('mask', join(REPO_ROOT, 'examples/seed-002/host-a-atom-c2750.json'), join(REPO_ROOT, 'examples/seed-002/host-b-core-i7-3770.json'), '-o', link);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(out, 'utf8')).toMatch(/^cpuid\./m);
    expect(r.stderr).toContain(`wrote ${out} (through the link ${link})`);
    const again = await runCli('mask', join(REPO_ROOT, 'examples/seed-002/host-a-atom-c2750.json'), join(REPO_ROOT, 'examples/seed-002/host-b-core-i7-3770.json'), '-o', link);
    expect(again.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('resolveTarget follows chains of relative links and refuses loops', () => {
    const { dir, vmx } = vmDir();
    symlinkSync('datastore/vm1/vm1.vmx', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    expect(resolveTarget(join(dir, 'b'))).toBe(vmx);
    symlinkSync('loop2', join(dir, 'loop1'));
    symlinkSync('loop1', join(dir, 'loop2'));
    expect(() => resolveTarget(join(dir, 'loop1'))).toThrow(WriteRefusedError);
  });
});

describe('owner, group and mode are kept; a file the user cannot write is refused', () => {
  it.skipIf(!isRoot)('a root run keeps the VM owner\'s uid, gid and mode (file and backup)', () => {
    const { vmx } = vmDir();
    chownSync(vmx, 4321, 8765);
    chmodSync(vmx, 0o640);
    const r = applyVmxFile(vmx, LINES, {});
    expect(r.written).toBe(true);
    for (const f of [vmx, r.backup!]) {
      const st = statSync(f);
      expect([st.uid, st.gid, st.mode & 0o7777], f).toEqual([4321, 8765, 0o640]);
    }
  });

  it('mayWrite follows the permission bits (owner, group, others; root may)', () => {
    const st = { mode: 0o100644, uid: 10, gid: 20 };
    expect(mayWrite(st, { uid: 0, gids: [0] })).toBe(true);
    expect(mayWrite(st, { uid: 10, gids: [] })).toBe(true);
    expect(mayWrite(st, { uid: 11, gids: [20] })).toBe(false);
    expect(mayWrite({ ...st, mode: 0o100664 }, { uid: 11, gids: [20] })).toBe(true);
    expect(mayWrite({ ...st, mode: 0o100666 }, { uid: 12, gids: [] })).toBe(true);
    expect(mayWrite({ ...st, mode: 0o100444 }, { uid: 10, gids: [] })).toBe(false);
  });

  it('refuses (exit 2) a file the writer cannot write, even in a writable directory; nothing changes', () => {
    const { real, vmx } = vmDir();
    chmodSync(real, 0o777);
    const before = readFileSync(vmx);
    expect(() => applyVmxFile(vmx, LINES, { writer: { uid: 65534, gids: [65534] } })).toThrow(/you cannot write this file \(owner uid \d+, mode 644\)/);
    expect(readFileSync(vmx).equals(before)).toBe(true);
    expect(readdirSync(real)).toEqual(['vm1.vmx']);
  });

  it.skipIf(!isRoot)('end to end: vmx apply run as another user on a file it cannot write exits 2 with one line', () => {
    const { dir, real, vmx } = vmDir();
    chmodSync(real, 0o777);
    const masks = join(dir, 'masks.txt');
    writeFileSync(masks, 'cpuid.1.ecx = "--00-0---0----0-----------------"\n');
    chmodSync(masks, 0o644);
    const before = readFileSync(vmx);
    const r = spawnCli(['vmx', 'apply', vmx, '--mask', masks], { uid: 65534, gid: 65534 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^openevc: .*vm1\.vmx: you cannot write this file \(.*\n$/);
    expect(readFileSync(vmx).equals(before)).toBe(true);
    expect(statSync(vmx).uid).toBe(0);
    expect(readdirSync(real)).toEqual(['vm1.vmx']);
  });
});

describe('locks and leftovers', () => {
  for (const kind of ['dangling link', 'link to a directory', 'foreign file'] as const) {
    it(`a ${kind} .lck counts as a lock`, () => {
      const { real, vmx } = vmDir();
      if (kind === 'dangling link') symlinkSync(join(real, 'no-such-lock'), `${vmx}.lck`);
      else if (kind === 'link to a directory') symlinkSync(real, `${vmx}.lck`);
      else {
        writeFileSync(`${vmx}.lck`, 'held by another host');
        chmodSync(`${vmx}.lck`, 0);
      }
      expect(() => applyVmxFile(vmx, LINES, {})).toThrow(VmRunningError);
    });
  }

  it('a lock beside the file a link leads to counts too', () => {
    const { dir, vmx } = vmDir();
    symlinkSync(vmx, join(dir, 'vm1.vmx'));
    mkdirSync(`${vmx}.lck`);
    expect(() => applyVmxFile(join(dir, 'vm1.vmx'), LINES, {})).toThrow(VmRunningError);
  });

  it("the next run removes temporary files of openevc's naming that a killed run left; nothing else", () => {
    const { real, vmx } = vmDir();
    const stale = join(real, `.vm1.vmx.${DEAD_PID}.m0abc12.tmp`);
    const live = join(real, `.vm1.vmx.${process.pid}.m0abc13.tmp`);
    const foreign = join(real, '.vm1.vmx.swp');
    const other = join(real, `.other.vmx.${DEAD_PID}.m0abc12.tmp`);
    for (const f of [stale, live, foreign, other]) writeFileSync(f, 'x');
    const r = applyVmxFile(vmx, LINES, {});
    expect(r.cleaned).toEqual([stale]);
    expect(readdirSync(real).sort()).toEqual(['.other.vmx.4194305.m0abc12.tmp', '.vm1.vmx.swp', `.vm1.vmx.${process.pid}.m0abc13.tmp`, 'vm1.vmx', r.backup!.slice(real.length + 1)].sort());
    expect(cleanStaleTemps(vmx)).toEqual([]);
  });

  it('writeFileAtomic refuses what is not a regular file', () => {
    const { real } = vmDir();
    expect(() => writeFileAtomic(real, 'x')).toThrow(WriteRefusedError);
  });
});

describe('unreadable and odd .vmx files are input errors (exit 2), never internal errors', () => {
  it('a CR-only file is refused in one line', async () => {
    const { vmx } = vmDir();
    writeFileSync(vmx, Buffer.from('config.version = "8"\rcpuid.1.ecx = "----------------------------0---"\rdisplayName = "caf\xe9"\r', 'latin1'));
    const masks = join(vmx, '..', 'masks.txt');
    writeFileSync(masks, 'cpuid.1.ecx = "--00-0---0----0-----------------"\n');
    for (const args of [['vmx', 'show', vmx], ['vmx', 'apply', vmx, '--mask', masks]]) {
      const r = await runCli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`openevc: ${vmx}:1: expected a .vmx with LF or CRLF line breaks; this one has only carriage returns (classic Mac OS line breaks): convert them to LF first, found "CR-only line breaks"\n`);
    }
  });

  it.skipIf(!isRoot)('a .vmx the user cannot read: exit 2 from vmx show and vmx apply', () => {
    const { real, vmx } = vmDir();
    chmodSync(real, 0o755);
    chmodSync(vmx, 0o600);
    for (const args of [['vmx', 'show', vmx], ['vmx', 'apply', vmx, '--mask', vmx]]) {
      const r = spawnCli(args, { uid: 65534, gid: 65534 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/EACCES|permission denied/);
      expect(r.stderr).not.toContain('internal error');
    }
  });
});
