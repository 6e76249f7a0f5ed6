/**
 * `openevc check SRC DST [--profile esxi|kvm|raw] [--vm FILE.vmx] [--json]`: can a VM powered on at SRC
 * live-migrate to DST? Exit code 0 when it can, 1 when it cannot, 2 for bad input.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { describeLocation } from '../../core/catalog.js';
import type { Blocker, CheckResult } from '../../core/check.js';
import { checkMigration, checkToJson, vmxCheckOptions } from '../../core/check.js';
import { VmxDocument } from '../../core/masks/vmx.js';
import { readVmxCpu } from '../../core/masks/vmx-cpu.js';
import { readInput } from '../../node/read.js';
import { decodeHost } from '../../core/host.js';
import type { Host } from '../../core/host.js';
import { getView, viewIds } from '../../core/views.js';
import { formatOption, readHost } from '../inputs.js';
import { diagnosticLines, outputWidth, plural, table, wrapWords } from '../text.js';
import { fidelityCaveat, fidelityOf, fidelityShort } from '../../report/fidelity.js';
import { evcModeSet, evcModesOption } from './modes.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('can a VM powered on at SRC live-migrate to DST? lists every blocker and its likely cause (exit 0 yes, 1 no, 2 bad input)')
    .argument('<src>', 'CPUID input of the host the VM was powered on at (any supported format)')
    .argument('<dst>', 'CPUID input of the destination host')
    .addOption(new Option('-p, --profile <profile>', 'hypervisor whose view of the CPU is compared').choices(viewIds()).default(viewIds()[0]))
    .addOption(formatOption())
    .option('--nested', 'the VM has nested virtualization (VT-x/AMD-V) enabled')
    .addOption(evcModesOption())
    .option('--json', 'print the result as JSON (see docs/json.md)')
    .option('--vm <file.vmx>', "the VM's .vmx: its CPUID masks and per-VM EVC (featMask) lines narrow what it was given at power-on")
    .action(async (srcPath: string, dstPath: string, opts: { profile: string; format?: string; nested?: boolean; evcModes?: string; json?: boolean; vm?: string }) => {
      const view = getView(opts.profile);
      const evcModes = await evcModeSet(opts.evcModes);
      const srcIn = await readHost(srcPath, opts);
      const dstIn = await readHost(dstPath, opts);
      process.stderr.write(diagnosticLines([...srcIn.diagnostics, ...dstIn.diagnostics].filter((d) => d.level === 'warning')));
      const src = decodeHost(srcIn.dump);
      const dst = decodeHost(dstIn.dump);
      const viewOpts = { nested: opts.nested ?? false };
      let vm: ReturnType<typeof vmxCheckOptions> = {};
      if (opts.vm) {
        const cpu = readVmxCpu(VmxDocument.parse((await readInput(opts.vm)).text, opts.vm));
        process.stderr.write(diagnosticLines(cpu.diagnostics));
        vm = vmxCheckOptions(cpu, src, dst, view, viewOpts);
      }
      const result = checkMigration(src, dst, { view, evcModes, ...viewOpts, ...vm });
      if (opts.json) process.stdout.write(`${JSON.stringify(checkToJson(result), null, 2)}\n`);
      else process.stdout.write(`${renderCheck(result, { from: srcIn.host ? srcIn.file : srcPath, to: dstIn.host ? dstIn.file : dstPath })}\n`);
      if (!result.compatible) process.exitCode = 1;
    });
}

function hostLine(h: Host, path: string | undefined, evc: { max: string | undefined } | undefined): string {
  const what = [h.id.microarchitecture ?? 'unknown microarchitecture'];
  if (evc) what.push(evc.max ? `EVC up to ${evc.max}` : 'no EVC mode');
  // Said only when below raw CPUID (what every answer rests on by default).
  if (fidelityOf(h.dump.source) !== 'cpuid') what.push(fidelityShort(fidelityOf(h.dump.source)));
  return `${path ?? h.dump.source.path ?? h.dump.source.label ?? '(input)'}: ${h.id.brand || h.id.vendorString || '(no brand string)'}  (${what.join(', ')})`;
}

/** Human output of `openevc check`; `paths` are the inputs as the user named them. */
export function renderCheck(r: CheckResult, paths: { from?: string; to?: string } = {}): string {
  const width = outputWidth();
  const esxi = r.view.id === 'esxi';
  const out: string[] = [];
  out.push(`Live migration under the ${r.view.id} profile (${r.view.name})`);
  out.push(`  from  ${hostLine(r.from, paths.from, esxi ? { max: r.evc.from?.key } : undefined)}`);
  out.push(`  to    ${hostLine(r.to, paths.to, esxi ? { max: r.evc.to?.key } : undefined)}`);
  out.push('');
  const given = plural(r.requirements.size, 'compared feature');
  if (r.compatible) {
    out.push(`COMPATIBLE: the destination offers all ${given} the VM was given at power-on.`);
  } else {
    const reasons: string[] = [];
    if (r.vendorMismatch) reasons.push('the CPU vendors differ');
    if (r.blockers.length > 0) reasons.push(`the destination lacks ${r.blockers.length} of the ${given} the VM was given at power-on`);
    out.push(`NOT COMPATIBLE: ${reasons.join('; ')}.`);
    if (r.vendorMismatch) out.push(`  ${wrapWords(r.vendorMismatch.split(' '), width, 2)}`);
    const groups = new Map<string, Blocker[]>();
    for (const b of r.blockers) groups.set(b.headline, [...(groups.get(b.headline) ?? []), b]);
    for (const [headline, list] of groups) {
      out.push(`  ${wrapWords(headline.split(' '), width, 4)}:`);
      out.push(table(list.map((b) => ['    ' + b.feature.name, b.feature.id, describeLocation(b.feature.loc), b.detail ?? ''])));
    }
    const common = r.evc.common;
    if (esxi && !r.vendorMismatch && common && r.blockers.length > 0) {
      out.push('');
      out.push(`Fix: power the VM on under EVC mode ${common.key} (${common.label}), which both hosts support (cluster or per-VM EVC).`);
    }
  }
  if (!r.extra.isEmpty) {
    out.push(`The destination also offers ${plural(r.extra.size, 'feature')} the VM does not use (harmless): ${r.extra.ids().join(', ')}`);
  }
  for (const n of r.notes) out.push(`Note: ${n}`);
  const caveat = fidelityCaveat([r.from.dump.source, r.to.dump.source], [paths.from ?? 'source', paths.to ?? 'destination']);
  if (caveat) out.push(`Note: ${caveat}`);
  return out.join('\n');
}
