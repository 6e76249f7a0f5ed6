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
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../dist/core/catalog.js';
import { toVirshHostCpuXml } from '../dist/formats/libvirt/hostcpu-writer.js';
import { distinctVariants, intelSources, writeFleet } from './fleet.mjs';
import { decodeHost } from '../dist/core/host.js';
import { baselineModel, hostModel } from '../dist/core/models.js';
import { getProfile, guestFeatures } from '../dist/core/profiles.js';
import { importText } from '../dist/formats/readers.js';
import { Buffer } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { bundleBrowser } from '../scripts/browser-bundle.mjs';

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
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'bin', 'openevc.mjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
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

/** Distinct synthetic hosts (see bench/fleet.mjs), made once per size. */
const distinct = new Map();
function distinctHosts(n) {
  if (!distinct.has(n)) distinct.set(n, distinctVariants(intelSources(ROOT, SHARED), n));
  return distinct.get(n);
}

/** A temporary directory of `n` host files, removed at exit. */
const temps = [];
function fleetDir(tag, n) {
  const dir = mkdtempSync(join(tmpdir(), `openevc-bench-${tag}-`));
  temps.push(dir);
  writeFleet(dir, distinctHosts(Math.min(n, 2_000)).concat(n > 2_000 ? Array.from({ length: n - 2_000 }, (_, i) => distinctHosts(2_000)[i % 2_000]) : []));
  return dir;
}
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

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
    name: 'node -e 0 (the floor: Node start-up alone)',
    setup: () => ({ input: 'nothing', state: null }),
    run() {
      const r = spawnSync(process.execPath, ['-e', '0']);
      if (r.status !== 0) throw new Error('node -e 0 failed');
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
    name: "all pairs: is A's KVM guest set a subset of B's (1,000 distinct CPUs)",
    setup() {
      const hosts = distinctHosts(1_000).map((d) => decodeHost(d));
      return { input: '1,000 distinct Intel CPUs (real dumps, a few bits cleared)', state: hosts };
    },
    run(hosts) {
      const view = getProfile('kvm');
      const sets = hosts.map((h) => guestFeatures(h, view));
      let compatible = 0;
      for (const a of sets) for (const b of sets) if (a.isSubsetOf(b)) compatible++;
      return compatible;
    },
    target: { maxMs: 100, why: 'the compatibility matrix of 1,000 CPUs (1,000,000 checks, views included) must take < 100 ms' },
  },
  {
    name: 'openevc baseline, 10,000 host files (wall)',
    setup() {
      const dir = fleetDir('10k', 10_000);
      return { input: '10,000 openevc JSON files (a directory)', state: ['baseline', '--json', dir] };
    },
    run: cli,
    target: { maxMs: 2000, why: 'a whole datacenter in one command, start-up and parsing included' },
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
  return { name: c.name, input: prepared.input, median: med, best: Math.min(...times), rate, verdict, failed: verdict.includes('BELOW TARGET') };
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

// ---- side by side with a peer: openevc baseline vs virsh cpu-baseline, both as whole commands ----

const VIRSH_FEATURES = '/usr/share/libvirt/cpu_map/x86_features.xml';

function virshUsable() {
  return spawnSync('virsh', ['--version'], { encoding: 'utf8' }).status === 0 && existsSync(VIRSH_FEATURES);
}

function timeCommand(cmd, args) {
  const times = [];
  for (let i = 0; i <= ROUNDS; i++) {
    const start = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms); // the first run warms caches
  }
  return median(times);
}

/** The same CPUs for both tools: host files for openevc, one host-form <cpu> file for virsh (conversion not timed). */
function sideBySide() {
  if (!virshUsable()) return { skip: 'virsh (Debian libvirt-clients) is not installed' };
  const knownNames = new Set([...readFileSync(VIRSH_FEATURES, 'utf8').matchAll(/<feature name='([^']+)'/g)].map((m) => m[1]));
  const sets = [];
  const dir = join(SHARED, 'oracle', 'libvirt-cputestdata', 'cputestdata');
  if (existsSync(dir)) {
    const files = readdirSync(dir)
      .filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
      .map((f) => join(dir, f))
      .filter((f) => decodeHost(importText(readFileSync(f, 'utf8'), { file: f }).dump).id.vendor === 'intel');
    sets.push({ name: `${files.length} Intel libvirt dumps`, files, hosts: files.map((f) => decodeHost(importText(readFileSync(f, 'utf8'), { file: f }).dump)) });
  }
  const thousand = distinctHosts(1_000);
  const fleet = fleetDir('virsh', 1_000);
  sets.push({ name: '1,000 hosts', files: [fleet], hosts: thousand.map((d) => decodeHost(d)) });
  const work = mkdtempSync(join(tmpdir(), 'openevc-bench-virsh-'));
  temps.push(work);
  return sets.map((s, i) => {
    const xml = join(work, `cpus-${i}.xml`);
    writeFileSync(xml, toVirshHostCpuXml(s.hosts, { knownNames }));
    const openevc = timeCommand(process.execPath, [join(ROOT, 'dist', 'bin', 'openevc.mjs'), 'baseline', '--profile', 'raw', '--json', ...s.files]);
    const virsh = timeCommand('virsh', ['-c', 'test:///default', 'cpu-baseline', xml]);
    return { name: s.name, openevc, virsh };
  });
}

console.log(`openevc benchmarks: node ${process.version}, ${ROUNDS} timed rounds per case after one warm-up, one core\n`);
const results = CASES.map(measure);
console.log(table(results));
if (results.some((r) => r.failed)) process.exitCode = 1;

// Informational: what a web page loads to run the library (src/index.ts, esbuild for the browser, minified).
{
  const { code, builtins } = await bundleBrowser({ minify: true });
  const raw = Buffer.byteLength(code);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`\nBrowser bundle (src/index.ts, esbuild platform browser, ESM, minified): ${kb(raw)} raw, ${kb(gzipSync(code).length)} gzip${builtins.length > 0 ? `; imports Node built-ins: ${builtins.map((b) => `${b.module} (${b.importer})`).join(', ')}` : ''}`);
}

console.log('\nSide by side: `openevc baseline --profile raw` vs `virsh -c test:///default cpu-baseline`, same CPUs, whole commands (wall, median)\n');
const peers = sideBySide();
if (peers.skip) console.log(`skipped: ${peers.skip}`);
else {
  const rows = peers.map((p) => [p.name, `${p.openevc.toFixed(0)} ms`, `${p.virsh.toFixed(0)} ms`, `${(p.virsh / p.openevc).toFixed(2)}x`, p.openevc < p.virsh ? 'openevc faster' : 'virsh faster']);
  const header = ['CPUs', 'openevc', 'virsh', 'virsh/openevc', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
  const big = peers[peers.length - 1];
  if (!(big.openevc < big.virsh)) {
    console.log('BELOW TARGET: openevc must be faster than virsh at 1,000 hosts');
    process.exitCode = 1;
  }
}
