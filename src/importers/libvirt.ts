/**
 * libvirt's raw CPUID dump: `<cpudata arch='x86'>` holding one `<cpuid eax_in ecx_in eax ebx ecx edx/>`
 * element per (leaf, subleaf) and optional `<msr index eax edx/>` elements (IA32_ARCH_CAPABILITIES...).
 * libvirt's own test suite (tests/cputestdata) keeps 61 real CPUs in this shape, which makes it the
 * main oracle for decoding; people also produce it with libvirt's cpu-data script on their hosts.
 *
 * fast-xml-parser does the XML work: its validator rejects malformed documents with a line and
 * column, and the parser records where every element starts, so a bad attribute on the 40th
 * `<cpuid>` is reported at its own line. The leading comment with the brand string is ignored
 * (the brand is in leaves 0x80000002..4 anyway).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CpuidDump, hexLeaf, SUBLEAF_LIMIT } from '../core/cpuid.js';
import { InputError } from '../core/errors.js';
import type { Diagnostic } from '../core/errors.js';
import type { ImportContext, ImportResult, Importer } from './types.js';
import { LineIndex, withoutBom } from './text-position.js';

/** A cpudata document is two levels deep; anything far deeper is not one (and deep nesting is costly to parse). */
const MAX_DEPTH = 8;
const ATTR = '@_';
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  // Keep every attribute value as the string written: no number guessing, no entity expansion.
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every element becomes an object (even `<cpuid/>` without attributes), so each one carries its position.
  alwaysCreateTextNode: true,
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  captureMetaData: true,
  maxNestedTags: MAX_DEPTH,
});

type XmlElement = { [key: string]: unknown; [key: symbol]: unknown };

function isElement(x: unknown): x is XmlElement {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function startOf(el: XmlElement): number | undefined {
  const meta = el[META];
  if (isElement(meta) && typeof meta.startIndex === 'number') return meta.startIndex;
  return undefined;
}

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** Parses `0x`-prefixed hex (the only form libvirt writes) of a 32-bit value. */
function parseHex32(value: string): number | undefined {
  const m = /^\s*0x0*([0-9a-f]+)\s*$/i.exec(value);
  if (!m || m[1]!.length > 8) return undefined;
  return Number.parseInt(m[1]!, 16);
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly lines: LineIndex;

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /** The start tag at an offset, as written (for `found ...`). */
  tagAt(offset: number | undefined): string {
    if (offset === undefined || offset < 0) return '';
    const end = this.text.indexOf('>', offset);
    return this.text.slice(offset, end < 0 ? undefined : end + 1).replace(/\s+/g, ' ');
  }

  where(el: XmlElement | undefined): { file: string; line: number; column?: number } {
    const start = el === undefined ? undefined : startOf(el);
    if (start === undefined) return { file: this.file, line: 1 };
    const { line, column } = this.lines.at(start);
    return { file: this.file, line, column };
  }

  /** One 32-bit hex attribute of the nth element called `tag`; throws an InputError naming its line when missing or bad. */
  hex(el: XmlElement, tag: string, n: number, name: string, fallback?: number): number {
    const raw = el[ATTR + name];
    if (raw === undefined && fallback !== undefined) return fallback;
    const what = `the ${ordinal(n)} <${tag}> element to have ${name}='0x…' (hexadecimal, at most 8 digits)`;
    if (typeof raw !== 'string') throw new InputError(this.where(el), what, this.tagAt(startOf(el)));
    const v = parseHex32(raw);
    if (v === undefined) throw new InputError(this.where(el), what, `${name}='${raw}'`);
    return v;
  }
}

/** Where the parser gave up after the validator accepted the text: find the culprit by name, or the over-deep element. */
function parserFailure(e: unknown, r: Reader): InputError {
  const msg = e instanceof Error ? e.message : String(e);
  let offset = -1;
  const named = /"([^"]+)"/.exec(msg);
  if (named) {
    const tag = new RegExp(`<${named[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s/>]`).exec(r.text);
    offset = tag ? tag.index : r.text.indexOf(named[1]!);
  } else if (/nested/i.test(msg)) {
    offset = deepestTagOffset(r.text, MAX_DEPTH);
  }
  const line = offset >= 0 ? r.lines.lineOf(offset) : 1;
  if (/nested/i.test(msg)) {
    return new InputError({ file: r.file, line }, `elements nested at most ${MAX_DEPTH} deep (a <cpudata> dump is 2 deep)`, r.tagAt(offset));
  }
  const found = offset >= 0 && r.text[offset] === '<' ? r.tagAt(offset) : msg;
  return new InputError({ file: r.file, line }, 'the element and attribute names of a <cpudata> dump (cpuid, msr, eax_in, ...)', found);
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

/** Offset of the first non-blank text directly inside an element, comments skipped. */
function strayTextOffset(text: string, start: number, end: number): number {
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[^>]*>|[^<\s]/g;
  re.lastIndex = start;
  let first = true;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    if (first) {
      first = false; // the element's own start tag
      continue;
    }
    if (m[0].length === 1 && m[0] !== '<') return m.index;
  }
  return start;
}

