/**
 * `openevc vmx show FILE.vmx` and `openevc vmx apply FILE.vmx (--mask LINES | --hosts HOST... [--evc MODE]) [--dry-run]`:
 * read a VM's CPU settings, and set CPUID mask lines in its `.vmx` safely (src/node/vmx-edit.ts:
 * untouched lines byte-identical, atomic write with a timestamped backup, refused while the VM runs).
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { VmxDocument } from '../../formats/vmx/document.js';
import { readVmxCpu } from '../../formats/vmx/cpu.js';
import { profileIds } from '../../core/profiles.js';
import { targetDiagnostics } from '../../formats/common/hide.js';
import { vmxSettings } from '../../formats/vmx/writer.js';
import { READER_IDS } from '../../formats/registry.js';
import { readInput } from '../../node/read.js';
import { applyVmxFile, maskLinesOf, readMaskLines, readVmxBytes } from '../../node/vmx-edit.js';
import type { MaskLines } from '../../node/vmx-edit.js';
import { diagnosticLines, errorWidth, plural, printable } from '../text.js';
import { buildTarget, evcModesOption, jsonOption, lenientOption, readTargetHosts, withExamples } from '../options.js';
import { explainTarget } from '../../report/mask.js';
import { renderVmxShow, vmxShowToJson } from '../../report/vmx.js';

export function register(program: Command): void {
  const vmx = program.command('vmx').description(summary('vmx'));
  withExamples(vmx, [
    ['openevc vmx show examples/vms/db-02.vmx', "what a VM's masks hide"],
    ['openevc vmx apply --dry-run --hosts examples/seed-002 db-02.vmx', 'the edit that lets the VM move between the seed 002 hosts, as a diff'],
  ]);

  const show = vmx
    .command('show')
    .description('the CPUID masks and per-VM EVC (featMask) lines of a .vmx, what they hide, and the CPU settings that are not masks')
    .argument('<file.vmx>', "the VM's configuration file")
    .addOption(jsonOption('the settings'))
    .action((file: string, opts: { json?: boolean }) => {
      const doc = VmxDocument.parse(readVmxBytes(file), file);
      const cpu = readVmxCpu(doc);
      if (opts.json) process.stdout.write(`${JSON.stringify(vmxShowToJson(cpu), null, 2)}\n`);
      else process.stdout.write(renderVmxShow(cpu));
    });
  withExamples(show, [
    ['openevc vmx show examples/vms/db-02.vmx', 'the CPUID masks and per-VM EVC lines of a VM, and what they hide'],
    ['openevc vmx show --json /vmfs/volumes/ds1/db-02/db-02.vmx', 'the same, as JSON'],
  ]);

  const apply = vmx
    .command('apply')
    .description('set CPUID mask lines in a .vmx: atomically, with a timestamped backup, every other line untouched; refused while the VM runs')
    .argument('<file.vmx>', "the VM's configuration file (the VM must be powered off)")
    .option('--mask <file>', "a file of mask lines ('-' for standard input): cpuid.<leaf>.<reg> = \"…\" and featMask.vm.cpuid.<NAME> = \"…\" (what 'openevc mask' prints), comments allowed")
    .option('--hosts <hosts...>', 'CPUID inputs of the hosts the VM must move between: the lines of openevc mask are generated and applied')
    .option('--evc <mode>', 'with --hosts: present this EVC baseline instead of the minimal target')
    .option('--dry-run', 'print the unified diff of the edit and change nothing')
    .addOption(new Option('--input-format <format>', 'format of the host inputs (default: detected from the content)').choices(READER_IDS))
    .addOption(evcModesOption())
    .addOption(lenientOption())
    .addOption(jsonOption('what was done (file, changes, notes, diff, backup)'))
    .action(async (file: string, opts: { mask?: string; hosts?: string[]; evc?: string; dryRun?: boolean; inputFormat?: string; evcModes?: string; lenient?: boolean; json?: boolean }) => {
      if ((opts.mask === undefined) === (opts.hosts === undefined)) throw new UsageError('vmx apply needs either --mask FILE (or -) or --hosts HOST... (not both)');
      if (opts.evc !== undefined && opts.hosts === undefined) throw new UsageError('--evc needs --hosts: the mode is checked against the hosts the VM moves between');
      let lines: MaskLines;
      let err = '';
      let vendor;
      if (opts.mask !== undefined) {
        const input = await readInput(opts.mask);
        const r = readMaskLines(input.text, input.file);
        lines = r.lines;
        err += diagnosticLines([...input.diagnostics, ...r.diagnostics]);
      } else {
        const { hosts, diagnostics } = await readTargetHosts(opts.hosts!, { format: opts.inputFormat, lenient: opts.lenient ?? false });
        const target = await buildTarget(hosts, { profile: profileIds()[0]!, ...(opts.evc !== undefined ? { evc: opts.evc } : {}), ...(opts.evcModes ? { evcModes: opts.evcModes } : {}) });
        const settings = vmxSettings(target);
        lines = maskLinesOf(settings.lines);
        vendor = target.vendor;
        err += diagnosticLines(diagnostics) + explainTarget(target, errorWidth()) + diagnosticLines([...targetDiagnostics(target), ...settings.diagnostics]);
      }
      const r = applyVmxFile(file, lines, { dryRun: opts.dryRun ?? false, ...(vendor ? { vendor } : {}) });
      err += diagnosticLines(r.notes);
      const name = printable(file);
      if (r.diff === '') err += `${name}: already up to date, nothing to change\n`;
      else if (!r.written) err += `${name}: dry run, nothing written (${plural(r.changes.length, 'line')} would change)\n`;
      else {
        const where = r.target && r.target !== file ? `${printable(r.target)} (the file the link ${name} leads to)` : name;
        err += `${where}: ${plural(r.changes.length, 'line')} changed; the previous version is ${printable(r.backup ?? '')}\n`;
        for (const c of r.cleaned ?? []) err += `openevc: info: removed ${printable(c)}, a temporary file an interrupted run left behind\n`;
      }
      process.stderr.write(err);
      if (opts.json) {
        const json = {
          file: r.file,
          target: r.target ?? r.file,
          written: r.written,
          dry_run: opts.dryRun ?? false,
          backup: r.backup ?? null,
          changes: r.changes.map((c) => ({ key: c.key, kind: c.kind, before: c.before ?? null, after: c.after ?? null })),
          notes: r.notes.map((d) => ({ level: d.level, message: d.message, line: d.where?.line ?? null })),
          cleaned: r.cleaned ?? [],
          diff: r.diff,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else if (opts.dryRun) process.stdout.write(r.diff);
    });
  withExamples(apply, [
    ['openevc mask examples/seed-002 > masks.txt && openevc vmx apply --dry-run --mask masks.txt db-02.vmx', 'print the unified diff of the edit, write nothing'],
    ['openevc vmx apply --hosts esx-a.json esx-b.json --evc intel-westmere db-02.vmx', "present EVC mode Westmere to the VM on both hosts (the VM must be off; a backup is kept)"],
  ]);
}

