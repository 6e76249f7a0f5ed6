/**
 * QEMU processes openevc starts itself (a guest probe boot, a short-lived `-machine none`
 * QMP session, the guests of a migration test): spawned without a shell, their output
 * collected, and never left behind: every one is tracked and killed when this Node process
 * exits, whatever happened in between.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { OpenevcError } from '../../core/errors.js';
import { QmpClient } from './qmp.js';
import { qemuBinary } from './tools.js';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface QemuExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running QEMU. `stdout`/`stderr` grow as it writes (when they are pipes). */
export class QemuProcess {
  readonly child: ChildProcess;
  readonly args: readonly string[];
  stdout = '';
  stderr = '';
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<QemuExit>;
  exit: QemuExit | undefined;
  private readonly stdoutListeners = new Set<() => void>();

  constructor(args: readonly string[], opts: { stdinPipe?: boolean; stdoutPipe?: boolean } = {}) {
    installExitHook();
    this.args = args;
    this.child = spawn(qemuBinary(), args, { stdio: [opts.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    live.add(this.child);
    this.exited = new Promise<QemuExit>((resolve) => {
      this.child.once('error', (e: NodeJS.ErrnoException) => {
        this.stderr += `${qemuBinary()}: ${e.code === 'ENOENT' ? 'not found (apt-get install qemu-system-x86, or set OPENEVC_QEMU)' : e.message}\n`;
        live.delete(this.child);
        this.exit = { code: null, signal: null };
        resolve(this.exit);
      });
      this.child.once('close', (code, signal) => {
        live.delete(this.child);
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
    if (opts.stdoutPipe !== false) {
      this.child.stdout!.setEncoding('latin1');
      this.child.stdout!.on('data', (chunk: string) => {
        this.stdout += chunk;
        for (const l of [...this.stdoutListeners]) l();
      });
    }
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Resolves once `test(stdout)` holds; rejects after `timeoutMs` or when QEMU exits first. */
  waitForOutput(test: (stdout: string) => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test(this.stdout)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.stdoutListeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (test(this.stdout)) done();
      };
      const timer = setTimeout(() => done(new OpenevcError(`QEMU (pid ${this.pid}): ${what} did not happen within ${timeoutMs / 1000} s`)), timeoutMs);
      this.stdoutListeners.add(check);
      void this.exited.then((e) => {
        if (!test(this.stdout)) done(new OpenevcError(`QEMU (pid ${this.pid}) ${describeExit(e)} before ${what}${lastError(this.stderr)}`));
      });
    });
  }

  /** Kills QEMU (SIGKILL: nothing of its state matters any more) and waits until it is gone. */
  async kill(): Promise<QemuExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** How QEMU ended, as a predicate: `exited with status 1`, `was killed by SIGKILL`, `could not start`. */
export function describeExit(e: QemuExit): string {
  if (e.signal) return `was killed by ${e.signal}`;
  if (e.code === null) return 'could not start';
  return `exited with status ${e.code}`;
}

/** QEMU's last complaint on stderr, as `: <text>`, or '' when it said nothing. */
export function lastError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/: warning: /.test(l));
  const last = lines[lines.length - 1];
  if (last === undefined) return '';
  const self = `${qemuBinary()}: `;
  return `: ${last.startsWith(self) ? last.slice(self.length) : last.replace(/^[^:\s]*qemu-system-[\w-]+: /, '')}`;
}

/**
 * Runs `fn` against a fresh `qemu-system-x86_64 -machine none` (no guest, no disk, no socket:
 * QMP over its stdin/stdout), then quits it. This is how openevc asks QEMU about CPU models
 * and about what an accelerator can emulate without booting anything (~0.1 s).
 */
export async function withQmpMachine<T>(fn: (qmp: QmpClient) => Promise<T>, opts: { accel?: 'tcg' } = {}): Promise<T> {
  const args = ['-machine', 'none', '-accel', opts.accel ?? 'tcg', '-nodefaults', '-display', 'none', '-qmp', 'stdio'];
  const qemu = new QemuProcess(args, { stdinPipe: true, stdoutPipe: false });
  let qmp: QmpClient | undefined;
  try {
    const connecting = QmpClient.overStreams(`${qemuBinary()} -machine none`, qemu.child.stdout!, qemu.child.stdin!, { connectTimeoutMs: 10_000 });
    const exitedFirst = qemu.exited.then((e) => {
      const how = e.code === null && e.signal === null ? 'QEMU could not start' : `QEMU ${describeExit(e)} before QMP was ready`;
      throw new OpenevcError(`${qemuBinary()} -machine none: ${how}${lastError(qemu.stderr)}`);
    });
    qmp = await Promise.race([connecting, exitedFirst]);
    return await fn(qmp);
  } finally {
    if (qmp && !qmp.closed) await qmp.quit().catch(() => undefined);
    const timer = setTimeout(() => qemu.child.kill('SIGKILL'), 2000);
    await qemu.exited;
    clearTimeout(timer);
  }
}
