/**
 * A small QMP (QEMU Machine Protocol) client over a UNIX socket, a TCP socket or a pair of
 * pipes (`-qmp stdio`), with no dependency beyond node:net.
 *
 * QMP is newline-delimited JSON. The server speaks first with a greeting (`{"QMP": {...}}`),
 * the client must send `qmp_capabilities` before anything else, then each command
 * (`{"execute", "arguments", "id"}`) gets exactly one reply carrying the same id, either
 * `{"return": ...}` or `{"error": {"class", "desc"}}`. Asynchronous events
 * (`{"event", "data", "timestamp"}`) can arrive between replies at any time.
 *
 * Everything that can go wrong is reported as an {@link OpenevcError} naming the endpoint
 * and, for a refused command, the command and QEMU's own error class and description: a
 * user pointing `openevc qemu migrate` at the wrong path must read what to fix, not a stack.
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { OpenevcError, quoteFound } from '../../core/errors.js';

/** QEMU's version as the greeting states it. */
export interface QmpVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
  /** Distribution build string (`Debian 1:7.2+dfsg-7+deb12u18`), possibly empty. */
  readonly package: string;
}

export interface QmpEvent {
  readonly event: string;
  readonly data?: unknown;
  readonly timestamp?: { readonly seconds: number; readonly microseconds: number };
}

export interface QmpOptions {
  /** How long connecting, the greeting and the capabilities handshake may take together (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Default time a command may take before it is given up (default 10 s). */
  readonly commandTimeoutMs?: number;
}

/** QEMU refused a command: carries QEMU's error class (`GenericError`, `CommandNotFound`...) and description. */
export class QmpError extends OpenevcError {
  readonly endpoint: string;
  readonly command: string;
  readonly errorClass: string;
  readonly desc: string;
  constructor(endpoint: string, command: string, errorClass: string, desc: string) {
    super(`${endpoint}: QEMU refused '${command}': ${errorClass}: ${desc}`);
    this.name = 'QmpError';
    this.endpoint = endpoint;
    this.command = command;
    this.errorClass = errorClass;
    this.desc = desc;
  }
}

/** Could not connect at all; `code` is the system error (`ENOENT`, `ECONNREFUSED`...). */
export class QmpConnectError extends OpenevcError {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'QmpConnectError';
    this.code = code;
  }
}

