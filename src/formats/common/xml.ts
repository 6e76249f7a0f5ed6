/**
 * XML reading shared by the libvirt importers (`<cpudata>` dumps and `<cpu>` definitions).
 *
 * fast-xml-parser does the XML work: its validator rejects malformed documents with a line and
 * column, and the parser records where every element starts, so a bad attribute on the 40th
 * element is reported at its own line. Every element becomes an object (even an empty one), every
 * child list an array, and attribute values stay the strings written (no number guessing, no
 * entity expansion).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../core/errors.js';
import type { InputLocation } from '../../core/errors.js';
import { LineIndex } from './text-position.js';

/** Prefix of attribute keys in parsed elements (`el['@_name']`). */
export const ATTR = '@_';
/** The key under which the parser records where an element starts and ends (asked when first needed). */
let META: symbol | undefined;
const meta = (): symbol => (META ??= XMLParser.getMetaDataSymbol() as unknown as symbol);

export type XmlElement = { [key: string]: unknown; [key: symbol]: unknown };

export function isElement(x: unknown): x is XmlElement {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Character offset where an element's start tag begins. */
export function startOf(el: XmlElement): number | undefined {
  const m = el[meta()];
  if (isElement(m) && typeof m.startIndex === 'number') return m.startIndex;
  return undefined;
}

/** Character offset just past an element's end tag. */
export function endOf(el: XmlElement): number | undefined {
  const m = el[meta()];
  if (isElement(m) && typeof m.endIndex === 'number') return m.endIndex;
  return undefined;
}

/** An attribute's value, or undefined when absent. */
export function attr(el: XmlElement, name: string): string | undefined {
  const v = el[ATTR + name];
  return typeof v === 'string' ? v : undefined;
}

/** The child elements called `name`, in document order. */
export function children(el: XmlElement, name: string): XmlElement[] {
  const v = el[name];
  return (Array.isArray(v) ? v : [v]).filter(isElement);
}

/** Every child element with its name, in document order. */
export function childElements(el: XmlElement): Array<[string, XmlElement]> {
  const out: Array<[string, XmlElement]> = [];
  for (const [name, value] of Object.entries(el)) {
    if (name.startsWith(ATTR) || name === '#text' || !Array.isArray(value)) continue;
    for (const child of value) if (isElement(child)) out.push([name, child]);
  }
  return out.sort((a, b) => (startOf(a[1]) ?? 0) - (startOf(b[1]) ?? 0));
}

/** An element's text content, trimmed ('' when it has none). */
export function textOf(el: XmlElement): string {
  const t = el['#text'];
  return typeof t === 'string' ? t.trim() : '';
}

export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const parsers = new Map<number, XMLParser>();

function parserFor(maxDepth: number): XMLParser {
  let p = parsers.get(maxDepth);
  if (!p) {
    p = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: ATTR,
      parseAttributeValue: false,
      parseTagValue: false,
      processEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      alwaysCreateTextNode: true,
      isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
      captureMetaData: true,
      maxNestedTags: maxDepth,
    });
    parsers.set(maxDepth, p);
  }
  return p;
}

/** A parsed document with what error messages need: the text, its file name and line index. */
export class XmlDocument {
  readonly lines: LineIndex;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly root: XmlElement,
  ) {
    this.lines = new LineIndex(text);
  }

  /** The start tag at an offset, as written (for `found ...`). */
  tagAt(offset: number | undefined): string {
    if (offset === undefined || offset < 0) return '';
    const end = this.text.indexOf('>', offset);
    return this.text.slice(offset, end < 0 ? undefined : end + 1).replace(/\s+/g, ' ');
  }

  /** Where an element starts: file, line and column. */
  where(el: XmlElement | undefined): InputLocation & { line: number } {
    const start = el === undefined ? undefined : startOf(el);
    if (start === undefined) return { file: this.file, line: 1 };
    const { line, column } = this.lines.at(start);
    return { file: this.file, line, column };
  }

  /** The elements at the top of the document, in document order. */
  roots(): Array<[string, XmlElement]> {
    return childElements(this.root);
  }

  /** Offset of the first non-blank text directly inside an element, comments skipped. */
  strayTextOffset(el: XmlElement): number {
    const start = startOf(el) ?? 0;
    const end = endOf(el) ?? this.text.length;
    const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[^>]*>|[^<\s]/g;
    re.lastIndex = start;
    let first = true;
    for (let m = re.exec(this.text); m && m.index < end; m = re.exec(this.text)) {
      if (first) {
        first = false; // the element's own start tag
        continue;
      }
      if (m[0].length === 1 && m[0] !== '<') return m.index;
    }
    return start;
  }
}

export interface XmlOptions {
  /** Deepest element nesting accepted (deep nesting is costly to parse and no libvirt document needs it). */
  readonly maxDepth: number;
  /** What the document is, for messages: "a <cpudata> dump is 2 deep". */
  readonly depthNote: string;
  /** The names the parser could not cope with, for messages: "the element and attribute names of a <cpudata> dump". */
  readonly namesNote: string;
  /** Accept several top-level elements (virsh's input: one `<cpu>` after another). */
  readonly multipleRoots?: boolean;
}

const WRAP = '<r>';

/** Most attributes one element may have (a libvirt `<cpuid>` has 6; the parser's cost grows fast with them). */
export const MAX_ATTRIBUTES = 64;
/** Most elements a document may hold (libvirt's largest `<cpudata>` dumps hold a few hundred). */
export const MAX_ELEMENTS = 100_000;

