/**
 * How every command reads hosts: a path (or `-` for stdin), an optional `--format`,
 * and for multi-CPU or vmware.log inputs, which view to use.
 */
// Synchronous calls on purpose: inputs are local files, and node:fs/promises costs every command ~1 ms to load.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import type { FormatId } from '../core/cpuid.js';
import { InputError, NotADumpError, UsageError } from '../core/errors.js';
import type { EvcMode } from '../core/evc.js';
import type { Diagnostic } from '../core/errors.js';
import { READER_IDS } from '../formats/registry.js';
import type { FleetCluster, FleetVm, ImportResult } from '../formats/reader-types.js';
import { loadInput, loadOpenevcJsonNow } from '../node/load.js';
import { SeenHosts, fileOfInput } from '../core/machines.js';
import type { IdenticalHosts } from '../core/machines.js';
import { allHosts, selectHost } from '../formats/select-host.js';
import type { HostInput } from '../formats/select-host.js';

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'input format (default: detected from the content)').choices(READER_IDS);
}

export type { HostInput } from '../formats/select-host.js';

export interface ReadOptions {
  readonly format?: string;
  /** Logical CPU to use from a multi-CPU dump (default: the first). */
  readonly cpu?: number;
  /** vmware.log: use what the guest was shown instead of the host's CPUID. */
  readonly guest?: boolean;
  /** A file whose CPU blocks are different machines: read each machine as a host (else refused). */
  readonly split?: boolean;
  /** `--lenient`: read damaged input anyway, with warnings that the answer rests on it. */
  readonly lenient?: boolean;
}

/**
 * `FILE#HOST` names one host of a fleet export. The selector is split off only when the path as
 * given does not exist (a file may have `#` in its name).
 */
export async function splitHostSelector(path: string): Promise<{ path: string; host?: string }> {
  const at = path.lastIndexOf('#');
  if (path === '-' || at <= 0) return { path };
  try {
    statSync(path);
    return { path };
  } catch {
    return { path: path.slice(0, at), host: path.slice(at + 1) };
  }
}


