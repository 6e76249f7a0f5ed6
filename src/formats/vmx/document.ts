/**
 * A faithful `.vmx` text model: every line is kept exactly as read (comments, blank lines, order,
 * quoting, spacing, trailing whitespace, CRLF or LF per line, a byte-order mark, bytes that are not
 * valid UTF-8), and only lines an edit touches are written anew. Editing a VM's configuration must
 * never reformat the rest of it: people diff these files, and VMware rewrites them itself.
 *
 * The format: one `key = "value"` per line; keys are case-insensitive (`PDPE1GB` and `pdpe1gb` are
 * both seen); values are normally quoted, sometimes not; `#` starts a comment line; `.encoding`
 * names the character set of the file (`UTF-8`, also `windows-1252` or `Shift_JIS`).
 *
 * Duplicate keys: public sources do not say which occurrence VMware uses. openevc reads the last
 * one (as line-based configuration readers usually do) and reports duplicates; `set` rewrites the
 * last occurrence and deletes the earlier ones, so the result means the same whichever occurrence
 * VMware would have used.
 *
 * VMware escapes some characters inside values as `|` plus two hex digits (UNCONFIRMED which ones);
 * values are returned as written, without decoding such escapes.
 */
import type { Diagnostic } from '../../core/errors.js';
import { InputError, UsageError } from '../../core/errors.js';

export type Eol = '' | '\n' | '\r\n';

export type VmxLineKind = 'blank' | 'comment' | 'entry' | 'other';

/** One line as read: its text (decoded, without the line break), its break, and what it holds. */
export interface VmxLine {
  readonly text: string;
  readonly eol: Eol;
  readonly kind: VmxLineKind;
  /** Entries only: the key as written. */
  readonly key?: string;
  /** Entries only: the value without its quotes. */
  readonly value?: string;
  readonly quoted?: boolean;
  /** 0-based offsets in `text` of the value's first character and of the character after it. */
  readonly valueStart?: number;
  readonly valueEnd?: number;
  /** The closing quote is missing: the value runs to the end of the line. */
  readonly unterminated?: boolean;
}

/** A `key = value` line with its current 1-based line number. */
export interface VmxEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
  /** 1-based column of the value's first character (after the opening quote). */
  readonly column: number;
  readonly quoted: boolean;
}

interface StoredLine extends VmxLine {
  /** The original bytes of the line (without its break), while the line is untouched. */
  readonly bytes?: Uint8Array;
}

const isBlankChar = (c: number) => c === 0x20 || c === 0x09;

function skipBlank(text: string, i: number): number {
  while (i < text.length && isBlankChar(text.charCodeAt(i))) i++;
  return i;
}

