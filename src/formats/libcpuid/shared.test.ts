import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify } from '../../core/identity.js';
import { filesUnder, hasShared, shared } from '../../test-support/shared.js';
import { importText } from '../readers.js';


describe.skipIf(!hasShared)("libcpuid's test files (needs ../shared)", () => {
  const root = shared('oracle/libcpuid-tests');
  const files = hasShared ? filesUnder(root, (name) => name.endsWith('.test')).sort() : [];
  it('holds the 45 test files', () => expect(files.length).toBe(45));
  it.each(files.map((f) => [relative(root, f), f]))('%s reads (its expected family/model/stepping match), or is refused with a reason', (_, f) => {
    const text = readFileSync(f, 'utf8');
    if (text.trim() === '') {
      // kaveri-x4.test is empty upstream: nothing to read, and openevc says so.
      expect(() => importText(text, { file: f })).toThrow(`${f}: expected a CPUID dump, found nothing`);
      return;
    }
    const r = importText(text, { file: f });
    const dash = text.split('\n').findIndex((l) => /^-{10,}\s*$/.test(l));
    expect(dash).toBeGreaterThan(0);
    const expected = text.split('\n').slice(dash + 1);
    const id = identify(r.dump);
    // The expected block: architecture, feature-level, purpose, family, model, stepping, extfamily,
    // extmodel (decimal; ext* are the display family and model).
    expect([id.family, id.model, id.stepping]).toEqual([Number(expected[6]), Number(expected[7]), Number(expected[5])]);
  });
});
