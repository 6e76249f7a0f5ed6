/**
 * PowerCLI lines that set the `.vmx` lines of a target as advanced settings of `$vm`:
 * `New-AdvancedSetting -Entity $vm -Name 'cpuid.1.ecx' -Value '…' -Confirm:$false -Force`
 * (`-Force` replaces a setting that exists). Every string is single-quoted, in which PowerShell
 * expands nothing; a quote inside is doubled — and PowerShell takes the typographic single quotes
 * ‘ ’ ‚ ‛ for quotes too, so those are doubled as well.
 *
 * ESXi reads CPUID masks at power-on: the VM must be powered off when they change.
 */
import type { MigrationTarget } from '../../core/target.js';
import { targetHeading } from '../common/hide.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';
import { keyValue } from '../govc/writer.js';
import { nothingToHide, vmxSettings } from '../vmx/writer.js';

/** Characters PowerShell reads as a single quote (the ASCII one and four typographic ones). */
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** A PowerShell single-quoted string literal: nothing inside is expanded, quotes are doubled. */
export function psQuote(text: string): string {
  return `'${text.replace(PS_SINGLE_QUOTES, (q) => q + q)}'`;
}

function render(target: MigrationTarget, opts: ExportOptions = {}): ExportResult {
  const s = vmxSettings(target);
  if (s.lines.length === 0) return { text: nothingToHide(target, '#'), diagnostics: s.diagnostics };
  const out = [
    `# openevc: CPUID masks for ${targetHeading(target)}.`,
    '# The VM must be powered off: ESXi reads these settings at power-on.',
    ...(opts.name !== undefined
      ? [`$vm = Get-VM -Name ${psQuote(opts.name)}`]
      : ['# $vm must hold the virtual machine, e.g. $vm = Get-VM -Name \'app-01\'', "if (-not $vm) { throw 'set $vm to the virtual machine first (Get-VM)' }"]),
    ...s.lines.map((l) => {
      const { key, value } = keyValue(l);
      return `New-AdvancedSetting -Entity $vm -Name ${psQuote(key)} -Value ${psQuote(value)} -Confirm:$false -Force`;
    }),
  ];
  return { text: `${out.join('\n')}\n`, diagnostics: s.diagnostics };
}

export const powercliExporter: Exporter = {
  format: 'powercli',
  description: 'PowerCLI New-AdvancedSetting lines setting the .vmx lines on $vm',
  defaultProfile: 'esxi',
  render,
};
