/**
 * openevc benchmarks: `npm run bench` builds, then runs this file. Not part of the tests.
 *
 * Each case prepares its input outside the timed region (files are read into memory first),
 * runs once to warm up, then ROUNDS times; the table shows the median and best round and,
 * for cases that process bytes, the throughput of the median round on one core (Node runs
 * the work on its main thread). A case with a target that the median misses makes the run
 * exit with code 1.
 *
 * To add a case, append an object to CASES:
 *   name    what is measured
 *   setup() returns { skip: 'why' } or { input: 'description', bytes?: number, state }
 *   run(state) does the work once
 *   target  optional { mbPerSecond }, { maxMs } or { maxMsPerItem } (state is an array), with the reason in `why`
 *
 * Environment: OPENEVC_SHARED (default ../shared beside the repository), BENCH_ROUNDS (default 9).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../dist/core/catalog.js';
import { decodeHost } from '../dist/core/host.js';
import { baselineModel, hostModel } from '../dist/core/models.js';
import { getView, guestFeatures } from '../dist/core/views.js';
import { importText } from '../dist/importers/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.OPENEVC_SHARED ?? resolve(ROOT, '..', 'shared');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 9));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.txt') && name.includes('_CPUID')) out.push(p);
  }
  return out;
}

/** The InstLatx64 dumps of ../shared, read once and shared by the cases that use them. */
let corpus;
function instlatx64Corpus() {
  if (corpus) return corpus;
  const dir = join(SHARED, 'oracle', 'instlatx64');
  if (!existsSync(dir)) return (corpus = { skip: `corpus missing: ${dir} not found (set OPENEVC_SHARED)` });
  // Latin-1 keeps one character per byte, so the text length is the file size.
  const texts = walk(dir).map((p) => readFileSync(p, 'latin1'));
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  return (corpus = { input: `${texts.length} InstLatx64 dumps, ${(bytes / 1e6).toFixed(1)} MB`, bytes, state: texts });
}

