/**
 * `openevc check SRC DST [--profile esxi|kvm|raw] [--vm FILE.vmx] [--json]`: can a VM powered on at SRC
 * live-migrate to DST? Exit code 0 when it can, 1 when it cannot, 2 for bad input.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { readInput } from '../../node/read.js';
import { getProfile, profileIds } from '../../core/profiles.js';
import { formatOption, readHost } from '../inputs.js';
import { diagnosticLines, outputWidth } from '../text.js';
import { evcModeSet, evcModesOption } from '../options.js';
import { checkReport } from '../../report/api/check.js';
import { decodeInput } from '../../report/api/decode.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('can a VM powered on at SRC live-migrate to DST? lists every blocker and its likely cause (exit 0 yes, 1 no, 2 bad input)')
    .argument('<src>', 'CPUID input of the host the VM was powered on at (any supported format)')
    .argument('<dst>', 'CPUID input of the destination host')
    .addOption(new Option('-p, --profile <profile>', 'hypervisor whose view of the CPU is compared').choices(profileIds()).default(profileIds()[0]))
    .addOption(formatOption())
    .option('--nested', 'the VM has nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .option('--json', 'print the result as JSON (see docs/json.md)')
    .option('--vm <file.vmx>', "the VM's .vmx: its CPUID masks and per-VM EVC (featMask) lines narrow what it was given at power-on")
    .action(async (srcPath: string, dstPath: string, opts: { profile: string; format?: string; nested?: boolean; evcModes?: string; json?: boolean; vm?: string }) => {
      const view = getProfile(opts.profile);
      const evcModes = await evcModeSet(opts.evcModes);
      const srcIn = await readHost(srcPath, opts);
      const dstIn = await readHost(dstPath, opts);
      process.stderr.write(diagnosticLines([...srcIn.diagnostics, ...dstIn.diagnostics].filter((d) => d.level === 'warning')));
      const vm = opts.vm !== undefined ? { text: (await readInput(opts.vm)).text, file: opts.vm } : undefined;
      const report = checkReport(decodeInput(srcIn), decodeInput(dstIn), {
        profile: view,
        evcModes,
        nested: opts.nested ?? false,
        ...(vm ? { vm } : {}),
        from: srcIn.host ? srcIn.file : srcPath,
        to: dstIn.host ? dstIn.file : dstPath,
        width: outputWidth(),
      });
      process.stderr.write(diagnosticLines(report.diagnostics));
      if (opts.json) process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
      else process.stdout.write(`${report.text}\n`);
      if (!report.result.compatible) process.exitCode = 1;
    });
}

