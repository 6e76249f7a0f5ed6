/**
 * What every exporter provides. Exporters are pure: a migration target in (src/core/target.ts),
 * text out, so they run in the browser too. One file per output format, each with golden tests.
 */
import type { Diagnostic } from '../core/errors.js';
import type { MigrationTarget } from '../core/target.js';

import type { ProfileId } from '../data/profiles.js';
import type { WriterId } from './registry.js';

/** Ids of the output formats (the registry's, src/formats/registry.ts). */
export type ExportFormat = WriterId;

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
  readonly defaultProfile: ProfileId;
  render(target: MigrationTarget, opts?: ExportOptions): ExportResult;
}
