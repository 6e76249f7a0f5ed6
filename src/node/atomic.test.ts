import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic.js';

const dir = () => mkdtempSync(join(tmpdir(), 'openevc-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces the content, keeps the mode, and makes a timestamped backup', () => {
    const d = dir();
    const f = join(d, 'vm.vmx');
    writeFileSync(f, 'old\r\n');
    chmodSync(f, 0o600);
    const r = writeFileAtomic(f, 'new\r\n', { backup: true, now: new Date('2026-11-21T10:20:30.456Z') });
    expect(readFileSync(f, 'utf8')).toBe('new\r\n');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(r.backup).toBe(join(d, 'vm.vmx.20261121T102030Z.bak'));
    expect(readFileSync(r.backup!, 'utf8')).toBe('old\r\n');
    // A second backup in the same second never overwrites the first.
    expect(() => writeFileAtomic(f, 'newer', { backup: true, now: new Date('2026-11-21T10:20:30.900Z') })).toThrow();
    expect(readFileSync(r.backup!, 'utf8')).toBe('old\r\n');
  });

  it('leaves the original intact when the process dies in the middle of a write', () => {
    const d = dir();
    const f = join(d, 'vm.vmx');
    writeFileSync(f, 'precious\n');
    expect(() =>
      writeFileAtomic(f, 'half-written', {
        beforeRename: () => {
          throw new Error('simulated crash before the rename');
        },
      }),
    ).toThrow('simulated crash');
    expect(readFileSync(f, 'utf8')).toBe('precious\n');
    // No temporary file is left behind.
    expect(readdirSync(d)).toEqual(['vm.vmx']);
  });

  it('creates a new file when none exists', () => {
    const d = dir();
    const f = join(d, 'host.json');
    expect(writeFileAtomic(f, '{}\n', { backup: true }).backup).toBeUndefined();
    expect(readFileSync(f, 'utf8')).toBe('{}\n');
  });
});
