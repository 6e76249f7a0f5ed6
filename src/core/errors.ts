/**
 * Errors written for the person who made the mistake.
 *
 * Every error openevc raises on purpose is an {@link OpenevcError}. The CLI prints
 * its message (never a stack trace) and exits with its `exitCode` (2 for bad input).
 * Anything else that escapes is a bug in openevc and is reported as such.
 */
export class OpenevcError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = 'OpenevcError';
  }
}

/** Where in an input a problem was found. `line` is 1-based. */
export interface InputLocation {
  /** File path as the user gave it, or `-` for standard input, or a label. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Bad input: names the file, the line, what was expected and (when useful) what was found.
 * Message shape: `file:line: expected X, found Y` — the shape compilers use, so editors can jump to it.
 */
export class InputError extends OpenevcError {
  readonly file: string;
  readonly line: number | undefined;
  readonly expected: string;
  readonly found: string | undefined;
  constructor(where: InputLocation, expected: string, found?: string) {
    super(formatInputError(where, expected, found));
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.expected = expected;
    this.found = found;
  }
}

/**
 * The input is not a CPUID dump at all (binary data, or text no importer recognises), as opposed
 * to a dump with a mistake in it. Commands reading a whole directory pass over such files.
 */
export class NotADumpError extends InputError {
  constructor(where: InputLocation, expected: string, found?: string) {
    super(where, expected, found);
    this.name = 'NotADumpError';
  }
}

/** A problem with how a command was called (unknown option value, missing argument, ...). */
export class UsageError extends OpenevcError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function formatInputError(where: InputLocation, expected: string, found?: string): string {
  let at = where.file;
  if (where.line !== undefined) at += `:${where.line}`;
  if (where.line !== undefined && where.column !== undefined) at += `:${where.column}`;
  const foundPart = found === undefined ? '' : `, found ${quoteFound(found)}`;
  return `${at}: expected ${expected}${foundPart}`;
}

/** Shows what was found without flooding the terminal or hiding control characters. */
export function quoteFound(text: string, max = 60): string {
  if (text.length === 0) return 'nothing';
  let shown = text.length > max ? `${text.slice(0, max)}…` : text;
  // Make control characters and binary visible instead of letting them garble the terminal.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  shown = shown.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return JSON.stringify(shown);
}

/** A non-fatal observation made while reading or analysing input. */
export interface Diagnostic {
  readonly level: 'warning' | 'info';
  readonly message: string;
  readonly where?: InputLocation;
}
