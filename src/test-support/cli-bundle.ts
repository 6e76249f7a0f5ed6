/**
 * The CLI built from source into one file (esbuild), for tests that must run it as a separate
 * process: as another user, killed with a signal, or fed a FIFO.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from './shared.js';

let bundle: string | undefined;

/** Path of the bundled CLI (built once per test file). */
export function cliBundle(): string {
  if (bundle) return bundle;
  const dir = mkdtempSync(join(tmpdir(), 'openevc-cli-'));
  chmodSync(dir, 0o755); // tests run it as another user too
  const out = join(dir, 'openevc.mjs');
  buildSync({
    entryPoints: [join(REPO_ROOT, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'silent',
    // commander is CommonJS: give the ESM bundle a require (as scripts/bundle-cli.mjs does).
    banner: { js: "import { createRequire as __openevcCreateRequire } from 'node:module';\nconst require = __openevcCreateRequire(import.meta.url);" },
  });
  bundle = out;
  return out;
}

/** Runs the bundled CLI in its own process. */
export function spawnCli(args: readonly string[], opts: SpawnSyncOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliBundle(), ...args], { encoding: 'utf8', timeout: 30_000, ...opts }) as SpawnSyncReturns<string>;
}
