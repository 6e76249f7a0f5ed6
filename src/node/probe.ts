/**
 * Reads this machine's CPUID through the Linux cpuid driver (/dev/cpu/N/cpuid: a 16-byte
 * pread at offset leaf | subleaf << 32 returns EAX, EBX, ECX, EDX of that CPU), loading the
 * `cpuid` module when needed, and falls back to /proc/cpuinfo (lossy) with a warning when
 * the device cannot be used (not root, no driver, not Linux).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { CpuidDump, Regs } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';
import { OpenevcError } from '../core/errors.js';
import { catalog } from '../core/catalog.js';
import { collectCpuid } from '../core/enumerate.js';
import { importText } from '../formats/readers.js';

export interface ProbeOptions {
  /** Logical CPU to read (default 0). */
  readonly cpu?: number;
  /** Where the cpuid devices live (tests point this elsewhere). */
  readonly devDir?: string;
  readonly procCpuinfo?: string;
  /** Do not try `modprobe cpuid`. */
  readonly noModprobe?: boolean;
}

export interface ProbeResult {
  readonly dump: CpuidDump;
  readonly method: 'cpuid-device' | 'proc-cpuinfo';
  readonly diagnostics: readonly Diagnostic[];
  /** How many logical CPUs were compared with the probed one. */
  readonly cpusCompared: number;
}

const IA32_ARCH_CAPABILITIES = 0x10a;

/** Reads one CPU's CPUID through its device file. */
export function readCpuDevice(path: string): (leaf: number, subleaf: number) => Regs {
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(16);
  const view = new DataView(buf.buffer);
  const read = (leaf: number, subleaf: number): Regs => {
    const pos = BigInt(leaf >>> 0) | (BigInt(subleaf >>> 0) << 32n);
    const n = readSync(fd, buf, 0, 16, pos);
    if (n !== 16) throw new OpenevcError(`${path}: short read (${n} bytes) for leaf 0x${leaf.toString(16)}`);
    return { eax: view.getUint32(0, true), ebx: view.getUint32(4, true), ecx: view.getUint32(8, true), edx: view.getUint32(12, true) };
  };
  return Object.assign(read, { close: () => closeSync(fd) });
}

function tryModprobe(): void {
  try {
    spawnSync('modprobe', ['cpuid'], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // modprobe missing: the fallback below explains what to do.
  }
}

export function probe(opts: ProbeOptions = {}): ProbeResult {
  const devDir = opts.devDir ?? '/dev/cpu';
  const cpu = opts.cpu ?? 0;
  const device = `${devDir}/${cpu}/cpuid`;
  const diagnostics: Diagnostic[] = [];
  if (!existsSync(device) && !opts.noModprobe && existsSync(devDir)) tryModprobe();
  let why: string | undefined;
  if (existsSync(device)) {
    try {
      const read = readCpuDevice(device);
      const dump = collectCpuid(read, { format: 'probe', lossy: false, path: device, cpu, label: hostLabel() });
      (read as unknown as { close(): void }).close();
      readArchCapabilities(devDir, cpu, dump, diagnostics);
      const compared = compareOtherCpus(devDir, cpu, dump, diagnostics);
      return { dump, method: 'cpuid-device', diagnostics, cpusCompared: compared };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      why = err.code === 'EACCES' || err.code === 'EPERM' ? `${device} needs root` : `${device}: ${err.message}`;
    }
  } else {
    why = existsSync(devDir) ? `${device} does not exist (is the cpuid module loaded? try: modprobe cpuid)` : `${devDir} does not exist (not Linux, or the cpuid driver is not built)`;
  }
  const proc = opts.procCpuinfo ?? '/proc/cpuinfo';
  if (!existsSync(proc)) throw new OpenevcError(`cannot probe this machine: ${why}, and ${proc} is not available`);
  const result = importText(readFileSync(proc, 'latin1'), { file: proc, format: 'proc-cpuinfo' });
  diagnostics.push({ level: 'warning', message: `read ${proc} instead of raw CPUID (${why}); the result is lossy: bits Linux does not show are unknown` });
  diagnostics.push(...result.diagnostics);
  return { dump: result.dump, method: 'proc-cpuinfo', diagnostics, cpusCompared: 0 };
}

function hostLabel(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/hostname', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** IA32_ARCH_CAPABILITIES carries vulnerability properties libvirt models use (mds-no, taa-no...). */
function readArchCapabilities(devDir: string, cpu: number, dump: CpuidDump, diagnostics: Diagnostic[]): void {
  const edx7 = dump.get(7, 0)?.edx ?? 0;
  if (((edx7 >>> 29) & 1) === 0) return;
  const path = `${devDir}/${cpu}/msr`;
  if (!existsSync(path)) {
    diagnostics.push({ level: 'info', message: `IA32_ARCH_CAPABILITIES not read: ${path} is missing (modprobe msr to include it)` });
    return;
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = new Uint8Array(8);
    if (readSync(fd, buf, 0, 8, IA32_ARCH_CAPABILITIES) === 8) {
      dump.msrs.set(IA32_ARCH_CAPABILITIES, new DataView(buf.buffer).getBigUint64(0, true));
    }
  } catch (e) {
    diagnostics.push({ level: 'info', message: `IA32_ARCH_CAPABILITIES not read: ${(e as Error).message}` });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Feature registers must agree on every logical CPU (hybrid P/E-cores differ only in
 * cache and core-type leaves); report any CPU that does not.
 */
function compareOtherCpus(devDir: string, cpu: number, dump: CpuidDump, diagnostics: Diagnostic[]): number {
  let cpus: number[];
  try {
    cpus = readdirSync(devDir).map(Number).filter((n) => Number.isInteger(n) && n !== cpu).sort((a, b) => a - b);
  } catch {
    return 0;
  }
  const registers = catalog.registers().filter((r) => dump.isValidLeaf(r.leaf, r.subleaf));
  const differing: string[] = [];
  let compared = 0;
  for (const other of cpus) {
    const path = `${devDir}/${other}/cpuid`;
    if (!existsSync(path)) continue;
    let read: ReturnType<typeof readCpuDevice>;
    try {
      read = readCpuDevice(path);
    } catch {
      continue;
    }
    compared++;
    for (const r of registers) {
      if (r.leaf === 1 && r.reg === 'ebx') continue;
      const mine = dump.reg(r.leaf, r.subleaf, r.reg) ?? 0;
      let theirs = read(r.leaf, r.subleaf)[r.reg];
      // Only catalogued bits matter; other bits of a feature register may legitimately differ.
      let mask = 0;
      for (let b = 0; b < 32; b++) if (r.bits[b]! >= 0) mask |= 1 << b;
      theirs &= mask;
      if (((mine & mask) >>> 0) !== (theirs >>> 0)) differing.push(`CPU ${other} differs in 0x${r.leaf.toString(16)}.${r.subleaf}:${r.reg.toUpperCase()}`);
    }
    (read as unknown as { close(): void }).close();
  }
  if (differing.length > 0) {
    diagnostics.push({ level: 'warning', message: `logical CPUs disagree on features: ${differing.slice(0, 8).join('; ')}${differing.length > 8 ? ` (+${differing.length - 8} more)` : ''}` });
  }
  return compared;
}
