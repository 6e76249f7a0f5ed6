/**
 * openevc's layers, checked by `npm test` (npm run lint:deps):
 *   data  ←  core  ←  formats  ←  plan  ←  report  ←  index.ts (the portable library)
 *   node (Node.js edges) and cli (the command line) sit on top; cli commands do not import each other.
 * Lower layers never import higher ones, nothing imports in a cycle, and the portable layers
 * use no Node.js module.
 */
const PORTABLE = '^src/(data|core|formats|report|plan|index\\.ts)';
const TESTS = '(\\.test\\.ts$|^src/test-support/)';

/** A rule: files under `from` may import only files under `allowed`. */
const layer = (name, from, allowed) => ({
  name,
  severity: 'error',
  comment: `${from} may import only ${allowed}`,
  from: { path: from, pathNot: TESTS },
  to: { path: '^src/', pathNot: `${allowed}|${TESTS}` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles make layers meaningless', from: {}, to: { circular: true } },
    layer('data-is-the-bottom', '^src/data/', '^src/data/'),
    layer('core-below-formats', '^src/core/', '^src/(core|data)/'),
    layer('formats-below-plan', '^src/formats/', '^src/(formats|core|data)/'),
    layer('plan-below-report', '^src/plan/', '^src/(plan|formats|core|data)/'),
    layer('report-below-edges', '^src/report/', '^src/(report|plan|formats|core|data)/'),
    layer('library-is-portable', '^src/index\\.ts$', '^src/(plan|report|formats|core|data|version\\.ts)'),
    layer('node-below-cli', '^src/node/', '^src/(node|plan|report|formats|core|data|version\\.ts)'),
    {
      name: 'portable-without-node',
      severity: 'error',
      comment: 'the library runs in the browser: no Node.js modules below src/node and src/cli',
      from: { path: PORTABLE, pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'commands-stand-alone',
      severity: 'error',
      comment: 'a command imports shared CLI modules (src/cli/*.ts), never another command',
      from: { path: '^src/cli/commands/([^/]+)\\.ts$', pathNot: [TESTS, '^src/cli/commands/index\\.ts$'] },
      to: { path: '^src/cli/commands/', pathNot: ['^src/cli/commands/$1\\.ts$', TESTS] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|fixtures/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs'] },
  },
};
