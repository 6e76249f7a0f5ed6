/** Text output on a terminal: the report layer's layout helpers, and the terminal's width. */
import type { Diagnostic } from '../core/errors.js';
import { DEFAULT_WIDTH, diagnosticLines } from '../report/text.js';

export { diagnosticLines, labelled, plural, printable, table, wrapWords } from '../report/text.js';

/**
 * Writes diagnostics to standard error, one line each. With none, standard error is not touched
 * (its stream costs a few milliseconds to set up, more than a one-host command takes).
 */
export function writeDiagnostics(ds: readonly Diagnostic[]): void {
  if (ds.length > 0) process.stderr.write(diagnosticLines(ds));
}

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

/**
 * Writes text pieces to standard output (or the stream `to` gives, asked for only when there is
 * something to write), encoded straight into 256 KB blocks (no joined string), waiting when the
 * pipe is full.
 */
export async function writeAll(pieces: Iterable<string>, to: () => NodeJS.WritableStream = () => process.stdout): Promise<void> {
  const SIZE = 256 * 1024;
  let buf = Buffer.allocUnsafe(SIZE);
  let used = 0;
  const flush = async () => {
    if (used === 0) return;
    const out = buf.subarray(0, used);
    buf = Buffer.allocUnsafe(SIZE);
    used = 0;
    if (!to().write(out)) await new Promise<void>((done) => to().once('drain', () => done()));
  };
  for (const p of pieces) {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (used + p.length * 3 > SIZE) {
      await flush();
      if (p.length * 3 > SIZE) {
        if (!to().write(p)) await new Promise<void>((done) => to().once('drain', () => done()));
        continue;
      }
    }
    used += buf.write(p, used);
  }
  await flush();
}
