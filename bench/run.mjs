/**
 * openevc benchmarks: `npm run bench` builds, then runs this file. Not part of the tests.
 *
 * Each case prepares its input outside the timed region (files are read into memory first),
 * runs to warm up (once, and a short case until 100 ms have passed), then ROUNDS times; the
 * table shows the median and best round and, for cases that process bytes, the throughput of the
 * median round on one core (Node runs the work on its main thread). A case with a target that the median misses makes the run
 * exit with code 1.
 *
 * To add a case, append an object to CASES:
 *   name    what is measured
 *   setup() returns { skip: 'why' } or { input: 'description', bytes?: number, state }
 *   run(state) does the work once
 *   target  optional { mbPerSecond }, { maxMs } or { maxMsPerItem } (state is an array), with the reason in `why`
 *
 * Then the ratios of issue 11, each against a peer or a floor measured in the same run (rounds
 * interleaved so that load on a shared machine hits both alike; medians; CPU time = user + sys
 * from /usr/bin/time when installed):
 *   - start-up: `--version`, `--help`, `show`, `check` against `node -e 0`;
 *   - `baseline --profile raw --json` against `virsh -c test:///default cpu-baseline` on the same
 *     CPUs at 48 (libvirt's own dumps), 1,000 and 10,000 hosts (virsh's refusal is printed), the
 *     1,000 hosts twice: every host its own CPU (bench/fleet.mjs distinctVariants, the worst case)
 *     and hosts of eight server CPU models (serverFleet); for each of these two, also the text
 *     report, bench/floor.cjs (Node's start-up, the same reads, an answer of
 *     the same size: what no implementation in Node can go below) and `baseline --split` of the
 *     XML file virsh itself reads; when NODE_EXTRA_CA_CERTS is set, also openevc and `node -e 0`
 *     without it (Node 20 parses that certificate bundle at every start);
 *   - 100,000 host files, of 2,000 distinct CPUs and of a data centre's eight server models with
 *     no two dumps alike: wall, CPU and max RSS of `baseline --json`, and of `mask`;
 *   - the all-pairs kernel (compatibilityMatrix) against the isSubsetOf loop at 1,000 and 10,000
 *     distinct CPUs.
 * A missed target makes the run exit with code 1.
 *
 * Environment: OPENEVC_SHARED (default ../shared beside the repository), BENCH_ROUNDS (default 9;
 * the ratio sections use at least 5), BENCH_ONLY=ratios (skip the first table), BENCH_ONLY=cases (only
 * the first table), BENCH_ONLY=startup (only the start-up ratios) or BENCH_ONLY=scale (only the
 * 100,000-host runs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../dist/core/catalog.js';
import { toVirshHostCpuXml } from '../dist/formats/libvirt/hostcpu-writer.js';
import { distinctVariants, intelSources, serverFleet, writeFleet, writeServerFleet } from './fleet.mjs';
import { decodeHost } from '../dist/core/host.js';
import { baselineModel, hostModel } from '../dist/core/models.js';
import { getProfile, guestFeatures } from '../dist/core/profiles.js';
import { compatibilityMatrix, distinctFeatureSets } from '../dist/core/pairs.js';
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
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'bin', 'openevc.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
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

/** A temporary directory of these dumps as host files, removed at exit. */
const temps = [];
function tempFleet(tag, dumps) {
  const dir = mkdtempSync(join(tmpdir(), `openevc-bench-${tag}-`));
  temps.push(dir);
  writeFleet(dir, dumps);
  return dir;
}

