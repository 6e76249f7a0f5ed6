/**
 * Which host of an imported input a command works on: the named host of a fleet export (or its
 * first), the guest view of a vmware.log, or one logical CPU of a multi-CPU dump. Pure: the CLI
 * (after reading the file) and the library (`decodeHostText`) share it.
 */
import type { CpuidDump, FormatId } from '../core/cpuid.js';
import { InputError, UsageError } from '../core/errors.js';
import type { Diagnostic } from '../core/errors.js';
import type { ImportResult } from './reader-types.js';
import { isMachineNumber, machineGroups } from '../core/machines.js';
import type { MachineGroup } from '../core/machines.js';

/** One host of an input, as read: where it came from, its dump, and what the reader noted. */
export interface HostInput {
  /** The path or label as given (`-` for standard input); `FILE#HOST` for a host of a fleet export. */
  readonly file: string;
  /** The format the input was read as. */
  readonly format: FormatId;
  readonly dump: CpuidDump;
  /** How many logical CPUs the input held. */
  readonly cpus: number;
  readonly diagnostics: readonly Diagnostic[];
  /** For a host of a fleet export (govc, RVTools, kubectl…): its name in the file. */
  readonly host?: string;
}

export interface SelectOptions {
  /** Path or label of the input, for messages and `HostInput.file`. */
  readonly file: string;
  /** A fleet export's host by name (any case); default: its first host, with a warning when it holds several. */
  readonly host?: string;
  /** Logical CPU to use from a multi-CPU dump (default: the first). */
  readonly cpu?: number;
  /** vmware.log: use what the guest was shown instead of the host's CPUID. */
  readonly guest?: boolean;
  /** A file whose CPU blocks are different machines: one host per machine (else refused). Only `allHosts` splits. */
  readonly split?: boolean;
}

/** The host of an imported input that `opts` names. Bad choices are UsageErrors naming the file. */
export function selectHost(result: ImportResult, opts: SelectOptions): HostInput {
  const path = opts.file;
  const selected = opts.host;
  if (result.fleet) {
    const hosts = result.fleet.hosts;
    if (hosts.length === 0) throw new InputError({ file: path }, 'a host (this file holds no host: clusters, VMs or EVC mode definitions only)');
    const h = selected !== undefined ? fleetHost(result, path, selected) : hosts[0]!;
    const diagnostics = [...result.diagnostics];
    if (selected === undefined && hosts.length > 1) {
      diagnostics.push({ level: 'warning', message: `the file holds ${hosts.length} hosts; this is the first, ${h.name} (name another as ${path}#NAME: ${hosts.map((x) => x.name).join(', ')})`, where: { file: path } });
    }
    return { file: `${path}#${h.name}`, format: result.format, dump: h.dump, cpus: 1, diagnostics, host: h.name };
  }
  if (selected !== undefined) {
    // FILE#N: machine N of a file of several machines, as --split names them.
    const groups = isMachineNumber(selected) && opts.cpu === undefined && !opts.guest ? machinesOf(result) : undefined;
    if (groups) {
      const machines = machineInputs(result, path, groups);
      const m = machines[Number(selected) - 1];
      if (!m) throw new UsageError(`${path}: no machine #${selected} (the file holds ${machines.length}: ${path}#1 to ${path}#${machines.length})`);
      return m;
    }
    throw new UsageError(`${path}: '#${selected}' names a host, but the file is a single-host ${result.format} input`);
  }
  return singleHost(result, { ...opts, split: false })[0]!;
}

/** The machines of a file whose CPU blocks are different machines; undefined when it is one machine. */
function machinesOf(result: ImportResult): MachineGroup[] | undefined {
  if (result.cpus.length < 2) return undefined;
  const machines = machineGroups(result.cpus);
  return machines.length > 1 ? machines : undefined;
}

/** One input per machine, named `PATH#N` (the file's own notes go with the first). */
function machineInputs(result: ImportResult, path: string, machines: readonly MachineGroup[]): HostInput[] {
  return machines.map((m, k) => ({
    file: `${path}#${k + 1}`,
    format: result.format,
    dump: result.cpus[m.cpus[0]!]!,
    cpus: m.cpus.length,
    diagnostics: [...(k === 0 ? result.diagnostics : []), { level: 'info' as const, message: `${path}: machine ${k + 1} of ${machines.length} (${m.label}), CPU ${m.cpus[0]} of the file` }],
  }));
}

/**
 * The hosts a single-host input gives: one (the host's or, with `guest`, the guest's view, of the
 * chosen logical CPU), or with `split` one per machine when its CPU blocks are different machines
 * (named `PATH#N`). Without `split` (and without `cpu`), such a file is refused; `PATH#N` then
 * names one machine (selectHost).
 */
function singleHost(result: ImportResult, opts: SelectOptions): HostInput[] {
  const path = opts.file;
  const groups = opts.cpu === undefined && !opts.guest ? machinesOf(result) : undefined;
  if (groups) {
    if (opts.split) return machineInputs(result, path, groups);
    const list = groups.slice(0, 5).map((m) => `${m.label}: CPU ${m.cpus[0]}${m.cpus.length > 1 ? ` and ${m.cpus.length - 1} more` : ''}`).join('; ');
    throw new UsageError(
      `${path}: its ${result.cpus.length} CPU blocks are ${groups.length} different machines (${result.format === 'libvirt-cpu' ? 'one per <cpu> definition' : 'different brand string or signature'}), not one host: ${list}${groups.length > 5 ? '; …' : ''}. ` +
        `\`--split\` (baseline, mask) reads each machine as a host; ${path}#N names machine N (1 to ${groups.length}); \`--cpu N\` (show) uses logical CPU N`,
    );
  }
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
  return [{ file: path, format: result.format, dump, cpus: result.cpus.length, diagnostics: result.diagnostics }];
}

/** A fleet result's host by name (any case), or a UsageError listing the names. */
function fleetHost(result: ImportResult, path: string, name: string) {
  const hosts = result.fleet?.hosts ?? [];
  const h = hosts.find((x) => x.name === name) ?? hosts.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!h) throw new UsageError(`${path}: no host named '${name}' (the file holds: ${hosts.map((x) => x.name).join(', ') || 'no host'})`);
  return h;
}

/** Every host of an imported input: each host of a fleet export (named `FILE#HOST`; the file's notes go with the first), else the one `opts` selects. */
export function allHosts(result: ImportResult, opts: Omit<SelectOptions, 'host'>): HostInput[] {
  const f = result.fleet;
  if (!f) return singleHost(result, opts);
  const path = opts.file;
  return f.hosts.map((h, i) => ({
    file: `${path}#${h.name}`,
    format: result.format,
    dump: h.dump,
    cpus: 1,
    // The file's notes once, with its first host.
    diagnostics: i === 0 ? result.diagnostics : [],
    host: h.name,
  }));
}
