/**
 * What every importer provides. Importers are pure: text in, dumps out, no I/O, so they
 * run in the browser too. Reading files (with size and binary guards) lives in src/node.
 */
import type { CpuidDump, FormatId } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';
import type { EvcMode } from '../core/evc.js';

export interface ImportContext {
  /** Path or label used in error messages (`-` for standard input). */
  readonly file: string;
  /**
   * Skip lines that look like CPUID records but do not parse, with a warning that the answer rests
   * on damaged input, instead of refusing the input (the CLI's `--lenient`).
   */
  readonly lenient?: boolean;
}

export interface ImportResult {
  readonly format: FormatId;
  /**
   * The dump openevc works with: the first logical CPU of a multi-CPU dump, the host view
   * of a vmware.log.
   */
  readonly dump: CpuidDump;
  /** Every logical CPU's dump, in file order (length 1 for single-CPU inputs). */
  readonly cpus: readonly CpuidDump[];
  /** vmware.log only: what the guest was shown (`guestCPUID` lines), kept apart from the host view. */
  readonly guest?: CpuidDump;
  /** Observations that are not errors: CPUs that disagree on features, lossy input, skipped lines. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Fleet exports (govc, PowerCLI, RVTools, kubectl node lists): every host, cluster and VM the
   * input holds. `dump` and `cpus` then are the first host's (empty when the input holds no host).
   */
  readonly fleet?: Fleet;
}

/** One host of a fleet export. */
export interface FleetHost {
  /** The host's name (inventory name, node name), or a label made from the file and position. */
  readonly name: string;
  /** The inventory reference when the input has one (`HostSystem:host-21`), to tie VMs to hosts. */
  readonly ref?: string;
  readonly cluster?: string;
  /** The host's CPUID, rebuilt as far as the input allows; its source says its fidelity. */
  readonly dump: CpuidDump;
  /** EVC keys the input states (vCenter's own judgement, kept as given). */
  readonly maxEvcModeKey?: string;
  readonly currentEvcModeKey?: string;
}

export interface FleetCluster {
  readonly name: string;
  readonly ref?: string;
  /** Unset: EVC is off on the cluster. */
  readonly currentEvcModeKey?: string;
}

export interface FleetVm {
  readonly name: string;
  readonly ref?: string;
  /** The host's name or reference, as the input gives it. */
  readonly host?: string;
  /** `poweredOn`, `poweredOff`, `suspended` (vSphere's spelling). */
  readonly powerState?: string;
  readonly minRequiredEvcModeKey?: string;
  /** Catalog ids of the CPU features the VM requires (vSphere `runtime.featureRequirement`). */
  readonly requires?: readonly string[];
  /** Catalog ids of features the VM's own mask hides or sets (`runtime.featureMask`). */
  readonly masked?: readonly string[];
}

/** What a fleet export holds. */
export interface Fleet {
  readonly hosts: readonly FleetHost[];
  readonly clusters: readonly FleetCluster[];
  readonly vms: readonly FleetVm[];
  /** EVC mode definitions the input holds (vCenter supportedEVCMode): they replace built-in modes by key. */
  readonly evcModes?: readonly EvcMode[];
}

/** A spreadsheet read into text cells (the Node edge reads .xlsx files; importers stay pure). */
export interface Workbook {
  readonly sheets: readonly { readonly name: string; readonly rows: readonly (readonly string[])[] }[];
}

export interface Importer {
  readonly format: FormatId;
  /** One-line description for `--help` and documentation. */
  readonly description: string;
  /**
   * How sure this importer is that the text is its format, from 0 (not mine) to 1 (certainly
   * mine). Looks only at the start of the text; must be fast and must never throw.
   */
  sniff(head: string): number;
  /** Parses the whole text. Bad input throws InputError naming file, line and what was expected. */
  parse(text: string, ctx: ImportContext): ImportResult;
  /** For formats that also come as spreadsheets (RVTools .xlsx): reads the workbook's sheets. */
  parseWorkbook?(book: Workbook, ctx: ImportContext): ImportResult;
}
