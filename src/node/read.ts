/**
 * Reading an input file (or standard input) safely, before any importer sees it.
 *
 * People point openevc at the wrong thing: a directory, a disk image, a compressed dump, a
 * multi-gigabyte log. Each is refused quickly with an InputError (exit code 2): the size is
 * checked with `stat` before a byte is read, reading stops as soon as the first 64 KiB show
 * binary data or the total passes the limit, so neither a 2 GB file nor an endless pipe is
 * ever held in memory.
 *
 * Text is decoded as UTF-8 (byte-order mark dropped). Dumps saved on Windows may carry
 * Latin-1 bytes in brand strings or comments, so text that is not valid UTF-8 is read as
 * Latin-1 (Windows-1252) with a note; UTF-16 with a byte-order mark (PowerShell's `>`) is
 * decoded as such.
 */
import { closeSync, constants, createReadStream, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { InputError } from '../core/errors.js';
import { BINARY_PROBE_BYTES, MAX_INPUT_BYTES, decode, formatSize, refuseBinary } from '../formats/common/input-text.js';
import type { InputText } from '../formats/common/input-text.js';

export { BINARY_PROBE_BYTES, MAX_INPUT_BYTES, formatSize } from '../formats/common/input-text.js';
export type { InputText, TextEncoding } from '../formats/common/input-text.js';
/** Paths of pipes a shell opened for the process (`<(…)` process substitution): they have a writer. */
const PROCESS_SUBSTITUTION = /^\/(?:dev\/fd|proc\/self\/fd)\/\d+$/;

/** What readInput reads from when given `-`; tests pass their own streams. */
export type InputStream = AsyncIterable<Uint8Array | string> & { readonly isTTY?: boolean; destroy?: () => void };

export interface ReadOptions {
  /** Standard input (defaults to process.stdin). */
  readonly stdin?: InputStream;
  /** Size limit in bytes (defaults to {@link MAX_INPUT_BYTES}). */
  readonly maxBytes?: number;
}

/**
 * Reads a path, or standard input for `-`, as text. Refuses missing files, directories,
 * oversized and binary input with an InputError that names the input.
 */
export async function readInput(path: string, options: ReadOptions = {}): Promise<InputText> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  if (path === '-') {
    const stdin = options.stdin ?? (process.stdin as InputStream);
    if (stdin.isTTY) {
      throw new InputError({ file: '-' }, 'CPUID data on standard input (pipe or redirect a dump into openevc, or give a file name), not a terminal');
    }
    return decode(await collect(stdin, '-', maxBytes), '-');
  }

  const file = readFileBytes(path, maxBytes);
  if (file !== undefined) {
    refuseBinary(file.subarray(0, BINARY_PROBE_BYTES), path);
    return decode(file, path);
  }

  // Pipes and character devices: size unknown, read as a stream with the cap.
  const stream = createReadStream(path, { highWaterMark: BINARY_PROBE_BYTES });
  let bytes: Uint8Array;
  try {
    bytes = await collect(stream, path, maxBytes);
  } catch (e) {
    stream.destroy();
    if (e instanceof InputError) throw e;
    throw new InputError({ file: path }, `a readable file (${describeFsError(e)})`);
  }
  return decode(bytes, path);
}

/**
 * The bytes of a regular file, after the checks `readInput` makes (missing, directory, special
 * file, too big: an InputError naming the input); undefined for a pipe the shell opened for the
 * process, which `readInput` reads as a stream. One open and one read into a buffer of the file's
 * size (the fast path when a command reads thousands of host files); a file that grew since
 * `stat` is cut at that size. The caller checks and decodes the bytes (`readInput` does both).
 * With `scratch`, a file that fits is read into it (no buffer allocated per file): the bytes
 * returned are then a view of it, valid until the next read into it; with `scratchOnly`, a file
 * that does not fit is not read (undefined).
 */
export function readFileBytes(path: string, maxBytes: number = MAX_INPUT_BYTES, scratch?: Uint8Array, scratchOnly = false): Uint8Array | undefined {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (e) {
    throw new InputError({ file: path }, `an existing, readable file (${describeFsError(e)})`);
  }
  if (info.isDirectory()) throw new InputError({ file: path }, 'a file, not a directory');
  if (!info.isFile() && !(info.isFIFO() && PROCESS_SUBSTITUTION.test(path))) {
    // A FIFO with no writer blocks forever, a device never ends: only '-' reads a stream, and a
    // pipe the shell already opened for this process (`openevc check <(ssh a …) <(ssh b …)`).
    const what = info.isFIFO() ? 'a named pipe (FIFO)' : info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device' : 'a socket';
    throw new InputError({ file: path }, `a regular file (or '-' to read standard input), not ${what}`);
  }
  if (info.isFile() && info.size > maxBytes) {
    throw new InputError({ file: path }, `a CPUID dump of at most ${formatSize(maxBytes)} (real dumps are a few MB), not ${formatSize(info.size)}`);
  }

  if (!info.isFile() || (scratchOnly && (scratch === undefined || info.size > scratch.length))) return undefined;
  let bytes: Uint8Array;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    bytes = scratch !== undefined && info.size <= scratch.length ? scratch.subarray(0, info.size) : new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    bytes = bytes.subarray(0, at);
  } catch (e) {
    throw new InputError({ file: path }, `a readable file (${describeFsError(e)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return bytes;
}

/**
 * `readFileBytes` for a file a directory walk just listed as a regular file (not a link): opened
 * without a `stat` (non-blocking, in case it was replaced by a pipe since), read into `scratch`.
 * Undefined whenever anything is not as expected (it cannot be opened or read, or it fills
 * `scratch`, so may be bigger than any dump): then `readFileBytes` reads it with every check and
 * message. The bytes are a view of `scratch`.
 */
export function readListedFileBytes(path: string, scratch: Uint8Array): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    let at = 0;
    for (;;) {
      const n = readSync(fd, scratch, at, scratch.length - at, at);
      if (n === 0) break;
      at += n;
      if (at === scratch.length) return undefined;
    }
    return scratch.subarray(0, at);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a stream up to `maxBytes`, checking the first {@link BINARY_PROBE_BYTES} for binary
 * content as soon as they have arrived. Stops reading at the first refusal.
 */
async function collect(stream: InputStream, file: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let probed = false;
  const encoder = new TextEncoder();
  try {
    for await (const piece of stream) {
      const chunk = typeof piece === 'string' ? encoder.encode(piece) : piece;
      chunks.push(chunk);
      total += chunk.length;
      if (total > maxBytes) {
        throw new InputError({ file }, `a CPUID dump of at most ${formatSize(maxBytes)} (real dumps are a few MB), but the input goes on beyond that`);
      }
      if (!probed && total >= BINARY_PROBE_BYTES) {
        probed = true;
        refuseBinary(concat(chunks, total).subarray(0, BINARY_PROBE_BYTES), file);
      }
    }
  } finally {
    stream.destroy?.();
  }
  const all = concat(chunks, total);
  if (!probed) refuseBinary(all, file);
  return all;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  chunks.length = 0;
  chunks.push(out);
  return out;
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return code ?? String((e as Error | undefined)?.message ?? e);
  }
}