/** Where a QMP server listens, parsed from `unix:PATH`, `tcp:HOST:PORT` or a bare socket path. */
export type QmpEndpoint = { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Parses an endpoint the way QEMU's own `-qmp` option spells it (the `,server=on,...` options are ignored). */
export function parseEndpoint(spec: string): QmpEndpoint {
  const text = spec.split(',')[0]!;
  if (text.startsWith('tcp:')) {
    const rest = text.slice(4);
    const colon = rest.lastIndexOf(':');
    const port = Number(rest.slice(colon + 1));
    if (colon < 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new OpenevcError(`${spec}: expected a QMP endpoint tcp:HOST:PORT, found no valid port`);
    }
    return { kind: 'tcp', host: rest.slice(0, colon).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port };
  }
  const path = text.startsWith('unix:') ? text.slice(5) : text;
  if (path.length === 0) throw new OpenevcError(`${spec}: expected a QMP socket path (unix:PATH or PATH) or tcp:HOST:PORT`);
  return { kind: 'unix', path };
}

interface Pending {
  readonly command: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

type Message = Record<string, unknown>;

const DEFAULT_CONNECT_TIMEOUT = 5_000;
const DEFAULT_COMMAND_TIMEOUT = 10_000;
/** A QMP line longer than this is not QMP (the largest real reply, a full CPU expansion, is ~20 KB). */
const MAX_LINE = 16 * 1024 * 1024;

export class QmpClient {
  /** The endpoint as the caller named it; every message starts with it. */
  readonly endpoint: string;
  /** Set once the greeting arrived. */
  version: QmpVersion | undefined;
  /** Capabilities the server offered in its greeting (`oob`...). */
  capabilities: readonly string[] = [];
  /** Events received so far, oldest first. */
  readonly events: QmpEvent[] = [];

  private readonly output: Writable;
  private readonly destroy: () => void;
  private readonly commandTimeoutMs: number;
  private readonly pending = new Map<string, Pending>();
  private readonly order: string[] = [];
  private readonly eventListeners = new Set<(e: QmpEvent) => void>();
  private greetingWaiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private buffer = '';
  private nextId = 1;
  private closedReason: string | undefined;

  private constructor(endpoint: string, input: Readable, output: Writable, destroy: () => void, opts: QmpOptions) {
    this.endpoint = endpoint;
    this.output = output;
    this.destroy = destroy;
    this.commandTimeoutMs = opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.receive(chunk));
    input.on('end', () => this.fail('QEMU closed the QMP connection'));
    input.on('close', () => this.fail('QEMU closed the QMP connection'));
    input.on('error', (e: NodeJS.ErrnoException) => this.fail(`QMP connection failed: ${e.code ?? e.message}`));
    output.on('error', (e: NodeJS.ErrnoException) => this.fail(`QMP connection failed: ${e.code ?? e.message}`));
  }

  /** Connects to a QMP socket (`PATH`, `unix:PATH` or `tcp:HOST:PORT`), reads the greeting and negotiates capabilities. */
  static async connect(spec: string, opts: QmpOptions = {}): Promise<QmpClient> {
    const endpoint = parseEndpoint(spec);
    const timeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT;
    const socket: Socket = await new Promise<Socket>((resolve, reject) => {
      const s = endpoint.kind === 'unix' ? createConnection({ path: endpoint.path }) : createConnection({ host: endpoint.host, port: endpoint.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new OpenevcError(`${spec}: could not connect within ${seconds(timeoutMs)}`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new QmpConnectError(connectFailure(spec, endpoint, e), e.code));
      });
    });
    const client = new QmpClient(spec, socket, socket, () => socket.destroy(), opts);
    await client.handshake(timeoutMs);
    return client;
  }

  /** Talks QMP over a child's pipes (`qemu-system-x86_64 -qmp stdio`): no socket file, no race to connect. */
  static async overStreams(label: string, input: Readable, output: Writable, opts: QmpOptions = {}): Promise<QmpClient> {
    const client = new QmpClient(label, input, output, () => {
      input.destroy();
      output.destroy();
    }, opts);
    await client.handshake(opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT);
    return client;
  }

  private async handshake(timeoutMs: number): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new OpenevcError(
              `${this.endpoint}: no QMP greeting within ${seconds(timeoutMs)} (is this QEMU's -qmp socket? QEMU serves one QMP client at a time: is another client connected?)`,
            ),
          );
        }, timeoutMs);
        this.greetingWaiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
      });
      await this.execute('qmp_capabilities', undefined, { timeoutMs });
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /**
   * Runs one command and resolves with its `return` value. A QEMU error reply rejects with a
   * {@link QmpError}; a timeout or a lost connection with an OpenevcError naming the command.
   * Commands may be issued concurrently: replies are matched by id.
   */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.closedReason !== undefined) {
      return Promise.reject(new OpenevcError(`${this.endpoint}: cannot run '${command}': ${this.closedReason}`));
    }
    const id = `openevc-${this.nextId++}`;
    const timeoutMs = opts.timeoutMs ?? this.commandTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.forget(id);
        reject(new OpenevcError(`${this.endpoint}: no reply to '${command}' within ${seconds(timeoutMs)}`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      this.order.push(id);
      const message: Message = { execute: command, id };
      if (args !== undefined) message.arguments = args;
      this.output.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Asks QEMU to exit and waits until it acknowledged or dropped the connection. */
  async quit(timeoutMs = 5_000): Promise<void> {
    if (this.closedReason !== undefined) return;
    try {
      await this.execute('quit', undefined, { timeoutMs });
    } catch (e) {
      // QEMU may close the connection before its reply reaches us; that is a successful quit.
      if (this.closedReason === undefined) throw e;
    } finally {
      this.close();
    }
  }

  /** Calls `listener` for every event from now on; returns a function that stops it. */
  onEvent(listener: (e: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Resolves with the next event of that name (or one already received, when `includePast`). */
  waitForEvent(name: string, timeoutMs: number, includePast = false): Promise<QmpEvent> {
    if (includePast) {
      const seen = this.events.find((e) => e.event === name);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise<QmpEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new OpenevcError(`${this.endpoint}: no ${name} event within ${seconds(timeoutMs)}`));
      }, timeoutMs);
      const stop = this.onEvent((e) => {
        if (e.event !== name) return;
        clearTimeout(timer);
        stop();
        resolve(e);
      });
    });
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Drops the connection. Pending commands fail; QEMU keeps running. */
  close(): void {
    this.fail('the QMP connection was closed');
    this.destroy();
  }

  private forget(id: string): void {
    this.pending.delete(id);
    const i = this.order.indexOf(id);
    if (i >= 0) this.order.splice(i, 1);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line.length > 0) this.dispatch(line);
      if (this.closedReason !== undefined) return;
    }
    if (this.buffer.length > MAX_LINE) this.protocolError(`a line longer than ${MAX_LINE} bytes`);
  }

  private dispatch(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.protocolError(quoteFound(line));
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.protocolError(quoteFound(line));
      return;
    }
    const m = msg as Message;
    if (this.greetingWaiter) {
      const waiter = this.greetingWaiter;
      this.greetingWaiter = undefined;
      const greeting = m.QMP as { version?: { qemu?: Partial<QmpVersion>; package?: string }; capabilities?: unknown } | undefined;
      if (typeof greeting !== 'object' || greeting === null) {
        waiter.reject(new OpenevcError(`${this.endpoint}: expected a QMP greeting ({"QMP": ...}), found ${quoteFound(line)}`));
        this.close();
        return;
      }
      const v = greeting.version?.qemu ?? {};
      this.version = { major: v.major ?? 0, minor: v.minor ?? 0, micro: v.micro ?? 0, package: greeting.version?.package ?? '' };
      this.capabilities = Array.isArray(greeting.capabilities) ? greeting.capabilities.filter((c): c is string => typeof c === 'string') : [];
      waiter.resolve();
      return;
    }
    if (typeof m.event === 'string') {
      const event = m as unknown as QmpEvent;
      this.events.push(event);
      for (const l of [...this.eventListeners]) l(event);
      return;
    }
    // Replies carry our id; QEMU omits it only when it could not parse the command at all,
    // and it answers in order, so such a reply belongs to the oldest command still waiting.
    const id = typeof m.id === 'string' && this.pending.has(m.id) ? m.id : m.id === undefined ? this.order[0] : undefined;
    if (id === undefined) return; // a reply to a command we already gave up on
    const p = this.pending.get(id)!;
    this.forget(id);
    clearTimeout(p.timer);
    if ('return' in m) {
      p.resolve(m.return);
    } else if (typeof m.error === 'object' && m.error !== null) {
      const err = m.error as { class?: unknown; desc?: unknown };
      p.reject(new QmpError(this.endpoint, p.command, String(err.class ?? 'UnknownError'), String(err.desc ?? '(no description)')));
    } else {
      p.reject(new OpenevcError(`${this.endpoint}: expected a reply to '${p.command}' ({"return": ...} or {"error": ...}), found ${quoteFound(line)}`));
    }
  }

  private protocolError(found: string): void {
    const reason = `expected QMP (one JSON object per line), found ${found}`;
    if (this.greetingWaiter) {
      const w = this.greetingWaiter;
      this.greetingWaiter = undefined;
      w.reject(new OpenevcError(`${this.endpoint}: ${reason}`));
    }
    this.fail(reason);
    this.destroy();
  }

  private fail(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    if (this.greetingWaiter) {
      const w = this.greetingWaiter;
      this.greetingWaiter = undefined;
      w.reject(new OpenevcError(`${this.endpoint}: ${reason} before its greeting`));
    }
    for (const id of [...this.order]) {
      const p = this.pending.get(id)!;
      this.forget(id);
      clearTimeout(p.timer);
      p.reject(new OpenevcError(`${this.endpoint}: ${reason} while waiting for the reply to '${p.command}'`));
    }
  }
}

