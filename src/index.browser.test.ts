/**
 * The library runs in the browser: src/index.ts bundled by esbuild for platform `browser` (ESM,
 * every dependency included) pulls in no Node.js built-in, and runs decode → check → baseline →
 * mask and explain in a fresh JavaScript context that has only what a browser offers and the
 * code needs (TextDecoder, TextEncoder): no process, fs, Buffer, require or module. Its answers
 * are those of the same calls through the normal Node import.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { transform } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleBrowser } from '../scripts/browser-bundle.mjs';
import type { BrowserBundle } from '../scripts/browser-bundle.mjs';
import * as node from './index.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/** The message vSphere prints for seed 002's failed vMotion (written for this test from its documented shape). */
const VMOTION_MESSAGE = "The target host does not support the virtual machine's current hardware requirements.\nCPUID level 0x1 register 'ecx' (SSE4.1, SSE4.2, MOVBE)\nMismatch: 0x1 ecx";

/** The Node.js built-ins the bundle imports, one line each: module and importing file. */
function builtinList(b: BrowserBundle): string {
  return b.builtins.map((x) => `${x.module} (imported by ${x.importer})`).join('\n');
}

let bundle: BrowserBundle;
let lib: typeof node;
let context: vm.Context;

beforeAll(async () => {
  bundle = await bundleBrowser();
  // The ESM bundle as a script that leaves its exports in one global (vm scripts cannot be modules without a flag).
  const script = await transform(bundle.code, { format: 'iife', globalName: '__openevc', target: 'es2022', logLevel: 'silent' });
  context = vm.createContext({ TextDecoder, TextEncoder });
  vm.runInContext(script.code, context, { filename: 'openevc.browser.js' });
  lib = (context as { __openevc: typeof node }).__openevc;
}, 120_000);

/** Data that crossed from the bundle's context, comparable with Node's (other realm's prototypes dropped). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('the browser bundle of src/index.ts', () => {
  it('imports no Node.js built-in', () => {
    expect(builtinList(bundle), 'the browser bundle imports Node.js built-ins').toBe('');
  });

  it('names the Node.js built-in a module pulls in (the check above can fail)', async () => {
    const edge = await bundleBrowser({ entry: join(root, 'src', 'node', 'load.ts') });
    // load.ts reads files through read.ts: the built-in is named where it is imported.
    expect(builtinList(edge)).toContain('node:fs (imported by src/node/read.ts)');
  });

  it('runs in a context without process, fs, Buffer, require or module', () => {
    // (V8 gives every context a console; browsers have one too.)
    for (const name of ['process', 'Buffer', 'require', 'module', 'fs', 'global', 'setTimeout', 'fetch']) {
      expect(vm.runInContext(`typeof ${name}`, context), name).toBe('undefined');
    }
    expect(typeof lib.decodeHostText).toBe('function');
    expect(lib.VERSION).toBe(node.VERSION);
  });

  it('decodes hosts from text as the Node import does (show JSON and text, fidelity, diagnostics)', () => {
    for (const p of [A, B]) {
      const web = lib.decodeHostText(read(p), { file: p });
      const here = node.decodeHostText(read(p), { file: p });
      expect(web.fidelity).toBe(here.fidelity);
      expect(web.decoded.id.brand).toBe(here.decoded.id.brand);
      expect(plain(web.diagnostics)).toEqual(plain(here.diagnostics));
      expect(plain(lib.showJson(web))).toEqual(plain(node.showJson(here)));
      expect(lib.showText(web)).toBe(node.showText(here));
      expect(lib.showText(web)).toContain(p === A ? 'C2750' : 'i7-3770');
    }
  });

  it('checks, baselines and masks as the Node import does', () => {
    const webHosts = [A, B].map((p) => lib.decodeHostText(read(p), { file: p }));
    const hereHosts = [A, B].map((p) => node.decodeHostText(read(p), { file: p }));
    const webCheck = lib.checkReport(webHosts[1]!, webHosts[0]!);
    const hereCheck = node.checkReport(hereHosts[1]!, hereHosts[0]!);
    expect(webCheck.result.compatible).toBe(false);
    expect(plain(webCheck.json)).toEqual(plain(hereCheck.json));
    expect(webCheck.text).toBe(hereCheck.text);

    const webBase = lib.baselineReport(webHosts, { profile: 'kvm' });
    const hereBase = node.baselineReport(hereHosts, { profile: 'kvm' });
    expect(plain(webBase.json)).toEqual(plain(hereBase.json));
    expect(webBase.text).toBe(hereBase.text);

    for (const format of node.EXPORT_FORMATS) {
      const web = lib.maskReport(webHosts, { format });
      const here = node.maskReport(hereHosts, { format });
      expect(web.text, format).toBe(here.text);
      expect(web.notes, format).toBe(here.notes);
      expect(web.text.length, format).toBeGreaterThan(0);
    }
    const webEvc = lib.maskReport(webHosts, { format: 'govc', evc: 'intel-westmere' });
    expect(webEvc.text).toBe(node.maskReport(hereHosts, { format: 'govc', evc: 'intel-westmere' }).text);
  });

  it('reads a folder of mixed formats (AIDA64 text, govc, kubectl) and baselines it as the Node import does', () => {
    const files = readdirSync(join(root, 'examples/fleet')).filter((f) => f !== 'README.md').sort();
    const load = (l: typeof node) => {
      const read = files.map((f) => l.decodeHostsText(readFileSync(join(root, 'examples/fleet', f), 'utf8'), { file: f }));
      return { hosts: read.flatMap((r) => r.hosts), clusters: read.flatMap((r) => r.clusters), vms: read.flatMap((r) => r.vms) };
    };
    const webFleet = load(lib);
    const hereFleet = load(node);
    expect(webFleet.hosts.length).toBeGreaterThan(files.length);
    expect(webFleet.hosts.map((h) => `${h.file} ${h.format} ${h.fidelity}`)).toEqual(hereFleet.hosts.map((h) => `${h.file} ${h.format} ${h.fidelity}`));
    const web = lib.baselineReport(webFleet.hosts, { clusters: webFleet.clusters, vms: webFleet.vms });
    const here = node.baselineReport(hereFleet.hosts, { clusters: hereFleet.clusters, vms: hereFleet.vms });
    expect(plain(web.json)).toEqual(plain(here.json));
    expect(web.text).toBe(here.text);
  });

  it('explains a vMotion message and answers modes and features as the Node import does', () => {
    const web = lib.explainReport(VMOTION_MESSAGE);
    const here = node.explainReport(VMOTION_MESSAGE);
    expect(plain(web.json)).toEqual(plain(here.json));
    expect(web.text).toBe(here.text);
    expect(web.text).toMatch(/sse4\.1|SSE4\.1/);
    expect(lib.modesReport({ vendor: 'intel' }).text).toBe(node.modesReport({ vendor: 'intel' }).text);
    expect(plain(lib.featuresReport('1.ecx.19').json)).toEqual(plain(node.featuresReport('1.ecx.19').json));
  });
});
