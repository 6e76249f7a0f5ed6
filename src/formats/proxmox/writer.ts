/**
 * Proxmox VE: a custom CPU model for `/etc/pve/virtual-guest/cpu-models.conf` (cluster-wide),
 * and the line that gives it to a VM (`cpu: custom-NAME` in `/etc/pve/qemu-server/<vmid>.conf`).
 *
 * A custom model is needed: on Proxmox's built-in CPU types a VM may toggle only a short
 * whitelist of flags (aes, pcid, spec-ctrl, md-clear...), while a custom model may set any QEMU
 * flag. Flags are QEMU's spellings, `+on;-off`. `reported-model` is the QEMU model the custom one
 * is built on; Proxmox accepts only names from its own list, which has every unversioned model
 * and alias (`Haswell-noTSX`), so that is what is written (kvm-cpu.ts makes every feature on
 * which QEMU versions differ explicit). The whole output is valid cpu-models.conf content: the
 * VM line is given as a comment.
 */
import { UsageError } from '../../core/errors.js';
import type { MigrationTarget } from '../../core/target.js';
import { describeTarget, planKvmCpu, spell } from '../common/kvm-cpu.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

/** The custom model's name when none is given. */
export const DEFAULT_PROXMOX_MODEL = 'openevc';

/** Proxmox section ids: no whitespace; kept to the characters its own model names use. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function render(target: MigrationTarget, opts: ExportOptions = {}): ExportResult {
  const name = opts.name ?? DEFAULT_PROXMOX_MODEL;
  if (!NAME.test(name)) throw new UsageError(`a Proxmox CPU model name must be letters, digits, '.', '_' or '-' (starting with a letter or digit), not '${name}'`);
  const plan = planKvmCpu(target, 'qemu');
  const flags = [...plan.require.map((f) => `+${spell(f, 'qemu')}`), ...plan.disable.map((f) => `-${spell(f, 'qemu')}`)];
  const lines = [`# openevc: ${describeTarget(target)}`, `cpu-model: ${name}`];
  if (flags.length > 0) lines.push(`\tflags ${flags.join(';')}`);
  lines.push(`\treported-model ${plan.model.name}`, '', `# In each VM's /etc/pve/qemu-server/<vmid>.conf:`, `#   cpu: custom-${name}`);
  return { text: `${lines.join('\n')}\n`, diagnostics: plan.diagnostics };
}

export const proxmoxExporter: Exporter = {
  format: 'proxmox',
  description: 'Proxmox VE custom CPU model (cpu-models.conf section with flags and reported-model) and the VM line cpu: custom-NAME',
  defaultProfile: 'kvm',
  render,
};
