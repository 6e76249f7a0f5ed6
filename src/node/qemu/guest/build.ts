/**
 * Builds the guest probe (probe-asm.ts) into a multiboot ELF with nasm and ld, in a temporary
 * directory that is removed when this process exits. Built once per program and process:
 * assembling takes ~20 ms, booting it ~0.2 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenevcError } from '../../../core/errors.js';
import { probeAssembly } from './probe-asm.js';
import type { ProbeProgram } from './probe-asm.js';

let workDir: string | undefined;
let exitHook = false;
const built = new Map<string, string>();

function dir(): string {
  if (workDir === undefined) {
    workDir = mkdtempSync(join(tmpdir(), 'openevc-guest-'));
    if (!exitHook) {
      exitHook = true;
      process.on('exit', removeProbeBuilds);
    }
  }
  return workDir;
}

/**
 * Deletes the built kernels now (they are rebuilt on demand). Runs by itself when the process
 * exits normally; test files call it in `afterAll`, because a test runner may end its workers
 * without a normal exit.
 */
export function removeProbeBuilds(): void {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
  built.clear();
}

function run(tool: string, args: string[], pkg: string): void {
  const r = spawnSync(tool, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new OpenevcError(code === 'ENOENT' ? `building the guest probe needs ${tool} (apt-get install ${pkg})` : `${tool}: ${r.error.message}`);
  }
  if (r.status !== 0) throw new OpenevcError(`${tool} failed to build the guest probe (status ${r.status}): ${(r.stderr || r.stdout).trim()}`);
}

/** Path of the probe kernel for this program, building it on first use. */
export function buildProbe(program: ProbeProgram): string {
  const key = JSON.stringify([program.rounds, program.delayPeriods, program.leaves ?? null]);
  const cached = built.get(key);
  if (cached) return cached;
  const base = join(dir(), `probe-${built.size}`);
  writeFileSync(`${base}.asm`, probeAssembly(program));
  run('nasm', ['-f', 'elf32', '-o', `${base}.o`, `${base}.asm`], 'nasm');
  // -Ttext 0x100000: the multiboot loader places the kernel at 1 MiB, above the BIOS area.
  run('ld', ['-m', 'elf_i386', '-Ttext', '0x100000', '-e', '_start', '-o', `${base}.elf`, `${base}.o`], 'binutils');
  built.set(key, `${base}.elf`);
  return `${base}.elf`;
}
