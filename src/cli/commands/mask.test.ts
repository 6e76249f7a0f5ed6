import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { expectGolden } from '../../test-support/expect-golden.js';

const FIX = 'src/cli/commands/fixtures/mask';
const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';
const EPYC = 'examples/amd/kvm-21-epyc-7601.json';
const E5310 = 'examples/seed-000/esx-01-xeon-e5310.json';
const E5420 = 'examples/seed-000/esx-04-xeon-e5420.json';

describe('openevc mask', () => {
  it('default: the minimal .vmx lines on stdout (seed 002), what each host loses and the advisory warning on stderr (golden)', async () => {
    const r = await runCli('mask', A, B);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'cpuid.1.ecx = "--00-0---0----0-----------------"',
        'cpuid.7.ebx = "-------------------------------0"',
        'cpuid.d.eax = "-----------------------------00-"',
        'cpuid.80000001.ecx = "-----------------------0--------"',
        '',
      ].join('\n'),
    );
    expectGolden(r.stderr, `${FIX}/seed002.stderr.txt`);
    expect(r.stderr).toContain('openevc: warning: hiding is advisory for MOVBE (movbe)');
  });

  it('--evc: the poor man\'s EVC lines; refused with exit 2, naming host and missing features, when a host cannot present the mode', async () => {
    const ok = await runCli('mask', '--evc', 'intel-westmere', A, B);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('cpuid.1.ecx = "-00000-0-00--00----000-000------"');
    expect(ok.stderr).toContain('EVC baseline intel-westmere');
    const no = await runCli('mask', '--evc', 'intel-westmere', E5310, E5420);
    expect(no.code).toBe(2);
    expect(no.stdout).toBe('');
    expect(no.stderr).toBe(
      `openevc: not every host can present EVC mode intel-westmere: ${E5310} lacks pclmulqdq, sse4_1, sse4_2, popcnt, aes, rdtscp; ${E5420} lacks pclmulqdq, sse4_2, popcnt, aes, rdtscp\n`,
    );
    const unknown = await runCli('mask', '--evc', 'intel-nonsense', A);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown EVC mode 'intel-nonsense'");
  });

  it('a directory stands for every host file in it (as for baseline)', async () => {
    const dir = await runCli('mask', '--format', 'qemu', 'examples/seed-002');
    const files = await runCli('mask', '--format', 'qemu', A, B);
    expect(dir.code).toBe(0);
    expect(dir.stdout).toBe(files.stdout);
    expect(dir.stdout).toMatch(/^-cpu Westmere,/);
  });

  it('hidden properties (mitigation, "not affected" bits) are an info, not the instruction warning', async () => {
    const r = await runCli('mask', '--format', 'qemu', 'examples/cluster');
    expect(r.code).toBe(0);
    const warning = r.stderr.split('\n').find((l) => l.startsWith('openevc: warning: hiding is advisory'))!;
    expect(warning).toContain('(rtm)');
    expect(warning).not.toContain('(mds_no)');
    expect(r.stderr).toMatch(/openevc: info: hiding .*\(mds_no\).* changes only what CPUID reports/);
  });

  it('hosts that agree: exit 0, an explicit message, not an empty output', async () => {
    const r = await runCli('mask', B, B);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('# openevc: nothing to hide: these hosts already show VMs the same features under the esxi profile\n');
    expect(r.stderr).toContain('openevc: info: nothing needs hiding: these hosts already show VMs the same features under the esxi profile');
  });

  it('mixed vendors: VMware formats refuse (exit 2), JSON says why', async () => {
    for (const format of ['vmx', 'featmask', 'govc', 'powercli']) {
      const r = await runCli('mask', '--format', format, A, EPYC);
      expect(r.code, format).toBe(2);
      expect(r.stderr, format).toContain('these hosts mix CPU vendors');
      expect(r.stderr, format).toContain('vSphere never live-migrates between Intel and AMD CPUs');
    }
    const json = await runCli('mask', '--format', 'json', A, EPYC);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).vmware_refused).toContain('these hosts mix CPU vendors');
  });

  it('--format json: the advisory warning is in the JSON and on stderr', async () => {
    const r = await runCli('mask', '--format', 'json', A, B);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.diagnostics.filter((d: { level: string }) => d.level === 'warning').map((d: { message: string }) => d.message)).toEqual([
      expect.stringContaining('hiding is advisory for MOVBE (movbe), XSAVEOPT (xsaveopt), 3DNow! PREFETCH and PREFETCHW (3dnowprefetch)'),
    ]);
    expect(r.stderr).toContain('openevc: warning: hiding is advisory');
  });

  it('--profile defaults to the format\'s own (xen: raw), and can be chosen', async () => {
    const xen = await runCli('mask', '--format', 'xen', A, B);
    expect(xen.stdout).toContain('(raw profile)');
    expect(xen.stdout).toContain('"6:eax='); // raw shows leaf-6 power bits, which differ
    const esxi = await runCli('mask', '--format', 'xen', '--profile', 'esxi', A, B);
    expect(esxi.stdout).toContain('(esxi profile)');
    expect(esxi.stdout).not.toContain('"6:eax=');
  });

  it('--name reaches govc and PowerCLI', async () => {
    expect((await runCli('mask', '--format', 'govc', '--name', 'app-01', A, B)).stdout).toContain("VM='app-01'\ngovc vm.change -vm \"$VM\"");
    expect((await runCli('mask', '--format', 'powercli', '--name', 'app-01', A, B)).stdout).toContain("$vm = Get-VM -Name 'app-01'");
  });

  it('--output writes the file atomically, replacing what was there, and prints nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-mask-'));
    const out = join(dir, 'lines.vmx');
    writeFileSync(out, 'old content\n');
    const r = await runCli('mask', A, B, '--output', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`openevc: wrote ${out}`);
    expect(readFileSync(out, 'utf8')).toBe((await runCli('mask', A, B)).stdout);
    expect(readdirSync(dir)).toEqual(['lines.vmx']);
    const bad = await runCli('mask', A, B, '--output', join(dir, 'missing-dir', 'x.vmx'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^openevc: cannot write .*x\.vmx: ENOENT; nothing written\n$/);
  });

  it('bad input: exit 2 with file and line, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-mask-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "openevc": "cpuid", "version": 1, "leaves": [ { "leaf": "zz" } ] }\n');
    const r = await runCli('mask', A, bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^openevc: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1(:\\d+)?: expected `));
    expect(r.stderr).not.toContain('    at ');
    const none = await runCli('mask', '--format', 'nonsense', A);
    expect(none.code).toBe(2);
  });
});
