import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { VmxDocument } from '../formats/vmx/document.js';
import { readVmxCpu, vmxEffectiveMask } from '../formats/vmx/cpu.js';
import { featMaskToCpuidMask } from '../formats/featmask/syntax.js';
import { mergeMasks } from '../core/masks/engine.js';
import { evcTarget, minimalTarget } from '../core/target.js';
import { getProfile } from '../core/profiles.js';
import { vmxSettings } from '../formats/vmx/writer.js';
import { expectGolden } from '../test-support/expect-golden.js';
import { REPO_ROOT } from '../test-support/shared.js';
import { SEED002, exampleHost } from '../test-support/targets.js';
import { VmRunningError, applyVmxFile, editVmx, maskLinesOf, readMaskLines } from './vmx-edit.js';

const FIXTURES = join(REPO_ROOT, 'src', 'formats', 'vmx', 'fixtures');
const VMX_FIXTURES = readdirSync(FIXTURES).filter((f) => f.endsWith('.vmx'));
const esxi = getProfile('esxi');
const seed = SEED002.map(exampleHost);
const MINIMAL = maskLinesOf(vmxSettings(minimalTarget(seed, { profile: esxi })).lines);
const WESTMERE = maskLinesOf(vmxSettings(evcTarget(seed, 'intel-westmere', { profile: esxi })).lines);
const NOW = new Date('2026-03-01T12:34:56.789Z');

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'openevc-vmx-'));
  const file = join(dir, name);
  copyFileSync(join(FIXTURES, name), file);
  return file;
}

/** Lines of a byte buffer, each with its line break, as bytes (latin1 keeps every byte). */
function byteLines(b: Uint8Array): string[] {
  return Buffer.from(b).toString('latin1').split(/(?<=\n)/);
}

/** Whether a line (as bytes) sets a key an edit owns: a register mask or a featMask line. */
function owned(line: string): boolean {
  return /^\s*(cpuid\.[0-9a-f]+\.(eax|ebx|ecx|edx)(\.(amd|intel))?|featmask\.vm\.\S+)\s*=/i.test(line.replace(/^\uFEFF|^\xef\xbb\xbf/, ''));
}

