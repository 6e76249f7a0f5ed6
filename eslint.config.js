// Lint rules: the usual TypeScript recommendations, plus the one architectural rule
// that keeps the core portable: nothing under src/core, src/data, src/formats or src/report may
// reach for Node.js (those folders also run in the browser).

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const portable = ['src/core/**/*.ts', 'src/data/**/*.ts', 'src/formats/**/*.ts', 'src/report/**/*.ts', 'src/plan/**/*.ts', 'src/index.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: portable,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process', '../node/*', '../cli/*', '../../node/*', '../../cli/*'], message: 'The portable core must not depend on Node.js or on the CLI.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Not available in the browser.' }, { name: 'Buffer', message: 'Use Uint8Array/TextDecoder.' }, { name: 'require', message: 'ESM only.' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', performance: 'readonly' } },
  },
);
