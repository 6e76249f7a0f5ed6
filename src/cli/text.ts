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
  let block = '';
  const put = async (text: string) => {
    if (!process.stdout.write(text)) await new Promise<void>((done) => process.stdout.once('drain', () => done()));
  };
  for (const p of pieces) {
    block += p;
    if (block.length >= 65536) {
      await put(block);
      block = '';
    }
  }
  if (block.length > 0) await put(block);
}
