/** `openevc show <file|->`: what a host offers a VM, in words or as JSON. */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { outputWidth } from '../text.js';
import { Option } from 'commander';
import { decodeHost } from '../../core/host.js';
import { summarize } from '../../report/host.js';
import { parseCpuIndex, readHost } from '../inputs.js';
import { inputFormatOf, inputFormatOption, jsonOption, legacyInputFormatOption, lenientOption, withExamples } from '../options.js';
import { renderHost } from '../../report/show.js';

export function register(program: Command): void {
  const cmd = program
    .command('show')
    .description(summary('show'))
    .argument('<file>', "CPUID input (any supported format), or '-' for standard input; FILE#HOST names one host of a fleet export")
    .addOption(inputFormatOption())
    .addOption(legacyInputFormatOption())
    .addOption(lenientOption())
    .addOption(jsonOption('the summary'))
    .option('-l, --long', 'one line per feature, with its CPUID location and enforcement')
    .addOption(new Option('--cpu <n>', 'logical CPU to use from a multi-CPU dump').argParser(parseCpuIndex))
    .option('--guest', "vmware.log: use what the guest was shown instead of the host's CPUID")
    .action(async (file: string, opts: { format?: string; inputFormat?: string; lenient?: boolean; json?: boolean; long?: boolean; cpu?: number; guest?: boolean }) => {
      const format = inputFormatOf(opts);
      const input = await readHost(file, { ...opts, ...(format ? { format } : {}) });
      const host = decodeHost(input.dump);
      if (opts.json) {
        const summary = summarize(host, { file: input.file, format: input.format, cpus: input.cpus, diagnostics: input.diagnostics });
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderHost(host, input, { long: opts.long ?? false, width: outputWidth() })}\n`);
      }
    });
  withExamples(cmd, [
    ['openevc show examples/seed-002/host-a-atom-c2750.json', "what this host offers a VM: identity, microarchitecture, x86-64 level, features"],
    ['openevc show --long --input-format instlatx64 GenuineIntel00306A9_IvyBridge_CPUID.txt', 'one line per feature, reading an InstLatx64 dump'],
    ['sudo openevc probe | openevc show --json -', "this machine's CPUID, summarised as JSON"],
  ]);
}
