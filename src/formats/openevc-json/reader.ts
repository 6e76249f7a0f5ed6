/**
 * openevc's canonical JSON: one logical CPU's CPUID answers (and MSRs) with where they came from.
 * Specified in docs/canonical-json.md; this file is the reader and the writer.
 *
 * Why a format of our own: every other input loses something (format quirks, implicit subleaves,
 * host vs guest views) or carries noise (log lines, decoder hints). The canonical document is what
 * openevc saves, diffs and exchanges: deterministic bytes for the same dump (stable key order,
 * leaves sorted, fixed-width lower-case hex), so two captures of the same CPU are identical files
 * and a change shows up as a one-line diff.
 *
 * The reader is strict (unknown keys, duplicate leaves and out-of-range values are errors naming
 * the line, the JSON path, what was expected and what was found) and versioned: `"version": 1`
 * is the only version this reader accepts; a newer major version is refused with a clear message.
 */
import { CpuidDump, REGISTERS, hex32, hexLeaf, isU32, SUBLEAF_LIMIT } from '../../core/cpuid.js';
import type { CpuidEntry, DumpSource, FormatId, Fidelity } from '../../core/cpuid.js';
import { INPUT_FORMAT_IDS } from '../registry.js';
import { InputError } from '../../core/errors.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { describeJsonValue, findJsonSyntaxError, formatJsonPath, locateJsonPath } from '../common/json-scan.js';
import type { JsonPath } from '../common/json-scan.js';
import { LineIndex, withoutBom } from '../common/text-position.js';

/** The value of the `"openevc"` marker key. */
export const CANONICAL_KIND = 'cpuid';
/** The major version this build writes and reads. */
export const CANONICAL_VERSION = 1;

/** Free metadata carried beside the dump: `host` (hypervisor host name) and `notes` are conventional; any string key is allowed. */
export type CanonicalMeta = Readonly<Record<string, string>>;

/** A canonical document read back: the dump (with its original source) and the free metadata. */
export interface CanonicalDocument {
  readonly dump: CpuidDump;
  readonly meta: CanonicalMeta;
}

const FORMATS = INPUT_FORMAT_IDS;

const TOP_KEYS = ['openevc', 'version', 'source', 'meta', 'leaves', 'msrs'] as const;
const SOURCE_KEYS = ['format', 'path', 'lossy', 'label', 'captured', 'model', 'cpu', 'view', 'fidelity', 'evc_key'] as const;
const LEAF_KEYS = ['leaf', 'subleaf', ...REGISTERS] as const;
const LEAF_KEY_SET: ReadonlySet<string> = new Set(LEAF_KEYS);
const MSR_KEYS = ['index', 'value'] as const;

// ---- writer ------------------------------------------------------------------------------

function hex64(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;
}

function str(s: string): string {
  return JSON.stringify(s);
}

/**
 * The canonical text of a dump: pretty, deterministic (same dump, same bytes), one leaf per
 * line, leaves sorted by leaf then subleaf, MSRs by index, metadata keys sorted.
 */
