/**
 * Writing files without ever losing the old content: write a temporary file in the same
 * directory, fsync it, rename it over the target (atomic on POSIX filesystems), fsync the
 * directory. A crash at any point leaves either the old file or the new one, never a mix.
 */
import { closeSync, copyFileSync, constants, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Keep the previous content as `<file>.<timestamp>.bak` (returned). */
  readonly backup?: boolean;
  /** File mode for a new file; an existing file keeps its mode. */
  readonly mode?: number;
  /** Test hook: called after the temporary file is written and before the rename. */
  readonly beforeRename?: (tempPath: string) => void;
  /** Clock for the backup name (tests). */
  readonly now?: Date;
}

export interface AtomicWriteResult {
  readonly path: string;
  readonly backup?: string;
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): AtomicWriteResult {
  const dir = dirname(path);
  let mode = opts.mode ?? 0o644;
  let exists = false;
  try {
    mode = statSync(path).mode & 0o7777;
    exists = true;
  } catch {
    // new file
  }
  let backup: string | undefined;
  if (opts.backup && exists) {
    backup = join(dir, `${basename(path)}.${timestamp(opts.now ?? new Date())}.bak`);
    // COPYFILE_EXCL: never overwrite an earlier backup.
    copyFileSync(path, backup, constants.COPYFILE_EXCL);
    fsyncPath(backup);
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  try {
    opts.beforeRename?.(temp);
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  fsyncPath(dir);
  return backup ? { path, backup } : { path };
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(p, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
