/**
 * What every importer provides. Importers are pure: text in, dumps out, no I/O, so they
 * run in the browser too. Reading files (with size and binary guards) lives in src/node.
 */
import type { CpuidDump, FormatId } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';

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
}
