/**
 * The installed CLI (dist/bin, built by `npm run build`, which `npm ci` runs): the launcher picks
 * the right bundle, V8 accepts each bundle's code cache, and the answers are the program's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/shared.js';
import { spawnCli } from '../test-support/cli-bundle.js';
import { COMMANDS } from './commands/index.js';
import { bundleFor } from './summaries.js';
import { compileBundle } from './code-cache.js';
import { VERSION } from '../version.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: { openevc: string } };
const BIN = join(REPO_ROOT, pkg.bin.openevc);
const CMD = join(REPO_ROOT, 'dist', 'bin', 'cmd');
const A = 'examples/seed-002/host-a-atom-c2750.json';
const B = 'examples/seed-002/host-b-core-i7-3770.json';

function installed(args: readonly string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe('which bundle runs a command line', () => {
  it('the invoked command, found as commander finds it (the first word that is no option)', () => {
    expect(bundleFor(['show', B])).toBe('show');
    expect(bundleFor(['--json', 'check', A, B])).toBe('check');
    expect(bundleFor(['baseline', '--help'])).toBe('baseline');
  });
  it('every command when help lists them, completion describes them, or the word names none', () => {
    for (const argv of [[], ['--help'], ['help', 'show'], ['completion', 'bash'], ['shwo'], ['constructor'], ['__proto__'], ['--version', 'x']]) expect(bundleFor(argv)).toBe('all');
  });
});

describe('the installed CLI (dist/bin; npm ci builds it)', () => {
  it('is built: the launcher, and a bundle with its code cache for every command but completion', () => {
    expect(existsSync(BIN), `${BIN} is missing: run npm run build`).toBe(true);
    const expected = ['all', ...COMMANDS.map((c) => c.name).filter((n) => n !== 'completion')].sort();
    const files = readdirSync(CMD);
    expect(files.filter((f) => f.endsWith('.cjs')).map((f) => f.slice(0, -4)).sort()).toEqual(expected);
    expect(files.filter((f) => f.endsWith('.cjs.cache')).map((f) => f.slice(0, -10)).sort()).toEqual(expected);
  });

  it("V8 accepts every bundle's code cache (else each start compiles from source)", () => {
    for (const f of readdirSync(CMD).filter((n) => n.endsWith('.cjs'))) {
      expect(compileBundle(join(CMD, f)).cachedDataRejected, f).toBe(false);
    }
  });

  it('answers --version alone itself, and --help, mistyped commands and completion through the whole program', () => {
    expect(installed(['--version']).stdout).toBe(`${VERSION}\n`);
    const help = installed(['--help']);
    expect(help.status).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(c.name);
    const typo = installed(['shwo', B]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'shwo'[\s\S]*Did you mean show\?/);
    expect(installed(['completion', 'bash']).stdout).toContain('baseline');
  });

  it('gives the answers, exit codes and errors of the program run from source', () => {
    for (const args of [['show', B], ['check', '--json', B, A], ['check', A, B], ['baseline', 'examples/cluster'], ['mask', '--format', 'qemu', 'examples/cluster'], ['show', 'no-such-file.json'], ['features', 'movbe'], ['show', 'src/formats/libvirt/fixtures/cpu/domain.xml'], ['baseline', 'src/formats/virsh-capabilities/fixtures/capabilities.xml', 'src/formats/libvirt/fixtures/cpu/domcapabilities.xml'], ['show', 'src/cli/launcher.test.ts'], ['plan', '--json', 'examples/inventory/seed-002.yaml'], ['plan', 'package.json'], ['explain', 'Mismatch detected for these features: MOVBE'], ['show', '--help']]) {
      const got = installed(args);
      const want = spawnCli(args, { cwd: REPO_ROOT });
      expect({ status: got.status, stdout: got.stdout, stderr: got.stderr }, args.join(' ')).toEqual({ status: want.status, stdout: want.stdout, stderr: want.stderr });
    }
  });

  it('writes standard output straight to a pipe or a file: the same bytes, and a closed pipe ends it quietly', () => {
    const args = ['features', '--json'];
    const piped = installed(args);
    expect(piped.stdout.length).toBeGreaterThan(200_000); // more than a pipe holds: written in several rounds
    const dir = mkdtempSync(join(tmpdir(), 'openevc-stdout-'));
    try {
      const fd = openSync(join(dir, 'out.json'), 'w');
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      closeSync(fd);
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(piped.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The reader stops after 10 bytes: openevc gets EPIPE on its next write and exits 0, silently.
    const closed = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" features --json | head -c 10 > /dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(closed.stdout).toBe('status 0\n');
    expect(closed.stderr).toBe('');
  });
});