export async function readHost(given: string, opts: ReadOptions = {}): Promise<HostInput> {
  const { path, host } = await splitHostSelector(given);
  const result = await loadInput(path, loadOptions(opts));
  return selectHost(result, { file: path, ...(host !== undefined ? { host } : {}), ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}), ...(opts.guest ? { guest: true } : {}) });
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
  /**
   * The real path of files a walk found, where it is not the path itself: a plain file's is its
   * directory's real path and its name (no system call per file, no string kept when the walk's
   * path is already real); '' for a symbolic link (asked of the file system when needed).
   */
  readonly realPaths?: ReadonlyMap<string, string>;
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
async function walk(dir: string, ancestors: readonly string[], found: string[], passed: PassedOver[], reals: Map<string, string>): Promise<void> {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // join(dir, name) for a plain name is the directory's normal form and the name: built once, then
  // one concatenation per file. The directory's real path is `ancestors`' last.
  const prefix = join(dir, 'x').slice(0, -1);
  const realDir = ancestors[ancestors.length - 1]!;
  const realPrefix = realDir.endsWith('/') ? realDir : `${realDir}/`;
  for (const entry of entries) {
    const path = prefix + entry.name;
    if (entry.name.startsWith('.')) {
      passed.push({ file: path, why: 'a dot-file or dot-directory' });
      continue;
    }
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    // A plain file is where its directory really is; a link is resolved when needed.
    if (isFile && realPrefix !== prefix) reals.set(path, realPrefix + entry.name);
    if (entry.isSymbolicLink()) {
      reals.set(path, '');
      try {
        const st = statSync(path);
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
      const real = realpathSync.native(path);
      if (ancestors.includes(real)) {
        passed.push({ file: path, why: 'a link back to a directory already being walked (a loop)' });
        continue;
      }
      await walk(path, [...ancestors, real], found, passed, reals);
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
  const reals = new Map<string, string>();
  for (const arg of args) {
    if (arg === '-') {
      out.push(arg);
      continue;
    }
    let isDir = false;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      // not there: readInput reports it
    }
    if (!isDir) {
      out.push(arg);
      continue;
    }
    const found: string[] = [];
    const passed: PassedOver[] = [];
    await walk(arg, [realpathSync.native(arg)], found, passed, reals);
    if (found.length === 0) {
      const over = passed.length > 0 ? ` (passed over: ${passed.map((p) => `${p.file}: ${p.why}`).join('; ')})` : '';
      throw new UsageError(`${arg}: the directory holds no files${over}`);
    }
    found.sort();
    for (const f of found) {
      fromDirectory.add(f);
      out.push(f);
    }
    for (const p of passed) passedOver.push(p);
  }
  if (out.filter((p) => p === '-').length > 1) throw new UsageError("standard input ('-') can be read only once");
  return { paths: out, fromDirectory, passedOver, realPaths: reals };
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
  /** What the directory walks passed over without reading (see `Inputs.passedOver`). */
  readonly passedOver: readonly PassedOver[];
  /** Inputs that repeat another (the same file or FILE#HOST, or the same name with identical CPUID): counted once. */
  readonly duplicates: readonly Duplicate[];
  /**
   * Hosts from different files whose CPUID is identical, each group in input order: counted as so
   * many hosts (servers of one model and firmware give identical dumps), and said, because one
   * host saved under two names would be counted twice.
   */
  readonly identical?: readonly IdenticalHosts[];
}

type ReadAll = { hosts: HostInput[]; clusters: FleetCluster[]; vms: FleetVm[]; evcModes: EvcMode[] };

/**
 * `readAll` without waiting, for a host file of openevc JSON (what fleets of thousands are made
 * of); undefined for anything else, which `readAll` reads. Throws what `readAll` rejects with.
 */
function readAllNow(path: string, opts: ReadOptions, listed: boolean): ReadAll | undefined {
  if (path.includes('#')) return undefined; // maybe FILE#HOST: splitHostSelector decides
  const result = loadOpenevcJsonNow(path, { ...loadOptions(opts), listed });
  if (result === undefined) return undefined;
  return hostsOf(result, path, opts);
}

/** Reads one input, every host of it (a fleet export holds several). */
async function readAll(path: string, opts: ReadOptions): Promise<ReadAll> {
  const sel = await splitHostSelector(path);
  if (sel.host !== undefined) return { hosts: [await readHost(path, opts)], clusters: [], vms: [], evcModes: [] };
  const result = await loadInput(path, loadOptions(opts));
  return hostsOf(result, path, opts);
}

/** What `--input-format` and `--lenient` ask of the reading. */
function loadOptions(opts: ReadOptions): { format?: FormatId; lenient?: true } {
  return { ...(opts.format ? { format: opts.format as FormatId } : {}), ...(opts.lenient ? { lenient: true } : {}) };
}

/** Every host of one read input (the view `--cpu`, `--guest` and `--split` ask for), and what a fleet export held besides. */
function hostsOf(result: ImportResult, path: string, opts: ReadOptions): ReadAll {
  const hosts = allHosts(result, { file: path, ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}), ...(opts.guest ? { guest: true } : {}), ...(opts.split ? { split: true } : {}) });
  const f = result.fleet;
  return { hosts, clusters: [...(f?.clusters ?? [])], vms: [...(f?.vms ?? [])], evcModes: [...(f?.evcModes ?? [])] };
}

/** What reading one input gave: its hosts, a file passed over or reported, or the error to throw in its turn. */
type Outcome =
  | { readonly read: ReadAll }
  | { readonly skipped: { readonly file: string; readonly why: string } }
  | { readonly failed: { readonly file: string; readonly message: string } }
  | { readonly error: unknown };

/** Everything {@link readHosts} returns but the hosts, which {@link streamHosts} hands over one at a time. */
export interface StreamResult extends Omit<ReadResult, 'hosts'> {
  /** How many hosts were handed over (inputs counted once are not). */
  readonly hosts: number;
}

/** How many inputs are read ahead of the fold (and held at most at once). */
const READ_AHEAD = 16;

/**
 * Reads many inputs, a few at a time, and hands each host to `visit` in command-line order, then
 * lets it go: a fleet of 100,000 files is never held in memory at once. Up to {@link READ_AHEAD}
 * inputs are read ahead while earlier ones are folded (a small reorder buffer keeps the order), so
 * every answer and diagnostic is the same as reading everything first.
 *
 * A file found in a directory that is not a CPUID dump at all (a VM's .vmx, a README, an archive)
 * is passed over and listed; a broken one is reported and the rest read; a named file that is not
 * one, or a dump with a mistake, is an error (the first in command-line order). An input that
 * repeats another (the same file by real path, or the same host: the same name with identical
 * CPUID, see {@link SeenHosts}) is listed as a duplicate and not handed over. Hosts
 * with identical CPUID under different names are handed over, each one a host (identical servers
 * are common, and leaving one out would make the other look like the only host holding a
 * baseline down); those from different files are listed in `identical`. Only keys and names are
 * kept, not the dumps.
 */
