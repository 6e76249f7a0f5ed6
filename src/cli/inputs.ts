/**
 * How every command reads hosts: a path (or `-` for stdin), an optional `--format`,
 * and for multi-CPU or vmware.log inputs, which view to use.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Option } from 'commander';
import type { FormatId } from '../core/cpuid.js';
import { InputError, NotADumpError, UsageError } from '../core/errors.js';
import type { EvcMode } from '../core/evc.js';
import type { Diagnostic } from '../core/errors.js';
import { importFormats } from '../formats/readers.js';
import type { FleetCluster, FleetVm } from '../formats/reader-types.js';
import { loadInput } from '../node/load.js';
import { allHosts, selectHost } from '../formats/select-host.js';
import type { HostInput } from '../formats/select-host.js';

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'input format (default: detected from the content)').choices(importFormats());
}

export type { HostInput } from '../formats/select-host.js';

export interface ReadOptions {
  readonly format?: string;
  /** Logical CPU to use from a multi-CPU dump (default: the first). */
  readonly cpu?: number;
  /** vmware.log: use what the guest was shown instead of the host's CPUID. */
  readonly guest?: boolean;
}

/**
 * `FILE#HOST` names one host of a fleet export. The selector is split off only when the path as
 * given does not exist (a file may have `#` in its name).
 */
export async function splitHostSelector(path: string): Promise<{ path: string; host?: string }> {
  const at = path.lastIndexOf('#');
  if (path === '-' || at <= 0) return { path };
  try {
    await stat(path);
    return { path };
  } catch {
    return { path: path.slice(0, at), host: path.slice(at + 1) };
  }
}

export async function readHost(given: string, opts: ReadOptions = {}): Promise<HostInput> {
  const { path, host: selected } = await splitHostSelector(given);
  const result = await loadInput(path, opts.format ? { format: opts.format as FormatId } : {});
  return selectHost(result, { file: path, ...(selected !== undefined ? { host: selected } : {}), ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}), ...(opts.guest ? { guest: true } : {}) });
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
  /** Files found in a directory that are broken inputs: reported and skipped, the rest is read. */
  readonly failed?: readonly { readonly file: string; readonly message: string }[];
  /** What fleet exports held besides hosts. */
  readonly clusters?: readonly FleetCluster[];
  readonly vms?: readonly FleetVm[];
  readonly evcModes?: readonly EvcMode[];
}

/** Reads one input, every host of it (a fleet export holds several). */
async function readAll(path: string, opts: ReadOptions): Promise<{ hosts: HostInput[]; clusters: FleetCluster[]; vms: FleetVm[]; evcModes: EvcMode[] }> {
  const sel = await splitHostSelector(path);
  if (sel.host !== undefined) return { hosts: [await readHost(path, opts)], clusters: [], vms: [], evcModes: [] };
  const result = await loadInput(path, opts.format ? { format: opts.format as FormatId } : {});
  const hosts = allHosts(result, { file: path, ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}), ...(opts.guest ? { guest: true } : {}) });
  const f = result.fleet;
  return { hosts, clusters: [...(f?.clusters ?? [])], vms: [...(f?.vms ?? [])], evcModes: [...(f?.evcModes ?? [])] };
}

/**
 * Reads many inputs, a few at a time (thousands of host files), keeping their order. A file found
 * in a directory that is not a CPUID dump at all (a VM's .vmx, a README, an archive) is passed
 * over and listed; a named file that is not one, or a dump with a mistake, is an error.
 */
export async function readHosts(inputs: Inputs, opts: ReadOptions = {}): Promise<ReadResult> {
  const { paths, fromDirectory } = inputs;
  const out: (Awaited<ReturnType<typeof readAll>> | undefined)[] = new Array(paths.length);
  const skippedAt: ({ file: string; why: string } | undefined)[] = new Array(paths.length);
  const failedAt: ({ file: string; message: string } | undefined)[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      try {
        out[i] = await readAll(path, opts);
      } catch (e) {
        if (!(e instanceof InputError && fromDirectory.has(path))) throw e;
        // A folder is one fleet: a file that is no input at all is passed over, a broken one reported; the rest is read.
        if (e instanceof NotADumpError && opts.format === undefined) skippedAt[i] = { file: path, why: e.expected };
        else failedAt[i] = { file: path, message: e.message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, paths.length) }, worker));
  const done = out.filter((h) => h !== undefined);
  const hosts = done.flatMap((r) => r.hosts);
  const skipped = skippedAt.filter((s) => s !== undefined);
  const failed = failedAt.filter((s) => s !== undefined);
  if (hosts.length === 0 && (skipped.length > 0 || failed.length > 0 || done.length > 0)) {
    const why = [...failed.map((f) => f.message)];
    if (skipped.length > 0) why.push(`passed over: ${skipped.map((s) => s.file).join(', ')}`);
    if (done.length > 0 && why.length === 0) throw new UsageError('the inputs hold no host (only clusters, VMs or EVC mode definitions)');
    throw new UsageError(`no CPUID dump among the files found in the directories given (${why.join('; ')})`);
  }
  return {
    hosts,
    skipped,
    failed,
    clusters: done.flatMap((r) => r.clusters),
    vms: done.flatMap((r) => r.vms),
    evcModes: done.flatMap((r) => r.evcModes),
  };
}

/** What a directory walk passed over or could not read, as diagnostics (none when nothing was). */
export function skippedDiagnostics(skipped: ReadResult['skipped'], failed: ReadResult['failed'] = []): Diagnostic[] {
  const broken: Diagnostic[] = (failed ?? []).map((f) => ({ level: 'warning', message: `skipped (the rest of the folder is read): ${f.message}` }));
  if (skipped.length === 0) return broken;
  const one = skipped.length === 1;
  const names = skipped.map((s) => s.file).join(', ');
  return [{ level: 'info', message: `passed over ${skipped.length} file${one ? '' : 's'} found in a directory that ${one ? 'is' : 'are'} not a CPUID dump: ${names}` }, ...broken];
}
