// The dashboard's build: web/ → dist/web (relative asset paths, no CDN, everything in the bundle).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { precompiledAjv } from './ajv-precompiled.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  // The inventory validator compiled here, not in the page (the page's CSP forbids eval).
  plugins: [precompiledAjv()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // The declarative tables (feature catalog, QEMU models, EVC modes: about 240 KB) in a chunk of
    // their own: they change with the data, not the page, and the page's code stays under 500 KB.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'data', test: /[\\/]src[\\/]data[\\/]/ }] } } },
  },
});
