/**
 * OpenStack Nova: the `[libvirt]` section of nova.conf on every compute node of the migration
 * domain. `cpu_mode = custom` with one model in `cpu_models` and the feature changes in
 * `cpu_model_extra_flags` (libvirt spellings; a leading `-` disables).
 *
 * Only one model is listed, deliberately: Nova applies the same extra flags to whichever listed
 * model it picks for an instance, and a fallback model plus these flags would be a different CPU
 * from the target, so instances started on it would not match their peers.
 */
import type { MigrationTarget } from '../../core/target.js';
import { describeTarget, planKvmCpu, spell } from '../common/kvm-cpu.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

function render(target: MigrationTarget, _opts: ExportOptions = {}): ExportResult {
  const plan = planKvmCpu(target, 'libvirt');
  const flags = [...plan.require.map((f) => spell(f, 'libvirt')), ...plan.disable.map((f) => `-${spell(f, 'libvirt')}`)];
  const lines = [`# openevc: ${describeTarget(target)}`, '[libvirt]', 'cpu_mode = custom', `cpu_models = ${plan.model.name}`];
  if (flags.length > 0) lines.push(`cpu_model_extra_flags = ${flags.join(', ')}`);
  return { text: `${lines.join('\n')}\n`, diagnostics: plan.diagnostics };
}

export const novaExporter: Exporter = {
  format: 'nova',
  description: 'OpenStack Nova nova.conf [libvirt]: cpu_mode = custom, cpu_models, cpu_model_extra_flags',
  defaultProfile: 'kvm',
  render,
};
