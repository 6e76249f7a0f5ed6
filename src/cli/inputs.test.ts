import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { REPO_ROOT } from '../test-support/shared.js';
import { expandInputs } from './inputs.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'openevc-walk-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('directory walks', () => {
  it('follow symbolic links to files: four hosts plus a link to an Ivy Bridge dump are five hosts', async () => {
    const dir = tmp();
    for (const f of ['esx-11-xeon-e5-2650v3.json', 'esx-12-xeon-e5-2650v4.json', 'esx-13-xeon-gold-6148.json', 'esx-14-xeon-platinum-8268.json']) {
      copyFileSync(ex(`cluster/${f}`), join(dir, f));
    }
    symlinkSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, 'ivy.json'));
    const r = await runCli('baseline', dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts).toHaveLength(5);
    expect(j.evc.mode).toBe('intel-ivybridge');
    expect(j.passed_over).toEqual([]);
  });

  it('a directory holding only symbolic links is not empty', async () => {
    const dir = tmp();
    symlinkSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a.json'));
    symlinkSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, 'b.json'));
    const r = await runCli('baseline', dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts).toHaveLength(2);
  });

  it('follow links to directories once, detect loops, and name what they pass over (stderr and --json)', async () => {
    const dir = tmp();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(sub, 'a.json'));
    symlinkSync(dir, join(sub, 'back'));
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'broken.json'));
    copyFileSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, '.hidden.json'));
    const inputs = await expandInputs([dir]);
    expect(inputs.paths).toEqual([join(sub, 'a.json')]);
    expect(inputs.passedOver?.map((p) => p.file)).toEqual([join(dir, '.hidden.json'), join(dir, 'broken.json'), join(sub, 'back')]);
    const r = await runCli('baseline', dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`passed over ${join(dir, 'broken.json')}: a broken symbolic link`);
    expect(r.stderr).toContain(`passed over ${join(sub, 'back')}: a link back to a directory already being walked (a loop)`);
    const j = JSON.parse(r.stdout);
    expect(j.passed_over.map((p: { path: string }) => p.path)).toEqual([join(dir, '.hidden.json'), join(dir, 'broken.json'), join(sub, 'back')]);
  });

  it('a self-referencing link is a loop, not a hang', async () => {
    const dir = tmp();
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a.json'));
    symlinkSync(join(dir, 'self'), join(dir, 'self'));
    const inputs = await expandInputs([dir]);
    expect(inputs.paths).toEqual([join(dir, 'a.json')]);
    expect(inputs.passedOver).toEqual([{ file: join(dir, 'self'), why: 'a symbolic link that loops' }]);
  });
});
