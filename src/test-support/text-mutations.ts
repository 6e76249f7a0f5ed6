/**
 * Robustness checks shared by the importer tests: damaged variants of valid input (property tests),
 * pathological input (speed), and the shape of InputError messages. Importers must turn any damage
 * into an InputError (or a clean result), never into a crash or a hang.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Importer } from '../formats/reader-types.js';

type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'dropLine'; readonly line: number }
  | { readonly kind: 'duplicateLine'; readonly line: number }
  | { readonly kind: 'swapLines'; readonly a: number; readonly b: number }
  | { readonly kind: 'corruptHex'; readonly nth: number; readonly text: string };

/** Characters that matter to the formats under test (delimiters, hex, quotes, control characters). */
const SPECIAL = fc.constantFrom(
  ...['0', '9', 'a', 'f', 'g', 'x', 'X', '-', '.', ' ', '\t', '\n', '\r', '\0', '\u00e9', '\ufeff'],
  ...['<', '>', '/', '"', "'", '=', ':', ',', '{', '}', '[', ']'],
);
const TEXT = fc.oneof(SPECIAL, fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme-ascii', maxLength: 12 }));

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: TEXT }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: TEXT }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('corruptHex' as const), nth: fc.nat(), text: fc.oneof(SPECIAL, fc.constantFrom('', 'zz', '123456789', '-1')) }),
);

function apply(text: string, m: Mutation): string {
  const n = text.length;
  switch (m.kind) {
    case 'replace': {
      const at = n === 0 ? 0 : m.at % n;
      return text.slice(0, at) + m.text + text.slice(at + 1);
    }
    case 'delete': {
      const at = n === 0 ? 0 : m.at % n;
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, m.at % (n + 1));
    case 'dropLine':
    case 'duplicateLine': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      if (m.kind === 'dropLine') lines.splice(i, 1);
      else lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swapLines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'corruptHex': {
      const hits = [...text.matchAll(/[0-9a-fA-F]{2,}/g)];
      if (hits.length === 0) return text;
      const h = hits[m.nth % hits.length]!;
      const at = h.index + (m.nth % h[0].length);
      return text.slice(0, at) + m.text + text.slice(at + 1);
    }
  }
}

/** Texts made from `base` by one to five random mutations. */
export function mutatedText(base: string): fc.Arbitrary<string> {
  return fc.array(MUTATION, { minLength: 1, maxLength: 5 }).map((ms) => ms.reduce(apply, base));
}

/** Escapes a string for use inside a RegExp. */
export function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs an import that may legitimately fail: it must either return or throw an InputError whose
 * message has the `file:line[:column]: expected …` shape. Anything else is rethrown (a bug).
 */
export function importOrInputError(run: () => unknown, file: string): 'ok' | 'input-error' {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (!new RegExp(`^${reEscape(file)}:\\d+(?::\\d+)?: expected \\S`).test(e.message)) {
      throw new Error(`InputError without the 'file:line: expected …' shape: ${e.message}`, { cause: e });
    }
    return 'input-error';
  }
}

/**
 * Inputs of about 1 MB built to catch super-linear parsing (regex backtracking, quadratic
 * scans, deep recursion): each shape appended to each of the given prefixes.
 */
export function pathologicalInputs(prefixes: readonly string[], size = 1_000_000): string[] {
  const shapes = [
    `a${' '.repeat(size)}b`,
    '0'.repeat(size),
    `0x${'f'.repeat(size)}`,
    '<'.repeat(size),
    '<a '.repeat(size / 3),
    '['.repeat(size),
    '{"a":'.repeat(size / 5),
    `"${'x'.repeat(size)}`,
    ' :'.repeat(size / 2),
    'CPUID level '.repeat(size / 12),
    `${'\t'.repeat(size)}:`,
  ];
  return prefixes.flatMap((p) => shapes.map((s) => p + s));
}

/** The message of the InputError that `run` throws; fails when it throws nothing or something else. */
export function inputErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError, but the input was accepted');
}

/**
 * Property: every input from `inputs` either imports or throws a well-shaped InputError, and
 * `sniff` stays within [0, 1]. Both outcomes must occur, or the property would test nothing.
 */
export function expectRobustAgainstDamage(importer: Importer, inputs: fc.Arbitrary<string>, file: string, numRuns: number): void {
  const outcomes = { ok: 0, 'input-error': 0 };
  fc.assert(
    fc.property(inputs, (text) => {
      const confidence = importer.sniff(text.slice(0, 4096));
      expect(confidence >= 0 && confidence <= 1).toBe(true);
      outcomes[importOrInputError(() => importer.parse(text, { file }), file)]++;
    }),
    { numRuns },
  );
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes['input-error']).toBeGreaterThan(0);
}

/** No pathological input (see {@link pathologicalInputs}) takes the importer more than 3 s: quadratic parsing would take hours. */
export function expectFastOnPathologicalInput(importer: Importer, prefixes: readonly string[], file: string): void {
  let slowest = 0;
  for (const text of pathologicalInputs(prefixes)) {
    const start = performance.now();
    importer.sniff(text.slice(0, 4096));
    importOrInputError(() => importer.parse(text, { file }), file);
    slowest = Math.max(slowest, performance.now() - start);
  }
  expect(slowest).toBeLessThan(3000);
}