export async function streamHosts(inputs: Inputs, opts: ReadOptions, visit: (input: HostInput, index: number) => void): Promise<StreamResult> {
  const { paths, fromDirectory } = inputs;
  const settle = (path: string, e: unknown): Outcome => {
    if (!(e instanceof InputError && fromDirectory.has(path))) return { error: e };
    // A folder is one fleet: a file that is no input at all is passed over, a broken one reported; the rest is read.
    if (e instanceof NotADumpError && opts.format === undefined) return { skipped: { file: path, why: e.expected } };
    return { failed: { file: path, message: e.message } };
  };
  // An openevc JSON host file is read at once; anything else is read while earlier inputs are folded.
  const readOne = (i: number): Outcome | Promise<Outcome> => {
    const path = paths[i]!;
    try {
      // A plain file a walk found (a link's real path is '').
      const listed = inputs.realPaths !== undefined && fromDirectory.has(path) && inputs.realPaths.get(path) !== '';
      const now = readAllNow(path, opts, listed);
      if (now !== undefined) return { read: now };
    } catch (e) {
      return settle(path, e);
    }
    return readAll(path, opts).then(
      (read): Outcome => ({ read }),
      (e: unknown) => settle(path, e),
    );
  };
  const skipped: { file: string; why: string }[] = [];
  const failed: { file: string; message: string }[] = [];
  const clusters: FleetCluster[] = [];
  const vms: FleetVm[] = [];
  const evcModes: EvcMode[] = [];
  const duplicates: Duplicate[] = [];
  // The same file twice, or the same host (name and CPUID) twice: one host, reported. Identical
  // CPUID under different names: each a host, grouped. Keys and names only.
  const seenHosts = new SeenHosts();
  const seenPaths = new Map<string, string>();
  let read = 0;
  let handed = 0;
  const ahead: (Outcome | Promise<Outcome>)[] = [];
  let next = 0;
  while (next < paths.length && ahead.length < READ_AHEAD) ahead.push(readOne(next++));
  for (let i = 0; ahead.length > 0; i++) {
    const next0 = ahead.shift()!;
    const outcome = next0 instanceof Promise ? await next0 : next0;
    if (next < paths.length) ahead.push(readOne(next++));
    if ('error' in outcome) throw outcome.error;
    if ('skipped' in outcome) {
      skipped.push(outcome.skipped);
      continue;
    }
    if ('failed' in outcome) {
      failed.push(outcome.failed);
      continue;
    }
    const r = outcome.read;
    read++;
    for (const c of r.clusters) clusters.push(c);
    for (const v of r.vms) vms.push(v);
    for (const m of r.evcModes) evcModes.push(m);
    // The hosts of one input (FILE#HOST, FILE#N) share its file: resolved once for them all.
    const resolved = r.hosts.length > 1 ? new Map<string, string | undefined>() : undefined;
    for (const h of r.hosts) {
      const real = realPathOf(h.file, paths[i]!, inputs, resolved);
      const samePath = real !== undefined ? seenPaths.get(real) : undefined;
      if (samePath !== undefined) {
        duplicates.push({ file: h.file, of: samePath, why: 'the same file' });
        continue;
      }
      if (real !== undefined) seenPaths.set(real, h.file);
      const sameHost = seenHosts.add(h.file, h.dump);
      if (sameHost !== undefined) {
        duplicates.push({ file: h.file, of: sameHost, why: 'the same host' });
        continue;
      }
      visit(h, handed++);
    }
  }
  const passedOver = inputs.passedOver ?? [];
  if (handed === 0 && (skipped.length > 0 || failed.length > 0 || read > 0 || passedOver.length > 0)) {
    const why = [...failed.map((f) => f.message)];
    if (skipped.length + passedOver.length > 0) why.push(`passed over: ${[...passedOver, ...skipped].map((s) => s.file).join(', ')}`);
    if (read > 0 && why.length === 0) throw new UsageError('the inputs hold no host (only clusters, VMs or EVC mode definitions)');
    throw new UsageError(`no CPUID dump among the files found in the directories given (${why.join('; ')})`);
  }
  return { hosts: handed, skipped, failed, passedOver, duplicates, identical: seenHosts.identical(), clusters, vms, evcModes };
}

