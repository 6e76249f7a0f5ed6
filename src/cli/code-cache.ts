/**
 * A CLI bundle (dist/bin/cmd/<command>.cjs) compiled as Node compiles a CommonJS module, with V8's
 * code cache (`<bundle>.cache`) when there is one: the launcher runs bundles this way, and its test
 * checks that V8 accepts each cache. See launcher.ts.
 */
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';

export function compileBundle(file: string): Script {
  // ASCII (the build makes it so), read byte for character.
  const source = readFileSync(file, 'latin1');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // no cache (a build without one): compile from source
  }
  // The same wrapper Node puts around a CommonJS module, so the bundle sees the usual names.
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
}
