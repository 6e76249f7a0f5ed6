/**
 * `openevc baseline HOST... [--profile esxi|kvm|raw] [--json]`: the best CPU baseline a set of
 * hosts can offer (EVC mode, QEMU/libvirt model, x86-64 level, exact common set), what each host
 * loses under it, and which hosts hold it down.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { getProfile, profileIds } from '../../core/profiles.js';
import { expandInputs, readHosts, skippedDiagnostics } from '../inputs.js';
import { formatOption } from '../inputs.js';
import { diagnosticLines, outputWidth } from '../text.js';
import { evcModeSet, evcModesOption } from '../options.js';
import { baselineReport } from '../../report/api/baseline.js';
import { decodeInput } from '../../report/api/decode.js';

export function register(program: Command): void {
  program
    .command('baseline')
    .description('the best CPU baseline all hosts can offer: EVC mode, QEMU/libvirt model, x86-64 level, common features; what each host loses; which hosts hold it down')
    .argument('<hosts...>', 'CPUID inputs (files in any supported format, or directories of them)')
    .addOption(new Option('-p, --profile <profile>', 'hypervisor view the common set and x86-64 level are judged through').choices(profileIds()).default(profileIds()[0]))
    .addOption(formatOption())
    .option('--nested', 'VMs have nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .option('-l, --long', 'list the common features and every host, not just a summary')
    .option('--json', 'print the result as JSON (see docs/json.md)')
    .action(async (inputs: string[], opts: { profile: string; format?: string; nested?: boolean; evcModes?: string; long?: boolean; json?: boolean }) => {
      const view = getProfile(opts.profile);
      const read = await readHosts(await expandInputs(inputs), opts);
      const { hosts: loaded, skipped } = read;
      // vCenter EVC definitions found among the inputs replace built-in modes, unless --evc-modes names a file.
      const evcModes = opts.evcModes !== undefined ? await evcModeSet(opts.evcModes) : undefined;
      process.stderr.write(diagnosticLines(skippedDiagnostics(skipped, read.failed)));
      const report = baselineReport(loaded.map(decodeInput), {
        profile: view,
        ...(evcModes ? { evcModes } : {}),
        loadedModes: read.evcModes ?? [],
        nested: opts.nested ?? false,
        clusters: read.clusters ?? [],
        vms: read.vms ?? [],
        long: opts.long ?? false,
        width: outputWidth(),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
      else process.stdout.write(`${report.text}\n`);
    });
}

