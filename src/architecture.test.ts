/**
 * The layer rules (.dependency-cruiser.cjs, run by `npm run lint:deps` in `npm test`) catch what
 * they are for: each violation below is planted in a scratch tree and must fail the check.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './test-support/shared.js';

const DEPCRUISE = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'openevc-layers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the project's rules over a tree of files; returns the exit code and output. */
function cruise(name: string, files: Record<string, string>): { code: number; out: string } {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  copyFileSync(join(REPO_ROOT, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  try {
    const out = execFileSync(process.execPath, [DEPCRUISE, 'src', '--config', '.dependency-cruiser.cjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

describe('layer rules (needs node_modules)', () => {
  it('accept a tree that keeps them', () => {
    const r = cruise('clean', { 'src/data/t.ts': 'export const T = 1;\n', 'src/core/c.ts': "import { T } from '../data/t.js';\nexport const C = T;\n" });
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fail on each kind of violation', () => {
    const r = cruise('violations', {
      // core importing the CLI
      'src/cli/x.ts': 'export const X = 1;\n',
      'src/core/c.ts': "import { X } from '../cli/x.js';\nexport const C = X;\n",
      // data importing core
      'src/data/t.ts': "import { C } from '../core/c.js';\nexport const T = C;\n",
      // an import cycle
      'src/core/a.ts': "import { B } from './b.js';\nexport const A = () => B;\n",
      'src/core/b.ts': "import { A } from './a.js';\nexport const B = () => A;\n",
      // a command importing another
      'src/cli/commands/a.ts': 'export const A = 1;\n',
      'src/cli/commands/b.ts': "import { A } from './a.js';\nexport const B = A;\n",
      // the portable core using Node.js
      'src/core/n.ts': "import { readFileSync } from 'node:fs';\nexport const N = readFileSync;\n",
    });
    expect(r.code).not.toBe(0);
    for (const rule of ['core-below-formats', 'data-is-the-bottom', 'no-circular', 'commands-stand-alone', 'portable-without-node']) expect(r.out, rule).toContain(rule);
  });
});
