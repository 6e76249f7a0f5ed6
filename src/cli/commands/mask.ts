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
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { profileIds } from '../../core/profiles.js';
import { EXPORTERS, exporterFor } from '../../formats/writers.js';
import { targetDiagnostics } from '../../formats/common/hide.js';
import { READER_IDS } from '../../formats/registry.js';
import { diagnosticLines, errorWidth, printable, writeAll } from '../text.js';
import { buildTarget, evcModesOption, jsonOption, lenientOption, readTargetHosts, withExamples, writeOutputFile } from '../options.js';
import { explainTargetLines } from '../../report/mask.js';
import { jsonLines } from '../../report/json-pieces.js';
import { maskToJson } from '../../formats/json/writer.js';

/** Formats that can write an EVC mode's generic per-VM lines without hosts (seed 002's TL;DR). */
const HOSTLESS_FORMATS: readonly string[] = ['vmx', 'featmask', 'govc', 'powercli'];

export function register(program: Command): void {
  const cmd = program
    .command('mask')
    .description(summary('mask'))
    .argument('[hosts...]', "CPUID inputs of the hosts (files in any supported format, or directories of them; '-' for standard input, once); none with --evc for the mode's generic lines")
    .addOption(new Option('--format <format>', 'output format (see docs/masks.md)').choices(EXPORTERS.map((e) => e.format)).default('vmx'))
    .option('--evc <mode>', 'present this EVC baseline on every host instead of the minimal target (see openevc modes)')
    .addOption(new Option('-p, --profile <profile>', "hypervisor view the hosts are compared through (default: the format's own)").choices(profileIds()))
    .option('--name <name>', 'name of the VM (govc, PowerCLI) or of the CPU model the format defines')
    .option('-o, --output <file>', 'write the configuration to this file (atomically) instead of standard output')
    .addOption(new Option('--input-format <format>', 'format of the host inputs (default: detected from the content)').choices(READER_IDS))
    .option('--nested', 'VMs have nested virtualization (VT-x/AMD-V) enabled')
    .option('--split', 'a file whose CPU blocks are different machines: read each machine as a host (default: refuse the file)')
    .addOption(evcModesOption())
    .addOption(lenientOption())
    .addOption(jsonOption('the target (the same as --format json)'))
    .action(
      async (
        paths: string[],
        opts: { format: string; evc?: string; profile?: string; name?: string; output?: string; inputFormat?: string; nested?: boolean; evcModes?: string; split?: boolean; lenient?: boolean; json?: boolean },
      ) => {
        if (opts.json) {
          if (opts.format !== 'vmx' && opts.format !== 'json') throw new UsageError(`--json is --format json; it cannot go with --format ${opts.format}`);
          opts.format = 'json';
        }
        const exporter = exporterFor(opts.format);
        const hostless = paths.length === 0 && opts.evc !== undefined;
        if (hostless && !HOSTLESS_FORMATS.includes(opts.format)) {
          throw new UsageError(`--format ${opts.format} needs hosts; with --evc and no hosts openevc writes the mode's generic lines in ${HOSTLESS_FORMATS.join(', ')}`);
        }
        const read = { format: opts.inputFormat, split: opts.split ?? false, lenient: opts.lenient ?? false };
        const { hosts, diagnostics, evcModes: loadedModes } = hostless ? { hosts: [], diagnostics: [], evcModes: [] } : await readTargetHosts(paths, read);
        const target = await buildTarget(hosts, { profile: opts.profile ?? exporter.defaultProfile, ...opts, loadedModes });
        // JSON for standard output is written in pieces (a target of 100,000 hosts is never one string).
        const streamed = opts.format === 'json' && opts.output === undefined ? maskToJson(target) : undefined;
        const result = streamed ? { text: '', diagnostics: streamed.diagnostics } : exporter.render(target, opts.name !== undefined ? { name: opts.name } : {});
        let wrote = '';
        if (opts.output !== undefined) {
          const written = writeOutputFile(opts.output, result.text);
          wrote = `openevc: wrote ${printable(written === opts.output ? opts.output : `${written} (through the link ${opts.output})`)}\n`;
        }
        // A line per host: written as it is made (100,000 hosts are never one string).
        const explained = function* (): Generator<string> {
          yield diagnosticLines(diagnostics);
          if (opts.format !== 'json') yield* explainTargetLines(target, errorWidth());
          yield diagnosticLines([...targetDiagnostics(target), ...result.diagnostics]);
          yield wrote;
        };
        await writeAll(explained(), () => process.stderr);
        if (streamed) await writeAll(jsonLines(streamed.json));
        else if (opts.output === undefined) process.stdout.write(result.text);
      },
    );
  withExamples(cmd, [
    ['openevc mask examples/seed-002', 'the .vmx lines that let VMs move between the two hosts of seed 002 (only what stands between them is hidden)'],
    ['openevc mask --evc intel-westmere --format govc --name db-02 examples/seed-002', 'present EVC mode Westmere on both hosts, as govc commands for the VM db-02'],
    ['openevc mask --evc intel-westmere', "the mode's generic per-VM .vmx lines, for any host (seed 002's poor man's EVC)"],
  ]);
}
