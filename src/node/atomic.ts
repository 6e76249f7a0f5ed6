/**
 * Writing files without ever losing the old content: write a temporary file in the same
 * directory, fsync it, rename it over the target (atomic on POSIX filesystems), fsync the
 * directory. A crash at any point leaves either the old file or the new one, never a mix.
 *
 * The edit lands where the user meant: a symbolic link is followed to the file it names (the
 * usual layout on datastores), which is replaced in its own directory, so the link stays a link.
 * The replaced file keeps its mode, owner and group (a root run does not hand a VM's file to
 * root); a file the user could not write in place is refused, even when its directory is
 * writable. Temporary files a killed run left behind (openevc's own naming only) are removed by
 * the next write to the same file.
 */
import { accessSync, closeSync, copyFileSync, constants, fchmodSync, fchownSync, fstatSync, fsyncSync, lstatSync, openSync, readdirSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { OpenevcError } from '../core/errors.js';

/** A write openevc refuses to make (exit code 2): the file is left as it is. */
export class WriteRefusedError extends OpenevcError {
  constructor(message: string) {
    super(message);
    this.name = 'WriteRefusedError';
  }
}

/** Who is writing (tests pass another identity; the default is this process's). */
export interface Writer {
  readonly uid: number;
  readonly gids: readonly number[];
}

function currentWriter(): Writer | undefined {
  if (typeof process.getuid !== 'function' || typeof process.geteuid !== 'function') return undefined;
  const groups = typeof process.getgroups === 'function' ? process.getgroups() : [];
  return { uid: process.geteuid(), gids: [process.getegid?.() ?? -1, ...groups] };
}

/** Whether `who` may write the file itself (its permission bits; root always may). */
export function mayWrite(st: Pick<Stats, 'mode' | 'uid' | 'gid'>, who: Writer): boolean {
  if (who.uid === 0) return true;
  if (st.uid === who.uid) return (st.mode & 0o200) !== 0;
  if (who.gids.includes(st.gid)) return (st.mode & 0o020) !== 0;
  return (st.mode & 0o002) !== 0;
}

const MAX_LINKS = 40;

/**
 * The file a path names after following symbolic links (also a dangling one, whose target is
 * then created). A path that is not a link is returned as it is.
 */
export function resolveTarget(path: string): string {
  let p = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p; // not there (yet): the file to create
    }
    if (!st.isSymbolicLink()) return p;
    const to = readlinkSync(p);
    p = isAbsolute(to) ? to : resolve(dirname(p), to);
  }
  throw new WriteRefusedError(`${path}: too many levels of symbolic links; nothing written`);
}

/** `.<name>.<pid>.<base36 time>.tmp`: openevc's temporary files (the pattern cleanup recognises). */
function tempName(file: string): string {
  return `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files an earlier, killed run left next to `file` (openevc's naming only, and
 * only when the process that made them is gone). Returns the names removed.
 */
export function cleanStaleTemps(file: string): string[] {
  const dir = dirname(file);
  const re = new RegExp(`^\\.${escapeRegExp(basename(file))}\\.(\\d+)\\.[0-9a-z]+\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = re.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      if (!lstatSync(join(dir, name)).isFile()) continue;
      unlinkSync(join(dir, name));
      removed.push(join(dir, name));
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

export interface AtomicWriteOptions {
  /** Keep the previous content as `<file>.<timestamp>.bak` (returned). */
  readonly backup?: boolean;
  /** File mode for a new file; an existing file keeps its mode. */
  readonly mode?: number;
  /** Test hook: called after the temporary file is written and before the rename. */
  readonly beforeRename?: (tempPath: string) => void;
  /** Clock for the backup name (tests). */
  readonly now?: Date;
  /** Who writes (tests); default: this process's effective user and groups. */
  readonly writer?: Writer;
}

export interface AtomicWriteResult {
  /** The path given. */
  readonly path: string;
  /** The file written: `path` with symbolic links followed. */
  readonly target: string;
  readonly backup?: string;
  /** Temporary files of earlier, killed runs that were removed. */
  readonly cleaned: readonly string[];
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): AtomicWriteResult {
  const target = resolveTarget(path);
  const named = target === path ? path : `${path} (a link to ${target})`;
  const dir = dirname(target);
  let mode = opts.mode ?? 0o644;
  let old: Stats | undefined;
  try {
    old = statSync(target);
  } catch {
    // new file
  }
  if (old && !old.isFile()) throw new WriteRefusedError(`${named}: not a regular file; nothing written`);
  const who = opts.writer ?? currentWriter();
  if (old) {
    mode = old.mode & 0o7777;
    if (who && !mayWrite(old, who)) {
      throw new WriteRefusedError(`${named}: you cannot write this file (owner uid ${old.uid}, mode ${(old.mode & 0o777).toString(8)}); replacing it through its directory would take it from its owner. Nothing written`);
    }
    if (!opts.writer) {
      try {
        accessSync(target, constants.W_OK);
      } catch (e) {
        throw new WriteRefusedError(`${named}: you cannot write this file (${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing written`);
      }
    }
  }
  const cleaned = cleanStaleTemps(target);
  /** The new file (and the backup) get the old file's owner and group; refused when that cannot be done. */
  const keepOwner = (fd: number, what: string) => {
    if (!old) return;
    fchmodSync(fd, mode);
    const st = lstatFd(fd);
    if (st.uid === old.uid && st.gid === old.gid) return;
    try {
      fchownSync(fd, old.uid, old.gid);
    } catch (e) {
      throw new WriteRefusedError(`${named}: the ${what} cannot keep the file's owner and group (uid ${old.uid}, gid ${old.gid}: ${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing written`);
    }
  };
  let backup: string | undefined;
  if (opts.backup && old) {
    backup = join(dir, `${basename(target)}.${timestamp(opts.now ?? new Date())}.bak`);
    // COPYFILE_EXCL: never overwrite an earlier backup.
    copyFileSync(target, backup, constants.COPYFILE_EXCL);
    const bfd = openSync(backup, 'r');
    try {
      keepOwner(bfd, 'backup');
      fsyncSync(bfd);
    } catch (e) {
      closeSync(bfd);
      unlinkSync(backup);
      throw e;
    }
    closeSync(bfd);
  }
  const temp = join(dir, tempName(target));
  const fd = openSync(temp, 'wx', mode);
  try {
    keepOwner(fd, 'new file');
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
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  fsyncPath(dir);
  return backup ? { path, target, backup, cleaned } : { path, target, cleaned };
}

function lstatFd(fd: number): { uid: number; gid: number } {
  // fstat through the descriptor: the temporary file as created (umask, setgid directories).
  return fstatSync(fd);
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
