/**
 * Bytes to text, with the guards every input passes before an importer sees it: a size limit,
 * binary data refused (NUL bytes, mostly control characters), UTF-8 with a Latin-1 fallback,
 * UTF-16 with a byte-order mark. Pure: the CLI (src/node/read.ts) and the browser dashboard
 * (files dropped on the page) share it.
 */
import { InputError, NotADumpError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';

/** Largest input accepted: the largest real dump (EPYC 9654 2P, 384 logical CPUs) is 2.6 MB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** How much of the input is examined for binary content before the rest is read. */
export const BINARY_PROBE_BYTES = 64 * 1024;
/** Share of control characters above which text is taken for binary data. */
const CONTROL_SHARE = 0.1;

export type TextEncoding = 'utf-8' | 'latin1' | 'utf-16le' | 'utf-16be';

export interface InputText {
  /** The decoded text, without byte-order mark. */
  readonly text: string;
  /** The path as given, or `-` for standard input: what messages name. */
  readonly file: string;
  readonly bytes: number;
  readonly encoding: TextEncoding;
  /** Notes about the reading itself (encoding fallback). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether a byte is a control character that does not occur in text files (tab, newlines, form feed and escape do). */
function isBinaryControl(b: number): boolean {
  return b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f;
}

/** A byte that {@link isBinaryControl} counts, or NUL; tested natively first (text files have none). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SUSPECT = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/;
const LATIN1 = new TextDecoder('latin1');

/** Throws when the sample looks like binary data: a NUL byte, or mostly control characters. */
export function refuseBinary(sample: Uint8Array, file: string): void {
  if (utf16Bom(sample)) return;
  // Fast path for the common case (a regex runs as native code even on a cold start).
  if (!SUSPECT.test(LATIN1.decode(sample))) return;
  let first = -1;
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) {
      throw new NotADumpError({ file, line: lineAt(sample, i) }, `text, not binary data (a NUL byte at offset ${i}; compressed or binary dumps must be unpacked first)`);
    }
    if (isBinaryControl(b)) {
      controls++;
      if (first < 0) first = i;
    }
  }
  if (controls > sample.length * CONTROL_SHARE) {
    throw new NotADumpError({ file, line: lineAt(sample, first) }, `text, not binary data (${controls} control bytes in the first ${sample.length})`);
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function utf16Bom(b: Uint8Array): TextEncoding | undefined {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return undefined;
}

export function decode(bytes: Uint8Array, file: string): InputText {
  const utf16 = utf16Bom(bytes);
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), file, bytes: bytes.length, encoding: utf16, diagnostics: [] };
  try {
    // TextDecoder drops a UTF-8 byte-order mark by default.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text, file, bytes: bytes.length, encoding: 'utf-8', diagnostics: [] };
  } catch {
    const text = new TextDecoder('latin1').decode(bytes);
    return {
      text,
      file,
      bytes: bytes.length,
      encoding: 'latin1',
      diagnostics: [{ level: 'info', message: 'the input is not valid UTF-8; it was read as Latin-1 (Windows-1252)', where: { file } }],
    };
  }
}

/** `64 MiB`, `2.0 GiB`, `512 bytes`. */
export function formatSize(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (n < 1024) return `${n} bytes`;
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * The text of an input held in memory (a file dropped on a page, a request body): refused when
 * larger than `maxBytes` or binary, decoded as {@link decode} does. `file` names it in messages.
 */
export function textFromBytes(bytes: Uint8Array, file: string, maxBytes: number = MAX_INPUT_BYTES): InputText {
  if (bytes.length > maxBytes) {
    throw new InputError({ file }, `a CPUID dump of at most ${formatSize(maxBytes)} (real dumps are a few MB), not ${formatSize(bytes.length)}`);
  }
  refuseBinary(bytes.subarray(0, BINARY_PROBE_BYTES), file);
  return decode(bytes, file);
}
