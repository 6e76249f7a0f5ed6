/**
 * `JSON.stringify(value, null, 2)` in pieces: the same bytes, but a big report (100,000 duplicate
 * inputs, thousands of hosts) is never one string. Objects and arrays are split down to `depth`
 * levels (an array at the last level in runs of a few hundred elements); below that each value is
 * one `JSON.stringify`. Pure.
 */

/** Elements of an array written by one JSON.stringify. */
const ARRAY_RUN = 256;

/** Whether JSON.stringify writes an object property with this value (it leaves out the others). */
function written(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** A value JSON.stringify writes as-is: not a container to split (a `toJSON` value decides for itself). */
function leaf(v: unknown): boolean {
  return typeof v !== 'object' || v === null || typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

export function* jsonPieces(value: unknown, depth = 2, indent = ''): Generator<string> {
  if (depth === 0 || leaf(value)) {
    const s = JSON.stringify(value, null, 2) ?? 'null';
    yield indent === '' || !s.includes('\n') ? s : s.replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    if (depth === 1) {
      // The elements a few hundred at a time, each run one JSON.stringify (its brackets cut off).
      yield '[\n';
      // Wrapped in as many objects as `indent` has levels, the run comes out indented as it must be.
      const levels = indent.length / 2;
      let head = 0;
      for (let l = 1; l <= levels; l++) head += 2 + 2 * l + 4; // `{\n` + indentation + `"": `
      head += 2; // `[\n`
      for (let i = 0; i < value.length; i += ARRAY_RUN) {
        let run: unknown = value.slice(i, i + ARRAY_RUN);
        for (let l = 0; l < levels; l++) run = { '': run };
        const s = JSON.stringify(run, null, 2);
        // After the run: `\n` + indent + `]`, then for each level `\n` + its indentation + `}`.
        let end = s.length - (2 + indent.length);
        for (let l = 0; l < levels; l++) end -= 2 + 2 * l;
        yield s.slice(head, end);
        yield i + ARRAY_RUN < value.length ? ',\n' : '\n';
      }
      yield `${indent}]`;
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      const v: unknown = value[i];
      if (written(v)) yield* jsonPieces(v, depth - 1, inner);
      else yield 'null';
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => written(o[k]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    yield `${inner}${JSON.stringify(k)}: `;
    yield* jsonPieces(o[k], depth - 1, inner);
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** `JSON.stringify(value, null, 2)` and a newline, in pieces (what a command writes). */
export function* jsonLines(value: unknown): Generator<string> {
  yield* jsonPieces(value);
  yield '\n';
}
