/**
 * How every command reads hosts: a path (or `-` for stdin), an optional `--format`,
 * and for multi-CPU or vmware.log inputs, which view to use.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Option } from 'commander';
import type { CpuidDump, FormatId } from '../core/cpuid.js';
import { NotADumpError, UsageError } from '../core/errors.js';
import type { Diagnostic } from '../core/errors.js';
import { importFormats } from '../formats/readers.js';
import { loadInput } from '../node/load.js';

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'input format (default: detected from the content)').choices(importFormats());
}

export interface HostInput {
  /** The path as the user gave it (`-` for standard input). */
  readonly file: string;
  /** The format the input was read as. */
  readonly format: FormatId;
  readonly dump: CpuidDump;
  readonly cpus: number;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ReadOptions {
  readonly format?: string;
  /** Logical CPU to use from a multi-CPU dump (default: the first). */
  readonly cpu?: number;
  /** vmware.log: use what the guest was shown instead of the host's CPUID. */
  readonly guest?: boolean;
}

export async function readHost(path: string, opts: ReadOptions = {}): Promise<HostInput> {
  const result = await loadInput(path, opts.format ? { format: opts.format as FormatId } : {});
  let dump = result.dump;
  if (opts.guest) {
    if (!result.guest) throw new UsageError(`${path}: --guest needs a vmware.log with guestCPUID lines`);
    dump = result.guest;
  }
  if (opts.cpu !== undefined) {
    const chosen = result.cpus[opts.cpu];
    if (!chosen) throw new UsageError(`${path}: --cpu ${opts.cpu} is out of range (the input holds ${result.cpus.length} logical CPU${result.cpus.length === 1 ? '' : 's'})`);
    dump = chosen;
  }
  return { file: path, format: result.format, dump, cpus: result.cpus.length, diagnostics: result.diagnostics };
}

export function parseCpuIndex(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--cpu expects a logical CPU number (0, 1, ...), got '${value}'`);
  return n;
}

/** The files a command line names: in order, and which of them were found by walking a directory. */
export interface Inputs {
  readonly paths: readonly string[];
  /** Files listed from a directory rather than named: those that are not CPUID dumps are passed over. */
  readonly fromDirectory: ReadonlySet<string>;
  /** What the directory walks passed over without reading (dot-files, broken links, link loops, sockets...). */
  readonly passedOver?: readonly PassedOver[];
}

/** A file or directory a walk did not read, and why. */
export interface PassedOver {
  readonly file: string;
  readonly why: string;
}

/**
 * Walks one directory: regular files and symbolic links to them are inputs; links to directories
 * are followed once (a directory already on the walk, by its real path, is a loop and is passed
 * over); dot-entries, broken links and special files are passed over and named.
 */
async function walk(dir: string, ancestors: readonly string[], found: string[], passed: PassedOver[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) {
      passed.push({ file: path, why: 'a dot-file or dot-directory' });
      continue;
    }
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = await stat(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        passed.push({ file: path, why: code === 'ELOOP' ? 'a symbolic link that loops' : 'a broken symbolic link' });
        continue;
      }
    }
    if (isFile) found.push(path);
    else if (isDir) {
      const real = await realpath(path);
      if (ancestors.includes(real)) {
        passed.push({ file: path, why: 'a link back to a directory already being walked (a loop)' });
        continue;
      }
      await walk(path, [...ancestors, real], found, passed);
    } else passed.push({ file: path, why: 'not a regular file' });
  }
}

/**
 * Command-line inputs to files: each argument is a file, `-`, or a directory whose files
 * (recursively, following symbolic links, sorted) are all inputs; what the walk passes over is
 * listed. A missing path is an input error for the reader to report with its own message.
 */
export async function expandInputs(args: readonly string[]): Promise<Inputs> {
  const out: string[] = [];
  const fromDirectory = new Set<string>();
  const passedOver: PassedOver[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push(arg);
      continue;
    }
    let isDir = false;
    try {
      isDir = (await stat(arg)).isDirectory();
    } catch {
      // not there: readInput reports it
    }
    if (!isDir) {
      out.push(arg);
      continue;
    }
    const found: string[] = [];
    const passed: PassedOver[] = [];
    await walk(arg, [await realpath(arg)], found, passed);
    if (found.length === 0) {
      const over = passed.length > 0 ? ` (passed over: ${passed.map((p) => `${p.file}: ${p.why}`).join('; ')})` : '';
      throw new UsageError(`${arg}: the directory holds no files${over}`);
    }
    found.sort();
    for (const f of found) fromDirectory.add(f);
    out.push(...found);
    passedOver.push(...passed);
  }
  if (out.filter((p) => p === '-').length > 1) throw new UsageError("standard input ('-') can be read only once");
  return { paths: out, fromDirectory, passedOver };
}

/** Hosts read from a command line's inputs, and the directory files passed over as no CPUID dump. */
export interface ReadResult {
  readonly hosts: HostInput[];
  readonly skipped: readonly { readonly file: string; readonly why: string }[];
  /** What the directory walks passed over without reading (see `Inputs.passedOver`). */
  readonly passedOver: readonly PassedOver[];
}

/**
 * Reads many inputs, a few at a time (thousands of host files), keeping their order. A file found
 * in a directory that is not a CPUID dump at all (a VM's .vmx, a README, an archive) is passed
 * over and listed; a named file that is not one, or a dump with a mistake, is an error.
 */
export async function readHosts(inputs: Inputs, opts: ReadOptions = {}): Promise<ReadResult> {
  const { paths, fromDirectory } = inputs;
  const out: (HostInput | undefined)[] = new Array(paths.length);
  const skippedAt: ({ file: string; why: string } | undefined)[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      try {
        out[i] = await readHost(path, opts);
      } catch (e) {
        if (!(e instanceof NotADumpError && fromDirectory.has(path) && opts.format === undefined)) throw e;
        skippedAt[i] = { file: path, why: e.expected };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, paths.length) }, worker));
  const hosts = out.filter((h): h is HostInput => h !== undefined);
  const skipped = skippedAt.filter((s) => s !== undefined);
  const passedOver = inputs.passedOver ?? [];
  if (hosts.length === 0 && skipped.length + passedOver.length > 0) {
    throw new UsageError(`no CPUID dump among the files found in the directories given (passed over: ${[...passedOver, ...skipped].map((s) => s.file).join(', ')})`);
  }
  return { hosts, skipped, passedOver };
}

/** What a directory walk passed over, as diagnostics (none when nothing was). */
export function skippedDiagnostics(skipped: ReadResult['skipped'], passedOver: readonly PassedOver[] = []): Diagnostic[] {
  const out: Diagnostic[] = passedOver.map((p) => ({ level: 'info' as const, message: `passed over ${p.file}: ${p.why}` }));
  if (skipped.length === 0) return out;
  const one = skipped.length === 1;
  const names = skipped.map((s) => s.file).join(', ');
  return [...out, { level: 'info', message: `passed over ${skipped.length} file${one ? '' : 's'} found in a directory that ${one ? 'is' : 'are'} not a CPUID dump: ${names}` }];
}
