/**
 * Option handling that several commands share: the `--evc-modes` file, and the hosts and choices a
 * migration target is built from (`mask`, `vmx apply --hosts`). Commands import this module, never
 * each other.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { READER_IDS } from '../formats/registry.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode, EvcModeSet } from '../core/evc.js';
import { OpenevcError, UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../node/atomic.js';
import type { Diagnostic } from '../core/errors.js';
import type { Host } from '../core/host.js';
import { Fleet } from '../core/fleet.js';
import type { MigrationTarget } from '../core/target.js';
import { evcModesFromText } from '../report/api/evc-modes.js';
import { hostNamed } from '../report/api/hosts.js';
import { migrationTarget } from '../report/api/target.js';
import { readInput } from '../node/read.js';
import { duplicateDiagnostics, expandInputs, skippedDiagnostics, streamHosts } from './inputs.js';

/** `--evc-modes FILE`: vCenter definitions that replace the built-in modes by key. */
export function evcModesOption(): Option {
  return new Option('--evc-modes <file>', "a vCenter supportedEVCMode list (JSON) whose modes replace openevc's built-in ones by key");
}

/** The built-in modes, with the modes of `file` (if given) in place of those with the same key. */
export async function evcModeSet(file: string | undefined): Promise<EvcModeSet> {
  if (file === undefined) return builtinEvcModes();
  const input = await readInput(file);
  const loaded = evcModesFromText(input.text, input.file);
  for (const d of [...input.diagnostics, ...loaded.diagnostics]) process.stderr.write(`openevc: ${d.level}: ${d.message}\n`);
  return loaded.modes;
}

/** Reads hosts for a target; each dump is named by the path given (openevc JSON keeps its own source otherwise). */
/** How target hosts are read: the input format, `--split`, `--lenient`. */
export interface TargetRead {
  readonly format?: string | undefined;
  readonly split?: boolean;
  readonly lenient?: boolean;
}

export async function readTargetHosts(args: readonly string[], read: TargetRead = {}): Promise<{ hosts: Host[]; diagnostics: Diagnostic[]; evcModes: readonly EvcMode[] }> {
  if (args.length === 0) throw new UsageError('give at least one host (a CPUID input in any supported format)');
  const opts = { ...(read.format ? { format: read.format } : {}), ...(read.split ? { split: true } : {}), ...(read.lenient ? { lenient: true } : {}) };
  // Each input is decoded as it is read and dropped (a target needs the decoded hosts, not the
  // inputs); hosts of one CPU share its decoded parts, and no registers are kept.
  const fleet = new Fleet({ keepDumps: false });
  const hosts: Host[] = [];
  const notes: Diagnostic[] = [];
  const { skipped, failed, passedOver, duplicates, identical, evcModes } = await streamHosts(await expandInputs(args), opts, (input) => {
    hosts.push(fleet.addLight(hostNamed(input)));
    for (const d of input.diagnostics) notes.push({ ...d, where: d.where ?? { file: input.file } });
  });
  const diagnostics: Diagnostic[] = [...skippedDiagnostics(skipped, failed, passedOver), ...duplicateDiagnostics(duplicates, identical), ...notes];
  return { hosts, diagnostics, evcModes: evcModes ?? [] };
}

export interface TargetChoice {
  readonly profile: string;
  readonly evc?: string;
  readonly evcModes?: string;
  readonly nested?: boolean;
  /** vCenter EVC definitions found among the inputs: they replace built-in modes unless `evcModes` names a file. */
  readonly loadedModes?: readonly EvcMode[];
}

/** The minimal target, or the EVC target for `--evc` (which refuses hosts that cannot present the mode). */
export async function buildTarget(hosts: readonly Host[], choice: TargetChoice): Promise<MigrationTarget> {
  const base = { profile: choice.profile, nested: choice.nested ?? false, loadedModes: choice.loadedModes ?? [] };
  if (choice.evc === undefined) return migrationTarget(hosts, base);
  const evcModes = choice.evcModes !== undefined ? await evcModeSet(choice.evcModes) : undefined;
  return migrationTarget(hosts, { ...base, evc: choice.evc, ...(evcModes ? { evcModes } : {}) });
}

/**
 * Writes a command's output file (`-o`) atomically, following a symbolic link to its target and
 * keeping the replaced file's owner, group and mode; a failure is one clear line (exit 2).
 */
export function writeOutputFile(file: string, text: string): string {
  try {
    return writeFileAtomic(file, text).target;
  } catch (e) {
    if (e instanceof OpenevcError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new UsageError(`cannot write ${file}: ${code}; nothing written`);
  }
}

/** `--input-format FORMAT`: the format of the CPUID inputs (detected from the content by default). */
export function inputFormatOption(): Option {
  return new Option('--input-format <format>', 'format of the CPUID inputs (default: detected from the content)').choices(READER_IDS);
}

/**
 * `-f, --format FORMAT`: the old spelling of `--input-format` on show, check and baseline, kept
 * working but no longer listed (`--format` names the output format wherever a command has one).
 */
export function legacyInputFormatOption(): Option {
  return new Option('-f, --format <format>', 'old spelling of --input-format').choices(READER_IDS).hideHelp();
}

/** The input format a command was given, in either spelling. */
export function inputFormatOf(opts: { readonly inputFormat?: string; readonly format?: string }): string | undefined {
  return opts.inputFormat ?? opts.format;
}

/** `--lenient`: read damaged input anyway; every answer then says it rests on damaged input. */
export function lenientOption(): Option {
  return new Option('--lenient', 'read damaged input anyway (skip damaged CPUID lines, accept a dump that cannot be a host), with a warning that the answer rests on it');
}

/** `--json`: print the result as JSON (see docs/json.md); an empty result is `[]` or `{}`. */
export function jsonOption(what = 'the result'): Option {
  return new Option('--json', `print ${what} as JSON (see docs/json.md)`);
}

/** Ends a command's --help with real examples (two or three). */
export function withExamples(cmd: Command, examples: readonly (readonly [string, string])[]): Command {
  const lines = examples.map(([line, what]) => `  $ ${line}\n      ${what}`);
  return cmd.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`);
}
