/**
 * Offsets to line and column numbers, for error messages that point at the right place.
 *
 * Parsers that work on the whole text (XML, JSON) report character offsets; people read
 * line numbers. The index is built once per text (one pass) and answers by binary search,
 * so locating many elements stays cheap.
 */
export class LineIndex {
  /** Offset of the first character of each line; starts[0] = 0. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Number of lines (a text without newline has one). */
  get lines(): number {
    return this.starts.length;
  }

  /** 1-based line and column of a character offset (clamped into the text). */
  at(offset: number): { line: number; column: number } {
    const pos = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: pos - this.starts[lo]! + 1 };
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    return this.at(offset).line;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}

/** The text without a leading byte-order mark (editors on Windows add one; parsers choke on it). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
