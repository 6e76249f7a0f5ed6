import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenevcError } from '../../core/errors.js';
import { QmpClient, QmpError, parseEndpoint } from './qmp.js';

const GREETING = '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "test"}, "capabilities": ["oob"]}}\r\n';

/** A scripted QMP server: `answer` decides what to send back for each command line. */
function fakeServer(answer: (msg: { execute: string; id?: string; arguments?: unknown }, sock: Socket) => string | undefined, greeting = GREETING) {
  const dir = tempDir();
  const path = join(dir, 'qmp.sock');
  const received: unknown[] = [];
  const server: Server = createServer((sock) => {
    sock.setEncoding('utf8');
    if (greeting) sock.write(greeting);
    let buf = '';
    sock.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const msg = JSON.parse(line);
        received.push(msg);
        const reply = answer(msg, sock);
        if (reply !== undefined) sock.write(reply);
      }
    });
    sock.on('error', () => {});
  });
  servers.push(server);
  return new Promise<{ path: string; dir: string; received: unknown[] }>((resolve) => server.listen(path, () => resolve({ path, dir, received })));
}

const servers: Server[] = [];
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'openevc-qmp-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ok = (msg: { id?: string }, value: unknown = {}) => `${JSON.stringify({ return: value, id: msg.id })}\r\n`;

