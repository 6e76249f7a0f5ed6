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

/** Diagnostics as openevc prints them on stderr: `openevc: warning: file:line: message`, one a line. */
export function diagnosticLines(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `openevc: ${d.level}: ${d.where ? `${d.where.file}${d.where.line !== undefined ? `:${d.where.line}` : ''}: ` : ''}${d.message}\n`).join('');
}
