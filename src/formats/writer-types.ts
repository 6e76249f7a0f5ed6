/**
 * What every exporter provides. Exporters are pure: a migration target in (src/core/target.ts),
 * text out, so they run in the browser too. One file per output format, each with golden tests.
 */
import type { Diagnostic } from '../core/errors.js';
import type { MigrationTarget } from '../core/target.js';

export const EXPORT_FORMATS = ['vmx', 'featmask', 'govc', 'powercli', 'qemu', 'libvirt', 'proxmox', 'nova', 'kubevirt', 'xen', 'json', 'vsphere-evc'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** A name for what is generated: the custom CPU model (Proxmox, Nova), the VM (govc, PowerCLI). */
  readonly name?: string;
}

export interface ExportResult {
  /** The configuration, ready to paste or save. Ends with a newline. */
  readonly text: string;
  /** Things the user must know (features the format cannot express, unconfirmed key names...). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Exporter {
  readonly format: ExportFormat;
  /** One line for `--help` and the README. */
  readonly description: string;
  /** The hypervisor view targets for this format are computed through unless the user picks another. */
  readonly defaultProfile: 'esxi' | 'kvm' | 'raw';
  render(target: MigrationTarget, opts?: ExportOptions): ExportResult;
}
