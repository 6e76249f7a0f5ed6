/**
 * How every command reads hosts: a path (or `-` for stdin), an optional `--format`,
 * and for multi-CPU or vmware.log inputs, which view to use.
 */
import { readdir, stat } from 'node:fs/promises';
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
  /** `--lenient`: read damaged input anyway, with warnings that the answer rests on it. */
  readonly lenient?: boolean;
}

export async function readHost(path: string, opts: ReadOptions = {}): Promise<HostInput> {
  const result = await loadInput(path, { ...(opts.format ? { format: opts.format as FormatId } : {}), ...(opts.lenient ? { lenient: true } : {}) });
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
}

/**
 * Command-line inputs to files: each argument is a file, `-`, or a directory whose regular
 * files (recursively, dot-files skipped, sorted) are all inputs. A missing path is an input
 * error for the reader to report with its own message.
 */
export async function expandInputs(args: readonly string[]): Promise<Inputs> {
  const out: string[] = [];
  const fromDirectory = new Set<string>();
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
    for (const entry of await readdir(arg, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = relative(arg, join(entry.parentPath ?? entry.path, entry.name));
      if (rel.split(sep).some((part) => part.startsWith('.'))) continue;
      found.push(join(arg, rel));
    }
    if (found.length === 0) throw new UsageError(`${arg}: the directory holds no files`);
    found.sort();
    for (const f of found) fromDirectory.add(f);
    out.push(...found);
  }
  if (out.filter((p) => p === '-').length > 1) throw new UsageError("standard input ('-') can be read only once");
  return { paths: out, fromDirectory };
}

/** Hosts read from a command line's inputs, and the directory files passed over as no CPUID dump. */
export interface ReadResult {
  readonly hosts: HostInput[];
  readonly skipped: readonly { readonly file: string; readonly why: string }[];
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
  if (hosts.length === 0 && skipped.length > 0) {
    throw new UsageError(`no CPUID dump among the files found in the directories given (passed over: ${skipped.map((s) => s.file).join(', ')})`);
  }
  return { hosts, skipped };
}

/** What a directory walk passed over, as a diagnostic (none when nothing was). */
export function skippedDiagnostics(skipped: ReadResult['skipped']): Diagnostic[] {
  if (skipped.length === 0) return [];
  const one = skipped.length === 1;
  const names = skipped.map((s) => s.file).join(', ');
  return [{ level: 'info', message: `passed over ${skipped.length} file${one ? '' : 's'} found in a directory that ${one ? 'is' : 'are'} not a CPUID dump: ${names}` }];
}
