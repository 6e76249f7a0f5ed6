/**
 * QEMU `-cpu`: an explicitly versioned model and `+feature`/`-feature` in QEMU's spellings.
 *
 * The versioned name (`Haswell-v2`, not `Haswell-noTSX` or `Haswell`) is used because QEMU
 * resolves an unversioned name through the machine type, so the same command line can mean a
 * different CPU on another QEMU or machine; `-vN` names one definition for good. `enforce` makes
 * QEMU refuse to start where the host (or accelerator) cannot give every requested feature,
 * instead of silently starting a guest with less, which would then not match its peers.
 * How the model and features are chosen: kvm-cpu.ts.
 */
import type { MigrationTarget } from '../../core/target.js';
import { planKvmCpu, spell } from '../common/kvm-cpu.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

function render(target: MigrationTarget, _opts: ExportOptions = {}): ExportResult {
  const plan = planKvmCpu(target, 'qemu');
  const parts = [plan.versionedName, ...plan.require.map((f) => `+${spell(f, 'qemu')}`), ...plan.disable.map((f) => `-${spell(f, 'qemu')}`), 'enforce'];
  return { text: `-cpu ${parts.join(',')}\n`, diagnostics: plan.diagnostics };
}

export const qemuExporter: Exporter = {
  format: 'qemu',
  description: 'QEMU -cpu option: a versioned CPU model with +feature/-feature, and enforce',
  defaultProfile: 'kvm',
  render,
};
