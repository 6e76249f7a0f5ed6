/**
 * Access to ../shared (reference dumps and oracles that are not part of the project).
 * Tests that read it must use `describe.skipIf(!hasShared)` and say "(needs ../shared)"
 * in their title, so the package's own tests pass anywhere.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.OPENEVC_SHARED ?? resolve(REPO_ROOT, '..', 'shared');
export const hasShared = existsSync(join(SHARED_DIR, 'oracle', 'MANIFEST.md'));

export function shared(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

/** Every file under `dir` whose name `keep` accepts, depth first, each folder's entries by name. */
export function filesUnder(dir: string, keep: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, keep));
    else if (keep(name)) out.push(p);
  }
  return out;
}
