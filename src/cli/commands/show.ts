/** `openevc show <file|->`: what a host offers a VM, in words or as JSON. */
import type { Command } from 'commander';
import { outputWidth } from '../text.js';
import { Option } from 'commander';
import { decodeInput } from '../../report/api/decode.js';
import { showJson, showText } from '../../report/api/show.js';
import { formatOption, parseCpuIndex, readHost } from '../inputs.js';

export function register(program: Command): void {
  program
    .command('show')
    .description('summarize a host: identity, microarchitecture, x86-64 level, features by category')
    .argument('<file>', "CPUID input (any supported format), or '-' for standard input; FILE#HOST names one host of a fleet export")
    .addOption(formatOption())
    .option('--json', 'print the summary as JSON (see docs/json.md)')
    .option('-l, --long', 'one line per feature, with its CPUID location and enforcement')
    .addOption(new Option('--cpu <n>', 'logical CPU to use from a multi-CPU dump').argParser(parseCpuIndex))
    .option('--guest', "vmware.log: use what the guest was shown instead of the host's CPUID")
    .action(async (file: string, opts: { format?: string; json?: boolean; long?: boolean; cpu?: number; guest?: boolean }) => {
      const input = decodeInput(await readHost(file, opts));
      if (opts.json) process.stdout.write(`${JSON.stringify(showJson(input), null, 2)}\n`);
      else process.stdout.write(`${showText(input, { long: opts.long ?? false, width: outputWidth() })}\n`);
    });
}