/** `n` host files of distinct CPUs (beyond 2,000, those 2,000 again in turn). */
function fleetDir(tag, n) {
  return tempFleet(tag, distinctHosts(Math.min(n, 2_000)).concat(n > 2_000 ? Array.from({ length: n - 2_000 }, (_, i) => distinctHosts(2_000)[i % 2_000]) : []));
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
    name: 'import libvirt <cpudata> (cputestdata raw dumps)',
    setup() {
      const dir = join(SHARED, 'oracle', 'libvirt-cputestdata', 'cputestdata');
      if (!existsSync(dir)) return { skip: `${dir} not found` };
      const texts = readdirSync(dir)
        .filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
        .map((f) => readFileSync(join(dir, f), 'latin1'));
      const bytes = texts.reduce((n, t) => n + t.length, 0);
      return { input: `${texts.length} files, ${(bytes / 1e6).toFixed(2)} MB`, bytes, state: texts };
    },
    run(texts) {
      for (const text of texts) importText(text, { file: 'bench' });
    },
    target: { mbPerSecond: 50, why: 'issue 11: libvirt <cpudata> at 50 MB/s or more (3 MB/s through the XML parser)' },
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
  // Warm-up (JIT, caches): once, and a short case again until 100 ms have passed (at most 30 runs),
  // so that a case of a few milliseconds is measured warm, not by its first rounds.
  const warm = performance.now();
  for (let n = 0; n === 0 || (performance.now() - warm < 100 && n < 30); n++) c.run(prepared.state);
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

console.log(`openevc benchmarks: node ${process.version}, ${ROUNDS} timed rounds per case after one warm-up, one core\n`);
const ONLY = process.env.BENCH_ONLY;
/** Whether a section runs: all of them, or the one BENCH_ONLY names (`ratios`: all but the first table). */
const want = (section) => ONLY === undefined || ONLY === section || (ONLY === 'ratios' && section !== 'cases');
const results = want('cases') ? CASES.map(measure) : [];
if (results.length > 0) console.log(table(results));
if (results.some((r) => r.failed)) process.exitCode = 1;

// ---- ratios (issue 11): every figure against a peer or a floor measured in the same run ----

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command once; wall time from here, CPU time (user + sys) and max RSS from /usr/bin/time
 * when it is installed (the machine is shared: CPU time is the steadier figure).
 */
function runOnce(cmd, args, { allowFail = false, env = undefined } = {}) {
  const start = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', '@@time %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, env });
  const wall = performance.now() - start;
  const m = TIME ? /@@time ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr) : null;
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rss: m ? Number(m[3]) * 1024 : NaN, status: r.status, stderr: TIME ? r.stderr.replace(/@@time.*\s*$/, '') : r.stderr };
}

/** Several commands measured in turns (round-robin, so that load on the machine hits them alike); medians. */
function interleaved(commands, rounds) {
  const runs = commands.map(() => []);
  for (let i = 0; i <= rounds; i++) {
    commands.forEach((c, k) => {
      const r = runOnce(c.cmd, c.args, { allowFail: c.allowFail, env: c.env });
      if (i > 0) runs[k].push(r); // the first round warms the disk cache
    });
  }
  return runs.map((rs) => ({ wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), rss: median(rs.map((r) => r.rss)), n: rs.length }));
}

