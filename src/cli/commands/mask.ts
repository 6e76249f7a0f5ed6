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
import { profileIds } from '../../core/profiles.js';
import { UsageError } from '../../core/errors.js';
import { EXPORTERS, exporterFor } from '../../formats/writers.js';
import { targetDiagnostics } from '../../formats/common/hide.js';
import { importFormats } from '../../formats/readers.js';
import { diagnosticLines, errorWidth, printable } from '../text.js';
import { buildTarget, evcModesOption, jsonOption, lenientOption, readTargetHosts, withExamples, writeOutputFile } from '../options.js';
import { explainTarget } from '../../report/mask.js';

export function register(program: Command): void {
  const cmd = program
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
    .addOption(lenientOption())
    .addOption(jsonOption('the target (the same as --format json)'))
    .action(
      async (
        paths: string[],
        opts: { format: string; evc?: string; profile?: string; name?: string; output?: string; inputFormat?: string; nested?: boolean; evcModes?: string; lenient?: boolean; json?: boolean },
      ) => {
        if (opts.json) {
          if (opts.format !== 'vmx' && opts.format !== 'json') throw new UsageError(`--json is --format json; it cannot go with --format ${opts.format}`);
          opts.format = 'json';
        }
        const exporter = exporterFor(opts.format);
        const { hosts, diagnostics } = await readTargetHosts(paths, opts.inputFormat, opts.lenient ?? false);
        const target = await buildTarget(hosts, { profile: opts.profile ?? exporter.defaultProfile, ...opts });
        const result = exporter.render(target, opts.name !== undefined ? { name: opts.name } : {});
        let err = diagnosticLines(diagnostics);
        if (opts.format !== 'json') err += explainTarget(target, errorWidth());
        err += diagnosticLines([...targetDiagnostics(target), ...result.diagnostics]);
        if (opts.output !== undefined) {
          const target = writeOutputFile(opts.output, result.text);
          err += `openevc: wrote ${printable(target === opts.output ? opts.output : `${target} (through the link ${opts.output})`)}\n`;
        }
        process.stderr.write(err);
        if (opts.output === undefined) process.stdout.write(result.text);
      },
    );
  withExamples(cmd, [
    ['openevc mask examples/seed-002', 'the .vmx lines that let VMs move between the two hosts of seed 002 (only what stands between them is hidden)'],
    ['openevc mask --evc intel-westmere --format govc --name db-02 examples/seed-002', 'present EVC mode Westmere on both hosts, as govc commands for the VM db-02'],
    ['openevc mask --format qemu --profile kvm -o cpu.args examples/amd', 'a QEMU -cpu argument for the AMD hosts, written atomically to cpu.args'],
  ]);
}
