/**
 * A govc command that sets the `.vmx` lines of a target on a VM through vCenter or ESXi:
 * `govc vm.change -vm "$VM" -e 'cpuid.1.ecx=…' …` (vm.change's `-e key=value` writes
 * ExtraConfig, which is where these settings live). One command, quoted for any POSIX shell: every
 * argument in single quotes, the VM in "$VM" unless `--name` gives it.
 *
 * ESXi reads CPUID masks at power-on: the VM must be powered off when they change, and it sees
 * them after its next power-on.
 */
import type { MigrationTarget } from '../../core/target.js';
import { targetHeading } from '../common/hide.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';
import { nothingToHide, vmxSettings } from '../vmx/writer.js';

/** A word quoted for POSIX shells: single quotes, each `'` written as `'\''`. */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `cpuid.1.ecx = "…"` → `cpuid.1.ecx=…` (the key=value form govc and the vSphere API take). */
export function keyValue(line: string): { key: string; value: string } {
  const m = /^(\S+) = "([^"]*)"$/.exec(line);
  if (!m) throw new Error(`not a generated .vmx line: ${line}`);
  return { key: m[1]!, value: m[2]! };
}

function render(target: MigrationTarget, opts: ExportOptions = {}): ExportResult {
  const s = vmxSettings(target);
  if (s.lines.length === 0) return { text: nothingToHide(target, '#'), diagnostics: s.diagnostics };
  const out = [
    `# openevc: CPUID masks for ${targetHeading(target)}.`,
    '# Power the VM off first: ESXi reads these settings at power-on.',
    opts.name !== undefined ? `VM=${shQuote(opts.name)}` : `: "\${VM:?set VM to the name or inventory path of the virtual machine}"`,
    `govc vm.change -vm "$VM" \\`,
    ...s.lines.map((l, i) => {
      const { key, value } = keyValue(l);
      return `  -e ${shQuote(`${key}=${value}`)}${i < s.lines.length - 1 ? ' \\' : ''}`;
    }),
  ];
  return { text: `${out.join('\n')}\n`, diagnostics: s.diagnostics };
}

export const govcExporter: Exporter = {
  format: 'govc',
  description: 'a govc vm.change command setting the .vmx lines as ExtraConfig (POSIX shell)',
  defaultProfile: 'esxi',
  render,
};
