import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { REPO_ROOT } from '../test-support/shared.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const A = ex('seed-002/host-a-atom-c2750.json');
const B = ex('seed-002/host-b-core-i7-3770.json');

async function commandPaths(): Promise<{ command: string; options: { flags: string[] }[] }[]> {
  const r = await runCli('completion', 'bash', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('one consistent CLI', () => {
  it('every command takes --json (completion lists them all)', async () => {
    const all = await commandPaths();
    const leaves = all.filter((c) => c.command !== '' && !all.some((o) => o.command.startsWith(`${c.command} `)));
    expect(leaves.map((c) => c.command).sort()).toEqual(['baseline', 'check', 'diff', 'explain', 'features', 'inventory', 'mask', 'modes', 'plan', 'probe', 'qemu migrate', 'serve', 'show', 'vmx apply', 'vmx show']);
    for (const c of leaves) expect(c.options.some((o) => o.flags.includes('--json')), c.command).toBe(true);
  });

  it('--json prints JSON from mask, vmx show and vmx apply; an empty result is [] (features)', async () => {
    const mask = await runCli('mask', A, B, '--json');
    expect(mask.code, mask.stderr).toBe(0);
    expect(JSON.parse(mask.stdout)).toBeTypeOf('object');
    const show = await runCli('vmx', 'show', ex('vms/db-02.vmx'), '--json');
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ file: ex('vms/db-02.vmx'), masks: expect.any(Array), hides: expect.any(Array) });
    const dir = mkdtempSync(join(tmpdir(), 'openevc-conv-'));
    copyFileSync(ex('vms/db-02.vmx'), join(dir, 'db-02.vmx'));
    const apply = await runCli('vmx', 'apply', join(dir, 'db-02.vmx'), '--hosts', A, B, '--dry-run', '--json');
    expect(apply.code, apply.stderr).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({ written: false, dry_run: true, changes: expect.any(Array) });
    const none = await runCli('features', '--json', 'zzzz');
    expect(none.stdout).toBe('[]\n');
    expect(none.code).toBe(1);
  });

  it('features "" says what to type', async () => {
    const r = await runCli('features', '');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^openevc: features needs a query to look for, or none to list the whole catalog: a name in any spelling/);
  });

  it('features finds vSphere error wording and family words', async () => {
    const ids = async (q: string) => (JSON.parse((await runCli('features', '--json', q)).stdout) as { id: string }[]).map((f) => f.id);
    expect(await ids('FS & GS Base registers')).toEqual(['fsgsbase']);
    expect(await ids('3D!Now PREFETCH and PREFETCHW')).toEqual(['3dnowprefetch']);
    expect(await ids('XSAVE YMM State')).toContain('xsave_ymm');
    expect(await ids('spectre')).toEqual(expect.arrayContaining(['spec_ctrl', 'intel_stibp', 'amd_ibpb']));
    expect(await ids('tsx')).toEqual(expect.arrayContaining(['hle', 'rtm']));
  });

  it('--input-format names the input format everywhere; the old -f/--format of show, check and baseline still works, unlisted', async () => {
    for (const cmd of [['show'], ['check'], ['baseline'], ['mask'], ['vmx', 'apply']]) {
      const help = await runCli(...cmd, '--help');
      expect(help.stdout, cmd.join(' ')).toContain('--input-format <format>');
      if (cmd[0] !== 'mask') expect(help.stdout, cmd.join(' ')).not.toMatch(/-f, --format/);
    }
    expect((await runCli('mask', '--help')).stdout).toMatch(/--format <format>\s+output format/);
    for (const flag of ['-f', '--format', '--input-format']) {
      const r = await runCli('show', flag, 'openevc-json', A, '--json');
      expect(r.code, `${flag}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).source.format).toBe('openevc-json');
    }
    const wrong = await runCli('check', '--input-format', 'instlatx64', A, B);
    expect(wrong.code).toBe(2);
  });

  it('every --help ends with two or three real examples', async () => {
    for (const c of await commandPaths()) {
      const r = await runCli(...(c.command === '' ? [] : c.command.split(' ')), '--help');
      const tail = r.stdout.slice(r.stdout.lastIndexOf('Examples:'));
      expect(r.stdout, c.command).toContain('\nExamples:\n');
      const n = tail.split('\n').filter((l) => l.startsWith('  $ ')).length;
      expect(n, c.command).toBeGreaterThanOrEqual(2);
      expect(n, c.command).toBeLessThanOrEqual(3);
      expect(r.stdout.trimEnd().endsWith(tail.trimEnd()), c.command).toBe(true);
    }
  });

  it('what mask says each host loses is wrapped, not one line of a thousand characters', async () => {
    const r = await runCli('mask', ex('cluster'), ex('seed-000'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/loses \d+/);
    for (const line of r.stderr.split('\n').filter((l) => !l.startsWith('openevc: '))) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('openevc completion bash|zsh|fish prints a script the shell accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-compl-'));
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const r = await runCli('completion', shell);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('openevc');
      expect(r.stdout).toContain('vmx');
      writeFileSync(join(dir, shell), r.stdout);
    }
    const bash = spawnSync('bash', ['-n', join(dir, 'bash')], { encoding: 'utf8' });
    if (!bash.error) expect(bash.status, bash.stderr).toBe(0);
    // Completing `openevc vmx ap` and `openevc show --input-format ins` in bash.
    const complete = (line: string) =>
      spawnSync('bash', ['-c', `source ${join(dir, 'bash')}; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _openevc; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    if (!bash.error) {
      expect(complete('openevc vmx ap')).toBe('apply');
      expect(complete('openevc show --input-format ins')).toBe('instlatx64');
      expect(complete('openevc mask --j')).toBe('--json');
    }
    expect((await runCli('completion', 'fish')).stdout).toMatch(/complete -c openevc -n '__fish_seen_subcommand_from show' -l json/);
    expect((await runCli('completion', 'tcsh')).code).toBe(2);
  });
});

describe('--lenient', () => {
  it('a damaged vmware.log line is exit 2 with file:line; with --lenient every command answers and says it rests on damaged input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-lenient-'));
    const log = join(dir, 'vmware.log');
    writeFileSync(
      log,
      [
        '2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000000, 0: 0x0000000d 0x756e6547 0x6c65746e 0x49656e69',
        '2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000001, 0: 0x000306a9 0x00100800 0x7f9ae3bf 0xbfebfbff',
        '2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000007, 0: 0x00000000 0x0000zz81',
        '',
      ].join('\n'),
    );
    const strict = await runCli('show', log);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/vmware\.log:3: expected a complete CPUID line .*give --lenient to skip damaged lines/);
    for (const args of [['show', log], ['check', log, B], ['baseline', log, B], ['mask', log, B]]) {
      const r = await runCli(...args, '--lenient');
      expect(r.code, `${args[0]}: ${r.stderr}`).toBeLessThan(2);
      expect(r.stderr + r.stdout, args[0]).toMatch(/the answer rests on damaged input/);
    }
  });
});
