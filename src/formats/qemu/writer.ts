/**
 * QEMU `-cpu`: the model and `+feature`/`-feature` in QEMU's spellings.
 *
 * The model is written as users type it and as every other openevc output spells it
 * (`Haswell-noTSX`, the name libvirt, Proxmox, Nova and KubeVirt use); the definition QEMU resolves
 * it to (`Haswell-v2`) is named on standard error, and `-cpu Haswell-v2` pins it where a machine
 * type could resolve an unversioned name differently. `enforce` makes
 * QEMU refuse to start where the host (or accelerator) cannot give every requested feature,
 * instead of silently starting a guest with less, which would then not match its peers.
 * How the model and features are chosen: kvm-cpu.ts.
 */
import type { MigrationTarget } from '../../core/target.js';
import { planKvmCpu, spell } from '../common/kvm-cpu.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

function render(target: MigrationTarget, _opts: ExportOptions = {}): ExportResult {
  const plan = planKvmCpu(target, 'qemu');
  const parts = [plan.model.name, ...plan.require.map((f) => `+${spell(f, 'qemu')}`), ...plan.disable.map((f) => `-${spell(f, 'qemu')}`), 'enforce'];
  const resolved =
    plan.versionedName !== plan.model.name
      ? [{ level: 'info' as const, message: `model ${plan.model.name} is QEMU's ${plan.versionedName}; write -cpu ${plan.versionedName} to pin that definition whatever the machine type` }]
      : [];
  return { text: `-cpu ${parts.join(',')}\n`, diagnostics: [...resolved, ...plan.diagnostics] };
}

export const qemuExporter: Exporter = {
  format: 'qemu',
  description: 'QEMU -cpu option: a CPU model with +feature/-feature, and enforce',
  defaultProfile: 'kvm',
  render,
};
