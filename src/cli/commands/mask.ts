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
import { profileIds } from '../../core/profiles.js';
import { EXPORTERS, exporterFor } from '../../formats/writers.js';
import { importFormats } from '../../formats/readers.js';
import { writeFileAtomic } from '../../node/atomic.js';
import { diagnosticLines } from '../text.js';
import { evcModeSet, evcModesOption, readTargetHosts } from '../options.js';
import { maskReport } from '../../report/api/mask.js';

export function register(program: Command): void {
  program
    .command('mask')
    .description('the configuration that lets VMs live-migrate between these hosts: CPUID masks, per-VM EVC lines, govc/PowerCLI, Xen cpuid=')
    .argument('<hosts...>', "CPUID inputs of the hosts (files in any supported format, or directories of them; '-' for standard input, once)")
    .addOption(new Option('--format <format>', 'output format (see docs/masks.md)').choices(EXPORTERS.map((e) => e.format)).default('vmx'))
    .option('--evc <mode>', 'present this EVC baseline on every host instead of the minimal target (see openevc modes)')
    .addOption(new Option('-p, --profile <profile>', "hypervisor view the hosts are compared through (default: the format's own)").choices(profileIds()))
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
        exporterFor(opts.format);
        const { hosts, diagnostics, evcModes: loadedModes } = await readTargetHosts(paths, opts.inputFormat);
        // The --evc-modes file is read only when an EVC target needs it.
        const evcModes = opts.evc !== undefined && opts.evcModes !== undefined ? await evcModeSet(opts.evcModes) : undefined;
        const report = maskReport(hosts, {
          format: opts.format,
          ...(opts.evc !== undefined ? { evc: opts.evc } : {}),
          ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          nested: opts.nested ?? false,
          ...(evcModes ? { evcModes } : {}),
          loadedModes,
        });
        let err = diagnosticLines(diagnostics) + report.notes;
        if (opts.output !== undefined) {
          writeOutput(opts.output, report.text);
          err += `openevc: wrote ${opts.output}\n`;
        }
        process.stderr.write(err);
        if (opts.output === undefined) process.stdout.write(report.text);
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