/**
 * Refuses, before the validator and parser see it, a document whose shape makes them slow: an
 * element with more than {@link MAX_ATTRIBUTES} attributes, or more than {@link MAX_ELEMENTS}
 * elements (a 4.7 MB document with 400,000 attributes took 11 s and 421 MB). One linear pass.
 */
function refuseCostly(src: string, file: string): void {
  let elements = 0;
  for (let lt = src.indexOf('<'); lt >= 0; lt = src.indexOf('<', lt + 1)) {
    const next = src.charCodeAt(lt + 1);
    if (next === 0x2f /* / */ || next === 0x21 /* ! */ || next === 0x3f /* ? */) continue;
    if (++elements > MAX_ELEMENTS) {
      throw new InputError({ file, line: lineAt(src, lt) }, `an XML document of at most ${MAX_ELEMENTS} elements`, 'more');
    }
    let attrs = 0;
    let quote = 0;
    let i = lt + 1;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3d /* = */) {
        if (++attrs > MAX_ATTRIBUTES) throw new InputError({ file, line: lineAt(src, lt) }, `an XML element with at most ${MAX_ATTRIBUTES} attributes`, 'more');
      } else if (c === 0x3e /* > */ || c === 0x3c /* < */) break;
    }
    lt = i - 1;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Validates, allowing several top-level elements when asked: the text is checked inside a wrapper
 * element (its XML declaration blanked out, so offsets and lines stay put) and line-1 columns are
 * moved back by the wrapper's width.
 */
function validate(src: string, multipleRoots: boolean): true | { line: number; col: number; msg: string } {
  const first = XMLValidator.validate(src);
  if (first === true) return true;
  if (!multipleRoots || !/multiple possible root/i.test(first.err.msg)) return first.err;
  const blanked = src.replace(/^(\s*)<\?xml[^>]*\?>/, (m) => ' '.repeat(m.length));
  const second = XMLValidator.validate(`${WRAP}${blanked}</r>`);
  if (second === true) return true;
  const { line, col, msg } = second.err;
  const unwrap = (c: number): number => Math.max(1, c - WRAP.length);
  // The validator's own message may point at line 1 too ("opened in line 1, col 43").
  const fixed = msg.replace(/line 1, col (\d+)/g, (_, c: string) => `line 1, col ${unwrap(Number(c))}`);
  return { line, col: line === 1 ? unwrap(col) : col, msg: fixed };
}

/**
 * Validates and parses a document. Malformed XML is an InputError at the validator's line and
 * column; what the parser rejects after validation (names it cannot handle, nesting deeper than
 * `maxDepth`) is an InputError at the offending element.
 */
export function parseXml(src: string, file: string, opts: XmlOptions): XmlDocument {
  refuseCostly(src, file);
  const valid = validate(src, opts.multipleRoots ?? false);
  if (valid !== true) {
    const { line, col, msg } = valid;
    const l = Number.isInteger(line) && line >= 1 ? line : 1;
    const c = Number.isInteger(col) && col >= 1 ? col : undefined;
    const reason = msg.replace(/\.$/, '').replace(/^[A-Z]/, (ch) => ch.toLowerCase());
    const near = new LineIndex(src).lineText(l).slice((c ?? 1) - 1).trim();
    throw new InputError({ file, line: l, ...(c !== undefined ? { column: c } : {}) }, `well-formed XML (${reason})`, near || undefined);
  }
  let doc: unknown;
  try {
    doc = parserFor(opts.maxDepth).parse(src);
  } catch (e) {
    throw parserFailure(e, src, file, opts);
  }
  if (!isElement(doc)) throw new InputError({ file, line: 1 }, 'an XML document with a root element', '');
  return new XmlDocument(src, file, doc);
}

/** Where the parser gave up after the validator accepted the text: find the culprit by name, or the over-deep element. */
function parserFailure(e: unknown, text: string, file: string, opts: XmlOptions): InputError {
  const msg = e instanceof Error ? e.message : String(e);
  const lines = new LineIndex(text);
  const tagAt = (offset: number): string => {
    const end = text.indexOf('>', offset);
    return text.slice(offset, end < 0 ? undefined : end + 1).replace(/\s+/g, ' ');
  };
  let offset = -1;
  const named = /"([^"]+)"/.exec(msg);
  if (named) {
    const tag = new RegExp(`<${named[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s/>]`).exec(text);
    offset = tag ? tag.index : text.indexOf(named[1]!);
  } else if (/nested/i.test(msg)) {
    offset = deepestTagOffset(text, opts.maxDepth);
  }
  const line = offset >= 0 ? lines.lineOf(offset) : 1;
  if (/nested/i.test(msg)) {
    return new InputError({ file, line }, `elements nested at most ${opts.maxDepth} deep (${opts.depthNote})`, offset >= 0 ? tagAt(offset) : '');
  }
  const found = offset >= 0 && text[offset] === '<' ? tagAt(offset) : msg;
  return new InputError({ file, line }, opts.namesNote, found);
}

/** Offset of the first start tag nested deeper than `max` (comments, CDATA and declarations skipped). */
function deepestTagOffset(text: string, max: number): number {
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[!?][^>]*>|<(\/?)[^\s/>]+[^>]*?(\/?)>/g;
  let depth = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === undefined) continue;
    if (m[1] === '/') depth--;
    else if (m[2] !== '/') {
      depth++;
      if (depth > max) return m.index;
    }
  }
  return -1;
}
