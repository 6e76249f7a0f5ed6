/**
 * `openevc baseline HOST... [--profile esxi|kvm|raw] [--json]`: the best CPU baseline a set of
 * hosts can offer (EVC mode, QEMU/libvirt model, x86-64 level, exact common set), what each host
 * loses under it, and which hosts hold it down.
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { decodeHost } from '../../core/host.js';
import { getProfile, profileIds } from '../../core/profiles.js';
import { duplicateDiagnostics, expandInputs, skippedDiagnostics, streamHosts } from '../inputs.js';
import { outputWidth, writeAll, writeDiagnostics } from '../text.js';
import { jsonLines } from '../../report/json-pieces.js';
import { evcModeSet, evcModesOption, inputFormatOf, inputFormatOption, jsonOption, legacyInputFormatOption, lenientOption, withExamples } from '../options.js';
import { fleetBaselineReport } from '../../report/api/baseline.js';
import { Fleet } from '../../core/fleet.js';
import type { Diagnostic } from '../../core/errors.js';

export function register(program: Command): void {
  const cmd = program
    .command('baseline')
    .description(summary('baseline'))
    .argument('<hosts...>', 'CPUID inputs (files in any supported format, or directories of them)')
    .addOption(new Option('-p, --profile <profile>', 'hypervisor view the common set and x86-64 level are judged through').choices(profileIds()).default(profileIds()[0]))
    .addOption(inputFormatOption())
    .addOption(legacyInputFormatOption())
    .addOption(lenientOption())
    .option('--nested', 'VMs have nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .option('--split', 'a file whose CPU blocks are different machines: read each machine as a host (default: refuse the file)')
    .option('-l, --long', 'list the common features and every host, not just a summary')
    .addOption(jsonOption())
    .action(async (inputs: string[], opts: { profile: string; format?: string; inputFormat?: string; lenient?: boolean; nested?: boolean; evcModes?: string; long?: boolean; json?: boolean; split?: boolean }) => {
      const view = getProfile(opts.profile);
      const format = inputFormatOf(opts);
      // Each host is read, decoded, folded and dropped: the fleet keeps one entry per distinct CPU
      // (without its dump), and per host only its name and what its reading noted.
      const fleet = new Fleet({ keepDumps: false });
      const names: string[] = [];
      const notes: Diagnostic[] = [];
      const read = await streamHosts(await expandInputs(inputs), { ...(format ? { format } : {}), ...(opts.lenient ? { lenient: true } : {}), ...(opts.split ? { split: true } : {}) }, (l) => {
        fleet.add(decodeHost(l.dump));
        names.push(l.file);
        // What the answer rests on: damaged or lossy input says so.
        for (const d of l.diagnostics) if (d.level !== 'info') notes.push(d.where ? d : { ...d, where: { file: l.file } });
      });
      const { skipped, passedOver, duplicates, identical = [] } = read;
      // vCenter EVC definitions found among the inputs replace built-in modes, unless --evc-modes names a file.
      let evcModes = await evcModeSet(opts.evcModes);
      if (opts.evcModes === undefined && (read.evcModes?.length ?? 0) > 0) evcModes = evcModes.withOverrides(read.evcModes!);
      writeDiagnostics(skippedDiagnostics(skipped, read.failed, passedOver));
      writeDiagnostics(duplicateDiagnostics(duplicates, identical));
      // Thousands of damaged inputs are thousands of lines: written a few hundred at a time.
      for (let i = 0; i < notes.length; i += 500) writeDiagnostics(notes.slice(i, i + 500));
      const passed = [...passedOver, ...skipped].map((s) => ({ path: s.file, why: s.why }));
      const dups = duplicates.map((d) => ({ path: d.file, same_as: d.of, why: d.why }));
      const report = fleetBaselineReport(fleet, {
        profile: view,
        evcModes,
        nested: opts.nested ?? false,
        names,
        clusters: read.clusters ?? [],
        vms: read.vms ?? [],
        long: opts.long ?? false,
        width: outputWidth(),
        passedOver: passed,
        duplicates: dups,
      });
      if (opts.json) await writeAll(jsonLines(report.json));
      else process.stdout.write(`${report.text}\n`);
    });
  withExamples(cmd, [
    ['openevc baseline examples/cluster', 'the EVC mode, QEMU model and x86-64 level all four hosts of a cluster can offer, and who holds it down'],
    ['openevc baseline --profile kvm --long examples/amd', 'the KVM view, listing the common features and every host'],
    ['openevc baseline --json hosts/', 'every dump in a directory, as JSON'],
  ]);
}