/**
 * The real path a host input is known by, for "the same file": the file's (a host of a fleet export,
 * `FILE#HOST`, or a machine of a split file, `FILE#N`, keeps its `#` part), undefined for standard
 * input or a file that cannot be resolved. A file a walk found is known by `inputs.realPaths`;
 * `resolved` keeps the real paths of the files already resolved for one input.
 */
function realPathOf(file: string, path: string, inputs: Inputs, resolved?: Map<string, string | undefined>): string | undefined {
  if (file === '-') return undefined;
  const base = fileOfInput(file);
  if (base === file) {
    if (file === path && inputs.realPaths !== undefined && inputs.fromDirectory.has(path)) {
      const known = inputs.realPaths.get(path);
      if (known === undefined) return path;
      if (known !== '') return known;
    }
    return resolveReal(file);
  }
  let real = resolved?.get(base);
  if (real === undefined && !resolved?.has(base)) {
    real = resolveReal(base);
    resolved?.set(base, real);
  }
  return real === undefined ? undefined : real + file.slice(base.length);
}

function resolveReal(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/**
 * Reads many inputs (see {@link streamHosts}) and keeps every host: for commands that need them
 * all at once. Hosts that repeat another are listed in `duplicates` and not kept.
 */
export async function readHosts(inputs: Inputs, opts: ReadOptions = {}): Promise<ReadResult> {
  const hosts: HostInput[] = [];
  const result = await streamHosts(inputs, opts, (h) => hosts.push(h));
  return { ...result, hosts };
}

/** A host input counted once: given again as `file`, the same as `of`. */
export interface Duplicate {
  readonly file: string;
  readonly of: string;
  readonly why: 'the same file' | 'the same host';
}

export type { IdenticalHosts } from '../core/machines.js';

/** Inputs counted once, and groups of hosts with identical CPUID, named one per line; the rest are counted in one more. */
const SHOWN = 20;

/** Duplicates (counted once) and hosts with identical CPUID (each counted), as diagnostics. */
export function duplicateDiagnostics(duplicates: readonly Duplicate[], identical: readonly IdenticalHosts[] = []): Diagnostic[] {
  const out: Diagnostic[] = duplicates.slice(0, SHOWN).map((d) => ({
    level: 'warning' as const,
    message: d.why === 'the same file' ? `${d.file} is the same file as ${d.of}: counted once` : `${d.file} is the same host as ${d.of} (the same name and identical CPUID): counted once`,
  }));
  if (duplicates.length > SHOWN) out.push({ level: 'warning', message: `… and ${duplicates.length - SHOWN} more inputs given again, each counted once` });
  for (const { files } of identical.slice(0, SHOWN)) {
    const shown = files.length > 6 ? `${files.slice(0, 5).join(', ')} and ${files.length - 5} more` : `${files.slice(0, -1).join(', ')} and ${files[files.length - 1]}`;
    out.push({
      level: 'info',
      message: `${shown} have identical CPUID: counted as ${files.length} hosts with one CPU, as identical servers are (if they are one host saved twice, give it once)`,
    });
  }
  const more = identical.slice(SHOWN);
  if (more.length > 0) {
    const hosts = more.reduce((n, g) => n + g.files.length, 0);
    out.push({ level: 'info', message: `… and ${more.length} more groups of hosts with identical CPUID (${hosts} hosts, each counted)` });
  }
  return out;
}

/** What a directory walk passed over or could not read, as diagnostics (none when nothing was). */
export function skippedDiagnostics(skipped: ReadResult['skipped'], failed: ReadResult['failed'] = [], passedOver: readonly PassedOver[] = []): Diagnostic[] {
  const over: Diagnostic[] = passedOver.map((p) => ({ level: 'info' as const, message: `passed over ${p.file}: ${p.why}` }));
  const broken: Diagnostic[] = (failed ?? []).map((f) => ({ level: 'warning', message: `skipped (the rest of the folder is read): ${f.message}` }));
  if (skipped.length === 0) return [...over, ...broken];
  const one = skipped.length === 1;
  const names = skipped.map((s) => s.file).join(', ');
  return [...over, { level: 'info', message: `passed over ${skipped.length} file${one ? '' : 's'} found in a directory that ${one ? 'is' : 'are'} not a CPUID dump: ${names}` }, ...broken];
}
