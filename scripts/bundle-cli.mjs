/**
 * Builds the installed CLI (dist/bin), after tsc in `npm run build`. Start-up time is a feature
 * (issue 11: `show` and `check` within 1.4× of `node -e 0`, `--version` within 1.1×):
 *
 * - dist/bin/openevc.cjs: the package's `bin` (src/cli/launcher.ts). It answers `--version` itself
 *   and otherwise runs one bundle from dist/bin/cmd/ with V8's code cache.
 * - dist/bin/cmd/<command>.cjs: the program with only that command (src/cli/main.ts with
 *   src/cli/commands/index.ts narrowed to it), self-contained CommonJS; cmd/all.cjs has every
 *   command (help, completion, suggestions for mistyped names).
 * - dist/bin/cmd/<bundle>.cjs.cache: V8's code cache for the bundle, made by running it once on the
 *   bundled examples (TRAINING below), so that it holds what a real run compiles. Without a usable
 *   cache (another Node version) the launcher compiles from source; answers are the same.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin');
const commandsDir = join(root, 'dist', 'cli', 'commands');
rmSync(outdir, { recursive: true, force: true });

const { COMMANDS } = await import(join(commandsDir, 'index.js'));
const names = COMMANDS.map((c) => c.name).filter((n) => n !== 'completion');

/**
 * What each bundle runs at build time to fill its code cache, in one process (read-only commands on
 * examples/): the common inputs (openevc JSON, an InstLatx64 text dump, libvirt XML, a folder of
 * mixed fleet exports) and outputs (text and JSON), so that the cache holds what real runs compile.
 */
const scratch = mkdtempSync(join(tmpdir(), 'openevc-build-'));
const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';
const TEXT = 'examples/fleet/esx-11-xeon-e5-2650v3.CPUID.txt';
const XML = 'src/formats/libvirt/fixtures/cpu/domain.xml';
const TRAINING = {
  all: [['--help'], ['help', 'check']],
  show: [['show', B], ['show', '--json', TEXT], ['show', XML]],
  check: [['check', B, A], ['check', '--json', TEXT, B]],
  baseline: [['baseline', 'examples/cluster'], ['baseline', '--profile', 'raw', '--json', 'examples/fleet', 'examples/seed-002']],
  mask: [['mask', 'examples/seed-002'], ['mask', '--format', 'qemu', 'examples/cluster']],
  modes: [['modes'], ['modes', '--json']],
  features: [['features', 'avx'], ['features', '--json']],
  vmx: [['vmx', 'apply', 'examples/vms/db-02.vmx', '--hosts', 'examples/seed-002', '--dry-run']],
  explain: [['explain', 'Host CPU is incompatible with the virtual machine requirements at CPUID level 0x1 register ecx. Mismatch detected for these features: MOVBE.']],
  plan: [['plan', 'examples/inventory/seed-000.yaml']],
  inventory: [['inventory', '-o', join(scratch, 'inventory.yaml'), 'examples/seed-002']],
  diff: [['diff', A, B]],
};

/**
 * commander requires node:child_process at load (~2 ms: it pulls in net, stream, dns) only to
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

/** exceljs (RVTools .xlsx) stays in node_modules and is required only when a workbook is read. */
const requireExceljs = {
  name: 'require-exceljs',
  setup(b) {
    b.onResolve({ filter: /^exceljs$/ }, () => ({ path: 'exceljs', namespace: 'openevc-exceljs' }));
    b.onLoad({ filter: /.*/, namespace: 'openevc-exceljs' }, () => ({ contents: "module.exports = require('exceljs');", loader: 'js' }));
  },
};

/**
 * Tables derived from the data at build time instead of at every start: src/core/builtin-tables.ts
 * is replaced by the resolved catalog, QEMU model table and EVC mode sets in their compact forms (JSON.parse of a
 * string is faster for V8 than the same object literal; each is parsed on its first use). The
 * tables themselves (src/data/features.ts, qemu-models.ts) then stay out of the bundles.
 */
