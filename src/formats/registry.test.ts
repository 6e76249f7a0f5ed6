import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORTERS } from './readers.js';
import { INPUT_FORMATS, READER_IDS, WRITER_IDS } from './registry.js';
import { EXPORTERS } from './writers.js';
import { REPO_ROOT } from '../test-support/shared.js';

describe('the format registry is the one list of formats', () => {
  it('every reader is registered under its own id, in registry order', () => {
    expect(IMPORTERS.map((i) => i.format)).toEqual([...READER_IDS]);
  });

  it('every writer is registered under its own id, in registry order', () => {
    expect(EXPORTERS.map((e) => e.format)).toEqual([...WRITER_IDS]);
  });

  it('ids are unique, and every input format has a label', () => {
    expect(new Set(INPUT_FORMATS.map((f) => f.id)).size).toBe(INPUT_FORMATS.length);
    expect(new Set(WRITER_IDS).size).toBe(WRITER_IDS.length);
    for (const f of INPUT_FORMATS) expect(f.label.length).toBeGreaterThan(3);
  });

  it("the README's tables name every input and output format", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const id of [...READER_IDS, ...WRITER_IDS]) expect(readme, id).toContain(`\`${id}\``);
  });
});

describe('what the registry says without loading a reader', () => {
  it('detection sees as much as the readers are given', async () => {
    const { DETECT_CHARS } = await import('./registry.js');
    const { SNIFF_CHARS } = await import('./readers.js');
    expect(DETECT_CHARS).toBe(SNIFF_CHARS);
  });
});