/** End of `text[0, end)` without trailing spaces and tabs (a loop: a regex would go quadratic on long runs). */
function trimBlankEnd(text: string, start: number, end: number): number {
  while (end > start && isBlankChar(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Reads one line's structure. Never fails: anything that is not an entry is kept as `other`. */
/**
 * A CR-only file (classic Mac OS line breaks: carriage returns and no line feed) is refused in
 * one line: VMware reads LF or CRLF, so such a file reads as one long line, and an edit could
 * not keep it byte-identical. Callers that read a `.vmx` from disk call this before
 * {@link VmxDocument.parse} (which itself never fails).
 */
export function refuseCrOnly(input: string | Uint8Array, file: string): void {
  const cr = typeof input === 'string' ? input.indexOf('\r') : input.indexOf(0x0d);
  if (cr < 0 || cr === input.length - 1) return;
  const lf = typeof input === 'string' ? input.indexOf('\n') : input.indexOf(0x0a);
  if (lf >= 0) return;
  throw new InputError({ file, line: 1 }, 'a .vmx with LF or CRLF line breaks; this one has only carriage returns (classic Mac OS line breaks): convert them to LF first', 'CR-only line breaks');
}

export function parseVmxLine(text: string, eol: Eol): VmxLine {
  const i = skipBlank(text, 0);
  if (i === text.length) return { text, eol, kind: 'blank' };
  if (text[i] === '#') return { text, eol, kind: 'comment' };
  const eq = text.indexOf('=', i);
  const keyEnd = eq < 0 ? -1 : trimBlankEnd(text, i, eq);
  const key = eq < 0 ? '' : text.slice(i, keyEnd);
  if (key === '' || /[\s"#]/.test(key)) return { text, eol, kind: 'other' };
  const j = skipBlank(text, eq + 1);
  if (text[j] === '"') {
    const close = text.indexOf('"', j + 1);
    const end = close < 0 ? text.length : close;
    const base = { text, eol, kind: 'entry' as const, key, value: text.slice(j + 1, end), quoted: true, valueStart: j + 1, valueEnd: end };
    return close < 0 ? { ...base, unterminated: true } : base;
  }
  const end = trimBlankEnd(text, j, text.length);
  return { text, eol, kind: 'entry', key, value: text.slice(j, end), quoted: false, valueStart: j, valueEnd: end };
}

const foldKey = (k: string) => k.toLowerCase();

/** Values that may stay unquoted when an unquoted line is rewritten. */
const BARE_VALUE = /^[^\s"#]+$/;

/** Decodes bytes with a label TextDecoder knows, else UTF-8. */
function decoderFor(label: string): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

export class VmxDocument {
  private lines: StoredLine[];
  /** The file had a byte-order mark (kept on output). */
  readonly bom: boolean;
  /** Character set the text was decoded with (`utf-8` for text given as a string). */
  readonly encoding: string;
  /** Notes from reading: an unknown `.encoding`, duplicate keys. */
  readonly diagnostics: Diagnostic[] = [];
  private readonly fromBytes: boolean;

  private constructor(
    readonly file: string,
    lines: StoredLine[],
    bom: boolean,
    encoding: string,
    fromBytes: boolean,
  ) {
    this.lines = lines;
    this.bom = bom;
    this.encoding = encoding;
    this.fromBytes = fromBytes;
  }

  /**
   * Reads a `.vmx` text. Give the file's bytes to keep lines byte-identical whatever their
   * encoding (`toBytes()` then returns them unchanged); a string is kept character-identical.
   * Reading never fails: lines that are not `key = value` are kept as they are.
   */
  static parse(input: string | Uint8Array, file = '-'): VmxDocument {
    const doc = typeof input === 'string' ? VmxDocument.fromText(input, file) : VmxDocument.fromBytes(input, file);
    doc.noteDuplicates();
    return doc;
  }

  private static fromText(input: string, file: string): VmxDocument {
    const bom = input.charCodeAt(0) === 0xfeff;
    const text = bom ? input.slice(1) : input;
    const lines: StoredLine[] = [];
    let start = 0;
    while (start < text.length) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) {
        lines.push(parseVmxLine(text.slice(start), ''));
        break;
      }
      const crlf = nl > start && text.charCodeAt(nl - 1) === 0x0d;
      lines.push(parseVmxLine(text.slice(start, crlf ? nl - 1 : nl), crlf ? '\r\n' : '\n'));
      start = nl + 1;
    }
    return new VmxDocument(file, lines, bom, 'utf-8', false);
  }

  private static fromBytes(input: Uint8Array, file: string): VmxDocument {
    const bom = input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
    const raw: { bytes: Uint8Array; eol: Eol }[] = [];
    let start = bom ? 3 : 0;
    while (start < input.length) {
      const nl = input.indexOf(0x0a, start);
      if (nl < 0) {
        raw.push({ bytes: input.subarray(start), eol: '' });
        break;
      }
      const crlf = nl > start && input[nl - 1] === 0x0d;
      raw.push({ bytes: input.subarray(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
      start = nl + 1;
    }
    // Keys are ASCII in every encoding VMware uses, so a first UTF-8 pass finds `.encoding`.
    const utf8 = new TextDecoder('utf-8');
    let encoding = 'utf-8';
    const diagnostics: Diagnostic[] = [];
    for (let n = 0; n < raw.length; n++) {
      const l = parseVmxLine(utf8.decode(raw[n]!.bytes), raw[n]!.eol);
      if (l.kind !== 'entry' || foldKey(l.key!) !== '.encoding') continue;
      const d = decoderFor(l.value!);
      if (d) encoding = d.encoding;
      else diagnostics.push({ level: 'warning', message: `unknown .encoding "${l.value}": the text is read as UTF-8`, where: { file, line: n + 1 } });
    }
    const decoder = new TextDecoder(encoding);
    const lines = raw.map(({ bytes, eol }) => ({ ...parseVmxLine(decoder.decode(bytes), eol), bytes }));
    const doc = new VmxDocument(file, lines, bom, encoding, true);
    doc.diagnostics.push(...diagnostics);
    return doc;
  }

  private noteDuplicates(): void {
    const seen = new Map<string, number[]>();
    this.lines.forEach((l, i) => {
      if (l.kind !== 'entry') return;
      const k = foldKey(l.key!);
      const list = seen.get(k);
      if (list) list.push(i + 1);
      else seen.set(k, [i + 1]);
    });
    for (const [, at] of seen) {
      if (at.length < 2) continue;
      const key = this.lines[at[0]! - 1]!.key!;
      const last = at[at.length - 1]!;
      this.diagnostics.push({
        level: 'warning',
        message: `'${key}' is set ${at.length} times (lines ${at.join(', ')}); openevc uses line ${last}`,
        where: { file: this.file, line: last },
      });
    }
  }

  /** Every line, in order. */
  get allLines(): readonly VmxLine[] {
    return this.lines;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Every entry in file order, duplicates included. */
  entries(): VmxEntry[] {
    const out: VmxEntry[] = [];
    this.lines.forEach((l, i) => {
      if (l.kind === 'entry') out.push({ key: l.key!, value: l.value!, line: i + 1, column: l.valueStart! + 1, quoted: l.quoted! });
    });
    return out;
  }

  /** The entry in force for a key (the last occurrence; keys are case-insensitive). */
  entry(key: string): VmxEntry | undefined {
    const k = foldKey(key);
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const l = this.lines[i]!;
      if (l.kind === 'entry' && foldKey(l.key!) === k) return { key: l.key!, value: l.value!, line: i + 1, column: l.valueStart! + 1, quoted: l.quoted! };
    }
    return undefined;
  }

  get(key: string): string | undefined {
    return this.entry(key)?.value;
  }

  has(key: string): boolean {
    return this.entry(key) !== undefined;
  }

  /**
   * Sets a key. An existing key keeps its line, spelling, spacing and quoting; only the value
   * changes (an unquoted value gains quotes only if the new one needs them), and earlier duplicates
   * go. A new key goes after the last key sharing the longest dotted prefix with it (`cpuid.7.ebx`
   * after the other `cpuid.*` lines), else after the last entry; `opts.after` (a 1-based line
   * number) puts a new key after that line instead.
   */
  set(key: string, value: string, opts: { readonly after?: number } = {}): this {
    if (key === '' || /[\s"#=]/.test(key)) throw new UsageError(`not a .vmx key: ${JSON.stringify(key)}`);
    if (/["\r\n]/.test(value)) throw new UsageError(`a .vmx value cannot hold a double quote or a line break: ${JSON.stringify(value)}`);
    const k = foldKey(key);
    const at: number[] = [];
    this.lines.forEach((l, i) => {
      if (l.kind === 'entry' && foldKey(l.key!) === k) at.push(i);
    });
    const last = at.pop();
    if (last !== undefined) {
      this.replaceLine(last, withValue(this.lines[last]!, value));
      for (const i of at.reverse()) this.lines.splice(i, 1);
      return this;
    }
    const after = opts.after !== undefined && opts.after >= 1 && opts.after <= this.lines.length ? opts.after - 1 : this.placeFor(key);
    this.insertAfter(after, `${key} = "${value}"`);
    return this;
  }

  /** Removes every line setting a key; returns how many went. */
  remove(key: string): number {
    const k = foldKey(key);
    const before = this.lines.length;
    this.lines = this.lines.filter((l) => l.kind !== 'entry' || foldKey(l.key!) !== k);
    return before - this.lines.length;
  }

  /** Index of the line a new key goes after (-1: at the start of an empty document). */
  private placeFor(key: string): number {
    const parts = foldKey(key).split('.');
    let best = 0;
    let bestAt = -1;
    let lastEntry = -1;
    this.lines.forEach((l, i) => {
      if (l.kind !== 'entry') return;
      lastEntry = i;
      const other = foldKey(l.key!).split('.');
      let shared = 0;
      while (shared < parts.length - 1 && shared < other.length && parts[shared] === other[shared]) shared++;
      if (shared > 0 && shared >= best) {
        best = shared;
        bestAt = i;
      }
    });
    if (bestAt >= 0) return bestAt;
    return lastEntry >= 0 ? lastEntry : this.lines.length - 1;
  }

  private insertAfter(index: number, text: string): void {
    const prev = this.lines[index];
    let eol: Eol = prev?.eol || this.dominantEol();
    if (prev && prev.eol === '') {
      // The last line had no line break: it gets one, the new last line goes without.
      this.replaceLine(index, { ...prev, eol });
      eol = '';
    }
    this.lines.splice(index + 1, 0, parseVmxLine(text, eol));
  }

  private replaceLine(index: number, line: VmxLine): void {
    const old = this.lines[index]!;
    if (line.text === old.text && line.eol === old.eol) return;
    if (this.fromBytes && this.encoding !== 'utf-8' && /[\u0080-\uffff]/.test(line.text)) {
      throw new UsageError(`cannot write non-ASCII text into a ${this.encoding} .vmx: ${JSON.stringify(line.text)}`);
    }
    const { bytes: _dropped, ...rest } = line as StoredLine;
    this.lines[index] = rest;
  }

  private dominantEol(): Eol {
    let crlf = 0;
    let lf = 0;
    for (const l of this.lines) {
      if (l.eol === '\r\n') crlf++;
      else if (l.eol === '\n') lf++;
    }
    return crlf > lf ? '\r\n' : '\n';
  }

  /** The document as text (exactly the input, for text given as a string and left unchanged). */
  toString(): string {
    let out = this.bom ? '\ufeff' : '';
    for (const l of this.lines) out += l.text + l.eol;
    return out;
  }

  /** The document as bytes: untouched lines of a document read from bytes are their original bytes. */
  toBytes(): Uint8Array {
    if (!this.fromBytes) return new TextEncoder().encode(this.toString());
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [];
    if (this.bom) parts.push(new Uint8Array([0xef, 0xbb, 0xbf]));
    for (const l of this.lines) {
      // Rewritten lines are ASCII unless the file is UTF-8 (replaceLine makes sure), so UTF-8 encoding is right.
      parts.push(l.bytes ?? encoder.encode(l.text));
      if (l.eol) parts.push(encoder.encode(l.eol));
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

/** The line with a new value, everything else as written. */
function withValue(l: VmxLine, value: string): VmxLine {
  const start = l.valueStart!;
  const end = l.valueEnd!;
  let text: string;
  if (l.quoted) text = l.text.slice(0, start) + value + (l.unterminated ? '"' : l.text.slice(end));
  else if (BARE_VALUE.test(value)) text = l.text.slice(0, start) + value + l.text.slice(end);
  else text = `${l.text.slice(0, start)}"${value}"${l.text.slice(end)}`;
  return parseVmxLine(text, l.eol);
}
