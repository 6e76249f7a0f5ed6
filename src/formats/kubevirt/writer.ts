/**
 * KubeVirt: the CPU of a VirtualMachineInstance (`spec.domain.cpu`; in a VirtualMachine it goes
 * under `spec.template.spec.domain.cpu`): a libvirt model and features with policy `require` or
 * `disable`, in libvirt's spellings.
 *
 * A second YAML document lists the node labels that decide where such a VM may run: KubeVirt's
 * node-labeller marks each node with the models and features it can offer
 * (`cpu-model.node.kubevirt.io/<model>`, `cpu-feature.node.kubevirt.io/<feature>`), and KubeVirt
 * adds the model and every required feature as node selectors of the VM's pod, on start and on
 * migration. The list shows which nodes qualify (`kubectl get nodes -l ...`).
 */
import { libvirtVendorName } from '../../core/models.js';
import type { MigrationTarget } from '../../core/target.js';
import { describeTarget, planKvmCpu, spell } from '../common/kvm-cpu.js';
import type { ExportOptions, ExportResult, Exporter } from '../writer-types.js';

const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

/** A YAML scalar: plain when YAML reads it back as the same string, else single-quoted. */
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

function render(target: MigrationTarget, _opts: ExportOptions = {}): ExportResult {
  const plan = planKvmCpu(target, 'libvirt');
  const lines = [`# openevc: ${describeTarget(target)}`, '# A VirtualMachineInstance CPU; in a VirtualMachine it goes under spec.template.spec.domain.cpu.', 'spec:', '  domain:', '    cpu:'];
  lines.push(`      model: ${yamlScalar(plan.model.name)}`);
  const features = [...plan.require.map((f) => [f, 'require'] as const), ...plan.disable.map((f) => [f, 'disable'] as const)];
  if (features.length > 0) {
    lines.push('      features:');
    for (const [f, policy] of features) lines.push(`        - name: ${yamlScalar(spell(f, 'libvirt'))}`, `          policy: ${policy}`);
  }
  const labels = [`cpu-model.node.kubevirt.io/${plan.model.name}`, ...plan.require.map((f) => `cpu-feature.node.kubevirt.io/${spell(f, 'libvirt')}`)];
  const vendor = libvirtVendorName(plan.vendor);
  if (vendor) labels.push(`cpu-vendor.node.kubevirt.io/${vendor}`);
  lines.push(
    '---',
    '# The node labels (set by the node-labeller) of the nodes that can run this CPU; KubeVirt schedules the VM with the model and',
    '# required-feature labels as node selectors. List the nodes with: kubectl get nodes -l <label>=true,...',
    'nodeSelector:',
    ...labels.map((l) => `  ${yamlScalar(l)}: 'true'`),
  );
  return { text: `${lines.join('\n')}\n`, diagnostics: plan.diagnostics };
}

export const kubevirtExporter: Exporter = {
  format: 'kubevirt',
  description: 'KubeVirt VMI spec.domain.cpu (model, features with require/disable) and the node-selector labels that schedule it',
  defaultProfile: 'kvm',
  render,
};
