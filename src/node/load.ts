/**
 * `loadInput`: what every CLI command calls to turn a path (or `-`) into CPUID dumps.
 * Reading is guarded (src/node/read.ts), parsing is the pure importer registry.
 */
import type { FormatId } from '../core/cpuid.js';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { importIfOpenevcJson } from '../formats/openevc-json/fast-import.js';
import type { ImportResult } from '../formats/reader-types.js';
import { MAX_INPUT_BYTES, readInput } from './read.js';
import { looksLikeXlsx, readWorkbook } from './xlsx.js';
import type { ReadOptions } from './read.js';

export interface LoadOptions extends ReadOptions {
  /** Read the input as this format instead of detecting it (the CLI's `--format`). */
  readonly format?: FormatId | string;
  /** Read damaged input anyway, with warnings (the CLI's `--lenient`). */
  readonly lenient?: boolean;
}

/** Reads and imports one input. Bad input rejects with an InputError naming file and line. */
export async function loadInput(path: string, options: LoadOptions = {}): Promise<ImportResult> {
  // A spreadsheet (RVTools .xlsx) is binary: it goes to the workbook reader instead of the text guards.
  if (path !== '-' && startsLikeXlsx(path)) {
    const bytes = readFileSync(path);
    if (bytes.length <= (options.maxBytes ?? MAX_INPUT_BYTES)) {
      const { importWorkbook } = await import('../formats/readers.js');
      return importWorkbook(await readWorkbook(bytes, path), { file: path, format: options.format });
    }
  }
  const input = await readInput(path, options);
  // openevc JSON needs only its own reader; every other format loads the registry (and the XML parser) on demand.
  const opts = { file: input.file, format: options.format, ...(options.lenient ? { lenient: true } : {}) };
  const result = importIfOpenevcJson(input.text, opts) ?? (await import('../formats/readers.js')).importText(input.text, opts);
  if (input.diagnostics.length === 0) return result;
  return { ...result, diagnostics: [...input.diagnostics, ...result.diagnostics] };
}

function startsLikeXlsx(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && looksLikeXlsx(head);
  } catch {
    return false; // readInput reports missing or unreadable files
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