export function toCanonicalJson(dump: CpuidDump, meta?: CanonicalMeta): string {
  const s = dump.source;
  const src: string[] = [`"format": ${str(s.format)}`];
  if (s.path !== undefined) src.push(`"path": ${str(s.path)}`);
  src.push(`"lossy": ${s.lossy ? 'true' : 'false'}`);
  if (s.label !== undefined) src.push(`"label": ${str(s.label)}`);
  if (s.captured !== undefined) src.push(`"captured": ${str(s.captured)}`);
  if (s.model !== undefined) src.push(`"model": ${str(s.model)}`);
  if (s.cpu !== undefined) src.push(`"cpu": ${s.cpu}`);
  if (s.view !== undefined) src.push(`"view": ${str(s.view)}`);
  if (s.fidelity !== undefined) src.push(`"fidelity": ${str(s.fidelity)}`);
  if (s.evcKey !== undefined) src.push(`"evc_key": ${str(s.evcKey)}`);

  const out: string[] = ['{', `  "openevc": ${str(CANONICAL_KIND)},`, `  "version": ${CANONICAL_VERSION},`];
  out.push('  "source": {', src.map((x) => `    ${x}`).join(',\n'), '  },');
  const metaKeys = meta ? Object.keys(meta).filter((k) => typeof meta[k] === 'string').sort() : [];
  if (meta && metaKeys.length > 0) {
    out.push('  "meta": {', metaKeys.map((k) => `    ${str(k)}: ${str(meta[k]!)}`).join(',\n'), '  },');
  }
  const leaves = dump.list();
  if (leaves.length === 0) out.push('  "leaves": [],');
  else {
    out.push('  "leaves": [');
    const row = (e: CpuidEntry): string =>
      `    { "leaf": "${hex32(e.leaf)}", "subleaf": ${e.subleaf}, ` +
      `"eax": "${hex32(e.eax)}", "ebx": "${hex32(e.ebx)}", "ecx": "${hex32(e.ecx)}", "edx": "${hex32(e.edx)}" }`;
    out.push(leaves.map(row).join(',\n'));
    out.push('  ],');
  }
  const msrs = [...dump.msrs].sort((a, b) => a[0] - b[0]);
  if (msrs.length === 0) out.push('  "msrs": []');
  else {
    out.push('  "msrs": [');
    out.push(msrs.map(([index, value]) => `    { "index": "${hex32(index)}", "value": "${hex64(value)}" }`).join(',\n'));
    out.push('  ]');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

// ---- reader ------------------------------------------------------------------------------

/** "0x" followed by any zeros and at most 8 hex digits (the reader's u32 syntax), without a regex. */
export function parseHex32(s: string): number | undefined {
  if (s.length < 3 || s.charCodeAt(0) !== 0x30 || s.charCodeAt(1) !== 0x78) return undefined;
  let i = 2;
  while (i < s.length - 1 && s.charCodeAt(i) === 0x30) i++;
  if (s.length - i > 8) return undefined;
  let v = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x57;
    else return undefined;
    v = v * 16 + d;
  }
  return v;
}

function parseHexOrNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' ? parseHex32(v) : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  private lineIndex: LineIndex | undefined;

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  /** An InputError `expected <path> to be <expected>, found <found>` at the value at `path` (or its nearest existing parent). */
  fail(path: JsonPath, expected: string, found: unknown): never {
    this.failAt(path, `${formatJsonPath(path)} to be ${expected}`, describeJsonValue(found));
  }

  failAt(path: JsonPath, expected: string, found: string): never {
    let offset: number | undefined;
    for (let n = path.length; n >= 0 && offset === undefined; n--) offset = locateJsonPath(this.text, path.slice(0, n));
    this.lineIndex ??= new LineIndex(this.text);
    const { line, column } = this.lineIndex.at(offset ?? 0);
    throw new InputError({ file: this.file, line, column }, expected, found);
  }

  object(v: unknown, path: JsonPath, allowed: readonly string[] | undefined, what: string): Record<string, unknown> {
    if (!isObject(v)) this.fail(path, what, v);
    if (allowed) {
      for (const k of Object.keys(v)) {
        if (!allowed.includes(k)) {
          this.failAt([...path, k], `only the keys ${allowed.map((a) => `"${a}"`).join(', ')} in ${formatJsonPath(path)}`, k);
        }
      }
    }
    return v;
  }

  /**
   * A 32-bit value written as "0x" + 1..8 hex digits (canonical: 8 lower-case digits) or as a JSON integer.
   * `key`, when given, is appended to `path` only on failure: this runs for every register of every leaf.
   */
  u32(v: unknown, path: JsonPath, what: string, key?: string): number {
    if (typeof v === 'number' && isU32(v)) return v;
    if (typeof v === 'string') {
      const n = parseHex32(v);
      if (n !== undefined) return n;
    }
    return this.fail(key === undefined ? path : [...path, key], `${what}: "0x" and at most 8 hex digits (or an integer 0..4294967295)`, v);
  }

  u64(v: unknown, path: JsonPath, what: string): bigint {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    if (typeof v === 'string') {
      const m = /^0x0*([0-9a-fA-F]{1,16})$/.exec(v);
      if (m) return BigInt(`0x${m[1]}`);
    }
    return this.fail(path, `${what}: "0x" and at most 16 hex digits`, v);
  }

  optString(o: Record<string, unknown>, key: string, path: JsonPath): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail([...path, key], 'a string', v);
    return v;
  }
}

