/**
 * The library calls of docs/api.md return what the commands print: each call's text and JSON are
 * compared with the CLI's standard output on the bundled examples, and the calls' own options
 * (host selection, fleet reading, inventories given as texts) behave as documented.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import {
  InputError,
  addedHost,
  NoMatchError,
  UsageError,
  baselineReport,
  checkReport,
  decodeHostText,
  decodeHostsText,
  evcModesFromText,
  explainReport,
  featuresReport,
  fleetFromInventory,
  maskReport,
  modesReport,
  parseStep,
  planReport,
  showReport,
} from '../index.js';
import { inventoryFiles, parseInventory } from '../plan/inventory.js';

const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';
const GOVC = 'examples/fleet/vcenter-prod.govc.json';
const read = (p: string) => readFileSync(p, 'utf8');
const decoded = (p: string) => decodeHostText(read(p), { file: p });

describe('each call returns what its command prints', () => {
  it('show: text and JSON', async () => {
    const r = showReport(decoded(B));
    expect(`${r.text}\n`).toBe((await runCli('show', B)).stdout);
    expect(`${JSON.stringify(r.json, null, 2)}\n`).toBe((await runCli('show', '--json', B)).stdout);
    expect(r.json.cpu.brand).toContain('i7-3770');
  });

  it('check: result, text and JSON, with a .vmx', async () => {
    const vm = { text: read('examples/vms/db-02.vmx'), file: 'examples/vms/db-02.vmx' };
    const r = checkReport(decoded(A), decoded(B), { vm });
    const cli = await runCli('check', '--vm', vm.file, A, B);
    expect(`${r.text}\n`).toBe(cli.stdout);
    expect(r.result.compatible).toBe(cli.code === 0);
    const k = checkReport(decoded(B), decoded(A), { profile: 'kvm' });
    expect(k.result.compatible).toBe(false);
    expect(`${JSON.stringify(k.json, null, 2)}\n`).toBe((await runCli('check', '--json', '--profile', 'kvm', B, A)).stdout);
  });

  it('baseline: over a folder of mixed formats, with its clusters and VMs', async () => {
    const files = readdirSync('examples/fleet').filter((f) => f !== 'README.md').sort().map((f) => `examples/fleet/${f}`);
    const read = files.map((f) => decodeHostsText(readFileSync(f, 'utf8'), { file: f }));
    const hosts = read.flatMap((r) => r.hosts);
    const r = baselineReport(hosts, { clusters: read.flatMap((x) => x.clusters), vms: read.flatMap((x) => x.vms), loadedModes: read.flatMap((x) => x.evcModes) });
    expect(`${r.text}\n`).toBe((await runCli('baseline', 'examples/fleet')).stdout);
    // The command also says what reading the folder passed over (the folder's README); the call was given hosts, not a folder.
    const cli = JSON.parse((await runCli('baseline', '--json', 'examples/fleet')).stdout);
    expect(cli.passed_over.map((p: { path: string }) => p.path)).toEqual(['examples/fleet/README.md']);
    expect({ ...r.json, passed_over: cli.passed_over }).toEqual(cli);
    expect(hosts.some((h) => h.fidelity !== 'cpuid')).toBe(true);
  });

  it('mask: every format, minimal and EVC, stdout and stderr', async () => {
    for (const args of [['--format', 'vmx'], ['--format', 'libvirt', '--evc', 'intel-westmere'], ['--format', 'json'], ['--format', 'govc', '--name', 'db-02']]) {
      const opt = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
      const r = maskReport([decoded(A), decoded(B)], { format: opt('--format')!, ...(opt('--evc') ? { evc: opt('--evc')! } : {}), ...(opt('--name') ? { name: opt('--name')! } : {}) });
      const cli = await runCli('mask', ...args, A, B);
      expect(r.text, args.join(' ')).toBe(cli.stdout);
      expect(r.notes, args.join(' ')).toBe(cli.stderr);
    }
  });

  it('mask: an EVC mode a host cannot present is refused, naming it', () => {
    expect(() => maskReport([decoded(A), decoded(B)], { evc: 'intel-haswell' })).toThrow(/host-a-atom-c2750\.json lacks fma/);
  });

  it('modes, features and explain', async () => {
    expect(`${modesReport({ vendor: 'amd' }).text}\n`).toBe((await runCli('modes', '--vendor', 'amd')).stdout);
    expect(`${JSON.stringify(modesReport().json, null, 2)}\n`).toBe((await runCli('modes', '--json')).stdout);
    expect(featuresReport('lahf-lm').text).toBe((await runCli('features', 'lahf-lm')).stdout);
    expect(featuresReport("CPUID level 0x80000001 register 'ecx'").features.length).toBeGreaterThan(1);
    expect(() => featuresReport('no-such-feature-anywhere')).toThrow(NoMatchError);
    const msg = "CPUID level 0x1 register 'ecx' Mismatch: sse4.1";
    expect(explainReport(msg, { file: '(text)' }).text).toBe((await runCli('explain', msg)).stdout);
    expect(() => explainReport('the weather is nice today')).toThrow(InputError);
  });

  it('plan: an inventory and the files it names, given as texts, with a what-if step', async () => {
    const path = 'examples/inventory/seed-000.yaml';
    const text = read(path);
    const files = new Map(inventoryFiles(parseInventory(text, path).doc).map((r) => [r.ref, { text: read(join(dirname(path), r.ref)), label: join(dirname(path), r.ref) }]));
    const fleet = fleetFromInventory(text, path, files);
    const step = 'add host esx-04 to prod';
    const r = planReport(fleet, { whatIf: [parseStep(step)] });
    expect(r.text).toBe((await runCli('plan', path, '--what-if', step)).stdout);
    const j = planReport(fleet, { whatIf: [step], risk: true });
    expect(`${JSON.stringify(j.json, null, 2)}\n`).toBe((await runCli('plan', path, '--what-if', step, '--json', '--risk')).stdout);
    expect(planReport(fleet, { script: 'govc' }).text).toBe((await runCli('plan', path, '--script', 'govc')).stdout);
  });
});

describe('decoding options', () => {
  it('names one host of a fleet export (any case), else the first with a warning naming the others', () => {
    const all = decodeHostsText(read(GOVC), { file: GOVC });
    expect(all.hosts.length).toBeGreaterThan(1);
    const second = all.hosts[1]!;
    const picked = decodeHostText(read(GOVC), { file: GOVC, host: second.host!.toUpperCase() });
    expect(picked.file).toBe(second.file);
    expect(picked.decoded.features.ids()).toEqual(second.decoded.features.ids());
    const first = decodeHostText(read(GOVC), { file: GOVC });
    expect(first.file).toBe(all.hosts[0]!.file);
    expect(first.diagnostics.some((d) => d.level === 'warning' && d.message.includes(second.host!))).toBe(true);
    expect(() => decodeHostText(read(GOVC), { file: GOVC, host: 'nosuchhost' })).toThrow(/no host named 'nosuchhost'/);
  });

  it('refuses a CPU index out of range and a host name on a single-host input', () => {
    expect(() => decodeHostText(read(A), { file: A, cpu: 5 })).toThrow(/out of range/);
    expect(() => decodeHostText(read(A), { file: A, host: 'x' })).toThrow(UsageError);
  });

  it('labels text without a file as (text), and bad input names it with what was expected', () => {
    expect(decodeHostText(read(A)).file).toBe('(text)');
    expect(() => decodeHostText('hello\n')).toThrow(InputError);
  });

  it('vCenter EVC definitions replace the built-in modes by key, and add the others', async () => {
    const file = 'src/formats/vcenter-evc/fixtures/supported-evc-modes.json';
    const { modes } = evcModesFromText(read(file), file);
    expect(modes.get('intel-lab')).toBeDefined();
    expect(modesReport().modes.some((m) => m.key === 'intel-lab')).toBe(false);
    expect(`${modesReport({ evcModes: modes, vendor: 'intel' }).text}\n`).toBe((await runCli('modes', '--vendor', 'intel', '--evc-modes', file)).stdout);
  });
});

describe('addedHost', () => {
  it('keeps what a host rests on: raw CPUID, feature flags, or an EVC mode key only', () => {
    const fid = (text: string, file: string, host?: string) => addedHost(file, decodeHostText(text, { file, ...(host ? { host } : {}) })).cpu.fidelity;
    expect(fid(read(A), A)).toBe('cpuid');
    expect(fid(read(GOVC), GOVC, 'esx-14')).toBe('evc-key');
    expect(fid(read('examples/fleet/kubevirt-nodes.json'), 'examples/fleet/kubevirt-nodes.json', 'kv-01')).toBe('lossy');
  });
});
