/** `openevc probe`: read this machine's CPUID and write it as openevc JSON. */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { identify } from '../../core/identity.js';
import { toCanonicalJson } from '../../formats/openevc-json/reader.js';
import { jsonOption, withExamples, writeOutputFile } from '../options.js';
import { probe } from '../../node/probe.js';
import { parseCpuIndex } from '../inputs.js';
import { plural } from '../text.js';

export function register(program: Command): void {
  const cmd = program
    .command('probe')
    .description(summary('probe'))
    .addOption(new Option('--cpu <n>', 'logical CPU to read').default(0).argParser(parseCpuIndex))
    .option('-o, --output <file>', 'write the JSON to a file (atomically) instead of standard output')
    .option('-q, --quiet', 'do not print the one-line summary on standard error')
    .addOption(jsonOption('the dump (openevc JSON is what probe always prints: accepted for consistency)'))
    .action((opts: { cpu: number; output?: string; quiet?: boolean }) => {
      const result = probe({ cpu: opts.cpu });
      const json = toCanonicalJson(result.dump);
      if (opts.output) writeOutputFile(opts.output, json);
      else process.stdout.write(json);
      if (!opts.quiet) {
        const id = identify(result.dump);
        const where = id.hypervisor
          ? `inside a virtual machine (hypervisor bit set${id.hypervisorVendor ? `, ${id.hypervisorVendor}` : ''}): this is what the VM is shown, not the host's CPU`
          : 'on bare metal';
        const how = result.method === 'cpuid-device' ? `${result.dump.size} CPUID leaves via ${result.dump.source.path}` : 'flags from /proc/cpuinfo (lossy)';
        process.stderr.write(`openevc: probed ${id.brand || id.vendorString} ${where}; ${how}${result.cpusCompared ? `, ${plural(result.cpusCompared, 'other logical CPU')} compared` : ''}\n`);
        for (const d of result.diagnostics) process.stderr.write(`openevc: ${d.level}: ${d.message}\n`);
      }
    });
  withExamples(cmd, [
    ['sudo openevc probe -o $(hostname).json', "this machine's CPUID as openevc JSON, written atomically"],
    ['sudo openevc probe --cpu 12 | openevc show -', 'logical CPU 12 (an E-core of a hybrid CPU?), summarised'],
  ]);
}