/**
 * Reads a canonical document: the dump with the source it records, and its free metadata.
 * Any valid document is accepted (integers or short hex, any key order and spacing); every
 * problem is reported with file, line, column and JSON path.
 */
export function parseCanonicalJson(text: string, ctx: ImportContext): CanonicalDocument {
  // Fast path: the leaves array as openevc writes it is scanned without allocating per value;
  // any difference from that exact layout, or any mistake anywhere, takes the generic path
  // (whose messages name file, line and JSON path). canonical-scan.test.ts checks both agree.
  const src = withoutBom(text);
  const scanned = scanCanonicalLeaves(src);
  if (scanned) {
    try {
      return parseCanonicalDocument(src, ctx, scanned);
    } catch {
      // fall through: the generic path reports the mistake
    }
  }
  return parseCanonicalDocument(src, ctx, undefined);
}

/**
 * The document around leaves scanned elsewhere (byte-scan.ts, from a file's bytes): `rest` is its
 * text with `"leaves": []` in their place. Any mistake throws without a position: the caller then
 * reads the whole text with {@link parseCanonicalJson}, whose messages name line and JSON path.
 */
export function parseCanonicalRest(rest: string, ctx: ImportContext, rows: Uint32Array, count: number): CanonicalDocument {
  return parseCanonicalDocument(rest, ctx, { rest, rows, count });
}

/** The generic path alone (JSON.parse and checks, no scanner): what the fast path must agree with. */
export function parseCanonicalJsonGeneric(text: string, ctx: ImportContext): CanonicalDocument {
  return parseCanonicalDocument(withoutBom(text), ctx, undefined);
}

