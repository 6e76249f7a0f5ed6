import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../test-support/expect-golden.js';
import { TARGET_CASES, caseTarget, describeExport } from '../../test-support/targets.js';
import { govcExporter, shQuote } from './writer.js';
import { vmxSettings } from '../vmx/writer.js';

const FIX = join(import.meta.dirname, 'fixtures', 'writer');
const SHELLS = ['sh', 'dash', 'bash'].filter((s) => {
  try {
    execFileSync(s, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
});
const dir = mkdtempSync(join(tmpdir(), 'openevc-govc-'));

/** Runs a script in a shell with `govc` replaced by a function that prints its arguments, one per line (NUL-separated). */
function argsSeen(shell: string, script: string, env: Record<string, string> = {}): string[] {
  const file = join(dir, 'script.sh');
  writeFileSync(file, `govc() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${script}`);
  const out = execFileSync(shell, [file], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('govc exporter', () => {
  for (const c of TARGET_CASES) {
    it(`${c.name}: golden`, () => {
      expectGolden(describeExport(govcExporter.render(caseTarget(c, govcExporter.defaultProfile))), join(FIX, `${c.name}.txt`));
    });
  }

  it.runIf(SHELLS.length > 0)(`every script passes the shell's syntax check (${SHELLS.join(', ')} -n)`, () => {
    for (const c of TARGET_CASES) {
      const file = join(dir, `${c.name}.sh`);
      writeFileSync(file, govcExporter.render(caseTarget(c, 'esxi'), { name: 'app-01' }).text);
      for (const sh of SHELLS) execFileSync(sh, ['-n', file]);
    }
  });

  it.runIf(SHELLS.length > 0)('run by each shell, govc receives one vm.change with exactly the .vmx lines as key=value', () => {
    const t = caseTarget(TARGET_CASES[0]!, 'esxi');
    const expected = vmxSettings(t).lines.flatMap((l) => ['-e', l.replace(/^(\S+) = "(.*)"$/, '$1=$2')]);
    const odd = `it's "app" $HOME \`id\` \\ ; rm -rf /tmp/x\nsecond line`;
    for (const sh of SHELLS) {
      expect(argsSeen(sh, govcExporter.render(t, { name: odd }).text), sh).toEqual(['vm.change', '-vm', odd, ...expected]);
      // Without --name, the VM comes from $VM, and the script refuses to run without it.
      expect(argsSeen(sh, govcExporter.render(t).text, { VM: 'from env' }), sh).toEqual(['vm.change', '-vm', 'from env', ...expected]);
      expect(() => execFileSync(sh, ['-c', govcExporter.render(t).text], { env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe' }), sh).toThrow();
    }
  });

  it.runIf(SHELLS.includes('sh'))('shQuote: any text comes back unchanged through the shell (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), (s) => {
        const out = execFileSync('sh', ['-c', `printf '%s' ${shQuote(s)}`], { encoding: 'utf8' });
        expect(out).toBe(s);
      }),
      { numRuns: 40 },
    );
  });
});
