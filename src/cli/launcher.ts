#!/usr/bin/env node
/**
 * The `openevc` executable as installed (package.json `bin`: dist/bin/openevc.cjs, built from this
 * file by scripts/bundle-cli.mjs). Start-up time is a feature, so this file does as little as it can:
 *
 * - `openevc --version` is answered here, before anything else loads (Node's own start-up is the floor).
 * - Otherwise it runs one self-contained CommonJS bundle of the CLI: `cmd/<command>.cjs`, holding the
 *   program and only the command invoked (`cmd/all.cjs` for help, completion and unknown commands).
 * - Each bundle is compiled with V8's code cache (`<bundle>.cache`, written by the build after a run
 *   of that command on the bundled examples): V8 then skips parsing and compiling what the cache
 *   holds. A cache made by another Node or V8 version is rejected by V8 and the bundle is compiled
 *   from source as usual, with the same results, only slower; `openevc` never writes a cache itself
 *   except when the build asks it to (OPENEVC_WRITE_CODE_CACHE).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { VERSION } from '../version.js';
import { bundleFor } from './summaries.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else runBundle(join(__dirname, 'cmd', `${bundleFor(argv)}.cjs`));

/** Compiles a CommonJS bundle (with its code cache when V8 accepts it) and runs it as a module. */
function runBundle(file: string): void {
  const source = readFileSync(file, 'latin1');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // no cache (a build without one): compile from source
  }
  // The same wrapper Node puts around a CommonJS module, so the bundle sees the usual names.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (process.env.OPENEVC_WRITE_CODE_CACHE === file) {
    // The build's training run: after the command has run, the cache holds every function it compiled.
    process.once('exit', () => writeFileSync(`${file}.cache`, script.createCachedData()));
  }
  const module = { exports: {} };
  (script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void)(module.exports, createRequire(file), module, file, dirname(file));
}