/** The generic path (`scanned` undefined), or the rest of the document around pre-scanned leaves. */
function parseCanonicalDocument(src: string, ctx: ImportContext, scanned: ScannedLeaves | undefined): CanonicalDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(scanned ? scanned.rest : src);
  } catch (e) {
    const problem = findJsonSyntaxError(src);
    const lines = new LineIndex(src);
    if (problem) {
      const { line, column } = lines.at(problem.offset);
      throw new InputError({ file: ctx.file, line, column }, `valid JSON: ${problem.expected}`, problem.found);
    }
    // The scanner and the engine disagree (should not happen): fall back on the engine's position, if any.
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    throw new InputError({ file: ctx.file, line: pos ? lines.lineOf(Number(pos[1])) : 1 }, 'valid JSON', msg);
  }

  const c: Checker = new Checker(src, ctx.file);
  const top = c.object(doc, [], undefined, `an openevc canonical CPUID document: an object starting with "openevc": "${CANONICAL_KIND}"`);
  if (top.openevc !== CANONICAL_KIND) {
    c.fail(['openevc'], `"${CANONICAL_KIND}" (the marker of an openevc canonical CPUID document)`, top.openevc ?? '');
  }
  const version = top.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    c.fail(['version'], `the format version, ${CANONICAL_VERSION}`, version ?? '');
  }
  if (version !== CANONICAL_VERSION) {
    const why = `this openevc reads version ${CANONICAL_VERSION} only (the file was written by a newer openevc; upgrade to read it)`;
    c.fail(['version'], `${CANONICAL_VERSION}: ${why}`, version);
  }
  c.object(top, [], TOP_KEYS, 'an object');

  const source = readSource(c, top.source, ctx);
  const entries: Array<[string, string]> = [];
  if (top.meta !== undefined) {
    const m = c.object(top.meta, ['meta'], undefined, 'an object of strings (free metadata: "host", "notes", ...)');
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') c.fail(['meta', k], 'a string', v);
      entries.push([k, v]);
    }
  }
  // fromEntries defines own properties, so even a key named "__proto__" survives as data.
  const meta: CanonicalMeta = Object.fromEntries(entries);

  const dump = new CpuidDump(source);
  if (!Array.isArray(top.leaves)) c.fail(['leaves'], 'an array of { "leaf", "subleaf", "eax", "ebx", "ecx", "edx" } objects', top.leaves ?? '');
  // The hot loop of reading thousands of host files: no allocation on the happy path (paths for
  // error messages are built only when something is wrong).
  const leaves: unknown[] = top.leaves;
  if (scanned && leaves.length !== 0) throw new Error('leaves twice'); // not the layout scanned: generic path
  for (let i = 0; i < leaves.length; i++) {
    const item = leaves[i];
    if (!isObject(item)) c.fail(['leaves', i], 'a leaf object { "leaf", "subleaf", "eax", "ebx", "ecx", "edx" }', item);
    for (const k in item) {
      if (!LEAF_KEY_SET.has(k)) c.object(item, ['leaves', i], LEAF_KEYS, 'a leaf object { "leaf", "subleaf", "eax", "ebx", "ecx", "edx" }');
    }
    const path = ['leaves', i];
    const leaf = c.u32(item.leaf, path, 'a leaf number', 'leaf');
    const subleaf = item.subleaf === undefined ? 0 : c.u32(item.subleaf, path, 'a subleaf number', 'subleaf');
    if (subleaf >= SUBLEAF_LIMIT) c.fail([...path, 'subleaf'], `a subleaf below ${hexLeaf(SUBLEAF_LIMIT)}`, item.subleaf);
    if (item.eax === undefined || item.ebx === undefined || item.ecx === undefined || item.edx === undefined) {
      for (const r of REGISTERS) if (item[r] === undefined) c.fail([...path, r], `a register value (every leaf needs eax, ebx, ecx and edx)`, '');
    }
    const regs = {
      eax: c.u32(item.eax, path, 'a register value', 'eax'),
      ebx: c.u32(item.ebx, path, 'a register value', 'ebx'),
      ecx: c.u32(item.ecx, path, 'a register value', 'ecx'),
      edx: c.u32(item.edx, path, 'a register value', 'edx'),
    };
    if (dump.has(leaf, subleaf)) {
      const first = leaves.findIndex((x) => isObject(x) && parseHexOrNumber(x.leaf) === leaf && (x.subleaf === undefined ? 0 : parseHexOrNumber(x.subleaf)) === subleaf);
      c.failAt(path, 'each (leaf, subleaf) listed once', `leaf ${hexLeaf(leaf)} subleaf ${subleaf} again (first at $.leaves[${first}])`);
    }
    dump.set(leaf, subleaf, regs);
  }
  // The generic path says where a leaf is listed twice.
  if (scanned && !dump.setRows(scanned.rows, scanned.count)) throw new Error('listed twice');

  if (top.msrs !== undefined) {
    if (!Array.isArray(top.msrs)) c.fail(['msrs'], 'an array of { "index", "value" } objects', top.msrs);
    top.msrs.forEach((item: unknown, i: number) => {
      const path = ['msrs', i];
      const o = c.object(item, path, MSR_KEYS, 'an MSR object { "index", "value" }');
      if (o.index === undefined) c.fail([...path, 'index'], 'an MSR index', '');
      if (o.value === undefined) c.fail([...path, 'value'], 'a 64-bit MSR value', '');
      const index = c.u32(o.index, [...path, 'index'], 'an MSR index');
      if (dump.msrs.has(index)) c.failAt(path, 'each MSR listed once', `MSR ${hexLeaf(index)} again`);
      dump.msrs.set(index, c.u64(o.value, [...path, 'value'], 'a 64-bit MSR value'));
    });
  }
  return { dump, meta };
}

