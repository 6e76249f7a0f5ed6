import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { runCli } from '../../test-support/cli.js';
import { skipQemu } from '../../test-support/qemu.js';
import { removeProbeBuilds } from './guest/build.js';
import { startProbeGuest } from './boot.js';
import { describeProps } from './cpu-model.js';
import { parseProbeSerial } from './guest/serial.js';
import type { RunningCpu } from './migrate.js';
import { checkMigration } from './migrate.js';
import type { QemuProcess } from './process.js';
import { connectWhenReady } from './qmp.js';

afterAll(removeProbeBuilds);

/** A vCPU as readRunningCpu would report it, built from properties (no QEMU needed). */
function cpu(props: Record<string, unknown>, other: Partial<RunningCpu> = {}): RunningCpu {
  const d = describeProps('Test', props);
  return { ...d, endpoint: 'test.sock', status: 'running', vcpus: 1, typename: 'Test-x86_64-cpu', inconsistent: [], ...other };
}

describe('the migration check', () => {
  const base = { vendor: 'GenuineIntel', family: 6, model: 44, stepping: 1, 'model-id': 'Test CPU', sse2: true, 'sse4.2': true, aes: true, pclmulqdq: true, hypervisor: true, pmu: true };

  it('blocks on capabilities the destination lacks, naming them, and ignores non-capability bits', () => {
    const c = checkMigration(cpu(base), cpu({ ...base, aes: false, hypervisor: false, avx: true }));
    expect(c.safe).toBe(false);
    expect(c.missing.map((f) => f.id)).toEqual(['aes']);
    expect(c.gained.map((f) => f.id)).toEqual(['avx']);
    expect(c.compared).toBe(4); // sse2, sse4_2, aes, pclmulqdq: the hypervisor bit is not a capability
  });

  it('blocks a vendor change, reports other identity changes without blocking', () => {
    const amd = checkMigration(cpu(base), cpu({ ...base, vendor: 'AuthenticAMD' }));
    expect(amd.safe).toBe(false);
    expect(amd.missing).toEqual([]);
    expect(amd.identity).toEqual([{ field: 'vendor', source: 'GenuineIntel', destination: 'AuthenticAMD', blocks: true }]);
    const newer = checkMigration(cpu(base), cpu({ ...base, model: 26, stepping: 3, 'model-id': 'Other' }));
    expect(newer.safe).toBe(true);
    expect(newer.identity.map((c) => [c.field, c.blocks])).toEqual([
      ['model', false],
      ['stepping', false],
      ['model-id', false],
    ]);
  });

  it('lists vCPU properties outside the catalog that would turn off, without judging them', () => {
    const c = checkMigration(cpu(base), cpu({ ...base, pmu: false }));
    expect(c.safe).toBe(true);
    expect(c.otherProps).toEqual(['pmu']);
  });
});

