import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { REPO_ROOT, hasShared, shared } from '../../test-support/shared.js';

const FIX = 'src/cli/commands/fixtures/check';
const penryn = `${FIX}/penryn-class.json`;
const merom = `${FIX}/merom-class.json`;
const opteron = `${FIX}/opteron-gen3.json`;

describe('openevc check', () => {
  it('exits 1 and explains each blocker when the destination lacks a feature (golden)', async () => {
    const r = await runCli('check', penryn, merom);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expectGolden(r.stdout, `${FIX}/penryn-to-merom.golden.txt`);
  });

  it('exits 0 when the destination offers everything, and mentions its extra features in one line', async () => {
    const r = await runCli('check', merom, penryn);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, `${FIX}/merom-to-penryn.golden.txt`);
  });

  it('says which CPU of a dump of several logical CPUs it compares, as show does', async () => {
    const multi = 'src/formats/instlatx64/fixtures/bare-multi.txt';
    const r = await runCli('check', multi, multi);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`from  ${multi} (CPU 0 of 3): `);
    expect(r.stdout).toContain(`to    ${multi} (CPU 0 of 3): `);
    expect((await runCli('check', penryn, penryn)).stdout).toContain(`from  ${penryn}: `);
  });

  it('prints the JSON contract with --json', async () => {
    const r = await runCli('check', penryn, merom, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['compatible', 'profile', 'from', 'to', 'vendor_mismatch', 'blockers', 'extra', 'evc', 'notes', 'fidelity']);
    expect(json.compatible).toBe(false);
    expect(json.profile).toBe('esxi');
    expect(Object.keys(json.from)).toEqual(['vendor', 'vendor_id', 'family', 'model', 'stepping', 'signature', 'brand', 'microarchitecture']);
    expect(json.to.brand).toBe('Synthetic Merom-class Xeon');
    expect(json.blockers).toEqual([
      {
        id: 'sse4_1',
        name: 'SSE4.1',
        leaf: 1,
        subleaf: 0,
        reg: 'ecx',
        bit: 19,
        kind: 'newer-generation',
        cause: 'newer generation: Penryn (Core 2) is newer than Merom (Core 2); arrives with EVC mode intel-penryn',
        evc_mode: { key: 'intel-penryn', confirmed: true, sources: ['doc67-hostmgmt'] },
      },
    ]);
    const back = await runCli('check', merom, penryn, '--json');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ compatible: true, blockers: [], extra: ['sse4_1'] });
  });

  it('refuses Intel → AMD and says what the chosen profile allows', async () => {
    const esxi = await runCli('check', merom, opteron);
    expect(esxi.code).toBe(1);
    expect(esxi.stdout).toContain('NOT COMPATIBLE: the CPU vendors differ');
    expect(esxi.stdout).toContain('vSphere never live-migrates between Intel and AMD CPUs');
    const kvm = await runCli('check', merom, opteron, '--profile', 'kvm', '--json');
    expect(kvm.code).toBe(1);
    expect(JSON.parse(kvm.stdout).vendor_mismatch).toMatch(/^GenuineIntel → AuthenticAMD: KVM can move a guest between Intel and AMD hosts only when/);
  });

  it('exits 2 with file:line and what was expected for bad input, never a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-check-'));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\nCPUID 00000001: 000306A9-00100800-7F9AE3BF\n');
    const r = await runCli('check', merom, bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^openevc: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: expected .+, found .+\\n$`));
    const missing = await runCli('check', merom, join(dir, 'absent.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/absent\.json: expected an existing, readable file/);
    const profile = await runCli('check', merom, penryn, '--profile', 'hyperv');
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/hyperv/);
    const modes = await runCli('check', merom, penryn, '--evc-modes', bad);
    expect(modes.code).toBe(2);
    expect(modes.stderr).toMatch(/bad\.txt:1:1: expected valid JSON/);
  });
});

describe.skipIf(!hasShared)('openevc check on seed 002 hosts (needs ../shared)', () => {
  const dump = (f: string) => shared('oracle', 'instlatx64', 'GenuineIntel', f);
  it('names the blockers in vSphere wording and suggests the common EVC mode', async () => {
    const r = await runCli('check', dump('GenuineIntel00306A9_IvyBridge_CPUID.txt'), dump('GenuineIntel00406D8_Avoton_CPUID.txt'));
    expect(r.code).toBe(1);
    for (const name of ['PCID', 'XSAVE', 'Advanced Vector Extensions (AVX)', 'Half-precision conversion instructions (F16C)', 'Instructions to read and write FS and GS base registers', 'XSAVE SSE State', 'XSAVE YMM State']) {
      expect(r.stdout).toContain(`    ${name}  `);
    }
    expect(r.stdout).toContain('Fix: power the VM on under EVC mode intel-westmere');
    const json = JSON.parse((await runCli('check', dump('GenuineIntel00406D8_Avoton_CPUID.txt'), dump('GenuineIntel00306A9_IvyBridge_CPUID.txt'), '--json')).stdout);
    expect(json.blockers.map((b: { id: string }) => b.id)).toEqual(['movbe', '3dnowprefetch']);
    expect(json.evc).toMatchObject({ from: 'intel-westmere', to: 'intel-ivybridge', common: 'intel-westmere' });
    expect(json.evc.facts).toContainEqual({ key: 'intel-ivybridge', confirmed: false, sources: expect.arrayContaining(['kb1005764-recalled']) });
  });
});

describe('openevc check --vm (per-VM CPUID masks)', () => {
  const ex = (p: string) => join(REPO_ROOT, 'examples', p);
  const vmx = (p: string) => join(REPO_ROOT, 'src/cli/commands/fixtures/check', p);

  it("seed 002: the four merged mask lines make both directions compatible", async () => {
    const a = ex('seed-002/host-a-atom-c2750.json');
    const b = ex('seed-002/host-b-core-i7-3770.json');
    for (const [from, to] of [[a, b], [b, a]] as const) {
      expect((await runCli('check', from, to)).code).toBe(1);
      const r = await runCli('check', from, to, '--vm', vmx('seed002-merged.vmx'), '--json');
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).blockers).toEqual([]);
    }
  });

  it('a mask hiding a feature the VM needs elsewhere narrows the requirements, nothing more', async () => {
    const r = await runCli('check', ex('cluster/esx-12-xeon-e5-2650v4.json'), ex('cluster/esx-11-xeon-e5-2650v3.json'), '--vm', vmx('seed002-merged.vmx'), '--json');
    const ids = JSON.parse(r.stdout).blockers.map((b: { id: string }) => b.id);
    // Broadwell -> Haswell needs ADX, RDSEED, SMAP, PREFETCHW...; the seed's mask hides PREFETCHW only.
    expect(ids).not.toContain('3dnowprefetch');
    expect(ids).toEqual(expect.arrayContaining(['adx', 'rdseed', 'smap']));
  });

  it('a bad mask in the .vmx is refused with file:line:column and exit 2', async () => {
    const r = await runCli('check', ex('seed-002/host-a-atom-c2750.json'), ex('seed-002/host-b-core-i7-3770.json'), '--vm', vmx('bad-mask.vmx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-mask\.vmx:3:\d+: expected /);
  });
});
