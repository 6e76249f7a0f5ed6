/**
 * `openevc mask HOST... [--format F] [--evc MODE] [--profile P] [--name N] [--output FILE]`: the
 * configuration that lets VMs live-migrate between these hosts, for one hypervisor.
 *
 * Default: the minimal target (hide only what stands between the hosts; seed 002's merged lines).
 * `--evc MODE`: present that EVC baseline on every host (seed 002's "poor man's EVC"); refused,
 * naming host and missing features, when a host cannot present it. The configuration goes to
 * standard output (or `--output`, written atomically); what each host loses, and every hide that
 * hardware does not enforce, go to standard error.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { EvcMode } from '../../core/evc.js';
import type { Diagnostic } from '../../core/errors.js';
import { decodeHost } from '../../core/host.js';
import type { Host } from '../../core/host.js';
import { evcTarget, minimalTarget } from '../../core/target.js';
import type { MigrationTarget } from '../../core/target.js';
import { getView, viewIds } from '../../core/views.js';
import { EXPORTERS, exporterFor } from '../../exporters/index.js';
import { featureList, hidePlan, targetDiagnostics } from '../../exporters/hide.js';
import { importFormats } from '../../importers/index.js';
import { writeFileAtomic } from '../../node/atomic.js';
import { expandInputs, readHosts, skippedDiagnostics } from '../inputs.js';
import { diagnosticLines, plural } from '../text.js';
import { evcModeSet, evcModesOption } from './modes.js';
import { fidelityCaveat, fidelityOf, fidelityShort } from '../../report/fidelity.js';

/** Reads hosts for a target; each dump is named by the path given (openevc JSON keeps its own source otherwise). */
export async function readTargetHosts(args: readonly string[], format?: string): Promise<{ hosts: Host[]; diagnostics: Diagnostic[]; evcModes: readonly EvcMode[] }> {
  if (args.length === 0) throw new UsageError('give at least one host (a CPUID input in any supported format)');
  const { hosts: loaded, skipped, failed, evcModes } = await readHosts(await expandInputs(args), format ? { format } : {});
  const hosts: Host[] = [];
  const diagnostics: Diagnostic[] = skippedDiagnostics(skipped, failed);
  for (const input of loaded) {
    const p = input.file;
    const dump = input.dump.source.path === p ? input.dump : input.dump.clone({ ...input.dump.source, path: p });
    hosts.push(decodeHost(dump));
    diagnostics.push(...input.diagnostics.map((d) => ({ ...d, where: d.where ?? { file: p } })));
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
  const view = getView(choice.profile);
  const opts = { view, nested: choice.nested ?? false };
  if (choice.evc === undefined) return minimalTarget(hosts, opts);
  let modes = await evcModeSet(choice.evcModes);
  if (choice.evcModes === undefined && (choice.loadedModes?.length ?? 0) > 0) modes = modes.withOverrides(choice.loadedModes!);
  return evcTarget(hosts, choice.evc, { ...opts, evcModes: modes });
}

/** The human explanation: what the target is, and what each host's VMs stop seeing. */
export function explainTarget(target: MigrationTarget): string {
  const out: string[] = [];
  const what = target.kind === 'evc' ? `EVC baseline ${target.mode?.key} (${target.mode?.label})` : 'Minimal migration target';
  out.push(`${what} for ${plural(target.hosts.length, 'host')}, ${target.view.id} profile (${target.view.name}): VMs are given ${plural(target.features.size, 'feature')} on every host.`);
  target.hosts.forEach((h, i) => {
    const lost = target.hiddenOn[i]!;
    const name = `${h.dump.source.path ?? h.dump.source.label ?? '(host)'} (${h.id.brand || h.id.vendorString || 'no brand string'})`;
    const f = fidelityOf(h.dump.source);
    out.push(`  ${name}${f === 'cpuid' ? '' : ` [${fidelityShort(f)}]`}: ${lost.isEmpty ? 'loses nothing' : `loses ${featureList(lost)}`}`);
  });
  const caveat = fidelityCaveat(
    target.hosts.map((h) => h.dump.source),
    target.hosts.map((h) => h.dump.source.path ?? h.dump.source.label ?? '(host)'),
  );
  if (caveat) out.push(`  Note: ${caveat}`);
  if (target.kind === 'evc') {
    const extra = hidePlan(target).hide.minus(target.hidden);
    if (!extra.isEmpty) out.push(`  The lines also hide ${plural(extra.size, 'feature')} none of these hosts has, so that any host presents the same baseline.`);
    if (target.mode && !target.mode.confirmed) out.push(`  Note: the feature set of ${target.mode.key} is not confirmed by a source openevc holds (openevc modes says which parts are).`);
  }
  return `${out.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('mask')
    .description('the configuration that lets VMs live-migrate between these hosts: CPUID masks, per-VM EVC lines, govc/PowerCLI, Xen cpuid=')
    .argument('<hosts...>', "CPUID inputs of the hosts (files in any supported format, or directories of them; '-' for standard input, once)")
    .addOption(new Option('--format <format>', 'output format (see docs/masks.md)').choices(EXPORTERS.map((e) => e.format)).default('vmx'))
    .option('--evc <mode>', 'present this EVC baseline on every host instead of the minimal target (see openevc modes)')
    .addOption(new Option('-p, --profile <profile>', "hypervisor view the hosts are compared through (default: the format's own)").choices(viewIds()))
    .option('--name <name>', 'name of the VM (govc, PowerCLI) or of the CPU model the format defines')
    .option('-o, --output <file>', 'write the configuration to this file (atomically) instead of standard output')
    .addOption(new Option('--input-format <format>', 'format of the host inputs (default: detected from the content)').choices(importFormats()))
    .option('--nested', 'VMs have nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .action(
      async (
        paths: string[],
        opts: { format: string; evc?: string; profile?: string; name?: string; output?: string; inputFormat?: string; nested?: boolean; evcModes?: string },
      ) => {
        const exporter = exporterFor(opts.format);
        const { hosts, diagnostics, evcModes: loadedModes } = await readTargetHosts(paths, opts.inputFormat);
        const target = await buildTarget(hosts, { profile: opts.profile ?? exporter.defaultProfile, ...opts, loadedModes });
        const result = exporter.render(target, opts.name !== undefined ? { name: opts.name } : {});
        let err = diagnosticLines(diagnostics);
        if (opts.format !== 'json') err += explainTarget(target);
        err += diagnosticLines([...targetDiagnostics(target), ...result.diagnostics]);
        if (opts.output !== undefined) {
          writeOutput(opts.output, result.text);
          err += `openevc: wrote ${opts.output}\n`;
        }
        process.stderr.write(err);
        if (opts.output === undefined) process.stdout.write(result.text);
      },
    );
}

/** Writes the configuration atomically; a failure is a clear error, not a stack trace. */
function writeOutput(file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new UsageError(`cannot write ${file}: ${code}`);
  }
}