describe('vmx apply: the file', () => {
  for (const name of VMX_FIXTURES) {
    for (const [what, lines] of [
      ['minimal', MINIMAL],
      ['westmere', WESTMERE],
    ] as const) {
      it(`${name} (${what} lines): every line it does not own byte-identical, in order; BOM and encoding kept; a backup of the original`, () => {
        const file = copyFixture(name);
        const before = new Uint8Array(readFileSync(file));
        const r = applyVmxFile(file, lines, { vendor: 'intel', now: NOW });
        const after = new Uint8Array(readFileSync(file));
        const a = byteLines(before);
        const b = byteLines(after);
        const strip = (l: string) => l.replace(/\r?\n$/, '');
        // Lines it does not own: the same bytes in the same order (a last line may only gain a line break).
        expect(b.filter((l) => !owned(l)).map(strip)).toEqual(a.filter((l) => !owned(l)).map(strip));
        const kept = a.filter((l) => !owned(l));
        const keptAfter = b.filter((l) => !owned(l));
        kept.forEach((l, i) => {
          if (l.endsWith('\n')) expect(keptAfter[i]).toBe(l);
        });
        expect(after.subarray(0, 3).every((x, i) => x === [0xef, 0xbb, 0xbf][i])).toBe(before.subarray(0, 3).every((x, i) => x === [0xef, 0xbb, 0xbf][i]));
        if (r.written) {
          expect(r.backup).toBe(`${file}.20260301T123456Z.bak`);
          expect(new Uint8Array(readFileSync(r.backup!))).toEqual(before);
        }
        // What it sets is in force: the effective mask hides exactly what the lines hide, on the features it manages.
        const eff = vmxEffectiveMask(readVmxCpu(VmxDocument.parse(after, file))).mask;
        const want = mergeMasks(lines.mask, featMaskToCpuidMask(lines.featMasks)).mask;
        for (const reg of want.list()) {
          const got = eff.get(reg)?.bits ?? '';
          for (let i = 0; i < 32; i++) if (reg.bits[i] === '0') expect(got[i], `${name} ${reg.leaf}.${reg.reg}`).toMatch(/[0Rr]/);
        }
      });
    }
  }

  it('keeps CRLF line breaks and windows-1252 bytes of the lines around the edit', () => {
    const file = copyFixture('crlf-windows-1252.vmx');
    applyVmxFile(file, MINIMAL, { vendor: 'intel', now: NOW });
    const text = Buffer.from(readFileSync(file)).toString('latin1');
    expect(text).toContain('displayName = "Caf\xe9 POS (Windows 7)"\r\n');
    expect(text.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    expect(text).toContain('cpuid.7.ebx = "-------------------------------0"\r\n');
  });

  it('applying twice is applying once: the second run changes nothing and writes nothing', () => {
    for (const name of VMX_FIXTURES) {
      const file = copyFixture(name);
      applyVmxFile(file, WESTMERE, { vendor: 'intel', now: NOW });
      const once = readFileSync(file);
      const mtime = statSync(file).mtimeMs;
      const again = applyVmxFile(file, WESTMERE, { vendor: 'intel', now: new Date('2026-03-01T12:35:00Z') });
      expect(again.written, name).toBe(false);
      expect(again.diff, name).toBe('');
      expect(readFileSync(file).equals(once), name).toBe(true);
      expect(statSync(file).mtimeMs).toBe(mtime);
    }
  });

  it('refuses while the VM runs: a .vmx.lck file or directory next to it (exit code 2), and touches nothing', () => {
    for (const kind of ['file', 'directory'] as const) {
      const file = copyFixture('esxi-typical.vmx');
      if (kind === 'file') writeFileSync(`${file}.lck`, '');
      else mkdirSync(`${file}.lck`);
      const before = readFileSync(file);
      let err: unknown;
      try {
        applyVmxFile(file, MINIMAL, { now: NOW });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VmRunningError);
      expect((err as VmRunningError).exitCode).toBe(2);
      expect((err as Error).message).toContain(`${file}.lck exists`);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(readdirSync(join(file, '..')).sort()).toEqual(['esxi-typical.vmx', 'esxi-typical.vmx.lck']);
    }
  });

  it('--dry-run: returns the unified diff, writes nothing; the diff turns the old file into the new one (patch)', () => {
    const file = copyFixture('esxi-typical.vmx');
    const before = readFileSync(file);
    const r = applyVmxFile(file, MINIMAL, { dryRun: true, vendor: 'intel' });
    expect(r.written).toBe(false);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(join(file, '..'))).toEqual(['esxi-typical.vmx']);
    expectGolden(r.diff.replace(file, 'esxi-typical.vmx').replace(file, 'esxi-typical.vmx'), join(REPO_ROOT, 'src', 'node', 'fixtures', 'vmx-edit', 'esxi-typical.minimal.diff'));
    // `patch` applies the diff and gives exactly what apply writes.
    const patched = spawnSync('patch', ['-s', '-r', `${file}.rej`, '-o', '-', file], { input: r.diff });
    if (patched.error === undefined) {
      applyVmxFile(file, MINIMAL, { vendor: 'intel', now: NOW });
      expect(patched.status).toBe(0);
      expect(patched.stdout.equals(readFileSync(file))).toBe(true);
    }
  });

  it('a crash before the rename leaves the original intact (and no temporary file)', () => {
    const file = copyFixture('odd-quoting.vmx');
    const before = readFileSync(file);
    expect(() =>
      applyVmxFile(file, MINIMAL, {
        now: NOW,
        beforeRename: () => {
          throw new Error('simulated crash');
        },
      }),
    ).toThrow('simulated crash');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a process killed in the middle of the write leaves the original intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-kill-'));
    const file = copyFixture('crlf-windows-1252.vmx');
    const before = readFileSync(file);
    const entry = join(dir, 'kill.ts');
    writeFileSync(
      entry,
      [
        `import { applyVmxFile, maskLinesOf } from ${JSON.stringify(join(REPO_ROOT, 'src', 'node', 'vmx-edit.ts'))};`,
        `const lines = maskLinesOf(${JSON.stringify(['cpuid.1.ecx = "--00-0---0----0-----------------"'])});`,
        // The temporary file is written and synced; the process dies before the rename.
        `applyVmxFile(process.argv[2], lines, { beforeRename: () => process.kill(process.pid, 'SIGKILL') });`,
      ].join('\n'),
    );
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'kill.mjs'), logLevel: 'silent' });
    const run = spawnSync(process.execPath, [join(dir, 'kill.mjs'), file]);
    expect(run.signal).toBe('SIGKILL');
    expect(readFileSync(file).equals(before)).toBe(true);
    // The half-done edit is a temporary file beside it, never the .vmx itself.
    const temps = readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(readFileSync(join(file, '..', temps[0]!), 'latin1')).toContain('cpuid.1.ecx = "0-00:00-0:-00-:-000:00-0:00-0:0000:00--"');
  });
});

