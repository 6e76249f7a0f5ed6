/**
 * Bundles the CLI (dist/bin/openevc.mjs, the package's `bin`, plus shared chunks). Start-up time
 * is a feature: Node resolving and evaluating ~80 separate ES modules (and fast-xml-parser's own
 * graph) costs ~50 ms on every command; a bundle split per command loads only what the invoked
 * command needs. Runs after tsc in `npm run build`.
 */
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true });

/**
 * commander requires node:child_process at load (~10-20 ms: it pulls in net, stream, dns) only to
 * spawn executable subcommands, which openevc does not use. Its require gets a stand-in that
 * loads the real module on first property access.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'openevc-lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'openevc-lazy' }, () => ({
      contents: "let real; const load = () => (real ??= require('node:child_process')); module.exports = new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load() });",
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: { openevc: join(root, 'dist', 'cli', 'main.js') },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  plugins: [lazyChildProcess],
  logLevel: 'warning',
  // exceljs (RVTools .xlsx) is loaded on demand from node_modules, not bundled.
  external: ['exceljs'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __openevcCreateRequire } from 'node:module';\nconst require = __openevcCreateRequire(import.meta.url);" },
});
chmodSync(join(outdir, 'openevc.mjs'), 0o755);
