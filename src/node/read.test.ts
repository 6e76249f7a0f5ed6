import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { cliBundle } from '../test-support/cli-bundle.js';
import { loadInput } from './load.js';
import { MAX_INPUT_BYTES, formatSize, readInput } from './read.js';
import type { InputStream } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'openevc-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'formats', 'instlatx64', 'fixtures', 'aida-full.txt');
const LINE0 = 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69 [GenuineIntel]\n';

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

const stdin = (chunks: (string | Uint8Array)[], isTTY = false): InputStream => Object.assign(Readable.from(chunks), { isTTY });

describe('reading inputs', () => {
  it('reads UTF-8 and drops the byte-order mark', async () => {
    const p = file('bom.txt', `\uFEFF${LINE0}`);
    const r = await readInput(p);
    expect(r).toMatchObject({ text: LINE0, file: p, encoding: 'utf-8', diagnostics: [] });
  });

  it('reads text that is not UTF-8 as Latin-1, with a note', async () => {
    const bytes = Uint8Array.from([...Buffer.from('CPUID 80000002: 00000000-00000000-00000000-00000000 [Athlon XP (Palomin'), 0xe9, 0x0a]);
    const r = await readInput(file('latin1.txt', bytes));
    expect(r.encoding).toBe('latin1');
    expect(r.text).toContain('Palominé');
    expect(r.diagnostics.map((d) => d.message)[0]).toBe('the input is not valid UTF-8; it was read as Latin-1 (Windows-1252)');
  });

  it('reads UTF-16 with a byte-order mark (PowerShell redirection)', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LINE0, 'utf16le')]);
    expect(await readInput(file('utf16.txt', le))).toMatchObject({ text: LINE0, encoding: 'utf-16le' });
  });

  it('refuses a missing file and a directory', async () => {
    const missing = join(dir, 'nope.txt');
    expect((await refusal(readInput(missing))).message).toBe(`${missing}: expected an existing, readable file (no such file or directory)`);
    expect((await refusal(readInput(dir))).message).toBe(`${dir}: expected a file, not a directory`);
  });

  it('refuses a 2 GB file from its size alone, in well under a second', async () => {
    const p = join(dir, 'huge.txt');
    writeFileSync(p, LINE0);
    truncateSync(p, 2 * 1024 ** 3); // sparse: no disk space used
    const start = performance.now();
    const e = await refusal(readInput(p));
    const ms = performance.now() - start;
    expect(e.message).toBe(`${p}: expected a CPUID dump of at most 64 MiB (real dumps are a few MB), not 2 GiB`);
    expect(e.exitCode).toBe(2);
    expect(ms).toBeLessThan(500);
  });

  it('refuses binary data, naming the line of the first NUL byte', async () => {
    const p = file('bin.txt', Buffer.concat([Buffer.from(`${LINE0}${LINE0}`), Buffer.from([0x1f, 0x8b, 0x00, 0x01])]));
    expect((await refusal(readInput(p))).message).toBe(
      `${p}:3: expected text, not binary data (a NUL byte at offset 136; compressed or binary dumps must be unpacked first)`,
    );
    const controls = file('ctl.txt', Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    expect((await refusal(readInput(controls))).message).toBe(`${controls}:1: expected text, not binary data (67 control bytes in the first 200)`);
  });

  it('stops reading an endless binary stream after the first 64 KiB', async () => {
    const start = performance.now();
    const zeros = { isTTY: false, async *[Symbol.asyncIterator]() { for (;;) yield new Uint8Array(65536); } };
    expect((await refusal(readInput('-', { stdin: zeros }))).message).toMatch(/^-:1: expected text, not binary data \(a NUL byte at offset 0;/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('reads standard input, refuses a terminal, and stops an endless pipe at the limit', async () => {
    expect((await readInput('-', { stdin: stdin([LINE0.slice(0, 20), LINE0.slice(20)]) })).text).toBe(LINE0);
    expect((await refusal(readInput('-', { stdin: stdin([], true) }))).message).toBe(
      '-: expected CPUID data on standard input (pipe or redirect a dump into openevc, or give a file name), not a terminal',
    );
    let produced = 0;
    const endless = Object.assign(
      Readable.from(
        (function* () {
          for (;;) {
            produced += LINE0.length * 100;
            yield LINE0.repeat(100);
          }
        })(),
      ),
      { isTTY: false },
    );
    const e = await refusal(readInput('-', { stdin: endless, maxBytes: 1024 * 1024 }));
    expect(e.message).toBe('-: expected a CPUID dump of at most 1 MiB (real dumps are a few MB), but the input goes on beyond that');
    expect(produced).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses a named pipe (one with no writer blocked forever) and a device: only - reads a stream', async () => {
    const fifo = join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    const started = Date.now();
    expect((await refusal(readInput(fifo))).message).toBe(`${fifo}: expected a regular file (or '-' to read standard input), not a named pipe (FIFO)`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await refusal(readInput('/dev/zero'))).message).toBe("/dev/zero: expected a regular file (or '-' to read standard input), not a character device");
  });

  it('reads a pipe the shell opened for it (process substitution: <(…))', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cliBundle()}" show --json <(cat "${FIXTURE}")`], { encoding: 'utf8', timeout: 30_000 });
    if (r.error) return; // no bash on this system
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"\/(dev|proc\/self)\/fd\/\d+"/);
  });

  it('documents its limit in readable units', () => {
    expect(formatSize(MAX_INPUT_BYTES)).toBe('64 MiB');
    expect(formatSize(2.5 * 1024 ** 3)).toBe('2.5 GiB');
    expect(formatSize(512)).toBe('512 bytes');
  });
});

describe('loadInput', () => {
  it('reads and imports a dump, detecting its format', async () => {
    const r = await loadInput(FIXTURE);
    expect(r.format).toBe('instlatx64');
    expect(r.cpus).toHaveLength(2);
    expect(r.dump.source.path).toBe(FIXTURE);
  });

  it('passes --format through and keeps reading notes with the import diagnostics', async () => {
    const p = file('latin1-dump.txt', Buffer.concat([Buffer.from(LINE0), Buffer.from('CPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBFF\n'), Buffer.from([0x5b, 0xe9, 0x5d, 0x0a])]));
    const r = await loadInput(p, { format: 'instlatx64' });
    expect(r.diagnostics.map((d) => d.message)[0]).toBe('the input is not valid UTF-8; it was read as Latin-1 (Windows-1252)');
    await expect(loadInput(p, { format: 'cpuid-r' })).rejects.toThrow(/^.*latin1-dump\.txt: expected raw lines like/);
  });

  it('rejects bad content with file and line', async () => {
    const p = file('bad.txt', `${LINE0}CPUID 00000001: 000306A9-00100800\n`);
    await expect(loadInput(p)).rejects.toThrow(`${p}:2: expected four 8-digit hex registers after the leaf (EAX-EBX-ECX-EDX), found "CPUID 00000001: 000306A9-00100800"`);
  });
});
