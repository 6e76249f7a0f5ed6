/**
 * The external programs the QEMU-facing code runs, found once: QEMU itself, and nasm + ld to
 * build the guest probe. Tests use {@link missingTools} to skip (with the reason) on a
 * developer machine that lacks them; CI installs them (.ci/run).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The QEMU binary: `$OPENEVC_QEMU` when set, else `qemu-system-x86_64` on PATH. */
export function qemuBinary(): string {
  return process.env.OPENEVC_QEMU || 'qemu-system-x86_64';
}

/** Full path of an executable found on PATH (or the path itself when it contains a slash), or undefined. */
export function which(name: string): string | undefined {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What is missing to boot the guest probe (`[]` when everything is there), with the Debian package to install. */
export function missingTools(opts: { needAssembler?: boolean } = {}): string[] {
  const missing: string[] = [];
  if (!which(qemuBinary())) missing.push(`${qemuBinary()} (apt-get install qemu-system-x86)`);
  if (opts.needAssembler !== false) {
    if (!which('nasm')) missing.push('nasm (apt-get install nasm)');
    if (!which('ld')) missing.push('ld (apt-get install binutils)');
  }
  return missing;
}
