/** Text output on a terminal: the report layer's layout helpers, and the terminal's width. */
import { DEFAULT_WIDTH } from '../report/text.js';

export { diagnosticLines, labelled, plural, table, wrapWords } from '../report/text.js';

/** Terminal width for wrapping; 100 when not a terminal. */
export function outputWidth(): number {
  const cols = process.stdout.columns;
  return typeof cols === 'number' && cols >= 60 ? Math.min(cols, 140) : DEFAULT_WIDTH;
}

/** Writes text pieces to standard output in blocks of about 64 KB, waiting when the pipe is full. */
export async function writeAll(pieces: Iterable<string>): Promise<void> {
  let block: string[] = [];
  let size = 0;
  const put = async () => {
    const text = block.join('');
    block = [];
    size = 0;
    if (!process.stdout.write(text)) await new Promise<void>((done) => process.stdout.once('drain', () => done()));
  };
  for (const p of pieces) {
    block.push(p);
    size += p.length;
    if (size >= 65536) await put();
  }
  if (size > 0) await put();
}
