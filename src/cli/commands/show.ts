/** `openevc show <file|->`: what a host offers a VM, in words or as JSON. */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { outputWidth } from '../text.js';
import { Option } from 'commander';
import { decodeHost } from '../../core/host.js';
import { summarize } from '../../report/host.js';
import { formatOption, parseCpuIndex, readHost } from '../inputs.js';
import { renderHost } from '../../report/show.js';

export function register(program: Command): void {
  program
    .command('show')
    .description(summary('show'))
    .argument('<file>', "CPUID input (any supported format), or '-' for standard input; FILE#HOST names one host of a fleet export")
    .addOption(formatOption())
    .option('--json', 'print the summary as JSON (see docs/json.md)')
    .option('-l, --long', 'one line per feature, with its CPUID location and enforcement')
    .addOption(new Option('--cpu <n>', 'logical CPU to use from a multi-CPU dump').argParser(parseCpuIndex))
    .option('--guest', "vmware.log: use what the guest was shown instead of the host's CPUID")
    .action(async (file: string, opts: { format?: string; json?: boolean; long?: boolean; cpu?: number; guest?: boolean }) => {
      const input = await readHost(file, opts);
      const host = decodeHost(input.dump);
      if (opts.json) {
        const summary = summarize(host, { file: input.file, format: input.format, cpus: input.cpus, diagnostics: input.diagnostics });
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderHost(host, input, { long: opts.long ?? false, width: outputWidth() })}\n`);
      }
    });
}

