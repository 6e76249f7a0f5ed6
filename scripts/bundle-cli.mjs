/**
 * Bundles the CLI into one file (dist/openevc.mjs, the package's `bin`). Start-up time is a
 * feature: Node resolving and evaluating ~60 separate ES modules (and fast-xml-parser's own
 * graph) costs ~50 ms on every command; one file does not. Runs after tsc in `npm run build`.
 */
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'openevc.mjs');

await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __openevcCreateRequire } from 'node:module';\nconst require = __openevcCreateRequire(import.meta.url);" },
});
chmodSync(outfile, 0o755);