describe('vmx apply: what it owns', () => {
  const doc = (text: string) => VmxDocument.parse(text, 'vm.vmx');

  it('clears stale hides of features a VMware guest can be shown, keeps every other setting (H, featMask Val:1, MWAIT for vCLS)', () => {
    const e = editVmx(
      doc(
        [
          'displayName = "vm"',
          'cpuid.1.ecx = "---------0----------------------"',
          'cpuid.80000001.edx = "---- ---- ---H ---- ---- ---- ---- ----"',
          'featMask.vm.cpuid.PDPE1GB = "Val:1"',
          'featMask.vm.cpuid.MWAIT = "Val:0"',
          'featMask.vm.cpuid.AVX2 = "Val:0"',
          'guestOS = "rhel8-64"',
          '',
        ].join('\n'),
      ),
      maskLinesOf(['cpuid.7.ebx = "-------------------------------0"']),
      { vendor: 'intel' },
    );
    expect(e.after.toString()).toBe(
      [
        'displayName = "vm"',
        'cpuid.1.ecx = "--------------------------------"',
        'cpuid.80000001.edx = "---- ---- ---H ---- ---- ---- ---- ----"',
        'cpuid.7.ebx = "-------------------------------0"',
        'featMask.vm.cpuid.PDPE1GB = "Val:1"',
        'featMask.vm.cpuid.MWAIT = "Val:0"',
        'guestOS = "rhel8-64"',
        '',
      ].join('\n'),
    );
    expect(e.notes.map((n) => n.message)).toEqual([
      'cpuid.1.ecx no longer hides MOVBE (movbe, 0x1:ECX[22]) (a stale hide)',
      'featMask.vm.cpuid.AVX2 removed: Advanced Vector Extensions 2 (AVX2) is no longer hidden (a stale hide)',
    ]);
  });

  it('a hide that goes with a hidden dependency is not stale (XSAVEOPT while XSAVE is hidden)', () => {
    const e = editVmx(doc('featMask.vm.cpuid.XSAVEOPT = "Val:0"\n'), maskLinesOf(['cpuid.1.ecx = "-----0--------------------------"']));
    expect(e.after.toString()).toBe('featMask.vm.cpuid.XSAVEOPT = "Val:0"\ncpuid.1.ecx = "-----0--------------------------"\n');
  });

  it('a feature the lines hide wins over a featMask that shows it, and says so', () => {
    const e = editVmx(doc('featMask.vm.cpuid.movbe = "Val:1"\n'), maskLinesOf(['cpuid.1.ecx = "---------0----------------------"']));
    expect(e.after.get('featMask.vm.cpuid.movbe')).toBe('Val:0');
    expect(e.notes[0]!.message).toBe('featMask.vm.cpuid.movbe was Val:1; the lines hide MOVBE, so it is now Val:0');
  });

  it('keeps the value style of an existing line (colon groups, spaces, no quotes)', () => {
    const e = editVmx(
      doc('cpuid.1.ecx = "----:----:----:----:----:----:----:----"\ncpuid.7.ebx = -------------------------------0\n'),
      maskLinesOf(['cpuid.1.ecx = "---------0----------------------"', 'cpuid.7.ebx = "------------------------------00"']),
    );
    expect(e.after.toString()).toBe('cpuid.1.ecx = "----:----:-0--:----:----:----:----:----"\ncpuid.7.ebx = ------------------------------00\n');
  });

  it('new lines go after the last CPU-related line when there is no mask line yet, else at the end', () => {
    const e = editVmx(doc('a = "1"\nnumvcpus = "2"\nb = "2"\n'), MINIMAL);
    expect(e.after.toString().split('\n').slice(0, 3)).toEqual(['a = "1"', 'numvcpus = "2"', 'cpuid.1.ecx = "--00-0---0----0-----------------"']);
    const end = editVmx(doc('a = "1"'), maskLinesOf(['cpuid.7.ebx = "-------------------------------0"']));
    expect(end.after.toString()).toBe('a = "1"\ncpuid.7.ebx = "-------------------------------0"');
  });
});

