/**
 * libvirt: the `<cpu>` element of a domain. `mode='custom' match='exact'` asks for exactly the
 * model plus the listed features; `<model fallback='forbid'>` stops libvirt from substituting
 * another model where this one is unknown; `check='partial'` makes libvirt verify, when the
 * domain starts, that the hypervisor gives every required feature (so a host that cannot run the
 * CPU refuses the VM instead of running it with less). Names are libvirt's. The model is the
 * unversioned name libvirt writes for guests (what libvirt 9.0 also knows); the features that
 * QEMU's definition of it adds beyond libvirt's are disabled explicitly (kvm-cpu.ts).
 */
import { libvirtVendorName } from '../../core/models.js';
import type { MigrationTarget } from '../../core/target.js';
import { planKvmCpu, spell } from '../common/kvm-cpu.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

function render(target: MigrationTarget, _opts: ExportOptions = {}): ExportResult {
  const plan = planKvmCpu(target, 'libvirt');
  const lines = ["<cpu mode='custom' match='exact' check='partial'>", `  <model fallback='forbid'>${escapeXml(plan.model.name)}</model>`];
  const vendor = libvirtVendorName(plan.vendor);
  if (vendor) lines.push(`  <vendor>${vendor}</vendor>`);
  for (const f of plan.require) lines.push(`  <feature policy='require' name='${escapeXml(spell(f, 'libvirt'))}'/>`);
  for (const f of plan.disable) lines.push(`  <feature policy='disable' name='${escapeXml(spell(f, 'libvirt'))}'/>`);
  lines.push('</cpu>');
  return { text: `${lines.join('\n')}\n`, diagnostics: plan.diagnostics };
}

export const libvirtExporter: Exporter = {
  format: 'libvirt',
  description: "libvirt domain <cpu mode='custom'>: model (fallback forbidden), vendor, required and disabled features",
  defaultProfile: 'kvm',
  render,
};
