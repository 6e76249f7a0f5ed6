/**
 * The exporter registry: every output format `openevc mask --format` writes.
 * Adding a format = writing its exporter file and adding one line to {@link EXPORTERS}.
 */
import { UsageError } from '../core/errors.js';
import { kubevirtExporter } from './kubevirt.js';
import { libvirtExporter } from './libvirt.js';
import { novaExporter } from './nova.js';
import { proxmoxExporter } from './proxmox.js';
import { qemuExporter } from './qemu.js';
import type { Exporter } from './types.js';
import { featMaskExporter } from './featmask.js';
import { govcExporter } from './govc.js';
import { jsonExporter } from './json.js';
import { powercliExporter } from './powercli.js';
import { vmxExporter } from './vmx.js';
import { xenExporter } from './xen.js';
import { vsphereEvcExporter } from '../formats/vsphere-evc/writer.js';

export type { ExportFormat, ExportOptions, ExportResult, Exporter } from './types.js';
export { EXPORT_FORMATS } from './types.js';

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