describe('vmx apply --mask FILE', () => {
  it('reads mask lines, comments and blank lines: what openevc mask prints', () => {
    const text = '# from openevc mask\n\ncpuid.1.ecx = "--00-0---0----0-----------------"\nfeatMask.vm.cpuid.avx_vnni = "Val:0"\n';
    const { lines } = readMaskLines(text, 'lines.txt');
    expect(lines.mask.list().map((r) => r.bits)).toEqual(['--00-0---0----0-----------------']);
    expect(lines.featMasks.map((e) => e.key)).toEqual(['cpuid.avx_vnni']);
  });

  it('refuses anything else with file and line: a whole .vmx, a subleaf key, a bad mask character, an empty file', () => {
    const err = (text: string) => {
      try {
        readMaskLines(text, 'lines.txt');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err('cpuid.1.ecx = "--00-0---0----0-----------------"\ndisplayName = "vm"\n')).toBe(
      'lines.txt:2: expected a mask line: cpuid.<leaf hex>.<eax|ebx|ecx|edx> = "<32 mask characters>" or featMask.vm.cpuid.<NAME> = "<Val|Min|Max>:<n>", found "displayName = \\"vm\\""',
    );
    expect(err('cpuid.7.0.ebx = "-------------------------------0"\n')).toContain('lines.txt:1: expected a mask line');
    expect(err('cpuid.1.ecx = "--00-0---0----0----Q------------"\n')).toBe('lines.txt:1:35: expected a mask character (one of 0 1 - x T F R H r h), found "Q"');
    expect(err('# nothing\n')).toBe('lines.txt: expected at least one mask line (cpuid.<leaf hex>.<reg> = "…" or featMask.vm.cpuid.<NAME> = "…"), found "no settings"');
  });

  it('refuses a file that is not a .vmx text (binary, directory, missing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-vmx-'));
    writeFileSync(join(dir, 'bin.vmx'), Buffer.from([0x61, 0x0a, 0x00, 0x01]));
    expect(() => applyVmxFile(join(dir, 'bin.vmx'), MINIMAL)).toThrow(/bin\.vmx:2: expected a \.vmx text file, not binary data/);
    expect(() => applyVmxFile(dir, MINIMAL)).toThrow('expected a .vmx file, not a directory');
    expect(() => applyVmxFile(join(dir, 'none.vmx'), MINIMAL)).toThrow('expected an existing, readable .vmx file (ENOENT)');
    expect(existsSync(join(dir, 'none.vmx'))).toBe(false);
  });
});
