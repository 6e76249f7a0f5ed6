/** Delimited text (RFC 4180 quoting; comma, semicolon or tab, whichever the header line uses). */
import { InputError } from '../../core/errors.js';

export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

/** The delimiter a header line uses most, outside quotes. */
function delimiterOf(header: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/** Rows of cells with the line each row starts on; blank lines are skipped. */
export function parseCsv(text: string, file: string): CsvRow[] {
  const src = text.replace(/^\ufeff/, '');
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const d = delimiterOf(firstLine);
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let atStart = true;
    for (;;) {
      if (i >= n) {
        cells.push(cell);
        break;
      }
      const c = src[i]!;
      if (atStart && c === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new InputError({ file, line: start }, 'a closing quote (") for the cell that starts on this line', cell.slice(0, 40));
          const q = src[i]!;
          if (q === '"') {
            if (src[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (q === '\n') line++;
          cell += q;
          i++;
        }
        atStart = false;
        continue;
      }
      if (c === d) {
        cells.push(cell);
        cell = '';
        atStart = true;
        i++;
        continue;
      }
      if (c === '\r' && src[i + 1] === '\n') i++;
      if (src[i] === '\n') {
        cells.push(cell);
        i++;
        line++;
        break;
      }
      cell += c;
      atStart = false;
      i++;
    }
    if (cells.some((x) => x.trim() !== '')) rows.push({ line: start, cells });
  }
  return rows;
}
