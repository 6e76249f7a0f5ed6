/**
 * A small JSON scanner that knows *where* things are, which JSON.parse does not tell.
 *
 * JSON.parse stays the reader (fast, exact); this scanner runs only when something is wrong:
 * to locate a syntax error by itself (engines word and position their messages differently,
 * and some give no position at all), and to find the offset of the value at a JSON path so a
 * semantic error ("$.leaves[3].eax is not a register value") can name its line.
 *
 * It is iterative (an explicit stack), so deeply nested input cannot overflow the call stack.
 */

/** A path into a JSON document: object keys and array indexes, outermost first. */
export type JsonPath = readonly (string | number)[];

/** `$.leaves[3].eax`: the notation people know from jq and JSONPath. */
export function formatJsonPath(path: JsonPath): string {
  let s = '$';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) s += `.${p}`;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

/** A JSON value as an error message shows what was found: strings as they are, containers by kind. */
export function describeJsonValue(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

export interface JsonSyntaxProblem {
  /** Offset of the offending character (text length at the end of input). */
  readonly offset: number;
  /** What the grammar allowed there. */
  readonly expected: string;
  /** What is there instead: a short excerpt, or '' at the end of input. */
  readonly found: string;
}

type Mode = 'value' | 'keyOrEnd' | 'key' | 'colon' | 'commaOrEndObject' | 'valueOrEndArray' | 'commaOrEndArray' | 'done';

interface Frame {
  readonly kind: 'object' | 'array';
  /** Current key (object) or index (array) of the value being read inside this container. */
  key: string | number;
}

class Stop {
  constructor(readonly problem: JsonSyntaxProblem) {}
}

/**
 * Walks the text, calling `onValue(path, offset)` at the start of every value. Returns the first
 * syntax problem, or undefined when the text is valid JSON.
 */
function walk(text: string, onValue?: (stack: readonly Frame[], offset: number) => void): JsonSyntaxProblem | undefined {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];
  let mode = 'value' as Mode;

  const fail = (expected: string, at = i): never => {
    throw new Stop({ offset: at, expected, found: excerpt(text, at) });
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('four hex digits after \\u', i + 2);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)', i + 1);
        continue;
      }
      if (c < 0x20) fail('a closing quote (control characters must be escaped inside strings)');
      i++;
    }
    return fail('a closing quote', n);
  };
  const readNumber = (): void => {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const hit = m.exec(text);
    if (!hit || hit[0] === '-' || hit[0].length === 0) fail('a number');
    i += hit![0].length;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) fail('a number (JSON numbers have no leading zeros, and need digits after "." and "e")');
  };
  const endValue = (): void => {
    const top = stack[stack.length - 1];
    mode = top === undefined ? 'done' : top.kind === 'object' ? 'commaOrEndObject' : 'commaOrEndArray';
  };

  try {
    for (;;) {
      ws();
      const c = text[i];
      switch (mode) {
        case 'done':
          if (c !== undefined) fail('the end of the document (only one top-level value is allowed)');
          return undefined;
        case 'value':
        case 'valueOrEndArray': {
          if (mode === 'valueOrEndArray' && c === ']') {
            i++;
            stack.pop();
            endValue();
            break;
          }
          onValue?.(stack, i);
          if (c === '{') {
            i++;
            stack.push({ kind: 'object', key: '' });
            mode = 'keyOrEnd';
          } else if (c === '[') {
            i++;
            stack.push({ kind: 'array', key: 0 });
            mode = 'valueOrEndArray';
          } else if (c === '"') {
            readString();
            endValue();
          } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
            readNumber();
            endValue();
          } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
            i += 4;
            endValue();
          } else if (text.startsWith('false', i)) {
            i += 5;
            endValue();
          } else {
            fail(mode === 'valueOrEndArray' ? 'a value or "]"' : 'a value (object, array, string, number, true, false or null)');
          }
          break;
        }
        case 'keyOrEnd':
        case 'key': {
          if (mode === 'keyOrEnd' && c === '}') {
            i++;
            stack.pop();
            endValue();
            break;
          }
          if (c !== '"') fail(mode === 'keyOrEnd' ? 'a quoted key or "}"' : 'a quoted key (JSON allows no trailing comma)');
          stack[stack.length - 1]!.key = readString();
          mode = 'colon';
          break;
        }
        case 'colon':
          if (c !== ':') fail('":" after the key');
          i++;
          mode = 'value';
          break;
        case 'commaOrEndObject':
          if (c === ',') {
            i++;
            mode = 'key';
          } else if (c === '}') {
            i++;
            stack.pop();
            endValue();
          } else fail('"," or "}"');
          break;
        case 'commaOrEndArray':
          if (c === ',') {
            i++;
            (stack[stack.length - 1]!.key as number)++;
            mode = 'value';
          } else if (c === ']') {
            i++;
            stack.pop();
            endValue();
          } else fail('"," or "]"');
          break;
      }
    }
  } catch (e) {
    if (e instanceof Stop) return e.problem;
    throw e;
  }
}

function excerpt(text: string, at: number): string {
  if (at >= text.length) return '';
  const m = /^(?:"(?:[^"\\\n]|\\.){0,30}"?|[A-Za-z0-9_+\-.]{1,30}|[^\s])/.exec(text.slice(at, at + 40));
  return m ? m[0] : text.slice(at, at + 1);
}

/** The first syntax error in the text, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  return walk(text);
}

/**
 * Offset where the value at `path` starts (the last occurrence when a key is repeated, as
 * JSON.parse keeps the last), or undefined when the path is not in the document.
 */
export function locateJsonPath(text: string, path: JsonPath): number | undefined {
  let found: number | undefined;
  walk(text, (stack, offset) => {
    if (stack.length !== path.length) return;
    for (let k = 0; k < path.length; k++) if (stack[k]!.key !== path[k]) return;
    found = offset;
  });
  return found;
}
