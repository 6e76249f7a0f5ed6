/**
 * JSON inputs that may hold several documents one after another (govc prints one JSON value per
 * object update), with errors that name the line and the JSON path of the value at fault.
 */
import { InputError } from '../../core/errors.js';
import { describeJsonValue, findJsonSyntaxError, formatJsonPath, locateJsonPath } from './json-scan.js';
import type { JsonPath } from './json-scan.js';
import { LineIndex, withoutBom } from './text-position.js';

export type { JsonPath } from './json-scan.js';

export interface JsonDocument {
  readonly value: unknown;
  /** Offset of the document's first character in the whole text. */
  readonly start: number;
  readonly text: string;
}

/** A value read from a document, with where it is. */
export interface Located {
  readonly value: unknown;
  readonly doc: number;
  readonly path: JsonPath;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key of `o` that spells `name` in any case (`maxEVCModeKey`, `MaxEVCModeKey`), ignoring `_` separators. */
export function fieldName(o: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(o, name)) return name;
  const fold = (s: string) => s.toLowerCase().replace(/_/g, '');
  const want = fold(name);
  return Object.keys(o).find((k) => fold(k) === want);
}

/** Splits text into top-level JSON values (objects, arrays, scalars) without parsing them. */
function split(text: string): { start: number; end: number }[] | undefined {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    const c = text[i]!;
    if (c === '{' || c === '[') {
      let depth = 0;
      let inString = false;
      for (; i < n; i++) {
        const ch = text[i]!;
        if (inString) {
          if (ch === '\\') i++;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
      if (depth !== 0) return undefined;
    } else if (c === '"') {
      i++;
      for (; i < n && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (i >= n) return undefined;
      i++;
    } else {
      while (i < n && !/[\s{["]/.test(text[i]!)) i++;
    }
    out.push({ start, end: i });
  }
  return out;
}

/** The documents of a JSON input, and error helpers that point at a value's line. */
export class JsonInput {
  readonly docs: readonly JsonDocument[];
  private readonly lines: LineIndex;
  readonly text: string;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.text = withoutBom(text);
    this.lines = new LineIndex(this.text);
    const parts = split(this.text);
    const docs: JsonDocument[] = [];
    if (parts && parts.length > 0) {
      for (const p of parts) {
        const t = this.text.slice(p.start, p.end);
        try {
          docs.push({ value: JSON.parse(t), start: p.start, text: t });
        } catch {
          this.syntax(t, p.start);
        }
      }
    } else {
      this.syntax(this.text, 0);
    }
    this.docs = docs;
  }

  private syntax(t: string, base: number): never {
    const problem = findJsonSyntaxError(t);
    const at = this.lines.at(base + (problem?.offset ?? 0));
    throw new InputError({ file: this.file, line: at.line, column: at.column }, `valid JSON${problem ? `: ${problem.expected}` : ''}`, problem?.found ?? '');
  }

  /** The line of a value (or of its nearest parent that exists). */
  lineOf(doc: number, path: JsonPath): { line: number; column: number } {
    const d = this.docs[doc];
    let offset: number | undefined;
    if (d) for (let k = path.length; k >= 0 && offset === undefined; k--) offset = locateJsonPath(d.text, path.slice(0, k));
    return this.lines.at((d?.start ?? 0) + (offset ?? 0));
  }

  /** An InputError at a value: `file:line:col: expected $.path to be <expected>, found <value>`. */
  fail(at: { readonly doc: number; readonly path: JsonPath; readonly value?: unknown }, expected: string, found: unknown): never {
    const { line, column } = this.lineOf(at.doc, at.path);
    const where = this.docs.length > 1 ? `document ${at.doc + 1}: ${formatJsonPath(at.path)}` : formatJsonPath(at.path);
    throw new InputError({ file: this.file, line, column }, `${where} to be ${expected}`, describeJsonValue(found));
  }
}

/**
 * Reads a property path (`summary.maxEVCModeKey`) from a value, any key spelling, walking into
 * nested objects. Returns undefined when a step is missing or null.
 */
export function walk(from: Located, steps: readonly string[]): Located | undefined {
  let cur = from;
  for (const step of steps) {
    if (!isObject(cur.value)) return undefined;
    const k = fieldName(cur.value, step);
    if (k === undefined) return undefined;
    const v = cur.value[k];
    if (v === null || v === undefined) return undefined;
    cur = { value: v, doc: cur.doc, path: [...cur.path, k] };
  }
  return cur;
}