const OPENEVC = join(ROOT, 'dist', 'bin', 'openevc.cjs');
const R = Math.max(5, ROUNDS);
const ratioRows = [];
let missed = false;
function ratioRow(name, value, floorName, floor, target) {
  const wall = value.wall / floor.wall;
  const cpu = value.cpu / floor.cpu;
  const ok = target === undefined ? '' : wall <= target ? `ok (≤ ${target}×)` : `MISSED (≤ ${target}×)`;
  if (ok.startsWith('MISSED')) missed = true;
  ratioRows.push([name, `${value.wall.toFixed(0)} ms`, `${floorName} ${floor.wall.toFixed(0)} ms`, `${wall.toFixed(2)}×`, Number.isNaN(cpu) ? '' : `${cpu.toFixed(2)}×`, ok]);
}
function printRatios(title) {
  const header = ['case', 'median wall', 'peer or floor (median wall)', 'wall ratio', 'CPU ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...ratioRows.map((r) => r[i].length)));
  console.log(`\n${title}\n`);
  for (const r of [header, widths.map((w) => '-'.repeat(w)), ...ratioRows]) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
  ratioRows.length = 0;
}

// Start-up: show, check, --version and --help against `node -e 0`.
if (want('startup')) {
  const A = join(ROOT, 'examples', 'seed-002', 'host-a-atom-c2750.json');
  const B = join(ROOT, 'examples', 'seed-002', 'host-b-core-i7-3770.json');
  const ivy = join(SHARED, 'oracle', 'instlatx64', 'GenuineIntel', 'GenuineIntel00306A9_IvyBridge_CPUID.txt');
  const cases = [
    ['openevc --version', ['--version'], 1.1],
    ['openevc --help', ['--help'], undefined],
    ['openevc show (JSON host)', ['show', B], 1.4],
    ['openevc show --json (JSON host)', ['show', '--json', B], 1.4],
    ...(existsSync(ivy) ? [['openevc show --json (InstLatx64, 8 CPUs)', ['show', '--json', ivy], 1.4]] : []),
    ['openevc check (JSON hosts)', ['check', B, A], 1.4],
  ];
  const res = interleaved([{ cmd: process.execPath, args: ['-e', '0'] }, ...cases.map(([, args]) => ({ cmd: process.execPath, args: [OPENEVC, ...args], allowFail: true }))], R);
  cases.forEach(([name, , target], i) => ratioRow(name, res[i + 1], 'node -e 0', res[0], target));
  printRatios(`Start-up against Node's floor (\`node -e 0\`), ${R} interleaved rounds after one warm-up; CPU = user + sys`);
}

// baseline against virsh cpu-baseline on the same CPUs at 48, 1,000 and 10,000 hosts.
const VIRSH_FEATURES = '/usr/share/libvirt/cpu_map/x86_features.xml';
function virshUsable() {
  return spawnSync('virsh', ['--version'], { encoding: 'utf8' }).status === 0 && existsSync(VIRSH_FEATURES);
}
if (want('virsh')) {
  const sets = [];
  const dir = join(SHARED, 'oracle', 'libvirt-cputestdata', 'cputestdata');
  if (existsSync(dir)) {
    const files = readdirSync(dir)
      .filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
      .map((f) => join(dir, f))
      .filter((f) => decodeHost(importText(readFileSync(f, 'utf8'), { file: f }).dump).id.vendor === 'intel');
    sets.push({ name: `${files.length} hosts (libvirt <cpudata> files)`, files, hosts: files.map((f) => decodeHost(importText(readFileSync(f, 'utf8'), { file: f }).dump)) });
  }
  for (const n of [1_000, 10_000]) {
    const all = distinctHosts(Math.min(n, 2_000));
    const picked = Array.from({ length: n }, (_, i) => all[i % all.length]);
    sets.push({ name: `${n.toLocaleString('en')} hosts (openevc JSON files, ${Math.min(n, 2_000).toLocaleString('en')} distinct CPUs)`, files: [fleetDir(`b${n}`, n)], hosts: picked.map((d) => decodeHost(d)), target: n === 1_000 ? 0.8 : undefined });
    if (n === 1_000) {
      // The same size as a data centre holds it: a few server generations, every file its own host.
      const servers = serverFleet(ROOT, SHARED, n);
      const dir = tempFleet('servers', servers);
      const models = new Set(servers.map((d) => d.source.path)).size;
      sets.push({ name: `${n.toLocaleString('en')} hosts (openevc JSON files, ${models} server CPU models, each host its own APIC IDs)`, files: [dir], hosts: servers.map((d) => decodeHost(d)), target: 0.8 });
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'openevc-bench-virsh-'));
  temps.push(work);
  const hasVirsh = virshUsable();
  const knownNames = hasVirsh ? new Set([...readFileSync(VIRSH_FEATURES, 'utf8').matchAll(/<feature name='([^']+)'/g)].map((m) => m[1])) : undefined;
  const notes = [];
  for (const [i, s] of sets.entries()) {
    const openevc = { cmd: process.execPath, args: [OPENEVC, 'baseline', '--profile', 'raw', '--json', ...s.files] };
    if (!hasVirsh) {
      const [o] = interleaved([openevc], R);
      ratioRows.push([s.name, `${o.wall.toFixed(0)} ms`, 'virsh not installed', '', '', '']);
      continue;
    }
    const xml = join(work, `cpus-${i}.xml`);
    writeFileSync(xml, toVirshHostCpuXml(s.hosts, { knownNames }));
    const virsh = { cmd: 'virsh', args: ['-c', 'test:///default', 'cpu-baseline', xml] };
    const probe = runOnce(virsh.cmd, virsh.args, { allowFail: true });
    if (probe.status !== 0) {
      const [o] = interleaved([openevc], R);
      const why = probe.stderr.trim().split('\n').filter((l) => l && !l.startsWith('Command exited')).slice(-1)[0] ?? `exit ${probe.status}`;
      notes.push(`virsh refuses ${s.name}: ${why}`);
      ratioRows.push([s.name, `${o.wall.toFixed(0)} ms (CPU ${o.cpu.toFixed(0)} ms)`, 'virsh refuses', '', '', s.name.startsWith('10,000') ? (o.wall <= 1000 ? 'ok (≤ 1 s)' : 'MISSED (≤ 1 s)') : '']);
      if (s.name.startsWith('10,000') && o.wall > 1000) missed = true;
      continue;
    }
    if (s.target === undefined) {
      const [o, v] = interleaved([openevc, virsh], R);
      ratioRow(`baseline, ${s.name}`, o, 'virsh', v, s.target);
      continue;
    }
    // The target's fleet, also as the text report (the command's default, what the issue first
    // measured), and the floor under the JSON run: Node's start-up, the same file reads and an
    // answer of the same size written, nothing decoded (bench/floor.cjs).
    const answer = join(work, `answer-${i}.json`);
    writeFileSync(answer, spawnSync(process.execPath, openevc.args, { maxBuffer: 1 << 30 }).stdout);
    const text = { cmd: process.execPath, args: [OPENEVC, 'baseline', '--profile', 'raw', ...s.files] };
    const floor = { cmd: process.execPath, args: [join(ROOT, 'bench', 'floor.cjs'), s.files[0], answer] };
    // And the very file virsh reads (one <cpu> per host, feature names only), read with --split.
    const same = { cmd: process.execPath, args: [OPENEVC, 'baseline', '--split', '--profile', 'raw', '--json', xml] };
    // NODE_EXTRA_CA_CERTS (set on some machines for a registry's proxy) makes Node 20 read and parse
    // that certificate bundle at every start, before any code runs; openevc opens no TLS connection.
    // When it is set, what it costs is measured too: the same runs with the variable removed.
    const bare = process.env.NODE_EXTRA_CA_CERTS ? { ...process.env } : undefined;
    if (bare) delete bare.NODE_EXTRA_CA_CERTS;
    const node0 = { cmd: process.execPath, args: ['-e', '0'] };
    const runs = [openevc, text, floor, same, virsh, ...(bare ? [{ ...openevc, env: bare }, { ...same, env: bare }, node0, { ...node0, env: bare }] : [])];
    const [o, t, f, x, v, o2, x2, n1, n2] = interleaved(runs, R);
    const without = '  … Node started without NODE_EXTRA_CA_CERTS';
    ratioRow(`baseline, ${s.name}`, o, 'virsh', v, s.target);
    if (bare) ratioRow(without, o2, 'virsh', v, undefined);
    ratioRow(`baseline (text report), ${s.name}`, t, 'virsh', v, undefined);
    ratioRow(`baseline --split of virsh's own input file (${s.hosts.length.toLocaleString('en')} <cpu> definitions)`, x, 'virsh', v, undefined);
    if (bare) ratioRow(without, x2, 'virsh', v, undefined);
    ratioRow(`floor: node + the same reads + the same-size answer`, f, 'virsh', v, undefined);
    if (bare) ratioRow(`node -e 0: ${n1.wall.toFixed(0)} ms, without NODE_EXTRA_CA_CERTS ${n2.wall.toFixed(0)} ms`, n1, 'virsh', v, undefined);
  }
  printRatios(`\`openevc baseline --profile raw --json\` against \`virsh -c test:///default cpu-baseline\`, same CPUs, whole commands, ${R} interleaved rounds`);
  for (const n of notes) console.log(n);
}

// 100,000 hosts: wall and max RSS (no peer: virsh refuses far smaller fleets), against node -e 0 for scale.
// Two fleets: 2,000 distinct CPUs over and over (identical dumps), and a data centre's (eight server
// models, every dump its own APIC IDs: no two files alike, so nothing is shared between hosts).
if (want('scale')) {
  const fleets = [
    ['100,000 host files (2,000 distinct CPUs)', () => fleetDir('100k', 100_000)],
    ['100,000 host files (8 server CPU models, each host its own APIC IDs)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'openevc-bench-servers100k-'));
      temps.push(dir);
      writeServerFleet(dir, ROOT, SHARED, 100_000);
      return dir;
    }],
  ];
  const rounds = 5;
  for (const [name, make] of fleets) {
    const dir = make();
    // mask too (no target of its own): its explanation names every host, so it keeps them all, light.
    const [floor, big, mask] = interleaved([{ cmd: process.execPath, args: ['-e', '0'] }, { cmd: process.execPath, args: [OPENEVC, 'baseline', '--json', dir] }, { cmd: process.execPath, args: [OPENEVC, 'mask', dir] }], rounds);
    rmSync(dir, { recursive: true, force: true });
    const rssNode = floor.rss;
    console.log(`\n\`openevc baseline --json\`, ${name}, ${rounds} rounds: median wall ${(big.wall / 1000).toFixed(2)} s (target ≤ 10 s: ${big.wall <= 10_000 ? 'ok' : 'MISSED'}), CPU ${(big.cpu / 1000).toFixed(2)} s, max RSS ${(big.rss / 1e6).toFixed(0)} MB (target ≤ 250 MB: ${big.rss <= 250e6 ? 'ok' : 'MISSED'}; \`node -e 0\` ${(rssNode / 1e6).toFixed(0)} MB)`);
    console.log(`\`openevc mask\` (a .vmx mask, a line per host on standard error), the same files: median wall ${(mask.wall / 1000).toFixed(2)} s, max RSS ${(mask.rss / 1e6).toFixed(0)} MB`);
    if (big.wall > 10_000 || big.rss > 250e6) missed = true;
  }
}

// The all-pairs kernel against the pairwise loop it replaces (isSubsetOf on every ordered pair).
if (want('pairs')) {
  const rows = [];
  for (const n of [1_000, 10_000]) {
    const raw = getProfile('raw');
    const base = distinctHosts(Math.round(n * 1.05)).map((d) => guestFeatures(decodeHost(d), raw));
    const sets = distinctFeatureSets(base).sets.slice(0, n);
    if (sets.length < n) throw new Error(`only ${sets.length} distinct CPUs`);
    const kernel = [];
    const kernelCpu = [];
    const naive = [];
    let agree = true;
    for (let r = 0; r <= 5; r++) {
      let t = performance.now();
      const c0 = process.cpuUsage();
      const m = compatibilityMatrix(sets);
      const k = performance.now() - t;
      const kc = process.cpuUsage(c0);
      t = performance.now();
      let c = 0;
      for (const a of sets) for (const b of sets) if (a.isSubsetOf(b)) c++;
      const p = performance.now() - t;
      if (c - n !== m.countCompatible()) agree = false;
      if (r > 0) {
        kernel.push(k);
        kernelCpu.push((kc.user + kc.system) / 1000);
        naive.push(p);
      }
    }
    const km = median(kernel);
    const pm = median(naive);
    const target = n === 10_000 ? (km <= 1000 ? 'ok (≤ 1 s)' : 'MISSED (≤ 1 s)') : '';
    if (n === 10_000 && km > 1000) missed = true;
    rows.push([`${n.toLocaleString('en')} distinct CPUs`, `${km.toFixed(0)} ms (CPU ${median(kernelCpu).toFixed(0)} ms)`, `${pm.toFixed(0)} ms`, `${(km / pm).toFixed(3)}×`, agree ? 'same answers' : 'DISAGREE', target]);
    if (!agree) missed = true;
  }
  const header = ['all pairs (library, in-process)', 'kernel', 'isSubsetOf loop', 'ratio', '', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  console.log('\nAll-pairs compatibility matrix (compatibilityMatrix) against the pairwise loop, 5 rounds after one warm-up, medians\n');
  for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
}

try {
  console.log(`\nload while measuring: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} catch {
  // not Linux
}
if (missed) process.exitCode = 1;

// Informational: what a web page loads to run the library (src/index.ts, esbuild for the browser, minified).
if (want('bundle')) {
  const { code, builtins } = await bundleBrowser({ minify: true });
  const raw = Buffer.byteLength(code);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`\nBrowser bundle (src/index.ts, esbuild platform browser, ESM, minified): ${kb(raw)} raw, ${kb(gzipSync(code).length)} gzip${builtins.length > 0 ? `; imports Node built-ins: ${builtins.map((b) => `${b.module} (${b.importer})`).join(', ')}` : ''}`);
}
