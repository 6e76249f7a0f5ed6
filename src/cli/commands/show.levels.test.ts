import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT } from '../../test-support/shared.js';

const IVY = join(REPO_ROOT, 'examples', 'seed-002', 'host-b-core-i7-3770.json');

/** The i7-3770 as a 32-bit tool on Intel captures it: CPUID.80000001H:EDX[11] (SYSCALL) reads 0. */
function ivyWithoutSyscall(): string {
  const text = readFileSync(IVY, 'utf8').replace('"edx": "0x28100800"', '"edx": "0x28100000"');
  expect(text).toContain('"edx": "0x28100000"');
  const path = join(mkdtempSync(join(tmpdir(), 'openevc-levels-')), 'ivy-32bit-capture.json');
  writeFileSync(path, text);
  return path;
}

describe('openevc show: the x86-64 level and what it rests on', () => {
  it('prints the deliberate deviations from the psABI table in text', async () => {
    const r = await runCli('show', IVY);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/x86-64 level\s+x86-64-v2 /);
    expect(r.stdout).toMatch(/Level basis\s+OSFXSR read as fxsr\+sse; LM required \(not in the psABI list\)\n/);
  });

  it('prints them in JSON, each with the ids checked and the reason', async () => {
    const j = JSON.parse((await runCli('show', IVY, '--json')).stdout);
    expect(j.x86_64_level).toBe(2);
    expect(j.x86_64_level_basis.map((d: { requirement: string }) => d.requirement)).toEqual(['OSFXSR', 'LM']);
    expect(j.x86_64_level_basis[0]).toMatchObject({ level: 1, requirement: 'OSFXSR', in_psabi: true, checked_as: ['fxsr', 'sse'] });
    expect(j.x86_64_level_basis[1]).toMatchObject({ level: 1, requirement: 'LM', in_psabi: false, checked_as: ['lm'] });
    for (const d of j.x86_64_level_basis) expect(d.reason.length).toBeGreaterThan(20);
  });

  it('keeps the level of a capture without the SYSCALL bit, and says that LM stood for SCE', async () => {
    const file = ivyWithoutSyscall();
    const text = (await runCli('show', file)).stdout;
    expect(text).toMatch(/x86-64 level\s+x86-64-v2 /);
    expect(text).toContain('SCE read as lm (SYSCALL bit absent from this capture)');
    const j = JSON.parse((await runCli('show', file, '--json')).stdout);
    expect(j.x86_64_level).toBe(2);
    expect(j.x86_64_level_basis).toContainEqual(expect.objectContaining({ requirement: 'SCE', in_psabi: true, checked_as: ['lm'] }));
  });
});
