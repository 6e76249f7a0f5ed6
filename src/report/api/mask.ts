/** `openevc mask` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import type { Diagnostic } from '../../core/errors.js';
import type { MigrationTarget } from '../../core/target.js';
import { exporterFor } from '../../formats/writers.js';
import type { ExportResult } from '../../formats/writers.js';
import { targetDiagnostics } from '../../formats/common/hide.js';
import { explainTarget } from '../mask.js';
import { diagnosticLines } from '../text.js';
import { hostNamed } from './hosts.js';
import type { HostArg } from './hosts.js';
import { migrationTarget } from './target.js';
import type { TargetChoice } from './target.js';


export interface MaskOptions extends Partial<TargetChoice> {
  /** Output format (`vmx`, `featmask`, `vsphere-evc`, `govc`, `powercli`, `qemu`, `libvirt`, `proxmox`, `nova`, `kubevirt`, `xen`, `json`…); default vmx. */
  readonly format?: string;
  /** Name of the VM (govc, PowerCLI) or of the CPU model the format defines. */
  readonly name?: string;
}

export interface MaskReport {
  /** The configuration: exactly what `openevc mask` writes on standard output. */
  readonly text: string;
  /** What `openevc mask` writes on standard error about the target: what each host loses, then the diagnostics. */
  readonly notes: string;
  /** The target's and the writer's diagnostics (hides hardware does not enforce, lossy inputs…). */
  readonly diagnostics: readonly Diagnostic[];
  readonly target: MigrationTarget;
  readonly output: ExportResult;
}

/**
 * `openevc mask`: the configuration that lets VMs live-migrate between these hosts, in `format`.
 * Decoded inputs are named by their files (as the CLI names them by path).
 */
export function maskReport(hosts: readonly HostArg[], opts: MaskOptions = {}): MaskReport {
  const format = opts.format ?? 'vmx';
  const exporter = exporterFor(format);
  const target = migrationTarget(
    hosts.map((h) => ('decoded' in h ? hostNamed(h) : h)),
    { ...opts, profile: opts.profile ?? exporter.defaultProfile },
  );
  const output = exporter.render(target, opts.name !== undefined ? { name: opts.name } : {});
  const diagnostics = [...targetDiagnostics(target), ...output.diagnostics];
  const notes = (format !== 'json' ? explainTarget(target) : '') + diagnosticLines(diagnostics);
  return { text: output.text, notes, diagnostics, target, output };
}
