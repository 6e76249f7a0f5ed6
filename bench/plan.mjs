/* global structuredClone */
/**
 * Benchmark (not a test): `openevc plan` over a generated inventory of 1,000 hosts (each with its own
 * CPUID file, drawn from the bundled example CPUs, some with AES-NI off as a firmware switch would
 * leave it) in 50 clusters, and 20,000 VMs (on, suspended, off; some with per-VM EVC, some with
 * per-VM masks), migration map included. Timed against `node -e 0` in the same run. Target: ≤ 1.5 s wall
 * for the JSON inventory. The same inventory in YAML is timed too (reported, no target): the yaml
 * package's parser alone takes about a second for 20,000 VM lines, so big fleets belong in JSON
 * (`openevc inventory … -o fleet.json`).
 *
 *   npm run build && node bench/plan.mjs [--keep]     (BENCH_ROUNDS, default 5)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const HOSTS = 1000;
const VMS = 20000;
const CLUSTERS = 50;
const TARGET_MS = 1500;

// Intel example CPUs, oldest first; each cluster spans two neighbouring generations.
const CPUS = ['seed-000/esx-01-xeon-e5310.json', 'seed-000/esx-04-xeon-e5420.json', 'seed-002/host-a-atom-c2750.json', 'seed-002/host-b-core-i7-3770.json', 'cluster/esx-11-xeon-e5-2650v3.json', 'cluster/esx-12-xeon-e5-2650v4.json', 'cluster/esx-13-xeon-gold-6148.json', 'cluster/esx-14-xeon-platinum-8268.json'];
const MODES = ['intel-merom', 'intel-penryn', 'intel-westmere', 'intel-ivybridge', 'intel-haswell', 'intel-broadwell', 'intel-skylake', 'intel-cascadelake'];

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

function generate(dir) {
  mkdirSync(join(dir, 'hosts'));
  const docs = CPUS.map((c) => JSON.parse(readFileSync(join(ROOT, 'examples', c), 'utf8')));
  const lines = ['openevc: inventory', 'version: 1', 'clusters:'];
  const inventory = { openevc: 'inventory', version: 1, clusters: [], hosts: [], vms: [] };
  for (let c = 0; c < CLUSTERS; c++) {
    const gen = c % (CPUS.length - 1);
    const evc = c % 3 === 0 ? MODES[gen] : null;
    lines.push(`  - { name: c${c}, evc: ${evc ?? 'null'}, vcenter: "7.0" }`);
    inventory.clusters.push({ name: `c${c}`, evc, vcenter: '7.0' });
  }
  lines.push('hosts:');
  const hostNames = [];
  for (let h = 0; h < HOSTS; h++) {
    const c = h % CLUSTERS;
    const gen = (c % (CPUS.length - 1)) + (rand() < 0.5 ? 1 : 0);
    const doc = structuredClone(docs[gen]);
    const aesOff = gen >= 2 && rand() < 0.03;
    if (aesOff) for (const l of doc.leaves) if (l.leaf === '0x00000001') l.ecx = `0x${((parseInt(l.ecx, 16) & ~(1 << 25)) >>> 0).toString(16).padStart(8, '0')}`;
    doc.source.label = `esx-${h}`;
    writeFileSync(join(dir, 'hosts', `esx-${h}.json`), JSON.stringify(doc));
    const name = `esx-${h}`;
    hostNames.push(name);
    lines.push(`  - { name: ${name}, cluster: c${c}, cpuid: hosts/${name}.json, bios: "${aesOff ? '1.2' : '1.4'}", hypervisor: "ESXi 7.0U3" }`);
    inventory.hosts.push({ name, cluster: `c${c}`, cpuid: `hosts/${name}.json`, bios: aesOff ? '1.2' : '1.4', hypervisor: 'ESXi 7.0U3' });
  }
  lines.push('vms:');
  for (let v = 0; v < VMS; v++) {
    const host = hostNames[Math.floor(rand() * HOSTS)];
    const r = rand();
    const power = r < 0.8 ? 'on' : r < 0.85 ? 'suspended' : 'off';
    const extra = v % 50 === 0 ? ', hardware: 14, evc: intel-merom' : v % 37 === 0 ? ', masks: { cpuid.1.ecx: "--00-0---0----0-----------------" }' : '';
    lines.push(`  - { name: vm-${v}, host: ${host}, power: ${power}${extra} }`);
    inventory.vms.push({ name: `vm-${v}`, host, power, ...(v % 50 === 0 ? { hardware: 14, evc: 'intel-merom' } : v % 37 === 0 ? { masks: { 'cpuid.1.ecx': '--00-0---0----0-----------------' } } : {}) });
  }
  writeFileSync(join(dir, 'inventory.yaml'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory, null, 1));
}

// CPU time (user + system) of the child, from /usr/bin/time when there is one: on a machine shared
// by other work, wall time measures the machine's load as much as openevc.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function time(args) {
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'openevc-bench-cpu %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const m = /openevc-bench-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined, bytes: r.stdout.length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'openevc-bench-plan-'));
try {
  generate(dir);
  const cli = join(ROOT, 'dist', 'bin', 'openevc.cjs');
  const inv = join(dir, 'inventory.json');
  const yaml = join(dir, 'inventory.yaml');
  const cases = [
    ['node -e 0', ['-e', '0'], false],
    ['openevc plan (text, migration map)', [cli, 'plan', inv], true],
    ['openevc plan --json (migration map)', [cli, 'plan', inv, '--json'], true],
    ['openevc plan, YAML inventory (no target)', [cli, 'plan', yaml], false],
  ];
  time([cli, 'plan', inv, '--json']); // warm the file cache
  const rows = [];
  for (const [name, args, target] of cases) {
    const runs = Array.from({ length: ROUNDS }, () => time(args));
    const cpus = runs.map((r) => r.cpu).filter((x) => x !== undefined);
    rows.push({ name, target, median: median(runs.map((r) => r.ms)), best: Math.min(...runs.map((r) => r.ms)), cpu: cpus.length ? median(cpus) : undefined, bytes: runs[0].bytes });
  }
  const base = rows[0].median;
  console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}; inventory: ${HOSTS} hosts (one CPUID file each) in ${CLUSTERS} clusters, ${VMS} VMs; ${ROUNDS} rounds; target ≤ ${TARGET_MS} ms wall`);
  for (const r of rows) console.log(`${r.name.padEnd(40)} wall median ${r.median.toFixed(0).padStart(5)} ms  best ${r.best.toFixed(0).padStart(5)} ms  ×${(r.median / base).toFixed(1).padStart(5)} node -e 0  cpu ${r.cpu === undefined ? '?' : `${r.cpu.toFixed(0)} ms`}  output ${(r.bytes / 1024).toFixed(0)} KiB`);
  const worst = Math.max(...rows.filter((r) => r.target).map((r) => r.median));
  if (worst > TARGET_MS) {
    console.log(`MISSED: ${worst.toFixed(0)} ms > ${TARGET_MS} ms`);
    process.exitCode = 1;
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
