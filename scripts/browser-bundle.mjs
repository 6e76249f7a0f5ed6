/**
 * The openevc library (src/index.ts) bundled for the browser as a web page would load it: esbuild,
 * platform browser, ESM, every dependency included. Node.js built-ins are not resolved: each import
 * of one is recorded (which module, imported from which file) and left out, so callers can name it.
 * Used by src/index.browser.test.ts (the bundle runs without process, fs or Buffer) and bench/run.mjs
 * (the bundle's size).
 */
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const BUILTIN = new RegExp(`^(node:.*|(${builtinModules.map(escape).join('|')})(/.*)?)$`);

/**
 * @param {{ entry?: string, minify?: boolean }} [options] entry: default src/index.ts
 * @returns {Promise<{ code: string, builtins: { module: string, importer: string }[] }>}
 */
export async function bundleBrowser(options = {}) {
  const builtins = [];
  const result = await build({
    entryPoints: [options.entry ?? join(root, 'src', 'index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: options.minify ?? false,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-node-builtins',
        setup(b) {
          b.onResolve({ filter: BUILTIN }, (args) => {
            builtins.push({ module: args.path, importer: relative(root, args.importer) });
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return { code: result.outputFiles[0].text, builtins };
}
