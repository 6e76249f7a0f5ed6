/**
 * `openevc vmx show FILE.vmx` and `openevc vmx apply FILE.vmx (--mask LINES | --hosts HOST... [--evc MODE]) [--dry-run]`:
 * read a VM's CPU settings, and set CPUID mask lines in its `.vmx` safely (src/node/vmx-edit.ts:
 * untouched lines byte-identical, atomic write with a timestamped backup, refused while the VM runs).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { FeatureSet } from '../../core/catalog.js';
import { catalog, describeLocation } from '../../core/catalog.js';
import { UsageError } from '../../core/errors.js';
import { charAt, describeTarget } from '../../core/masks/engine.js';
import type { CpuidMask } from '../../core/masks/engine.js';
import { formatFeatValue } from '../../formats/featmask/syntax.js';
import { formatMaskValue } from '../../formats/vmx/register-masks.js';
import { VmxDocument } from '../../formats/vmx/document.js';
import { readVmxCpu, vmxEffectiveMask } from '../../formats/vmx/cpu.js';
import type { VmxCpu } from '../../formats/vmx/cpu.js';
import { profileIds } from '../../core/profiles.js';
import { targetDiagnostics } from '../../formats/common/hide.js';
import { vmxSettings } from '../../formats/vmx/writer.js';
import { importFormats } from '../../formats/readers.js';
import { readInput } from '../../node/read.js';
import { applyVmxFile, maskLinesOf, readMaskLines, readVmxBytes } from '../../node/vmx-edit.js';
import type { MaskLines } from '../../node/vmx-edit.js';
import { diagnosticLines, plural } from '../text.js';
import { buildTarget, evcModesOption, readTargetHosts } from '../options.js';
import { explainTarget } from '../../report/mask.js';

export function register(program: Command): void {
  const vmx = program.command('vmx').description("read or edit a VM's .vmx: its CPUID masks and per-VM EVC lines");

  vmx
    .command('show')
    .description('the CPUID masks and per-VM EVC (featMask) lines of a .vmx, what they hide, and the CPU settings that are not masks')
    .argument('<file.vmx>', "the VM's configuration file")
    .action((file: string) => {
      const doc = VmxDocument.parse(readVmxBytes(file), file);
      process.stdout.write(renderVmxShow(readVmxCpu(doc)));
    });

  vmx
    .command('apply')
    .description('set CPUID mask lines in a .vmx: atomically, with a timestamped backup, every other line untouched; refused while the VM runs')
    .argument('<file.vmx>', "the VM's configuration file (the VM must be powered off)")
    .option('--mask <file>', "a file of mask lines ('-' for standard input): cpuid.<leaf>.<reg> = \"…\" and featMask.vm.cpuid.<NAME> = \"…\" (what 'openevc mask' prints), comments allowed")
    .option('--hosts <hosts...>', 'CPUID inputs of the hosts the VM must move between: the lines of openevc mask are generated and applied')
    .option('--evc <mode>', 'with --hosts: present this EVC baseline instead of the minimal target')
    .option('--dry-run', 'print the unified diff of the edit and change nothing')
    .addOption(new Option('--input-format <format>', 'format of the host inputs (default: detected from the content)').choices(importFormats()))
    .addOption(evcModesOption())
    .action(async (file: string, opts: { mask?: string; hosts?: string[]; evc?: string; dryRun?: boolean; inputFormat?: string; evcModes?: string }) => {
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
        const { hosts, diagnostics } = await readTargetHosts(opts.hosts!, opts.inputFormat);
        const target = await buildTarget(hosts, { profile: profileIds()[0]!, ...(opts.evc !== undefined ? { evc: opts.evc } : {}), ...(opts.evcModes ? { evcModes: opts.evcModes } : {}) });
        const settings = vmxSettings(target);
        lines = maskLinesOf(settings.lines);
        vendor = target.vendor;
        err += diagnosticLines(diagnostics) + explainTarget(target) + diagnosticLines([...targetDiagnostics(target), ...settings.diagnostics]);
      }
      const r = applyVmxFile(file, lines, { dryRun: opts.dryRun ?? false, ...(vendor ? { vendor } : {}) });
      err += diagnosticLines(r.notes);
      if (r.diff === '') err += `${file}: already up to date, nothing to change\n`;
      else if (!r.written) err += `${file}: dry run, nothing written (${plural(r.changes.length, 'line')} would change)\n`;
      else err += `${file}: ${plural(r.changes.length, 'line')} changed; the previous version is ${r.backup}\n`;
      process.stderr.write(err);
      if (opts.dryRun) process.stdout.write(r.diff);
    });
}

function hidesOf(mask: CpuidMask): FeatureSet {
  const out = catalog.emptySet();
  for (const r of mask.list()) {
    for (let bit = 0; bit < 32; bit++) {
      const c = charAt(r.bits, bit);
      const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
      if (f && (c === '0' || c === 'R' || c === 'r')) out.add(f);
    }
  }
  return out;
}

const CHAR_WORDS: Readonly<Record<string, string>> = {
  '0': 'hides',
  R: 'hides (value must match on the destination)',
  r: 'hides (value must match on the destination)',
  '1': 'forces',
  T: 'requires',
  F: 'requires absent',
  H: 'must match on the destination',
  h: 'must match on the destination',
  x: 'marks unused',
};

/** What each register mask says, bit by bit, in words. */
function describeMaskLine(target: { leaf: number; subleaf: number; reg: 'eax' | 'ebx' | 'ecx' | 'edx' }, bits: string): string[] {
  const byWord = new Map<string, string[]>();
  for (let bit = 31; bit >= 0; bit--) {
    const c = charAt(bits, bit);
    if (c === '-') continue;
    const f = catalog.at(target.leaf, target.subleaf, target.reg, bit);
    const word = CHAR_WORDS[c]!;
    byWord.set(word, [...(byWord.get(word) ?? []), f ? `${f.name} (${f.id})` : `bit ${bit}`]);
  }
  return [...byWord].map(([word, what]) => `      ${word}: ${what.join(', ')}`);
}

