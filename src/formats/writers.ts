/**
 * The exporter registry: every output format `openevc mask --format` writes.
 * Adding a format = writing its exporter file and adding one line to {@link EXPORTERS}.
 */
import { UsageError } from '../core/errors.js';
import { kubevirtExporter } from './kubevirt/writer.js';
import { libvirtExporter } from './libvirt/writer.js';
import { novaExporter } from './nova/writer.js';
import { proxmoxExporter } from './proxmox/writer.js';
import { qemuExporter } from './qemu/writer.js';
import type { Exporter } from './writer-types.js';
import { featMaskExporter } from './featmask/writer.js';
import { govcExporter } from './govc/writer.js';
import { jsonExporter } from './json/writer.js';
import { powercliExporter } from './powercli/writer.js';
import { vmxExporter } from './vmx/writer.js';
import { xenExporter } from './xen/writer.js';
import { vsphereEvcExporter } from './vsphere-evc/writer.js';

export type { ExportFormat, ExportOptions, ExportResult, Exporter } from './writer-types.js';
export { EXPORT_FORMATS } from './writer-types.js';

/** Every exporter, in the order `--format` help lists them. */
export const EXPORTERS: readonly Exporter[] = [
  vmxExporter,
  featMaskExporter,
  govcExporter,
  powercliExporter,
  qemuExporter,
  libvirtExporter,
  proxmoxExporter,
  novaExporter,
  kubevirtExporter,
  xenExporter,
  jsonExporter,
  vsphereEvcExporter,
];

export function exporterFor(format: string): Exporter {
  const e = EXPORTERS.find((x) => x.format === format);
  if (!e) throw new UsageError(`unknown output format "${format}": expected one of ${EXPORTERS.map((x) => x.format).join(', ')}`);
  return e;
}
