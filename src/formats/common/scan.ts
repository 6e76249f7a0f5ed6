/**
 * Small, allocation-free text scanning helpers shared by the line-oriented importers.
 *
 * Real dumps run to megabytes (an EPYC 2P dump is 2.6 MB, 60,000 lines), and every CLI
 * command parses its inputs first, so importers walk the text by index and read hex digits
 * through a lookup table instead of running a regular expression per line.
 */

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

/** Value of a hex digit's char code (either case), or -1. */
export function hexDigit(code: number): number {
  return code < 128 ? HEX[code]! : -1;
}

/**
 * Reads exactly `digits` hex digits (1..8) starting at `pos`. Returns the unsigned value,
 * or -1 when the text is too short or any of those characters is not a hex digit.
 */
export function hexAt(text: string, pos: number, digits: number): number {
  if (pos + digits > text.length) return -1;
  let v = 0;
  for (let i = 0; i < digits; i++) {
    const d = hexDigit(text.charCodeAt(pos + i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Number of consecutive hex digits starting at `pos` (stops at `end`). */
export function hexRun(text: string, pos: number, end: number): number {
  let i = pos;
  while (i < end && hexDigit(text.charCodeAt(i)) >= 0) i++;
  return i - pos;
}

/** True for a space or a tab. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** Index of the first character at or after `pos` that is not a space or tab (at most `end`). */
export function skipBlanks(text: string, pos: number, end: number): number {
  while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * Calls `visit(start, end, line)` for every line: `end` excludes the newline and a
 * trailing carriage return, `line` is 1-based. A leading byte-order mark is skipped.
 */
export function forEachLine(text: string, visit: (start: number, end: number, line: number) => void): void {
  const n = text.length;
  let pos = n > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    line++;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    visit(pos, end, line);
    pos = nl + 1;
  }
}

/** The text of a line, without trailing blanks, for error messages and header matching. */
export function lineText(text: string, start: number, end: number): string {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** `[3, 4, 5, 9]` → `3-5, 9`: lists of logical CPU numbers stay short in messages. */
export function formatRanges(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(j === i ? `${values[i]}` : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
