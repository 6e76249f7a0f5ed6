/**
 * `npm start`: the main job on the bundled example fleet (examples/), one command at a time,
 * each printed before its output as you would type it. The examples are the hosts of the two
 * lab cases openevc reproduces (seed 000 and seed 002), an Intel cluster and an AMD pair.
 *
 * Then it serves the dashboard on the same fleet (`openevc serve examples`) and prints its URL;
 * Ctrl-C stops it. With `CI` set, or `--once`, it prints the report and exits (CI must not hang).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'bin', 'openevc.cjs');
if (!existsSync(bin)) {
  console.error('openevc is not built yet: run `npm ci` (or `npm run build`) first.');
  process.exit(2);
}

const STEPS = [
  ['What does this host offer a VM?', ['show', 'examples/seed-002/host-a-atom-c2750.json']],
  ['Seed 002: can a VM powered on at host A (Atom C2750) move to host B (Core i7-3770)?', ['check', 'examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json']],
  ['...and the other way round?', ['check', 'examples/seed-002/host-b-core-i7-3770.json', 'examples/seed-002/host-a-atom-c2750.json']],
  ['Seed 000: the E5420 host added to the E5310 cluster', ['check', 'examples/seed-000/esx-04-xeon-e5420.json', 'examples/seed-000/esx-01-xeon-e5310.json']],
  ['Seed 002: the .vmx lines that let VMs move both ways', ['mask', 'examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json']],
  ['...or a "poor man\'s EVC": present intel-westmere on both hosts', ['mask', '--evc', 'intel-westmere', 'examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json']],
  ['A VM that already hides 3DNow! PREFETCH: what still blocks it from A to B, and what openevc would add to its .vmx', ['check', '--vm', 'examples/vms/db-02.vmx', 'examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json']],
  ['', ['vmx', 'apply', 'examples/vms/db-02.vmx', '--hosts', 'examples/seed-002', '--dry-run']],
  ['The best baseline for the Intel cluster, in every ecosystem', ['baseline', 'examples/cluster']],
  ['The same cluster as a QEMU -cpu string, and as a libvirt <cpu>', ['mask', '--format', 'qemu', 'examples/cluster']],
  ['', ['mask', '--format', 'libvirt', 'examples/cluster']],
  ['The EVC modes openevc knows', ['modes', '--vendor', 'intel']],
];

for (const [title, args] of STEPS) {
  console.log(`${title ? `\n# ${title}\n` : '\n'}$ openevc ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  // `check` answers "not compatible" with exit code 1: that is an answer, not a failure.
  if (r.status !== 0 && !(args[0] === 'check' && r.status === 1)) process.exit(r.status ?? 1);
}

// The same fleet in the browser: `openevc serve examples` until Ctrl-C (not in CI, not with --once).
const once = process.argv.includes('--once') || Boolean(process.env.CI);
if (!once) {
  console.log('\n# The same fleet as a dashboard in your browser (Ctrl-C stops it)\n$ openevc serve examples\n');
  const r = spawnSync(process.execPath, [bin, 'serve', 'examples'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
}
