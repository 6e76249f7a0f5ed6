/**
 * Output snapshots for refactors: runs every README example, every `npm start` step and a set of
 * JSON and per-format outputs against the bundled examples, and writes each command's stdout,
 * stderr and exit code to one file per command.
 *
 *   node scripts/compare-outputs.mjs save DIR      # record (before a change)
 *   node scripts/compare-outputs.mjs compare DIR   # run again and report every difference
 *
 * Needs a built CLI (`npm run build`). Exit 0 when every output is byte-identical, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'bin', 'openevc.cjs');

const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';
const MASK_FORMATS = ['vmx', 'featmask', 'govc', 'powercli', 'qemu', 'libvirt', 'proxmox', 'nova', 'kubevirt', 'xen', 'json'];

/** Each case: a name (the file it is saved as) and the openevc arguments. */
const CASES = [
  ['readme-check', ['check', B, A]],
  ['readme-baseline-cluster', ['baseline', 'examples/cluster']],
  ['readme-show-json', ['show', 'examples/cluster/esx-14-xeon-platinum-8268.json', '--json']],
  ['readme-features-avx512', ['features', 'avx512']],
  ['readme-mask-seed002', ['mask', A, B]],
  ['readme-mask-evc-govc', ['mask', '--evc', 'intel-westmere', '--format', 'govc', A, B]],
  ['readme-mask-libvirt-cluster', ['mask', '--format', 'libvirt', 'examples/cluster']],
  ['readme-vmx-show', ['vmx', 'show', 'examples/vms/db-02.vmx']],
  ['readme-vmx-apply-dry', ['vmx', 'apply', 'examples/vms/db-02.vmx', '--hosts', 'examples/seed-002', '--dry-run']],
  ['readme-features-location', ['features', "CPUID level 0x80000001 register 'ecx'"]],
  ['tour-show-a', ['show', A]],
  ['tour-check-ab', ['check', A, B]],
  ['tour-check-seed000', ['check', 'examples/seed-000/esx-04-xeon-e5420.json', 'examples/seed-000/esx-01-xeon-e5310.json']],
  ['tour-mask-evc', ['mask', '--evc', 'intel-westmere', A, B]],
  ['tour-check-vm', ['check', '--vm', 'examples/vms/db-02.vmx', A, B]],
  ['tour-mask-qemu-cluster', ['mask', '--format', 'qemu', 'examples/cluster']],
  ['tour-modes-intel', ['modes', '--vendor', 'intel']],
  ['modes-all', ['modes']],
  ['modes-json', ['modes', '--json']],
  ['baseline-examples-json', ['baseline', 'examples', '--json']],
  ['baseline-examples', ['baseline', 'examples']],
  ['baseline-amd', ['baseline', 'examples/amd']],
  ['baseline-seed002-raw', ['baseline', '--profile', 'raw', 'examples/seed-002']],
  ['baseline-seed002-kvm', ['baseline', '--profile', 'kvm', 'examples/seed-002']],
  ['check-json', ['check', '--json', A, B]],
  ['check-kvm', ['check', '--profile', 'kvm', A, B]],
  ['check-raw', ['check', '--profile', 'raw', B, A]],
  ['check-amd', ['check', 'examples/amd', 'examples/seed-002/host-b-core-i7-3770.json']],
  ['show-b-json', ['show', '--json', B]],
  ['show-amd', ['show', ...listDir('examples/amd').slice(0, 1)]],
  ['features-all-json', ['features', '--json']],
  ['features-tsx', ['features', 'rtm']],
  ['version', ['--version']],
  ['help', ['--help']],
  ['bad-input', ['show', 'package.json']],
  ...MASK_FORMATS.flatMap((f) => [
    [`mask-${f}-seed002`, ['mask', '--format', f, A, B]],
    [`mask-${f}-evc-cluster`, ['mask', '--format', f, '--evc', 'intel-haswell', 'examples/cluster']],
  ]),
];

function listDir(d) {
  return readdirSync(join(root, d)).sort().map((f) => `${d}/${f}`);
}

function run(args) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, COLUMNS: '100', NO_COLOR: '1' } });
  return `$ openevc ${args.join(' ')}\n--- exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

function tour() {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'tour.mjs')], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return `--- exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

const [mode, dir] = process.argv.slice(2);
if (!['save', 'compare'].includes(mode ?? '') || !dir) {
  console.error('usage: node scripts/compare-outputs.mjs save|compare DIR');
  process.exit(2);
}
if (!existsSync(bin)) {
  console.error('openevc is not built: run `npm run build` first.');
  process.exit(2);
}
const outputs = new Map(CASES.map(([name, args]) => [name, run(args)]));
outputs.set('npm-start', tour());
if (mode === 'save') {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of outputs) writeFileSync(join(dir, `${name}.txt`), text);
  console.log(`saved ${outputs.size} outputs to ${dir}`);
} else {
  let differ = 0;
  for (const [name, text] of outputs) {
    const file = join(dir, `${name}.txt`);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (before !== text) {
      differ++;
      console.log(`differs: ${name}${before === undefined ? ' (not recorded before)' : ''}`);
    }
  }
  console.log(`${outputs.size - differ} of ${outputs.size} outputs byte-identical`);
  process.exit(differ ? 1 : 0);
}