/** Runs the built CLI as a user would (a fresh Node process each time) and fails loudly if it fails. */
function cli(args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'openevc.mjs'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openevc ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Decoded hosts: every CPU of the InstLatx64 corpus and libvirt's 61 test CPUs, read once. */
let decoded;
function decodedHosts() {
  if (decoded) return decoded;
  const c = instlatx64Corpus();
  if (c.skip) return (decoded = c);
  const dir = join(SHARED, 'oracle', 'libvirt-cputestdata', 'cputestdata');
  const libvirt = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
    : [];
  const hosts = [...c.state, ...libvirt].map((text) => decodeHost(importText(text, { file: 'bench' }).dump));
  return (decoded = { input: `${hosts.length} hosts (InstLatx64 and libvirt cputestdata)`, state: hosts });
}

/** `n` Intel hosts for baselines (a baseline needs one vendor), cycling through the corpus. */
function intelHosts(n) {
  const d = decodedHosts();
  if (d.skip) return d;
  const intel = d.state.filter((h) => h.id.vendor === 'intel');
  const hosts = Array.from({ length: n }, (_, i) => intel[i % intel.length]);
  return { input: `${n} Intel hosts (${intel.length} distinct CPUs, repeated)`, state: hosts };
}

const CASES = [
  {
    name: 'import + decode (InstLatx64 corpus)',
    setup: instlatx64Corpus,
    run(texts) {
      for (const text of texts) catalog.decode(importText(text, { file: 'bench' }).dump);
    },
    target: { mbPerSecond: 50, why: 'every command parses its inputs first; 12 MB must take < 240 ms' },
  },
  {
    name: 'import only (InstLatx64 corpus)',
    setup: instlatx64Corpus,
    run(texts) {
      for (const text of texts) importText(text, { file: 'bench' });
    },
  },
  {
    name: 'decode every logical CPU (InstLatx64 corpus)',
    setup() {
      const c = instlatx64Corpus();
      if (c.skip) return c;
      const dumps = c.state.flatMap((text) => importText(text, { file: 'bench' }).cpus);
      return { input: `${dumps.length} logical CPUs`, state: dumps };
    },
    run(dumps) {
      for (const d of dumps) catalog.decode(d);
    },
  },
  {
    name: 'openevc show (wall, incl. Node start-up)',
    setup() {
      const file = join(ROOT, 'examples', 'seed-002', 'host-b-core-i7-3770.json');
      return { input: 'examples/seed-002/host-b-core-i7-3770.json', state: ['show', file] };
    },
    run: cli,
    target: { maxMs: 150, why: 'a command people type; Node itself takes ~40 ms to start' },
  },
  {
    name: 'openevc show --json, 8-CPU InstLatx64 dump (wall)',
    setup() {
      const file = join(SHARED, 'oracle', 'instlatx64', 'GenuineIntel', 'GenuineIntel00306A9_IvyBridge_CPUID.txt');
      if (!existsSync(file)) return { skip: `${file} not found` };
      return { input: 'GenuineIntel00306A9_IvyBridge_CPUID.txt', state: ['show', '--json', file] };
    },
    run: cli,
    target: { maxMs: 150, why: 'same command on a real multi-CPU dump' },
  },
  {
    name: 'host-model decode, every host',
    setup: decodedHosts,
    run(hosts) {
      for (const h of hosts) hostModel(h);
    },
    target: { maxMsPerItem: 1, why: 'libvirt-style host-model of one host must stay well under 1 ms' },
  },
  {
    name: 'library baseline, 1,000 hosts',
    setup: () => intelHosts(1_000),
    run(hosts) {
      baselineModel(hosts);
    },
    target: { maxMs: 20, why: 'a cluster of 1,000 hosts must not be noticed' },
  },
  {
    name: 'library baseline, 10,000 hosts',
    setup: () => intelHosts(10_000),
    run(hosts) {
      baselineModel(hosts);
    },
    target: { maxMs: 100, why: 'well under a second, so `openevc baseline` over 10,000 files fits in 2 s with parsing' },
  },
  {
    name: "all pairs: is A's KVM guest set a subset of B's (1,000 CPUs)",
    setup: () => intelHosts(1_000),
    run(hosts) {
      const view = getView('kvm');
      const sets = hosts.map((h) => guestFeatures(h, view));
      let compatible = 0;
      for (const a of sets) for (const b of sets) if (a.isSubsetOf(b)) compatible++;
      return compatible;
    },
    target: { maxMs: 100, why: 'the compatibility matrix of 1,000 CPUs (1,000,000 checks) must take < 100 ms' },
  },
];

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function measure(c) {
  const prepared = c.setup();
  if (prepared.skip) return { name: c.name, skip: prepared.skip };
  c.run(prepared.state); // warm-up: JIT, caches
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    c.run(prepared.state);
    times.push(performance.now() - start);
  }
  const med = median(times);
  const rate = prepared.bytes ? prepared.bytes / 1e6 / (med / 1000) : undefined;
  let verdict = '';
  if (c.target?.mbPerSecond !== undefined) verdict = rate >= c.target.mbPerSecond ? `ok (target ≥ ${c.target.mbPerSecond} MB/s)` : `BELOW TARGET (≥ ${c.target.mbPerSecond} MB/s)`;
  if (c.target?.maxMs !== undefined) verdict = med <= c.target.maxMs ? `ok (target ≤ ${c.target.maxMs} ms)` : `BELOW TARGET (≤ ${c.target.maxMs} ms)`;
  if (c.target?.maxMsPerItem !== undefined) {
    const per = med / prepared.state.length;
    verdict = `${(per * 1000).toFixed(1)} µs each, ${per <= c.target.maxMsPerItem ? 'ok' : 'BELOW TARGET'} (target ≤ ${c.target.maxMsPerItem} ms each)`;
  }
  return { name: c.name, input: prepared.input, median: med, best: Math.min(...times), rate, verdict, failed: verdict.startsWith('BELOW') };
}

function table(rows) {
  const header = ['case', 'input', 'median', 'best', 'throughput', 'verdict'];
  const cells = rows.map((r) =>
    r.skip
      ? [r.name, `skipped: ${r.skip}`, '', '', '', '']
      : [r.name, r.input, `${r.median.toFixed(1)} ms`, `${r.best.toFixed(1)} ms`, r.rate === undefined ? '' : `${r.rate.toFixed(1)} MB/s`, r.verdict],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row) => row.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

console.log(`openevc benchmarks: node ${process.version}, ${ROUNDS} timed rounds per case after one warm-up, one core\n`);
const results = CASES.map(measure);
console.log(table(results));
if (results.some((r) => r.failed)) process.exitCode = 1;
