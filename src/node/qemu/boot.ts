/**
 * Boots the guest CPUID probe under QEMU and returns what the guest saw, as a CpuidDump.
 *
 * This is the ground truth for every QEMU-facing claim openevc makes: a `-cpu` string is only
 * right if a guest started with it executes CPUID and finds the predicted bits. TCG (QEMU's
 * own emulator) is used because it shows the guest exactly the configured CPU; under KVM the
 * host CPU leaks through where KVM cannot intercept (and nested /dev/kvm is often wrong).
 */
import type { Feature } from '../../core/catalog.js';
import type { CpuidDump } from '../../core/cpuid.js';
import { OpenevcError } from '../../core/errors.js';
import { qemuFeature } from './cpu-model.js';
import { buildProbe } from './guest/build.js';
import { DEBUG_EXIT_PORT, PROBE_EXIT_STATUS } from './guest/probe-asm.js';
import { parseProbeSerial } from './guest/serial.js';
import { QemuProcess, describeExit, lastError } from './process.js';
import { qemuBinary } from './tools.js';

export interface BootOptions {
  /** The `-cpu` option, as QEMU takes it (`Westmere,-aes`). */
  readonly cpu: string;
  /** Only TCG: see the module comment. */
  readonly accel?: 'tcg';
  /** Give up (and kill QEMU) after this long (default 15 s; a boot takes ~0.2 s). */
  readonly timeoutMs?: number;
  /** Extra QEMU arguments (e.g. `-machine` options), appended last. */
  readonly extraArgs?: readonly string[];
}

export interface BootResult {
  /** What the guest saw (format `probe`, label = the `-cpu` string). */
  readonly dump: CpuidDump;
  /** QEMU's warnings, without the `qemu-system-x86_64: warning: ` prefix. */
  readonly warnings: readonly string[];
  /** Features QEMU said the accelerator cannot provide and removed (`TCG doesn't support requested feature`). */
  readonly filtered: readonly Feature[];
  /** Firmware output seen on the serial port before the probe ran. */
  readonly noise: readonly string[];
  readonly elapsedMs: number;
  /** The QEMU command line used (without the binary). */
  readonly args: readonly string[];
  /** The first boot's serial output was incomplete and the guest was booted again. */
  readonly retried: boolean;
}

/** The QEMU arguments for a probe guest; shared with the migration test's long-running guests. */
export function probeGuestArgs(kernel: string, cpu: string, accel: 'tcg' = 'tcg'): string[] {
  return [
    '-nodefaults',
    '-machine',
    'pc',
    '-m',
    '32',
    '-nographic',
    '-no-reboot',
    '-device',
    `isa-debug-exit,iobase=0x${DEBUG_EXIT_PORT.toString(16)},iosize=0x04`,
    '-kernel',
    kernel,
    '-accel',
    accel,
    '-cpu',
    cpu,
  ];
}

/**
 * Boots the probe with this `-cpu` and returns the CPUID the guest read. When QEMU exits as the
 * probe makes it exit but the serial output holds no complete round, the guest boots once more:
 * under heavy host load QEMU's serial device gives up on bytes the pipe does not take at once, and
 * a lost marker leaves nothing to read. A second failure is reported with what the port carried.
 */
export async function bootProbe(opts: BootOptions): Promise<BootResult> {
  try {
    return await bootProbeOnce(opts);
  } catch (e) {
    if (!(e instanceof SerialOutputLost)) throw e;
    return { ...(await bootProbeOnce(opts)), retried: true };
  }
}

/** QEMU exited as the probe makes it exit, but the serial port did not carry one whole round. */
class SerialOutputLost extends OpenevcError {}

