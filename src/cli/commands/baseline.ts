/**
 * `openevc baseline HOST... [--profile esxi|kvm|raw] [--json]`: the best CPU baseline a set of
 * hosts can offer (EVC mode, QEMU/libvirt model, x86-64 level, exact common set), what each host
 * loses under it, and which hosts hold it down.
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { Fleet } from '../../core/fleet.js';
import { decodeHost } from '../../core/host.js';
import { getProfile, profileIds } from '../../core/profiles.js';
import { expandInputs, foldHosts, skippedDiagnostics } from '../inputs.js';
import { formatOption } from '../inputs.js';
import { diagnosticLines, outputWidth, writeAll } from '../text.js';
import { evcModeSet, evcModesOption } from '../options.js';
import { baselineJsonPieces, renderBaseline } from '../../report/baseline.js';

export function register(program: Command): void {
  program
    .command('baseline')
    .description(summary('baseline'))
    .argument('<hosts...>', 'CPUID inputs (files in any supported format, or directories of them)')
    .addOption(new Option('-p, --profile <profile>', 'hypervisor view the common set and x86-64 level are judged through').choices(profileIds()).default(profileIds()[0]))
    .addOption(formatOption())
    .option('--nested', 'VMs have nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .option('-l, --long', 'list the common features and every host, not just a summary')
    .option('--json', 'print the result as JSON (see docs/json.md)')
    .action(async (inputs: string[], opts: { profile: string; format?: string; nested?: boolean; evcModes?: string; long?: boolean; json?: boolean }) => {
      const view = getProfile(opts.profile);
      const evcModes = await evcModeSet(opts.evcModes);
      // Streamed: each host is decoded, folded into the fleet (one entry per distinct CPU) and dropped.
      const fleet = new Fleet({ keepDumps: false });
      const names: string[] = [];
      const { skipped } = await foldHosts(await expandInputs(inputs), opts, (input) => {
        names.push(input.file);
        fleet.add(decodeHost(input.dump));
      });
      process.stderr.write(diagnosticLines(skippedDiagnostics(skipped)));
      const result = fleet.baseline({ profile: view, evcModes, nested: opts.nested ?? false });
      if (opts.json) await writeAll(baselineJsonPieces(result, names));
      else process.stdout.write(`${renderBaseline(result, names, { long: opts.long ?? false, width: outputWidth() })}\n`);
    });
}

