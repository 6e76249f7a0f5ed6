import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffOps, unifiedDiff } from './unified-diff.js';
import type { DiffLine } from './unified-diff.js';

const lines = (...t: string[]): DiffLine[] => t.map((text) => ({ text, eol: '\n' }));
const lineArb = fc.array(fc.record({ text: fc.constantFrom('a', 'b', 'c', 'd', 'cpuid.1.ecx = "-"'), eol: fc.constantFrom('\n', '\n', '\r\n') }), { maxLength: 14 });
const withLast = (ls: DiffLine[], noEol: boolean): DiffLine[] => (noEol && ls.length > 0 ? [...ls.slice(0, -1), { ...ls[ls.length - 1]!, eol: '' }] : ls);

/** Length of a longest common subsequence (textbook dynamic programming), for checking minimality. */
function lcs(a: readonly DiffLine[], b: readonly DiffLine[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i]![j] = a[i]!.text === b[j]!.text && a[i]!.eol === b[j]!.eol ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  return t[0]![0]!;
}

describe('unified diff', () => {
  it('prints hunks with context, like diff -u', () => {
    const a = lines('1', '2', '3', '4', '5', '6', '7', '8', '9');
    const b = lines('1', '2', '3', '4', 'five', '6', '7', '8', '9', '10');
    expect(unifiedDiff(a, b, { from: 'x', to: 'x' })).toBe(
      ['--- x', '+++ x', '@@ -2,8 +2,9 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ' 9', '+10', ''].join('\n'),
    );
    expect(unifiedDiff(a, a, { from: 'x', to: 'x' })).toBe('');
  });

  it('marks a last line without a line break', () => {
    const a = [{ text: 'a', eol: '' }];
    const b = [{ text: 'a', eol: '\n' }, { text: 'b', eol: '' }];
    expect(unifiedDiff(a, b, { from: 'x', to: 'x' })).toBe(['--- x', '+++ x', '@@ -1 +1,2 @@', '-a', '\\ No newline at end of file', '+a', '+b', '\\ No newline at end of file', ''].join('\n'));
  });

  it('the edit script turns a into b with as few edits as possible (property)', () => {
    fc.assert(
      fc.property(lineArb, lineArb, (a, b) => {
        const ops = diffOps(a, b);
        const rebuilt = ops.filter((o) => o.kind !== '-').map((o) => (o.kind === '+' ? b[o.b] : a[o.a]));
        expect(rebuilt).toEqual(b);
        expect(ops.filter((o) => o.kind !== '+').map((o) => a[o.a])).toEqual(a);
        expect(ops.filter((o) => o.kind !== '=').length).toBe(a.length + b.length - 2 * lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });

  const hasPatch = spawnSync('patch', ['--version']).status === 0;
  it.runIf(hasPatch)('patch(1) applies the diff and gives b exactly (property, line endings and missing final breaks included)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-diff-'));
    const file = join(dir, 'f.vmx');
    const text = (ls: DiffLine[]) => ls.map((l) => l.text + l.eol).join('');
    fc.assert(
      fc.property(lineArb, lineArb, fc.boolean(), fc.boolean(), (a0, b0, na, nb) => {
        const a = withLast(a0, na);
        const b = withLast(b0, nb);
        fc.pre(a.length > 0 && b.length > 0);
        const d = unifiedDiff(a, b, { from: file, to: file });
        fc.pre(d !== '');
        writeFileSync(file, text(a));
        const r = spawnSync('patch', ['-s', '--binary', '-r', join(dir, 'rejects'), '-o', '-', file], { input: d });
        expect(r.status, r.stderr.toString()).toBe(0);
        expect(r.stdout.toString()).toBe(text(b));
      }),
      { numRuns: 60 },
    );
  });
});
