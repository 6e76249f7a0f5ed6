/**
 * Access to ../shared (reference dumps and oracles that are not part of the project).
 * Tests that read it must use `describe.skipIf(!hasShared)` and say "(needs ../shared)"
 * in their title, so the package's own tests pass anywhere.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.OPENEVC_SHARED ?? resolve(REPO_ROOT, '..', 'shared');
export const hasShared = existsSync(join(SHARED_DIR, 'oracle', 'MANIFEST.md'));

export function shared(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}