function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function connectFailure(spec: string, endpoint: QmpEndpoint, e: NodeJS.ErrnoException): string {
  const hint =
    endpoint.kind === 'unix'
      ? `start QEMU with -qmp unix:${endpoint.path},server=on,wait=off`
      : `start QEMU with -qmp tcp:${endpoint.host}:${endpoint.port},server=on,wait=off`;
  switch (e.code) {
    case 'ENOENT':
      return `${spec}: no such QMP socket (${hint})`;
    case 'ECONNREFUSED':
      return endpoint.kind === 'unix'
        ? `${spec}: nothing is listening on this socket (QEMU has exited and left a stale socket?)`
        : `${spec}: connection refused (${hint})`;
    case 'ENOTSOCK':
      return `${spec}: not a socket (${hint})`;
    case 'EACCES':
    case 'EPERM':
      return `${spec}: permission denied (run as the user QEMU runs as, or root)`;
    default:
      return `${spec}: cannot connect to QMP: ${e.code ?? e.message}`;
  }
}

/**
 * Waits until a QMP socket QEMU is creating accepts a client (QEMU creates it during start-up,
 * so a caller that just spawned QEMU would otherwise race it). Connects, handshakes and
 * returns the client.
 */
export async function connectWhenReady(spec: string, timeoutMs = 10_000, opts: QmpOptions = {}): Promise<QmpClient> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await QmpClient.connect(spec, opts);
    } catch (e) {
      const notYet = e instanceof QmpConnectError && (e.code === 'ENOENT' || e.code === 'ECONNREFUSED');
      if (!notYet || performance.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