/** Leaves scanned from the exact layout toCanonicalJson writes, and the document with `"leaves": []` in their place. */
export interface ScannedLeaves {
  readonly rest: string;
  /** leaf, subleaf, eax, ebx, ecx, edx per leaf. */
  readonly rows: Uint32Array;
  readonly count: number;
}

const LEAVES_OPEN = '"leaves": [';

/**
 * Scans `"leaves": [ { "leaf": "0x…", "subleaf": N, "eax": "0x…", … }, … ]` in exactly the layout
 * openevc writes (8 hex digits per value, keys in that order, one space after each colon and
 * comma); undefined at the first difference, so that anything else is parsed generically.
 */
export function scanCanonicalLeaves(src: string): ScannedLeaves | undefined {
  const open = src.indexOf(LEAVES_OPEN);
  if (open < 0 || src.indexOf(LEAVES_OPEN, open + 1) >= 0) return undefined;
  let p = skipWs(src, open + LEAVES_OPEN.length);
  let rows = new Uint32Array(6 * 128);
  let count = 0;
  if (src.charCodeAt(p) !== 0x5d) {
    for (;;) {
      // { "leaf": "0x…", "subleaf": N, "eax": "0x…", "ebx": "0x…", "ecx": "0x…", "edx": "0x…" }
      if (!src.startsWith(LEAF_OPEN, p)) return undefined;
      p += LEAF_OPEN.length;
      const leaf = hex8At(src, p);
      p += 12;
      if (leaf < 0 || !src.startsWith(SUBLEAF_KEY, p)) return undefined;
      p += SUBLEAF_KEY.length;
      let subleaf = 0;
      const start = p;
      for (let c = src.charCodeAt(p); c >= 0x30 && c <= 0x39; c = src.charCodeAt(++p)) subleaf = subleaf * 10 + (c - 0x30);
      if (p === start || p - start > 7 || (src.charCodeAt(start) === 0x30 && p - start > 1) || subleaf >= SUBLEAF_LIMIT) return undefined;
      if (!src.startsWith(EAX_KEY, p)) return undefined;
      const eax = hex8At(src, p + EAX_KEY.length);
      p += EAX_KEY.length + 12;
      if (eax < 0 || !src.startsWith(EBX_KEY, p)) return undefined;
      const ebx = hex8At(src, p + EBX_KEY.length);
      p += EBX_KEY.length + 12;
      if (ebx < 0 || !src.startsWith(ECX_KEY, p)) return undefined;
      const ecx = hex8At(src, p + ECX_KEY.length);
      p += ECX_KEY.length + 12;
      if (ecx < 0 || !src.startsWith(EDX_KEY, p)) return undefined;
      const edx = hex8At(src, p + EDX_KEY.length);
      p += EDX_KEY.length + 12;
      if (edx < 0 || src.charCodeAt(p) !== 0x20 || src.charCodeAt(p + 1) !== 0x7d) return undefined;
      p += 2;
      if ((count + 1) * 6 > rows.length) {
        const grown = new Uint32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      const at = count++ * 6;
      rows[at] = leaf;
      rows[at + 1] = subleaf;
      rows[at + 2] = eax;
      rows[at + 3] = ebx;
      rows[at + 4] = ecx;
      rows[at + 5] = edx;
      p = skipWs(src, p);
      const c = src.charCodeAt(p);
      if (c === 0x5d) break;
      if (c !== 0x2c) return undefined;
      p = skipWs(src, p + 1);
    }
  }
  // p is at the closing bracket: the document with an empty array in place of the leaves.
  return { rest: `${src.slice(0, open)}"leaves": [${src.slice(p)}`, rows, count };
}

const LEAF_OPEN = '{ "leaf": ';
const SUBLEAF_KEY = ', "subleaf": ';
const EAX_KEY = ', "eax": ';
const EBX_KEY = ', "ebx": ';
const ECX_KEY = ', "ecx": ';
const EDX_KEY = ', "edx": ';

function skipWs(src: string, p: number): number {
  for (let c = src.charCodeAt(p); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = src.charCodeAt(++p));
  return p;
}

/** `"0x` + 8 hex digits + `"` at `p`, as a number; -1 otherwise (12 characters). */
function hex8At(src: string, p: number): number {
  if (src.charCodeAt(p) !== 0x22 || src.charCodeAt(p + 1) !== 0x30 || src.charCodeAt(p + 2) !== 0x78 || src.charCodeAt(p + 11) !== 0x22) return -1;
  let v = 0;
  for (let i = p + 3; i < p + 11; i++) {
    const c = src.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function readSource(c: Checker, v: unknown, ctx: ImportContext): DumpSource {
  if (v === undefined) return { format: 'openevc-json', path: ctx.file, lossy: false };
  const path = ['source'];
  const o = c.object(v, path, SOURCE_KEYS, 'an object describing where the dump came from');
  const format = o.format;
  if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
    c.fail([...path, 'format'], `one of ${FORMATS.map((f) => `"${f}"`).join(', ')}`, format ?? '');
  }
  const lossy = o.lossy ?? false;
  if (typeof lossy !== 'boolean') c.fail([...path, 'lossy'], 'true or false', lossy);
  const cpu = o.cpu;
  if (cpu !== undefined && !(typeof cpu === 'number' && Number.isSafeInteger(cpu) && cpu >= 0)) {
    c.fail([...path, 'cpu'], 'a logical CPU number (an integer ≥ 0)', cpu);
  }
  const view = o.view;
  if (view !== undefined && view !== 'host' && view !== 'guest') c.fail([...path, 'view'], '"host" or "guest"', view);
  const p = c.optString(o, 'path', path);
  const label = c.optString(o, 'label', path);
  const captured = c.optString(o, 'captured', path);
  const model = c.optString(o, 'model', path);
  const fidelity = o.fidelity;
  if (fidelity !== undefined && fidelity !== 'cpuid' && fidelity !== 'flags' && fidelity !== 'evc-key') c.fail([...path, 'fidelity'], '"cpuid", "flags" or "evc-key"', fidelity);
  const evcKey = c.optString(o, 'evc_key', path);
  return {
    format: format as FormatId,
    ...(p !== undefined ? { path: p } : {}),
    lossy,
    ...(label !== undefined ? { label } : {}),
    ...(captured !== undefined ? { captured } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(cpu !== undefined ? { cpu: cpu as number } : {}),
    ...(view !== undefined ? { view: view as 'host' | 'guest' } : {}),
    ...(fidelity !== undefined ? { fidelity: fidelity as Fidelity } : {}),
    ...(evcKey !== undefined ? { evcKey } : {}),
  };
}

export const openevcJsonImporter: Importer = {
  format: 'openevc-json',
  description: 'openevc canonical JSON ({"openevc": "cpuid", "version": 1, ...}; see docs/canonical-json.md)',
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '').trimStart();
    if (!t.startsWith('{')) return 0;
    if (/"openevc"\s*:\s*"cpuid"/.test(t)) return 1;
    return 0.1;
  },
  parse(text: string, ctx: ImportContext): ImportResult {
    const { dump } = parseCanonicalJson(text, ctx);
    return { format: 'openevc-json', dump, cpus: [dump], diagnostics: [] };
  },
};
