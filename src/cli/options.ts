/**
 * Option handling that several commands share: the `--evc-modes` file, and the hosts and choices a
 * migration target is built from (`mask`, `vmx apply --hosts`). Commands import this module, never
 * each other.
 */
import { Option } from 'commander';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode, EvcModeSet } from '../core/evc.js';
import { UsageError } from '../core/errors.js';
import type { Diagnostic } from '../core/errors.js';
import type { Host } from '../core/host.js';
import type { MigrationTarget } from '../core/target.js';
import { evcModesFromText } from '../report/api/evc-modes.js';
import { hostNamed } from '../report/api/hosts.js';
import { migrationTarget } from '../report/api/target.js';
import { readInput } from '../node/read.js';
import { expandInputs, readHosts, skippedDiagnostics } from './inputs.js';

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
export async function readTargetHosts(args: readonly string[], format?: string): Promise<{ hosts: Host[]; diagnostics: Diagnostic[]; evcModes: readonly EvcMode[] }> {
  if (args.length === 0) throw new UsageError('give at least one host (a CPUID input in any supported format)');
  const { hosts: loaded, skipped, failed, evcModes } = await readHosts(await expandInputs(args), format ? { format } : {});
  const hosts: Host[] = [];
  const diagnostics: Diagnostic[] = skippedDiagnostics(skipped, failed);
  for (const input of loaded) {
    hosts.push(hostNamed(input));
    diagnostics.push(...input.diagnostics.map((d) => ({ ...d, where: d.where ?? { file: input.file } })));
  }
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