describe('QMP client', () => {
  it('reads the greeting, negotiates capabilities, matches replies to commands by id', async () => {
    const srv = await fakeServer((msg, sock) => {
      if (msg.execute === 'qmp_capabilities') return ok(msg);
      if (msg.execute === 'slow') {
        setTimeout(() => sock.write(ok(msg, 'slow done')), 30);
        return undefined;
      }
      if (msg.execute === 'query-status') return `{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r\n${ok(msg, { status: 'paused', running: false })}`;
      return undefined;
    });
    const qmp = await QmpClient.connect(srv.path);
    expect(qmp.version).toEqual({ major: 7, minor: 2, micro: 22, package: 'test' });
    expect(qmp.capabilities).toEqual(['oob']);
    // Issued together, answered out of order: each promise gets its own reply.
    const [slow, status] = await Promise.all([qmp.execute('slow'), qmp.execute('query-status')]);
    expect(slow).toBe('slow done');
    expect(status).toEqual({ status: 'paused', running: false });
    expect(qmp.events.map((e) => e.event)).toEqual(['STOP']);
    expect(srv.received[0]).toEqual({ execute: 'qmp_capabilities', id: 'openevc-1' });
    expect(srv.received).toContainEqual({ execute: 'slow', id: 'openevc-2' });
    qmp.close();
  });

  it('turns an error reply into a QmpError naming the command and QEMU class and description', async () => {
    const srv = await fakeServer((msg) =>
      msg.execute === 'qmp_capabilities' ? ok(msg) : `${JSON.stringify({ error: { class: 'CommandNotFound', desc: "The command frob has not been found" }, id: msg.id })}\n`,
    );
    const qmp = await QmpClient.connect(`unix:${srv.path}`);
    const err = await qmp.execute('frob', { x: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect((err as QmpError).message).toBe(`unix:${srv.path}: QEMU refused 'frob': CommandNotFound: The command frob has not been found`);
    expect((err as QmpError).errorClass).toBe('CommandNotFound');
    expect(srv.received[1]).toEqual({ execute: 'frob', arguments: { x: 1 }, id: 'openevc-2' });
    qmp.close();
  });

  it('delivers events to listeners and waiters', async () => {
    let client: Socket | undefined;
    const srv = await fakeServer((msg, sock) => {
      client = sock;
      return ok(msg);
    });
    const qmp = await QmpClient.connect(srv.path);
    const seen: string[] = [];
    const stop = qmp.onEvent((e) => seen.push(e.event));
    const waiting = qmp.waitForEvent('MIGRATION', 1000);
    client!.write('{"event": "RESUME", "timestamp": {"seconds": 1, "microseconds": 0}}\n{"event": "MIGRATION", "data": {"status": "completed"}, "timestamp": {"seconds": 1, "microseconds": 5}}\n');
    expect((await waiting).data).toEqual({ status: 'completed' });
    stop();
    expect(seen).toEqual(['RESUME', 'MIGRATION']);
    expect((await qmp.waitForEvent('RESUME', 10, true)).event).toBe('RESUME');
    await expect(qmp.waitForEvent('SHUTDOWN', 20)).rejects.toThrow(/no SHUTDOWN event within/);
    qmp.close();
  });

  it('gives up on a command QEMU does not answer, and ignores the late reply', async () => {
    let held: { id?: string } | undefined;
    let sock: Socket | undefined;
    const srv = await fakeServer((msg, s) => {
      if (msg.execute === 'qmp_capabilities') return ok(msg);
      if (msg.execute === 'hang') {
        held = msg;
        sock = s;
        return undefined;
      }
      return ok(msg, 'pong');
    });
    const qmp = await QmpClient.connect(srv.path);
    await expect(qmp.execute('hang', undefined, { timeoutMs: 50 })).rejects.toThrow(`${srv.path}: no reply to 'hang' within 50 ms`);
    sock!.write(ok(held!, 'too late'));
    expect(await qmp.execute('ping')).toBe('pong');
    qmp.close();
  });

  it('fails pending commands when QEMU goes away, and refuses new ones', async () => {
    const srv = await fakeServer((msg, sock) => {
      if (msg.execute === 'qmp_capabilities') return ok(msg);
      sock.destroy();
      return undefined;
    });
    const qmp = await QmpClient.connect(srv.path);
    await expect(qmp.execute('query-migrate')).rejects.toThrow(/QEMU closed the QMP connection while waiting for the reply to 'query-migrate'/);
    expect(qmp.closed).toBe(true);
    await expect(qmp.execute('query-status')).rejects.toThrow(/cannot run 'query-status'/);
  });

  it('treats a connection dropped after quit as a clean quit', async () => {
    const srv = await fakeServer((msg, sock) => {
      if (msg.execute === 'qmp_capabilities') return ok(msg);
      sock.destroy();
      return undefined;
    });
    const qmp = await QmpClient.connect(srv.path);
    await expect(qmp.quit()).resolves.toBeUndefined();
  });

  it('explains a missing socket, a stale socket, a non-QMP server and a silent one', async () => {
    const dir = tempDir();
    const missing = join(dir, 'nope.sock');
    await expect(QmpClient.connect(missing)).rejects.toThrow(`${missing}: no such QMP socket (start QEMU with -qmp unix:${missing},server=on,wait=off)`);
    const plain = join(dir, 'file');
    writeFileSync(plain, 'x');
    const e = await QmpClient.connect(plain).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenevcError);
    expect((e as Error).message.startsWith(`${plain}: `)).toBe(true);

    const http = await fakeServer(() => undefined, 'HTTP/1.1 400 Bad Request\r\n');
    await expect(QmpClient.connect(http.path)).rejects.toThrow(`${http.path}: expected QMP (one JSON object per line), found "HTTP/1.1 400 Bad Request"`);
    const json = await fakeServer(() => undefined, '{"hello": 1}\n');
    await expect(QmpClient.connect(json.path)).rejects.toThrow(`${json.path}: expected a QMP greeting ({"QMP": ...}), found "{\\"hello\\": 1}"`);
    const silent = await fakeServer(() => undefined, '');
    await expect(QmpClient.connect(silent.path, { connectTimeoutMs: 80 })).rejects.toThrow(/no QMP greeting within 80 ms .*another client connected/);
  });

  it('parses endpoints as QEMU spells them', () => {
    expect(parseEndpoint('/run/q.sock')).toEqual({ kind: 'unix', path: '/run/q.sock' });
    expect(parseEndpoint('unix:/run/q.sock,server=on,wait=off')).toEqual({ kind: 'unix', path: '/run/q.sock' });
    expect(parseEndpoint('tcp:127.0.0.1:4444')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4444 });
    expect(parseEndpoint('tcp:[::1]:4444')).toEqual({ kind: 'tcp', host: '::1', port: 4444 });
    expect(() => parseEndpoint('tcp:host')).toThrow('tcp:host: expected a QMP endpoint tcp:HOST:PORT, found no valid port');
    expect(() => parseEndpoint('')).toThrow(/expected a QMP socket path/);
  });
});
