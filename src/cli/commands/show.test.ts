import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT, hasShared, shared } from '../../test-support/shared.js';

const example = (p: string) => join(REPO_ROOT, 'examples', p);

describe('openevc show', () => {
  it('summarizes a host in words', async () => {
    const r = await runCli('show', example('seed-002/host-a-atom-c2750.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Intel(R) Atom(TM) CPU C2750 @ 2.40GHz');
    expect(r.stdout).toMatch(/Microarch\s+Silvermont \(Avoton\)/);
    expect(r.stdout).toMatch(/x86-64 level\s+x86-64-v2 /);
    expect(r.stdout).toMatch(/bitmanip\s+movbe popcnt/);
    expect(r.stdout).toMatch(/Hypervisor\s+none/);
  });

  it('prints the JSON contract', async () => {
    const r = await runCli('show', example('seed-002/host-b-core-i7-3770.json'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.source).toMatchObject({ format: 'openevc-json', original_format: 'synthetic', path: example('seed-002/host-b-core-i7-3770.json'), lossy: false });
    expect(j.cpu).toEqual({
      vendor: 'GenuineIntel',
      vendor_id: 'intel',
      family: 6,
      model: 58,
      stepping: 9,
      signature: '0x000306a9',
      brand: 'Intel(R) Core(TM) i7-3770 CPU @ 3.40GHz',
      microarchitecture: 'Ivy Bridge',
    });
    expect(j.hypervisor).toBe(false);
    expect(j.x86_64_level).toBe(2);
    expect(j.evc).toMatchObject({ max: 'intel-ivybridge', confirmed: false });
    // libvirt's host-model of an i7-3770 (its -host.xml in libvirt's test data says the same).
    expect(j.qemu.model).toBe('IvyBridge-v1');
    expect(j.qemu.extra).toEqual(['dtes64', 'monitor', 'ds_cpl', 'vmx', 'smx', 'est', 'tm2', 'xtpr', 'pdcm', 'pcid', 'osxsave', 'ds', 'acpi', 'ss', 'ht', 'tm', 'pbe', 'arat', 'xsaveopt', 'invtsc']);
    expect(j.qemu.disabled).toEqual([]);
    const avx = j.features.find((f: { id: string }) => f.id === 'avx');
    expect(avx).toEqual({ id: 'avx', name: 'Advanced Vector Extensions (AVX)', leaf: 1, subleaf: 0, reg: 'ecx', bit: 28, kind: 'feature', category: 'simd', enforcement: 'enforced' });
    // OS-controlled bits are listed, marked.
    expect(j.features.find((f: { id: string }) => f.id === 'osxsave')?.kind).toBe('os');
    // Every feature bit of the dump, in location order, leaf as a number.
    for (const f of j.features) expect(typeof f.leaf).toBe('number');
    const order = j.features.map((f: { leaf: number; subleaf: number; reg: string; bit: number }) => [f.leaf, f.subleaf, f.reg, f.bit].join('.'));
    expect(new Set(order).size).toBe(order.length);
    expect(j.features.some((f: { id: string }) => f.id === 'xsave_ymm')).toBe(true);
  });

  it('refuses bad input with file:line and exit code 2, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-show-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "openevc": "cpuid",\n  "version": 1,\n  "leaves": [ { "leaf": "0xzz", "eax": "0x0", "ebx": "0x0", "ecx": "0x0", "edx": "0x0" } ]\n}\n');
    const r = await runCli('show', bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^openevc: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4(:\\d+)?: expected `));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli('show', join(dir, 'nope.txt'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.txt');
    const binary = join(dir, 'blob.bin');
    writeFileSync(binary, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]));
    const bin = await runCli('show', binary);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toMatch(/binary/);
  });

  it('rejects unknown formats and out-of-range CPUs as usage errors (exit 2)', async () => {
    expect((await runCli('show', example('seed-002/host-a-atom-c2750.json'), '--format', 'pdf')).code).toBe(2);
    const r = await runCli('show', example('seed-002/host-a-atom-c2750.json'), '--cpu', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('out of range');
  });

  describe.skipIf(!hasShared)('on real dumps (needs ../shared)', () => {
    it('reads a multi-CPU InstLatx64 dump and says which CPU it shows', async () => {
      const r = await runCli('show', shared('oracle/instlatx64/GenuineIntel/GenuineIntel00306A9_IvyBridge_CPUID.txt'), '--cpu', '1');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('CPU 1 of 8');
      expect(r.stdout).toMatch(/Microarch\s+Ivy Bridge/);
    });

    it('says when a dump was taken inside a VM', async () => {
      const r = await runCli('show', shared('oracle/cpuid-tool-samples/kvm-guest-amd-epyc-a00f11.cpuid-r.txt'), '--json');
      const j = JSON.parse(r.stdout);
      expect(j.hypervisor).toBe(true);
      expect(j.hypervisor_vendor).toBe('KVMKVMKVM');
      const text = await runCli('show', shared('oracle/cpuid-tool-samples/kvm-guest-amd-epyc-a00f11.cpuid-r.txt'));
      expect(text.stdout).toMatch(/Hypervisor\s+yes \(KVMKVMKVM\)/);
    });
  });
});

const FIX = 'src/cli/commands/fixtures/check';

describe('openevc show: EVC', () => {
  it('prints the highest EVC mode, and why there is none', async () => {
    expect((await runCli('show', `${FIX}/penryn-class.json`)).stdout).toMatch(/\n {2}Max EVC mode {2}intel-penryn\? {2}\(Intel "Penryn" Generation \(Xeon 45 nm Core 2\)\)\n/);
    expect((await runCli('show', `${FIX}/opteron-gen3.json`)).stdout).toContain('  Max EVC mode  amd-greyhound?  (AMD Opteron Generation 3)');
  });

  it('adds "evc": {"max": ...} to the JSON summary', async () => {
    const json = JSON.parse((await runCli('show', `${FIX}/merom-class.json`, '--json')).stdout);
    expect(json.evc).toMatchObject({ max: 'intel-merom', confirmed: false });
    expect(json.evc.sources).toContain('kb1005764-recalled');
  });
});
