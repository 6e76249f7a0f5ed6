/** Plain-text layout helpers for human output (no colours: output is often piped or pasted). Pure: the library's reports use them too. */
import type { Diagnostic } from '../core/errors.js';

/** The width reports wrap to when no terminal says otherwise. */
export const DEFAULT_WIDTH = 100;

/** Left-aligned columns; every row must have the same number of cells. */
export function table(rows: readonly (readonly string[])[], gap = 2): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + gap)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** Words wrapped to `width` columns, continuation lines indented by `indent` spaces. */
export function wrapWords(words: readonly string[], width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line.length > 0 && indent + line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else {
      line = line.length === 0 ? w : `${line} ${w}`;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** A label column of fixed width followed by a value (wrapped values stay aligned). */
export function labelled(label: string, value: string, width = 16): string {
  return `${label.padEnd(width)}${value}`;
}


export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Characters that must not reach a terminal or a log as they are: C0 and C1 controls (a newline in
 * a file name fakes a log line, an escape sequence recolours or rewrites the screen), DEL, line and
 * paragraph separators and bidirectional overrides.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A file name, brand string or label as text output shows it: unprintable characters escaped (`\n`, `\x1b`, `\u202e`). */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Diagnostics as openevc prints them on stderr: `openevc: warning: file:line: message`, one a line (unprintable characters escaped). */
export function diagnosticLines(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `openevc: ${d.level}: ${printable(`${d.where ? `${d.where.file}${d.where.line !== undefined ? `:${d.where.line}` : ''}: ` : ''}${d.message}`)}\n`).join('');
}
