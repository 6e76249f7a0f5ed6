import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from './text-position.js';

describe('LineIndex', () => {
  it('maps offsets to the same line and column as counting by hand', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'é'), maxLength: 60 }), fc.nat(), (text, n) => {
        const offset = n % (text.length + 1);
        const before = text.slice(0, offset).split('\n');
        expect(new LineIndex(text).at(offset)).toEqual({ line: before.length, column: before[before.length - 1]!.length + 1 });
      }),
    );
  });

  it('returns line text without the line break', () => {
    const idx = new LineIndex('one\r\ntwo\nthree');
    expect([idx.lines, idx.lineText(1), idx.lineText(2), idx.lineText(3), idx.lineText(4)]).toEqual([3, 'one', 'two', 'three', '']);
  });
});
