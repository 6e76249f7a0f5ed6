import { describe, expect, it } from 'vitest';
import { DETECT_CHARS, IMPORT_FORMAT_IDS } from './format-ids.js';
import { SNIFF_CHARS, importFormats } from './readers.js';

describe('format ids without the registry', () => {
  it('are the registry formats, in its order, and detection sees as much', () => {
    expect(IMPORT_FORMAT_IDS).toEqual(importFormats());
    expect(DETECT_CHARS).toBe(SNIFF_CHARS);
  });
});
