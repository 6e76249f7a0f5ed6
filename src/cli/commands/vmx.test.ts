import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { expectGolden } from '../../test-support/expect-golden.js';

const MASK_FIX = 'src/formats/vmx/fixtures';
const FIX = 'src/cli/commands/fixtures/vmx';
const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';

function copy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'openevc-vmxcli-'));
  copyFileSync(join(MASK_FIX, name), join(dir, name));
  return join(dir, name);
}

describe('openevc vmx show', () => {
  for (const name of ['esxi-typical.vmx', 'per-vm-evc.vmx', 'odd-quoting.vmx']) {
    it(`${name}: masks, what they hide, other CPU settings, diagnostics (golden)`, async () => {
      const r = await runCli('vmx', 'show', join(MASK_FIX, name));
      expect(r.code).toBe(0);
      expectGolden(r.stdout, join(FIX, `${basename(name, '.vmx')}.show.txt`));
    });
  }

  it('a missing file or a malformed mask: exit 2, file and line', async () => {
    expect((await runCli('vmx', 'show', 'no-such.vmx')).code).toBe(2);
    const r = await runCli('vmx', 'show', 'src/cli/commands/fixtures/check/bad-mask.vmx');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^openevc: src\/cli\/commands\/fixtures\/check\/bad-mask\.vmx:\d+:\d+: expected /);
  });
});

describe('openevc vmx apply', () => {
  it('--hosts: writes the lines of openevc mask, keeps a backup, says what changed; a second run changes nothing', async () => {
    const file = copy('esxi-typical.vmx');
    const before = readFileSync(file);
    const r = await runCli('vmx', 'apply', file, '--hosts', A, B);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 3 lines changed; the previous version is .*esxi-typical\\.vmx\\.\\d{8}T\\d{6}Z\\.bak\\n$`));
    const backup = readdirSync(join(file, '..')).find((f) => f.endsWith('.bak'))!;
    expect(readFileSync(join(file, '..', backup)).equals(before)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('cpuid.1.ecx = "--00-0---0----0-----------------"\n');
    const again = await runCli('vmx', 'apply', file, '--hosts', A, B);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${file}: already up to date, nothing to change`);
  });

  it('--mask FILE --dry-run: the unified diff on stdout, nothing written', async () => {
    const file = copy('per-vm-evc.vmx');
    const before = readFileSync(file);
    const lines = join(file, '..', 'lines.txt');
    writeFileSync(lines, (await runCli('mask', A, B)).stdout);
    const r = await runCli('vmx', 'apply', file, '--mask', lines, '--dry-run');
    expect(r.code).toBe(0);
    expectGolden(r.stdout.split(file).join('per-vm-evc.vmx'), join(FIX, 'per-vm-evc.seed002.diff'));
    expect(r.stderr).toContain('dry run, nothing written');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(join(file, '..')).sort()).toEqual(['lines.txt', 'per-vm-evc.vmx']);
  });

  it('--hosts that agree: nothing to hide, so hides left by an earlier run go', async () => {
    const file = copy('esxi-typical.vmx');
    const r = await runCli('vmx', 'apply', file, '--hosts', B, B);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing needs hiding');
    expect(r.stderr).toContain('cpuid.1.ecx no longer hides MOVBE (movbe, 0x1:ECX[22]) (a stale hide)');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('cpuid.1.ecx = "--------------------------------"\n');
    expect(text).toContain('cpuid.80000001.edx = "---- ---- ---H ---- ---- ---- ---- ----"\n');
  });

  it('--evc with --hosts: the poor man\'s EVC lines', async () => {
    const file = copy('seed002-merged.vmx');
    const r = await runCli('vmx', 'apply', file, '--hosts', A, B, '--evc', 'intel-westmere');
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('cpuid.1.ecx = "-00000-0-00--00----000-000------"');
  });

  it('refuses while the VM runs (.vmx.lck), and wrong combinations of options, with exit 2', async () => {
    const file = copy('esxi-typical.vmx');
    mkdirSync(`${file}.lck`);
    const locked = await runCli('vmx', 'apply', file, '--hosts', A, B);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain('the VM holds a lock');
    expect((await runCli('vmx', 'apply', file)).stderr).toContain('needs either --mask FILE (or -) or --hosts HOST...');
    expect((await runCli('vmx', 'apply', file, '--mask', 'x', '--hosts', A)).code).toBe(2);
    expect((await runCli('vmx', 'apply', file, '--mask', 'x', '--evc', 'intel-westmere')).stderr).toContain('--evc needs --hosts');
  });
});