const { catalog } = await import(join(root, 'dist', 'core', 'catalog.js'));
const { builtinModels } = await import(join(root, 'dist', 'core', 'models.js'));
const compactFeatures = JSON.stringify(catalog.toCompact());
const compactModels = JSON.stringify(builtinModels().toCompact());
const { builtinEvcModes, evcSetsToCompact } = await import(join(root, 'dist', 'core', 'evc.js'));
const compactEvc = JSON.stringify(evcSetsToCompact(builtinEvcModes().list()));
const precomputed = {
  name: 'precomputed-tables',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]core[\\/]builtin-tables\.js$/ }, () => ({
      contents: [
        'let features, models, evc;',
        `export function builtinFeatures() { return (features ??= JSON.parse(${JSON.stringify(compactFeatures)})); }`,
        `export function builtinModelFamilies() { return (models ??= JSON.parse(${JSON.stringify(compactModels)})); }`,
        `export function builtinEvcSets() { return (evc ??= JSON.parse(${JSON.stringify(compactEvc)})); }`,
        '',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * fast-xml-parser (and its own dependencies) is initialized on the first XML document rather than
 * whenever the readers load: `show` of a JSON or text dump never parses XML. In
 * dist/formats/common/xml.js, the module's only importer, the static import becomes a require on
 * first use, which esbuild bundles as a module initialized when first required.
 */
const fxpEntry = join(root, 'node_modules', 'fast-xml-parser', 'src', 'fxp.js');
const lazyXmlParser = {
  name: 'lazy-xml-parser',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]formats[\\/]common[\\/]xml\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const importLine = "import { XMLParser, XMLValidator } from 'fast-xml-parser';";
      if (!text.includes(importLine)) throw new Error(`${args.path}: expected the line ${importLine} (update scripts/bundle-cli.mjs)`);
      const body = text.replace(importLine, `let fxp;\nconst fastXmlParser = () => (fxp ??= require(${JSON.stringify(fxpEntry)}));`).replace(/\bnew (XMLParser)\(/g, 'new (fastXmlParser().$1)(').replace(/(?<!\.)\b(XMLParser|XMLValidator)\./g, 'fastXmlParser().$1.');
      return { contents: body, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * The inventory schema's validator compiled at build time, as the web build does (web/ajv-precompiled.ts,
 * whose test pins it to the validator src/plan/inventory.ts compiles): `plan`, `diff`, `inventory`
 * and `serve` then neither load ajv nor compile the schema at every start (~15 ms).
 */
// One level below the root, as web/ajv-precompiled.ts is, so that it finds ../schema/.
const ajvTool = join(root, '.build-tmp', 'ajv-precompiled.mjs');
await build({ entryPoints: [join(root, 'web', 'ajv-precompiled.ts')], outfile: ajvTool, platform: 'node', format: 'esm', bundle: false, logLevel: 'warning' });
const { precompiledAjvModule } = await import(ajvTool);
const validatorModule = precompiledAjvModule();
rmSync(dirname(ajvTool), { recursive: true, force: true });
const precompiledValidator = {
  name: 'precompiled-inventory-validator',
  setup(b) {
    b.onResolve({ filter: /^ajv$/ }, (args) => (/[\\/]dist[\\/]plan[\\/]inventory\.js$/.test(args.importer) ? { path: 'inventory-validator', namespace: 'openevc-ajv' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'openevc-ajv' }, () => ({ contents: validatorModule, loader: 'js' }));
  },
};

/** The command table narrowed to one command, imported statically (the bundle is that command's). */
function only(name) {
  return {
    name: 'only-command',
    setup(b) {
      b.onLoad({ filter: /[\\/]dist[\\/]cli[\\/]commands[\\/]index\.js$/ }, () => ({
        contents: `import * as command from './${name}.js';\nexport const COMMANDS = [{ name: ${JSON.stringify(name)}, load: async () => command }];\n`,
        loader: 'js',
        resolveDir: commandsDir,
      }));
    },
  };
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  // No comments or layout (the source V8 reads at every start shrinks by half); names are kept, so
  // a stack trace (OPENEVC_DEBUG=1) still reads. The output is ASCII (esbuild escapes the rest), so
  // the launcher reads it as Latin-1, byte for character.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
  // serve.ts finds the dashboard's files from its own location (computed when asked: node:url costs).
  define: { 'import.meta': '__openevcImportMeta' },
  banner: { js: "const __openevcImportMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
};

const bundles = ['all', ...names];
await Promise.all(
  bundles.map((name) =>
    build({
      ...common,
      entryPoints: [join(root, 'dist', 'cli', 'main.js')],
      outfile: join(outdir, 'cmd', `${name}.cjs`),
      plugins: [lazyChildProcess, requireExceljs, precomputed, lazyXmlParser, precompiledValidator, ...(name === 'all' ? [] : [only(name)])],
    }),
  ),
);
await build({ ...common, define: {}, banner: {}, entryPoints: [join(root, 'dist', 'cli', 'launcher.js')], outfile: join(outdir, 'openevc.cjs') });
chmodSync(join(outdir, 'openevc.cjs'), 0o755);

// The code caches: each bundle run once, its cache written when it exits.
for (const name of bundles) {
  const file = join(outdir, 'cmd', `${name}.cjs`);
  const [args, ...more] = TRAINING[name] ?? [[name, '--help']];
  const env = { ...process.env, OPENEVC_WRITE_CODE_CACHE: file, OPENEVC_CODE_CACHE_RUNS: JSON.stringify(more), NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [join(outdir, 'openevc.cjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env });
  if (r.status !== 0 && r.status !== 1) throw new Error(`code cache for ${name}: openevc ${[args, ...more].map((a) => a.join(' ')).join('; ')} exited ${r.status}: ${r.stderr}`);
  if (!existsSync(`${file}.cache`)) throw new Error(`code cache for ${name}: no ${file}.cache written`);
}
rmSync(scratch, { recursive: true, force: true });