describe('openevc qemu migrate: mistakes', () => {
  it('names a missing socket and exits 2 without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-migrate-'));
    try {
      const r = await runCli('qemu', 'migrate', '--from', join(dir, 'src.sock'), '--to', join(dir, 'dst.sock'), '--uri', 'tcp:127.0.0.1:1');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^openevc: ${join(dir, '(src|dst).sock')}: no such QMP socket \\(start QEMU with -qmp unix:`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs --uri unless --dry-run, and two different endpoints', async () => {
    const noUri = await runCli('qemu', 'migrate', '--from', 'a.sock', '--to', 'b.sock');
    expect(noUri.code).toBe(2);
    expect(noUri.stderr).toContain('--uri is required');
    const same = await runCli('qemu', 'migrate', '--from', 'a.sock', '--to', 'a.sock', '--dry-run');
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('the source cannot migrate onto itself');
    const noFrom = await runCli('qemu', 'migrate', '--to', 'b.sock', '--dry-run');
    expect(noFrom.code).toBe(2);
  });
});

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const rounds = (p: QemuProcess, label: string) => parseProbeSerial(p.stdout, label).rounds;

describe.skipIf(skipQemu)('the migration guard between two real QEMUs on 127.0.0.1 (needs qemu-system-x86_64 and nasm)', () => {
  it('refuses Westmere -> Nehalem naming AES, PCLMULQDQ (and ARAT), then carries a running guest Westmere -> Westmere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-migrate-'));
    const guests: QemuProcess[] = [];
    try {
      const [nehalemPort, westmerePort] = [await freePort(), await freePort()];
      const sock = { src: join(dir, 'src.sock'), nehalem: join(dir, 'nehalem.sock'), westmere: join(dir, 'westmere.sock') };
      const src = startProbeGuest({ cpu: 'Westmere', qmp: sock.src });
      const nehalem = startProbeGuest({ cpu: 'Nehalem', qmp: sock.nehalem, incoming: `tcp:127.0.0.1:${nehalemPort}` });
      const westmere = startProbeGuest({ cpu: 'Westmere', qmp: sock.westmere, incoming: `tcp:127.0.0.1:${westmerePort}` });
      guests.push(src, nehalem, westmere);
      const watch = await connectWhenReady(sock.src);
      for (const s of [sock.nehalem, sock.westmere]) (await connectWhenReady(s)).close();
      await src.waitForOutput((out) => parseProbeSerial(out, 'source').rounds.length >= 2, 10_000, 'two probe rounds on the source');
      // The monitor serves one client at a time: let go of the source while openevc talks to it.
      watch.close();

      // 1. Westmere -> Nehalem: refused, the features named, nothing touched. Besides AES and PCLMULQDQ
      //    (leaf 1, facts §6), Nehalem also lacks ARAT (leaf 6 EAX bit 2), which a migrated guest loses as well.
      const refused = await runCli('qemu', 'migrate', '--from', sock.src, '--to', sock.nehalem, '--uri', `tcp:127.0.0.1:${nehalemPort}`);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stdout).toMatch(/Refused: the destination lacks 3 CPU features the running guest has/);
      expect(refused.stdout).toMatch(/pclmulqdq +Carry-less multiplication \(PCLMULQDQ\) +0x1:ECX\[1\] +qemu: pclmulqdq/);
      expect(refused.stdout).toMatch(/aes +AES-NI +0x1:ECX\[25\] +qemu: aes/);
      expect(refused.stdout).toMatch(/arat +.* +0x6:EAX\[2\] +qemu: arat/);
      expect(refused.stdout).toContain('No migration was started; the guest keeps running on the source.');
      const json = JSON.parse((await runCli('qemu', 'migrate', '--from', sock.src, '--to', sock.nehalem, '--uri', `tcp:127.0.0.1:${nehalemPort}`, '--json')).stdout);
      expect(json.safe).toBe(false);
      expect(json.blockers).toEqual([
        { id: 'pclmulqdq', name: catalog.require('pclmulqdq').name, location: '0x1:ECX[1]', qemu: 'pclmulqdq' },
        { id: 'aes', name: 'AES-NI', location: '0x1:ECX[25]', qemu: 'aes' },
        { id: 'arat', name: catalog.require('arat').name, location: '0x6:EAX[2]', qemu: 'arat' },
      ]);
      expect(json.source).toMatchObject({ cpu_model: 'Westmere', status: 'running', vendor: 'GenuineIntel', family: 6, model: 44 });
      expect(json.destination).toMatchObject({ cpu_model: 'Nehalem', status: 'inmigrate' });
      expect(json.migration).toBeNull();

      const after = await connectWhenReady(sock.src);
      expect(await after.execute('query-status')).toMatchObject({ status: 'running' });
      expect(await after.execute('query-migrate')).toEqual({});
      after.close();
      const dstNehalem = await connectWhenReady(sock.nehalem);
      expect(await dstNehalem.execute('query-status')).toMatchObject({ status: 'inmigrate' });
      dstNehalem.close();
      const seen = rounds(src, 'source').length;
      await src.waitForOutput((out) => parseProbeSerial(out, 'source').rounds.length >= seen + 1, 10_000, 'a new round on the source after the refusal');

      // 2. Westmere -> Westmere: a dry run says yes and starts nothing; the real run completes.
      const dry = await runCli('qemu', 'migrate', '--from', sock.src, '--to', sock.westmere, '--dry-run', '--json');
      expect(dry.code, dry.stderr).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({ safe: true, dry_run: true, blockers: [], identity: [], migration: null, not_started: 'dry run' });
      // A wrong URI (nobody listens there): QEMU's failure is reported, exit 2, and the guest stays put.
      const nowhere = await freePort();
      const failed = await runCli('qemu', 'migrate', '--from', sock.src, '--to', sock.westmere, '--uri', `tcp:127.0.0.1:${nowhere}`);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(new RegExp(`^openevc: ${sock.src}: (migration to tcp:127\\.0\\.0\\.1:${nowhere} failed|QEMU refused 'migrate')`));
      expect(failed.stderr).not.toMatch(/\n\s+at /);
      const stillThere = await connectWhenReady(sock.src);
      expect(await stillThere.execute('query-status')).toMatchObject({ status: 'running' });
      stillThere.close();
      const moved = await runCli('qemu', 'migrate', '--from', sock.src, '--to', sock.westmere, '--uri', `tcp:127.0.0.1:${westmerePort}`);
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toMatch(/Compatible: the destination offers all \d+ CPU capabilities the guest has\./);
      expect(moved.stdout).toMatch(new RegExp(`Migrated to tcp:127\\.0\\.0\\.1:${westmerePort}: completed in \\d+ ms \\(downtime \\d+ ms, \\d+ KiB transferred, \\d+ ms wall time\\)\\.`));

      // The guest kept running: its round counter goes on where the source left it, on the destination.
      await westmere.waitForOutput((out) => parseProbeSerial(out, 'destination').rounds.length >= 3, 10_000, 'three probe rounds on the destination');
      const before = rounds(src, 'source');
      const onDst = rounds(westmere, 'destination');
      const lastOnSrc = before[before.length - 1]!.round;
      expect(onDst[0]!.round).toBeGreaterThan(lastOnSrc);
      expect(onDst[0]!.round).toBeLessThanOrEqual(lastOnSrc + 2);
      expect(onDst.map((r) => r.round)).toEqual(onDst.map((_, i) => onDst[0]!.round + i));
      // ...with unchanged CPUID.
      const reference = before[0]!.dump.list();
      for (const r of onDst) expect(r.dump.list(), `round ${r.round}`).toEqual(reference);
      const srcAfter = await connectWhenReady(sock.src);
      expect(await srcAfter.execute('query-status')).toMatchObject({ status: 'postmigrate' });
      srcAfter.close();
    } finally {
      await Promise.all(guests.map((g) => g.kill()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