function parseLibvirt(text: string, ctx: ImportContext): ImportResult {
  const src = withoutBom(text);
  const r = new Reader(src, ctx.file);
  if (src.trim() === '') throw new InputError({ file: ctx.file, line: 1 }, "a libvirt <cpudata arch='x86'> document", '');

  const valid = XMLValidator.validate(src);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const l = Number.isInteger(line) && line >= 1 ? line : 1;
    const c = Number.isInteger(col) && col >= 1 ? col : undefined;
    const reason = msg.replace(/\.$/, '').replace(/^[A-Z]/, (ch) => ch.toLowerCase());
    const near = r.lines.lineText(l).slice((c ?? 1) - 1).trim();
    throw new InputError({ file: ctx.file, line: l, ...(c !== undefined ? { column: c } : {}) }, `well-formed XML (${reason})`, near || undefined);
  }

  let doc: unknown;
  try {
    doc = parser.parse(src);
  } catch (e) {
    throw parserFailure(e, r);
  }
  if (!isElement(doc)) throw new InputError({ file: ctx.file, line: 1 }, "a <cpudata arch='x86'> root element", '');

  const roots: Array<[string, XmlElement]> = [];
  for (const [name, value] of Object.entries(doc)) {
    if (!Array.isArray(value)) continue;
    for (const el of value) if (isElement(el)) roots.push([name, el]);
  }
  roots.sort((a, b) => (startOf(a[1]) ?? 0) - (startOf(b[1]) ?? 0));
  if (roots.length === 0) throw new InputError({ file: ctx.file, line: 1 }, "a <cpudata arch='x86'> root element", '');
  const [rootName, root] = roots[0]!;
  if (rootName !== 'cpudata') {
    throw new InputError(r.where(root), "a <cpudata arch='x86'> root element (libvirt's raw CPUID dump)", `<${rootName}>`);
  }
  if (roots.length > 1) {
    const [name, el] = roots[1]!;
    throw new InputError(r.where(el), `a single root element <cpudata>, not a second one <${name}>`, r.tagAt(startOf(el)));
  }
  const arch = root[`${ATTR}arch`];
  if (arch !== undefined && arch !== 'x86') throw new InputError(r.where(root), "<cpudata arch='x86'>", `arch='${String(arch)}'`);

  const dump = new CpuidDump({ format: 'libvirt', path: ctx.file, lossy: false });
  const cpuidLines = new Map<string, number>();
  const msrLines = new Map<number, number>();
  let cpuidCount = 0;

  const stray = root['#text'];
  if (typeof stray === 'string' && stray.trim() !== '') {
    const meta = root[META];
    const end = isElement(meta) && typeof meta.endIndex === 'number' ? meta.endIndex : src.length;
    const at = strayTextOffset(src, startOf(root) ?? 0, end);
    throw new InputError({ file: ctx.file, line: r.lines.lineOf(at) }, 'only <cpuid> and <msr> elements inside <cpudata>', stray.trim());
  }

  for (const [name, value] of Object.entries(root)) {
    if (name.startsWith(ATTR) || name === '#text') continue;
    const elements = (Array.isArray(value) ? value : [value]).filter(isElement);
    if (name === 'cpuid') {
      elements.forEach((el, i) => {
        const n = i + 1;
        const leaf = r.hex(el, 'cpuid', n, 'eax_in');
        const subleaf = r.hex(el, 'cpuid', n, 'ecx_in', 0);
        if (subleaf >= SUBLEAF_LIMIT) {
          const what = `the ${ordinal(n)} <cpuid> element to have ecx_in below ${hexLeaf(SUBLEAF_LIMIT)}`;
          throw new InputError(r.where(el), what, `ecx_in='${String(el[`${ATTR}ecx_in`])}'`);
        }
        const regs = {
          eax: r.hex(el, 'cpuid', n, 'eax'),
          ebx: r.hex(el, 'cpuid', n, 'ebx'),
          ecx: r.hex(el, 'cpuid', n, 'ecx'),
          edx: r.hex(el, 'cpuid', n, 'edx'),
        };
        const line = r.where(el).line;
        const key = `${leaf}.${subleaf}`;
        const before = cpuidLines.get(key);
        if (before !== undefined) {
          r.diagnostics.push({
            level: 'warning',
            message: `leaf ${hexLeaf(leaf)} subleaf ${subleaf} appears twice (lines ${before} and ${line}): the later one is used`,
            where: { file: ctx.file, line },
          });
        }
        cpuidLines.set(key, line);
        dump.set(leaf, subleaf, regs);
        cpuidCount++;
      });
    } else if (name === 'msr') {
      elements.forEach((el, i) => {
        const n = i + 1;
        const index = r.hex(el, 'msr', n, 'index');
        // A 64-bit MSR is written as two 32-bit halves: edx the high one, eax the low one.
        const value64 = (BigInt(r.hex(el, 'msr', n, 'edx')) << 32n) | BigInt(r.hex(el, 'msr', n, 'eax'));
        const line = r.where(el).line;
        const before = msrLines.get(index);
        if (before !== undefined) {
          r.diagnostics.push({
            level: 'warning',
            message: `MSR ${hexLeaf(index)} appears twice (lines ${before} and ${line}): the later one is used`,
            where: { file: ctx.file, line },
          });
        }
        msrLines.set(index, line);
        dump.msrs.set(index, value64);
      });
    } else {
      for (const el of elements) {
        const where = r.where(el);
        r.diagnostics.push({ level: 'warning', message: `ignored <${name}> (a <cpudata> dump holds only <cpuid> and <msr>)`, where });
      }
    }
  }

  if (cpuidCount === 0) {
    const what = "at least one <cpuid eax_in='…' ecx_in='…' eax='…' ebx='…' ecx='…' edx='…'/> element in <cpudata>";
    throw new InputError(r.where(root), what, '');
  }
  return { format: 'libvirt', dump, cpus: [dump], diagnostics: r.diagnostics };
}

export const libvirtImporter: Importer = {
  format: 'libvirt',
  description: "libvirt raw CPUID dump: <cpudata arch='x86'> with <cpuid> and <msr> elements (libvirt tests/cputestdata)",
  sniff(head: string): number {
    if (/<cpudata[\s>]/.test(head)) return 0.95;
    if (/<cpuid\s+eax_in\s*=/.test(head)) return 0.7;
    return 0;
  },
  parse: parseLibvirt,
};
