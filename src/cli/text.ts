/** Text output on a terminal: the report layer's layout helpers, and the terminal's width. */
import { DEFAULT_WIDTH } from '../report/text.js';

export { diagnosticLines, labelled, plural, printable, table, wrapWords } from '../report/text.js';

/** Width for wrapping what goes to standard error (its terminal's, else 100). */
export function errorWidth(): number {
  const cols = process.stderr.columns;
  return typeof cols === 'number' && cols >= 60 ? Math.min(cols, 140) : DEFAULT_WIDTH;
}

/** Terminal width for wrapping; 100 when not a terminal. */
export function outputWidth(): number {
  const cols = process.stdout.columns;
  return typeof cols === 'number' && cols >= 60 ? Math.min(cols, 140) : DEFAULT_WIDTH;
}
