import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printable } from '../report/text.js';
import { runCli } from '../test-support/cli.js';
import { REPO_ROOT } from '../test-support/shared.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);

describe('output hygiene: control characters in names are escaped in every text output', () => {
  it('printable escapes C0/C1 controls, DEL, line separators and bidi overrides; leaves the rest', () => {
    expect(printable('a\nb\rc\td\x1b[31me\x7f\x85f\u2028g\u202eh é ü 漢')).toBe('a\\nb\\rc\\td\\x1b[31me\\x7f\\x85f\\u2028g\\u202eh é ü 漢');
  });

  it('a file name with a newline and an escape sequence cannot fake a log line (show, check, baseline, mask, errors)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-names-'));
    const evil = join(dir, 'host\nopenevc: info: all good\x1b[2J.json');
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), evil);
    const other = ex('seed-002/host-b-core-i7-3770.json');
    const runs = [
      await runCli('show', evil),
      await runCli('check', evil, other),
      await runCli('baseline', evil, other),
      await runCli('mask', evil, other),
    ];
    for (const r of runs) {
      expect(r.code).toBeLessThan(2);
      for (const out of [r.stdout, r.stderr]) {
        expect(out).not.toContain('\x1b');
        expect(out.split('\n').some((l) => l.startsWith('openevc: info: all good'))).toBe(false);
      }
    }
    expect(runs[0]!.stdout).toContain('host\\nopenevc: info: all good\\x1b[2J.json');
    const bad = join(dir, 'bad\n\x1b[31m.json');
    writeFileSync(bad, '{"openevc":"cpuid","version":1,"leaves":[]}');
    const err = await runCli('show', bad);
    expect(err.code).toBe(2);
    expect(err.stderr.split('\n')).toHaveLength(2); // one line, and the final newline
    expect(err.stderr).toContain('bad\\n\\x1b[31m.json: expected a CPUID dump holding at least leaves 0x0');
  });

  it('a label from inside a file (a vmware.log hostname with an escape sequence) is escaped too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-label-'));
    const log = join(dir, 'vmware.log');
    writeFileSync(
      log,
      [
        '2016-01-04T16:19:46.600-08:00| vmx| I120: Hostname=esx\x1b[2Jevil',
        '2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000000, 0: 0x0000000d 0x756e6547 0x6c65746e 0x49656e69',
        '2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000001, 0: 0x000306a9 0x00100800 0x7f9ae3bf 0xbfebfbff',
        '',
      ].join('\n'),
    );
    const r = await runCli('show', log);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toContain('esx\\x1b[2Jevil');
  });
});
