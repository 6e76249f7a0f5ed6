/**
 * Host-form libvirt `<cpu>` elements for `virsh cpu-baseline`: the way to ask a real libvirt what it
 * makes of CPUs openevc has read (a second opinion on openevc's own baseline).
 *
 * virsh reads CPUs only in host form (`<model>`, `<vendor>`, plain `<feature name>`), not CPUID, so
 * every feature of a CPU is written by its libvirt name. The model is a placeholder every x86 CPU
 * has: libvirt keeps the model when all inputs name the same one, so the first CPU names `486` and
 * the others `pentium` (both subsets of anything), and a single CPU is written twice. Features the
 * target libvirt does not know (its cpu_map is older than openevc's) must be left out or virsh
 * refuses the file: pass the names it knows.
 */
import type { Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import type { Host } from '../../core/host.js';
import { libvirtVendorName } from '../../core/models.js';

/** A CPU to write: its features (every catalog bit it has) and vendor. */
export interface HostCpuXmlInput {
  readonly features: FeatureSet | Iterable<Feature>;
  readonly vendor?: Vendor | undefined;
}

export interface HostCpuXmlOptions {
  /** libvirt feature names the target virsh knows (its cpu_map/x86_features.xml); default: every libvirt name openevc has. */
  readonly knownNames?: ReadonlySet<string>;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

function cpuElement(cpu: HostCpuXmlInput, model: string, opts: HostCpuXmlOptions): string {
  const lines = ['<cpu>', '  <arch>x86_64</arch>', `  <model>${model}</model>`];
  const vendor = libvirtVendorName(cpu.vendor);
  if (vendor) lines.push(`  <vendor>${vendor}</vendor>`);
  for (const f of cpu.features) {
    if (typeof f.libvirt !== 'string' || (opts.knownNames && !opts.knownNames.has(f.libvirt))) continue;
    lines.push(`  <feature name='${escapeXml(f.libvirt)}'/>`);
  }
  lines.push('</cpu>');
  return lines.join('\n');
}

/**
 * One document of host-form `<cpu>` elements, one per CPU (a single CPU twice), for
 * `virsh -c test:///default cpu-baseline FILE`. A `Host` contributes every catalog bit its dump has.
 */
export function toVirshHostCpuXml(cpus: readonly (Host | HostCpuXmlInput)[], opts: HostCpuXmlOptions = {}): string {
  const inputs: HostCpuXmlInput[] = cpus.map((c) => ('dump' in c ? { features: c.bits, vendor: c.id.vendor } : c));
  if (inputs.length === 1) inputs.push(inputs[0]!);
  return `${inputs.map((c, i) => cpuElement(c, i === 0 ? '486' : 'pentium', opts)).join('\n')}\n`;
}
