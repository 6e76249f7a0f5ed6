import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT, hasShared, shared } from '../../test-support/shared.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const instlat = (f: string) => shared('oracle/instlatx64/GenuineIntel', f);

describe('openevc baseline', () => {
  it('prints the JSON contract', async () => {
    const r = await runCli('baseline', ex('cluster'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['vendor', 'evc', 'qemu', 'x86_64_level', 'features', 'hosts', 'limiting']));
    expect(j.vendor).toBe('intel');
    expect(j.evc.mode).toBe('intel-haswell');
    expect(j.qemu).toMatchObject({ model: 'Haswell-noTSX', disabled: [] });
    expect(j.qemu.extra).toEqual(expect.arrayContaining(['f16c', 'rdrand', 'abm']));
    expect(j.x86_64_level).toBe(3);
    expect(j.features).toEqual(expect.arrayContaining(['sse4_2', 'avx2', 'fma', 'movbe']));
    expect(j.hosts).toHaveLength(4);
    expect(j.hosts[0]).toMatchObject({ path: ex('cluster/esx-11-xeon-e5-2650v3.json'), max_evc: 'intel-haswell' });
    expect(j.hosts[3].lost).toEqual(expect.arrayContaining(['avx512f', 'avx512bw']));
    expect(j.limiting).toEqual([expect.objectContaining({ path: ex('cluster/esx-11-xeon-e5-2650v3.json'), evc: 'intel-broadwell' })]);
  });

  it('explains in words who holds the baseline down', async () => {
    const r = await runCli('baseline', ex('cluster/esx-11-xeon-e5-2650v3.json'), ex('cluster/esx-13-xeon-gold-6148.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/EVC mode\s+intel-haswell/);
    expect(r.stdout).toMatch(/retire .*esx-11-xeon-e5-2650v3\.json: EVC rises to intel-skylake/);
  });

  it('refuses mixed vendors for EVC and QEMU models but gives the common set', async () => {
    const j = JSON.parse((await runCli('baseline', ex('cluster/esx-13-xeon-gold-6148.json'), ex('amd'), '--json', '--profile', 'kvm')).stdout);
    expect(j.vendor).toBe('mixed');
    expect(j.vendor_mismatch).toMatch(/Intel|AMD/);
    expect(j.evc.mode).toBeNull();
    expect(j.qemu).toBeNull();
    expect(j.features).toContain('avx2');
  });

  it('refuses bad input with exit 2 and file:line', async () => {
    const r = await runCli('baseline', ex('cluster/esx-11-xeon-e5-2650v3.json'), join(REPO_ROOT, 'package.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/package\.json/);
  });

  it('in a directory, passes over files that are not CPUID dumps and reports broken ones, reading the rest (named, both are errors)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-dir-'));
    try {
      copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a.json'));
      copyFileSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, 'b.json'));
      copyFileSync(ex('vms/db-02.vmx'), join(dir, 'db-02.vmx'));
      writeFileSync(join(dir, 'notes.bin'), Buffer.from([0x1f, 0x8b, 0, 0, 0, 1, 2, 3]));
      const ok = await runCli('baseline', dir, '--json');
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout).evc.mode).toBe('intel-westmere');
      expect(ok.stderr).toBe(`openevc: info: passed over 2 files found in a directory that are not a CPUID dump: ${join(dir, 'db-02.vmx')}, ${join(dir, 'notes.bin')}\n`);
      const named = await runCli('baseline', join(dir, 'a.json'), join(dir, 'db-02.vmx'));
      expect(named.code).toBe(2);
      expect(named.stderr).toContain(`${join(dir, 'db-02.vmx')}: expected a CPUID dump in one of the formats openevc reads`);
      writeFileSync(join(dir, 'c.json'), '{ "openevc": "cpuid", "version": 1, "leaves": [ { "leaf": "0x1" } ] }\n');
      // A folder is one fleet: one broken file is reported and skipped, never the whole import lost.
      const broken = await runCli('baseline', dir, '--json');
      expect(broken.code, broken.stderr).toBe(0);
      expect(JSON.parse(broken.stdout).hosts).toHaveLength(2);
      expect(broken.stderr).toMatch(/openevc: warning: skipped \(the rest of the folder is read\): .*c\.json:1:\d+: expected \$\.leaves\[0\]\.eax /);
      const namedBroken = await runCli('baseline', join(dir, 'a.json'), join(dir, 'c.json'));
      expect(namedBroken.code).toBe(2);
      expect(namedBroken.stderr).toMatch(/c\.json:1:\d+: expected \$\.leaves\[0\]\.eax /);
      const none = mkdtempSync(join(tmpdir(), 'openevc-dir-'));
      copyFileSync(ex('vms/db-02.vmx'), join(none, 'db-02.vmx'));
      const empty = await runCli('baseline', none);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toBe(`openevc: no CPUID dump among the files found in the directories given (passed over: ${join(none, 'db-02.vmx')})\n`);
      rmSync(none, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!hasShared)('seed labs and libvirt oracle (needs ../shared)', () => {
    it('seed 000: intel-merom; seed 002: intel-westmere', async () => {
      const s0 = JSON.parse((await runCli('baseline', instlat('GenuineIntel00006F7_Clovertown_CPUID.txt'), instlat('GenuineIntel0010676_Harpertown_CPUID.txt'), '--json')).stdout);
      expect(s0.evc.mode).toBe('intel-merom');
      expect(s0.hosts.map((h: { max_evc: string }) => h.max_evc)).toEqual(['intel-merom', 'intel-penryn']);
      expect(s0.limiting[0]).toMatchObject({ evc: 'intel-penryn', gains: ['sse4_1'] });
      const s2 = JSON.parse((await runCli('baseline', instlat('GenuineIntel00406D8_Avoton_CPUID.txt'), instlat('GenuineIntel00306A9_IvyBridge_CPUID.txt'), '--json')).stdout);
      expect(s2.evc.mode).toBe('intel-westmere');
      expect(s2.hosts.map((h: { max_evc: string }) => h.max_evc)).toEqual(['intel-westmere', 'intel-ivybridge']);
    });

    // The 13 pairwise baselines of libvirt's test data, end to end through the command (raw profile,
    // inputs are libvirt's KVM guest CPUs): same model, same require/disable sets except the bits that
    // are not capabilities (libvirt also requires `hypervisor`, which openevc never compares).
    const PAIRS: readonly [string, string, string][] = [
      ['Ryzen+Rome', 'Ryzen-7-1800X-Eight-Core', 'Ryzen-9-3900X-12-Core'],
      ['EPYC+Rome', 'EPYC-7601-32-Core', 'EPYC-7502-32-Core'],
      ['Haswell-noTSX-IBRS+Skylake', 'Xeon-E5-2609-v3', 'Xeon-Gold-6148'],
      ['Haswell-noTSX-IBRS+Skylake-IBRS', 'Xeon-E5-2609-v3', 'Xeon-Gold-6130'],
      ['Broadwell-IBRS+Cascadelake', 'Xeon-E5-2623-v4', 'Xeon-Platinum-8268'],
      ['Cascadelake+Skylake-IBRS', 'Xeon-Platinum-8268', 'Xeon-Gold-6130'],
      ['Cascadelake+Skylake', 'Xeon-Platinum-9242', 'Xeon-Gold-6148'],
      ['Cascadelake+Icelake', 'Xeon-Platinum-9242', 'Ice-Lake-Server'],
      ['Cooperlake+Icelake', 'Cooperlake', 'Ice-Lake-Server'],
      ['Cooperlake+Cascadelake', 'Cooperlake', 'Xeon-Platinum-9242'],
      ['Skylake-Client+Server', 'Core-i5-6600', 'Xeon-Gold-6148'],
      ['Haswell-noTSX-IBRS+Broadwell', 'Xeon-E5-2609-v3', 'Xeon-E5-2650-v4'],
      ['Haswell+Skylake', 'Xeon-E7-8890-v3', 'Xeon-Gold-5115'],
    ];
    const dir = shared('oracle/libvirt-cputestdata/cputestdata');
    it.each(PAIRS)('%s', async (label, a, b) => {
      const r = await runCli('baseline', join(dir, `x86_64-cpuid-${a}-json.xml`), join(dir, `x86_64-cpuid-${b}-json.xml`), '--profile', 'raw', '--json');
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      const expected = readFileSync(join(dir, `x86_64-cpuid-baseline-${label}.xml`), 'utf8');
      const capability = (name: string) => catalog.resolve(name, 'libvirt')?.kind === 'feature';
      const policy = (p: string) => [...expected.matchAll(new RegExp(`policy='${p}' name='([^']+)'`, 'g'))].map((m) => m[1]!).filter(capability).sort();
      expect(j.qemu.model).toBe(/<model[^>]*>([^<]+)</.exec(expected)![1]);
      expect([...j.qemu.extra].sort()).toEqual(policy('require'));
      expect([...j.qemu.disabled].sort()).toEqual(policy('disable'));
    });
  });
});
