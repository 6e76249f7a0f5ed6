/**
 * The commands that read hosts (show, check, baseline, mask) accept each format of src/formats,
 * detected from the content and named with --format / --input-format.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';

const CAPS = join(import.meta.dirname, 'virsh-capabilities', 'fixtures', 'capabilities.xml');
const DOMCAPS = join(import.meta.dirname, 'virsh-domcapabilities', 'fixtures', 'kvm-epyc-milan.xml');
const QMP = join(import.meta.dirname, 'qmp', 'fixtures', 'host-expansion.json');
const AMD_EXAMPLE = join('examples', 'amd', 'kvm-21-epyc-7601.json');

describe('commands read virsh capabilities, virsh domcapabilities and QMP replies', () => {
  for (const [file, format, vendor] of [
    [CAPS, 'virsh-capabilities', 'GenuineIntel'],
    [DOMCAPS, 'virsh-domcapabilities', 'AuthenticAMD'],
    [QMP, 'qmp', 'GenuineIntel'],
  ] as const) {
    it(`show ${format}: detected, and with --format; says the input is lossy`, async () => {
      const r = await runCli('show', file, '--json');
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { source: { format: string; lossy: boolean }; cpu: { vendor: string } };
      expect(j.source).toMatchObject({ format, lossy: true });
      expect(j.cpu.vendor).toBe(vendor);
      expect((await runCli('show', file, '--format', format)).code).toBe(0);
    });
  }

  it('check: a QMP host against a virsh capabilities host, and the lossy destination is named as a cause', async () => {
    const r = await runCli('check', QMP, CAPS, '--json');
    expect([0, 1]).toContain(r.code);
    const j = JSON.parse(r.stdout) as { notes: string[]; blockers: { kind: string }[] };
    expect(j.notes.join(' ')).toMatch(/virsh-capabilities\) cannot carry every CPUID bit/);
    for (const b of j.blockers) expect(b.kind).toBe('lossy-input');
  });

  it('baseline: the two Intel hosts, and the AMD domcapabilities host with an AMD example', async () => {
    const intel = await runCli('baseline', QMP, CAPS, '--json');
    expect(intel.code, intel.stderr).toBe(0);
    expect(JSON.parse(intel.stdout).evc.mode).toBe('intel-skylake');
    const amd = await runCli('baseline', DOMCAPS, AMD_EXAMPLE);
    expect(amd.code, amd.stderr).toBe(0);
    expect(amd.stdout).toMatch(/AuthenticAMD/);
  });

  it('mask: every new format as hosts, with --input-format too', async () => {
    const r = await runCli('mask', '--format', 'qemu', QMP, CAPS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-cpu Skylake-Server/);
    const named = await runCli('mask', '--format', 'libvirt', '--input-format', 'virsh-domcapabilities', DOMCAPS, DOMCAPS);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/<cpu /);
  });
});