async function bootProbeOnce(opts: BootOptions): Promise<BootResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const kernel = buildProbe({ rounds: 1, delayPeriods: 0 });
  const args = [...probeGuestArgs(kernel, opts.cpu, opts.accel ?? 'tcg'), '-serial', 'stdio', ...(opts.extraArgs ?? [])];
  const what = `${qemuBinary()} -cpu ${opts.cpu}`;
  const started = performance.now();
  const qemu = new QemuProcess(args);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void qemu.kill();
  }, timeoutMs);
  const exit = await qemu.exited;
  clearTimeout(timer);
  const elapsedMs = performance.now() - started;
  if (timedOut) throw new OpenevcError(`${what}: the guest probe did not finish within ${timeoutMs / 1000} s (QEMU killed)`);
  if (exit.code !== PROBE_EXIT_STATUS) {
    const instead = exit.code === null ? '' : ` instead of the probe's ${PROBE_EXIT_STATUS}`;
    throw new OpenevcError(`${what}: QEMU ${describeExit(exit)}${instead}${lastError(qemu.stderr) || ' (the guest reset or stopped early)'}`);
  }
  let parsed: ReturnType<typeof parseProbeSerial>;
  try {
    parsed = parseProbeSerial(qemu.stdout, `${what} (serial)`);
  } catch (e) {
    throw new SerialOutputLost(`${e instanceof Error ? e.message : String(e)}${serialExcerpt(qemu.stdout)}`);
  }
  const round = parsed.rounds[0];
  if (!round || parsed.rounds.length !== 1) {
    throw new SerialOutputLost(`${what}: expected one round of probe output on the serial port, found ${parsed.rounds.length}${serialExcerpt(qemu.stdout)}`);
  }
  round.dump.source = { ...round.dump.source, label: opts.cpu };
  const { warnings, filtered } = qemuWarnings(qemu.stderr);
  return { dump: round.dump, warnings, filtered, noise: parsed.noise, elapsedMs, args, retried: false };
}

/** The start and end of what the serial port carried, for an error message. */
function serialExcerpt(stdout: string): string {
  const text = JSON.stringify(stdout.length <= 400 ? stdout : `${stdout.slice(0, 200)}…${stdout.slice(-200)}`);
  return ` (${stdout.length} bytes: ${text})`;
}

/**
 * Splits QEMU's stderr into warnings, and recognizes the ones saying a requested feature was
 * dropped because the accelerator lacks it (`...requested feature: CPUID.07H:EBX.hle [bit 4]`).
 */
export function qemuWarnings(stderr: string): { warnings: string[]; filtered: Feature[] } {
  const warnings: string[] = [];
  const filtered: Feature[] = [];
  for (const raw of stderr.split('\n')) {
    const m = /: warning: (.*)$/.exec(raw.trim());
    if (!m) continue;
    const text = m[1]!;
    warnings.push(text);
    const dropped = /doesn't support requested feature: \S*?\.([\w.-]+) \[bit \d+\]/.exec(text);
    const f = dropped ? qemuFeature(dropped[1]!) : undefined;
    if (f && !filtered.includes(f)) filtered.push(f);
  }
  return { warnings, filtered };
}

export interface ProbeGuestOptions {
  readonly cpu: string;
  /** UNIX socket path for the guest's QMP server (`-qmp unix:PATH,server=on,wait=off`). */
  readonly qmp: string;
  /** Start as a migration destination listening on this URI (`-incoming tcp:127.0.0.1:PORT`). */
  readonly incoming?: string;
  /** Rounds before the guest exits (default 600, about a minute with the default delay; 0 = forever). */
  readonly rounds?: number;
  /** PIT periods (~55 ms) between rounds (default 2). */
  readonly delayPeriods?: number;
}

/**
 * Starts a long-running probe guest that prints its CPUID every round on the serial port
 * (collected in the returned process's `stdout`), with a QMP socket: the guest of the
 * migration experiments. The caller kills it (it also exits by itself after `rounds`).
 */
export function startProbeGuest(opts: ProbeGuestOptions): QemuProcess {
  const kernel = buildProbe({ rounds: opts.rounds ?? 600, delayPeriods: opts.delayPeriods ?? 2 });
  const args = [...probeGuestArgs(kernel, opts.cpu), '-serial', 'stdio', '-qmp', `unix:${opts.qmp},server=on,wait=off`];
  if (opts.incoming) args.push('-incoming', opts.incoming);
  return new QemuProcess(args);
}