/** The human output of `openevc vmx show`. */
export function renderVmxShow(cpu: VmxCpu): string {
  const out: string[] = [];
  out.push(`${cpu.file}: ${plural(cpu.maskLines.length, 'register mask')}, ${plural(cpu.featMasks.length, 'featMask line')}, ${plural(cpu.settings.length, 'other CPU setting')}`);
  if (cpu.maskLines.length > 0) {
    out.push('', 'Register masks (cpuid.<leaf>.<reg>, bit 31 first):');
    for (const m of cpu.maskLines) {
      out.push(`  line ${m.line}  ${m.key} = "${formatMaskValue(m.bits, m.style)}"  (${describeTarget(m.target)})`);
      const words = describeMaskLine(m.target, m.bits);
      out.push(...(words.length > 0 ? words : ['      says nothing (every bit -)']));
    }
  }
  if (cpu.featMasks.length > 0) {
    out.push('', 'Per-VM EVC / feature settings (featMask.vm.*):');
    for (const f of cpu.featMasks) {
      const e = f.entry;
      const what =
        e.target.kind === 'feature'
          ? `${e.target.feature.name} (${e.target.feature.id}, ${describeLocation(e.target.feature.loc)})`
          : e.target.kind === 'identity'
            ? `identity: ${e.target.field}`
            : 'not applied by openevc';
      out.push(`  line ${f.line}  ${f.key} = "${formatFeatValue(e)}"  ${what}`);
    }
  }
  if (cpu.settings.length > 0) {
    out.push('', 'Other CPU settings (not masks):');
    for (const s of cpu.settings) out.push(`  line ${s.line}  ${s.key} = "${s.value}"  ${s.meaning}${s.unconfirmed ? ' (unconfirmed)' : ''}`);
  }
  const eff = vmxEffectiveMask(cpu);
  const hidden = hidesOf(eff.mask);
  out.push('', hidden.isEmpty ? 'Hides nothing.' : `Hides ${plural(hidden.size, 'feature')}: ${[...hidden].map((f) => f.id).join(', ')}`);
  for (const c of eff.conflicts) {
    out.push(`  conflict at ${describeTarget(c)} bit ${c.bit}${c.feature ? ` (${c.feature.id})` : ''}: the register mask says ${c.a}, featMask says ${c.b}; in force: ${c.result}`);
  }
  if (cpu.diagnostics.length > 0) {
    out.push('', 'Diagnostics:');
    for (const d of cpu.diagnostics) out.push(`  ${d.level}: ${d.where?.line !== undefined ? `line ${d.where.line}: ` : ''}${d.message}`);
  }
  return `${out.join('\n')}\n`;
}
