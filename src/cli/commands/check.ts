/**
 * `openevc check SRC DST [--profile esxi|kvm|raw] [--vm FILE.vmx] [--json]`: can a VM powered on at SRC
 * live-migrate to DST? Exit code 0 when it can, 1 when it cannot, 2 for bad input.
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { checkMigration } from '../../core/check.js';
import { checkToJson } from '../../report/check.js';
import { vmxCheckOptions } from '../../formats/vmx/check-options.js';
import { VmxDocument, refuseCrOnly } from '../../formats/vmx/document.js';
import { readVmxCpu } from '../../formats/vmx/cpu.js';
import { readInput } from '../../node/read.js';
import { decodeHost } from '../../core/host.js';
import { getProfile, profileIds } from '../../core/profiles.js';
import type { Diagnostic } from '../../core/errors.js';
import { readHost } from '../inputs.js';
import type { HostInput } from '../../formats/select-host.js';
import { outputWidth, writeDiagnostics } from '../text.js';
import { evcModeSet, evcModesOption, inputFormatOf, inputFormatOption, jsonOption, legacyInputFormatOption, lenientOption, withExamples } from '../options.js';
import { renderCheck } from '../../report/check.js';

export function register(program: Command): void {
  const cmd = program
    .command('check')
    .description(summary('check'))
    .argument('<src>', 'CPUID input of the host the VM was powered on at (any supported format)')
    .argument('<dst>', 'CPUID input of the destination host')
    .addOption(new Option('-p, --profile <profile>', 'hypervisor whose view of the CPU is compared').choices(profileIds()).default(profileIds()[0]))
    .addOption(inputFormatOption())
    .addOption(legacyInputFormatOption())
    .addOption(lenientOption())
    .option('--nested', 'the VM has nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .addOption(jsonOption())
    .option('--vm <file.vmx>', "the VM's .vmx: its CPUID masks and per-VM EVC (featMask) lines narrow what it was given at power-on")
    .action(async (srcPath: string, dstPath: string, opts: { profile: string; format?: string; inputFormat?: string; lenient?: boolean; nested?: boolean; evcModes?: string; json?: boolean; vm?: string }) => {
      const view = getProfile(opts.profile);
      const evcModes = await evcModeSet(opts.evcModes);
      const format = inputFormatOf(opts);
      const readOpts = { ...(format ? { format } : {}), ...(opts.lenient ? { lenient: true } : {}) };
      const srcIn = await readHost(srcPath, readOpts);
      const dstIn = await readHost(dstPath, readOpts);
      // What the answer rests on: damaged or lossy input says so.
      const named = (ds: readonly Diagnostic[], file: string) => ds.filter((d) => d.level !== 'info').map((d) => (d.where ? d : { ...d, where: { file } }));
      writeDiagnostics([...named(srcIn.diagnostics, srcPath), ...named(dstIn.diagnostics, dstPath)]);
      const src = decodeHost(srcIn.dump);
      const dst = decodeHost(dstIn.dump);
      const viewOpts = { nested: opts.nested ?? false };
      let vm: ReturnType<typeof vmxCheckOptions> = {};
      if (opts.vm) {
        const text = (await readInput(opts.vm)).text;
        refuseCrOnly(text, opts.vm);
        const cpu = readVmxCpu(VmxDocument.parse(text, opts.vm));
        writeDiagnostics(cpu.diagnostics);
        vm = vmxCheckOptions(cpu, src, dst, view, viewOpts);
      }
      const result = checkMigration(src, dst, { profile: view, evcModes, ...viewOpts, ...vm });
      if (opts.json) process.stdout.write(`${JSON.stringify(checkToJson(result), null, 2)}\n`);
      else {
        // A dump of several logical CPUs of one machine is compared by its first (as `show` says).
        const label = (input: HostInput, path: string) => `${input.host ? input.file : path}${input.cpus > 1 ? ` (CPU ${input.dump.source.cpu ?? 0} of ${input.cpus})` : ''}`;
        process.stdout.write(`${renderCheck(result, { from: label(srcIn, srcPath), to: label(dstIn, dstPath) }, { width: outputWidth() })}\n`);
      }
      if (!result.compatible) process.exitCode = 1;
    });
  withExamples(cmd, [
    ['openevc check examples/seed-002/host-b-core-i7-3770.json examples/seed-002/host-a-atom-c2750.json', 'can a VM powered on at the Core i7 host move to the Atom host? (exit 1: no, with every blocker)'],
    ['openevc check --vm examples/vms/db-02.vmx examples/seed-002/host-a-atom-c2750.json examples/seed-002/host-b-core-i7-3770.json', 'the same question for a VM whose .vmx masks some features'],
    ['openevc check --profile kvm --json src.json dst.json', 'the KVM view of the question, as JSON'],
  ]);
}
