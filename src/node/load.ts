/**
 * `loadInput`: what every CLI command calls to turn a path (or `-`) into CPUID dumps.
 * Reading is guarded (src/node/read.ts), parsing is the pure importer registry.
 */
import type { FormatId } from '../core/cpuid.js';
import { importText } from '../formats/readers.js';
import type { ImportResult } from '../formats/reader-types.js';
import { readInput } from './read.js';
import type { ReadOptions } from './read.js';

export interface LoadOptions extends ReadOptions {
  /** Read the input as this format instead of detecting it (the CLI's `--format`). */
  readonly format?: FormatId | string;
  /** Read damaged input anyway, with warnings (the CLI's `--lenient`). */
  readonly lenient?: boolean;
}

/** Reads and imports one input. Bad input rejects with an InputError naming file and line. */
export async function loadInput(path: string, options: LoadOptions = {}): Promise<ImportResult> {
  const input = await readInput(path, options);
  const result = importText(input.text, { file: input.file, format: options.format, ...(options.lenient ? { lenient: true } : {}) });
  if (input.diagnostics.length === 0) return result;
  return { ...result, diagnostics: [...input.diagnostics, ...result.diagnostics] };
}
