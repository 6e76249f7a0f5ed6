/**
 * `loadInput`: what every CLI command calls to turn a path (or `-`) into CPUID dumps.
 * Reading is guarded (src/node/read.ts), parsing is the pure importer registry.
 */
import type { FormatId } from '../core/cpuid.js';
import { importIfOpenevcJson } from '../formats/openevc-json/fast-import.js';
import type { ImportResult } from '../formats/reader-types.js';
import { readInput } from './read.js';
import type { ReadOptions } from './read.js';

export interface LoadOptions extends ReadOptions {
  /** Read the input as this format instead of detecting it (the CLI's `--format`). */
  readonly format?: FormatId | string;
}

/** Reads and imports one input. Bad input rejects with an InputError naming file and line. */
export async function loadInput(path: string, options: LoadOptions = {}): Promise<ImportResult> {
  const input = await readInput(path, options);
  // openevc JSON needs only its own reader; every other format loads the registry (and the XML parser) on demand.
  const result =
    importIfOpenevcJson(input.text, { file: input.file, format: options.format }) ??
    (await import('../formats/readers.js')).importText(input.text, { file: input.file, format: options.format });
  if (input.diagnostics.length === 0) return result;
  return { ...result, diagnostics: [...input.diagnostics, ...result.diagnostics] };
}
