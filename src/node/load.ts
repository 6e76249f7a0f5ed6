/**
 * `loadInput`: what every CLI command calls to turn a path (or `-`) into CPUID dumps.
 * Reading is guarded (src/node/read.ts), parsing is the pure importer registry.
 */
import type { FormatId } from '../core/cpuid.js';
import { importIfOpenevcJson, importOpenevcJsonBytes } from '../formats/openevc-json/fast-import.js';
import { BINARY_PROBE_BYTES, decode, refuseBinary } from '../formats/common/input-text.js';
import type { InputText } from '../formats/common/input-text.js';
import type { ImportResult } from '../formats/reader-types.js';
import { MAX_INPUT_BYTES, readFileBytes, readInput, readListedFileBytes } from './read.js';
import { looksLikeXlsx, readWorkbook } from './xlsx.js';
import type { ReadOptions } from './read.js';

export interface LoadOptions extends ReadOptions {
  /** Read the input as this format instead of detecting it (the CLI's `--format`). */
  readonly format?: FormatId | string;
  /** Read damaged input anyway, with warnings (the CLI's `--lenient`). */
  readonly lenient?: boolean;
}

/**
 * What host files are read into, one at a time: every use of its bytes below is synchronous (text is
 * decoded, leaves copied) up to the first `await`, before which the workbook path takes a copy.
 */
const scratch = new Uint8Array(256 * 1024);

/**
 * `loadInput` for the common case of a fleet, without waiting: a regular file of openevc JSON in
 * the layout openevc writes is read and imported at once; undefined for anything else (then call
 * `loadInput`, which reads the file again). Throws what `loadInput` rejects with for a file it
 * cannot read. `listed`: a directory walk listed the path as a regular file.
 */
export function loadOpenevcJsonNow(path: string, options: LoadOptions & { readonly listed?: boolean } = {}): ImportResult | undefined {
  if (path === '-' || (options.format !== undefined && options.format !== 'openevc-json')) return undefined;
  // A file a walk listed as regular is read without a stat first (anything odd: with every check).
  const listed = options.listed === true && (options.maxBytes ?? MAX_INPUT_BYTES) >= scratch.length ? readListedFileBytes(path, scratch) : undefined;
  // A bigger file is no host file openevc writes: loadInput reads it once.
  const bytes = listed ?? readFileBytes(path, options.maxBytes ?? MAX_INPUT_BYTES, scratch, true);
  if (bytes === undefined) return undefined;
  return importOpenevcJsonBytes(bytes, { file: path, ...(options.format !== undefined ? { format: options.format } : {}), ...(options.lenient ? { lenient: true } : {}) });
}

/** Reads and imports one input. Bad input rejects with an InputError naming file and line. */
export async function loadInput(path: string, options: LoadOptions = {}): Promise<ImportResult> {
  let input: InputText;
  // A regular file is read once, as bytes (standard input and pipes are read as streams).
  const bytes = path === '-' ? undefined : readFileBytes(path, options.maxBytes ?? MAX_INPUT_BYTES, scratch);
  if (bytes !== undefined) {
    // A spreadsheet (RVTools .xlsx) is binary: it goes to the workbook reader instead of the text guards.
    if (looksLikeXlsx(bytes.subarray(0, 4))) {
      const own = bytes.slice();
      const { importWorkbook } = await import('../formats/readers.js');
      return importWorkbook(await readWorkbook(own, path), { file: path, format: options.format });
    }
    // openevc JSON in the layout openevc writes: its leaves scanned from the bytes, no text made of them.
    const fast = importOpenevcJsonBytes(bytes, { file: path, ...(options.format !== undefined ? { format: options.format } : {}), ...(options.lenient ? { lenient: true } : {}) });
    if (fast) return fast;
    refuseBinary(bytes.subarray(0, BINARY_PROBE_BYTES), path);
    input = decode(bytes, path);
  } else input = await readInput(path, options);
  // openevc JSON needs only its own reader; every other format loads the registry (and the XML parser) on demand.
  const opts = { file: input.file, format: options.format, ...(options.lenient ? { lenient: true } : {}) };
  const result = importIfOpenevcJson(input.text, opts) ?? (await import('../formats/readers.js')).importText(input.text, opts);
  if (input.diagnostics.length === 0) return result;
  return { ...result, diagnostics: [...input.diagnostics, ...result.diagnostics] };
}
