/**
 * Xen's `cpuid=` setting in xl.cfg, both syntaxes:
 * - libxl: one string, `cpuid = "host,tm=0,sse3=0"`: the host policy, then `name=value` pairs where
 *   a feature name (the catalog's `xen` column, or any other spelling the catalog resolves: libxl
 *   also takes legacy aliases such as `tm`) takes one of `0 1 x k s`, and a numeric key (`family`,
 *   `model`, ...) takes a number; numeric keys are kept, not applied.
 * - xend (legacy): a list of `"leaf[,subleaf]:reg=<32 characters>,…"`, character 0 = bit 31,
 *   leaf and subleaf decimal or `0x` hex.
 *
 * Characters: `1` forces the bit, `0` clears it, `x` leaves Xen's default (the host value under
 * Xen's default policy), `k` and its old alias `s` pass the host value. openevc does not model Xen's
 * default policy, so `x`, `k` and `s` all pass the host value when applied; the difference is kept
 * when printing. As mask characters: `1` → `1`, `0` → `0`, the others → `-`, so a migration needs
 * every feature the guest saw (Xen pools refuse a destination that lacks one).
 *
 * The reader accepts a whole xl.cfg (it finds the `cpuid` setting; the last one wins), a single
 * `cpuid = …` assignment, or the bare value.
 */
import type { Feature } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { CpuidDump, Register } from '../../core/cpuid.js';
import { REGISTERS, SUBLEAF_LIMIT } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { InputLocation } from '../../core/errors.js';
import { XEN_NUMERIC_KEYS } from './keys.js';
import { MaskBuilder, applyMask, maskRequirements } from '../../core/masks/engine.js';
import type { ApplyOptions, CpuidMask, MaskChar, RequirementOptions, Requirements } from '../../core/masks/engine.js';

export const XEN_CHARS = ['1', '0', 'x', 'k', 's'] as const;
export type XenChar = (typeof XEN_CHARS)[number];

export interface XenLegacyRegister {
  readonly reg: Register;
  /** 32 characters of {@link XEN_CHARS}, MSB first. */
  readonly bits: string;
}

/** One string of the legacy list: `"0x80000001:ecx=…,edx=…"`. */
export interface XenLegacyLeaf {
  readonly leaf: number;
  /** Absent when the string names no subleaf (applied to subleaf 0). */
  readonly subleaf?: number;
  readonly regs: readonly XenLegacyRegister[];
}

/** One `name=value` pair of the libxl string. */
export interface XenLibxlSetting {
  /** As written. */
  readonly key: string;
  readonly value: string;
  /** The catalog feature, or undefined for a numeric key. */
  readonly feature?: Feature;
}

export type XenCpuid =
  | { readonly syntax: 'libxl'; readonly settings: readonly XenLibxlSetting[] }
  | { readonly syntax: 'legacy'; readonly leaves: readonly XenLegacyLeaf[] };

// ---- a small xl.cfg tokenizer --------------------------------------------------------------

interface Token {
  readonly type: 'ident' | 'string' | 'number' | 'punct';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const c = text[i]!;
    const column = i - lineStart + 1;
    if (c === '\n') {
      line++;
      lineStart = ++i;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j++;
      if (text[j] !== c) {
        throw new InputError({ file, line, column: j - lineStart + 1 }, `the closing ${c} of the string opened at column ${column}`, text[j] ?? '');
      }
      out.push({ type: 'string', text: text.slice(i + 1, j), line, column });
      i = j + 1;
    } else if ('=[],;'.includes(c)) {
      out.push({ type: 'punct', text: c, line, column });
      i++;
    } else if (/[A-Za-z0-9_.]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_.]/.test(text[j]!)) j++;
      out.push({ type: /[0-9]/.test(c) ? 'number' : 'ident', text: text.slice(i, j), line, column });
      i = j;
    } else {
      throw new InputError({ file, line, column }, 'an xl.cfg setting (name = value), a string or a list', c);
    }
  }
  return out;
}

/** The tokens of the `cpuid` value: the last `cpuid = …` setting, or the whole input when it is a bare value. */
function cpuidValue(tokens: readonly Token[], file: string): Token[] {
  const first = tokens[0];
  if (!first) throw new InputError({ file, line: 1 }, 'a cpuid= setting', '');
  if (first.type === 'string' || first.text === '[') return valueAt(tokens, 0, file).tokens;
  let found: Token[] | undefined;
  let i = 0;
  while (i < tokens.length) {
    const name = tokens[i]!;
    const eq = tokens[i + 1];
    if (name.type !== 'ident') throw new InputError(at(file, name), 'a setting name', name.text);
    if (eq?.text !== '=') throw new InputError(at(file, eq ?? name), `'=' after '${name.text}'`, eq?.text ?? '');
    const v = valueAt(tokens, i + 2, file);
    if (name.text === 'cpuid') found = v.tokens;
    i = v.next;
    if (tokens[i]?.text === ';') i++;
  }
  if (!found) throw new InputError({ file, line: 1 }, 'a cpuid= setting');
  return found;
}

function at(file: string, t: Token): InputLocation {
  return { file, line: t.line, column: t.column };
}

/** One value starting at `i` (a string, number, name or list); returns its tokens and the index after it. */
function valueAt(tokens: readonly Token[], i: number, file: string): { tokens: Token[]; next: number } {
  const t = tokens[i];
  const last = tokens[tokens.length - 1];
  if (!t) throw new InputError(last ? at(file, last) : { file, line: 1 }, 'a value after =', '');
  if (t.text !== '[') {
    if (t.type === 'punct') throw new InputError(at(file, t), 'a value (a string, a number or a list)', t.text);
    return { tokens: [t], next: i + 1 };
  }
  let j = i + 1;
  while (tokens[j] && tokens[j]!.text !== ']') j++;
  if (!tokens[j]) throw new InputError(at(file, t), 'a ] closing this list', '');
  return { tokens: tokens.slice(i, j + 1), next: j + 1 };
}

// ---- the two syntaxes ----------------------------------------------------------------------

function parseNumber(text: string): number | undefined {
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return parseInt(text.slice(2), 16);
  if (/^[0-9]{1,10}$/.test(text)) return Number(text);
  return undefined;
}

const NUMERIC_VALUE = /^(?:[0-9]+|0x[0-9a-f]+|[01xks]+)$/i;

function parseLibxl(s: Token, file: string): XenCpuid {
  const where = (offset: number): InputLocation => ({ file, line: s.line, column: s.column + 1 + offset });
  const items = s.text.split(',');
  if (items[0] !== 'host') throw new InputError(where(0), "'host' to start a libxl cpuid string (\"host,name=value,…\")", items[0]);
  const settings: XenLibxlSetting[] = [];
  let offset = items[0].length + 1;
  for (const item of items.slice(1)) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (eq <= 0) throw new InputError(where(offset), 'name=value', item);
    if (XEN_NUMERIC_KEYS.includes(key.toLowerCase())) {
      if (!NUMERIC_VALUE.test(value)) throw new InputError(where(offset + eq + 1), `a number for '${key}'`, value);
      settings.push({ key, value });
    } else {
      const feature = catalog.resolve(key, 'xen');
      if (!feature || feature.loc.type !== 'cpuid') {
        throw new InputError(where(offset), `a Xen CPUID feature name or one of ${XEN_NUMERIC_KEYS.join(', ')}`, key);
      }
      if (!(XEN_CHARS as readonly string[]).includes(value)) throw new InputError(where(offset + eq + 1), `one of ${XEN_CHARS.join(' ')} for '${key}'`, value);
      settings.push({ key, value, feature });
    }
    offset += item.length + 1;
  }
  return { syntax: 'libxl', settings };
}

function parseLegacyLeaf(s: Token, file: string): XenLegacyLeaf {
  const where = (offset: number): InputLocation => ({ file, line: s.line, column: s.column + 1 + offset });
  const colon = s.text.indexOf(':');
  if (colon < 0) throw new InputError(where(0), '"leaf[,subleaf]:reg=<32 characters>,…"', s.text);
  const head = s.text.slice(0, colon).split(',');
  const leaf = parseNumber(head[0]!);
  if (leaf === undefined) throw new InputError(where(0), 'a leaf number (decimal or 0x hex)', head[0]);
  let subleaf: number | undefined;
  if (head.length > 2) throw new InputError(where(head[0]!.length + head[1]!.length + 2), "':' after leaf,subleaf", head[2]);
  if (head.length === 2) {
    subleaf = parseNumber(head[1]!);
    if (subleaf === undefined || subleaf >= SUBLEAF_LIMIT) throw new InputError(where(head[0]!.length + 1), 'a subleaf number (decimal or 0x hex)', head[1]);
  }
  const regs: XenLegacyRegister[] = [];
  let offset = colon + 1;
  for (const part of s.text.slice(colon + 1).split(',')) {
    const eq = part.indexOf('=');
    const reg = part.slice(0, Math.max(eq, 0)).toLowerCase() as Register;
    if (eq < 0 || !REGISTERS.includes(reg)) throw new InputError(where(offset), 'eax=, ebx=, ecx= or edx=', part);
    const bits = part.slice(eq + 1);
    for (let i = 0; i < bits.length; i++) {
      if (!(XEN_CHARS as readonly string[]).includes(bits[i]!)) throw new InputError(where(offset + eq + 1 + i), `one of ${XEN_CHARS.join(' ')}`, bits[i]);
    }
    if (bits.length !== 32) throw new InputError(where(offset + eq + 1), `32 characters for ${reg} (this value has ${bits.length})`, bits);
    regs.push({ reg, bits });
    offset += part.length + 1;
  }
  return subleaf === undefined ? { leaf, regs } : { leaf, subleaf, regs };
}

/** Reads a Xen `cpuid=` setting (see the module comment). Errors name file, line and column. */
export function parseXenCpuid(text: string, file = '-'): XenCpuid {
  const value = cpuidValue(tokenize(text, file), file);
  const first = value[0]!;
  if (first.type === 'string') return parseLibxl(first, file);
  if (first.text !== '[') throw new InputError(at(file, first), 'a string ("host,…") or a list of strings (["leaf:reg=…"])', first.text);
  const leaves: XenLegacyLeaf[] = [];
  for (let i = 1; i < value.length - 1; i++) {
    const t = value[i]!;
    if (t.type !== 'string') throw new InputError(at(file, t), 'a quoted "leaf:reg=…" string', t.text);
    leaves.push(parseLegacyLeaf(t, file));
    const sep = value[i + 1]!;
    if (sep.text === ',') i++;
    else if (sep.text !== ']') throw new InputError(at(file, sep), "',' or ']'", sep.text);
  }
  return { syntax: 'legacy', leaves };
}

function formatLeaf(n: number): string {
  return n < 10 ? String(n) : `0x${n.toString(16)}`;
}

/** The xl.cfg line: `cpuid = "host,…"` or `cpuid = [ "…", "…" ]`. */
export function printXenCpuid(x: XenCpuid): string {
  if (x.syntax === 'libxl') return `cpuid = "${['host', ...x.settings.map((s) => `${s.key}=${s.value}`)].join(',')}"`;
  const items = x.leaves.map((l) => {
    const head = l.subleaf === undefined ? formatLeaf(l.leaf) : `${formatLeaf(l.leaf)},${l.subleaf}`;
    return `"${head}:${l.regs.map((r) => `${r.reg}=${r.bits}`).join(',')}"`;
  });
  return `cpuid = [ ${items.join(', ')} ]`;
}

function engineChar(c: string): MaskChar {
  return c === '0' || c === '1' ? c : '-';
}

/** The setting as an openevc mask (numeric libxl keys are not applied). */
export function xenToCpuidMask(x: XenCpuid): CpuidMask {
  const b = new MaskBuilder();
  if (x.syntax === 'libxl') {
    for (const s of x.settings) if (s.feature?.loc.type === 'cpuid') b.set(s.feature.loc, engineChar(s.value));
  } else {
    for (const l of x.leaves) {
      for (const r of l.regs) {
        for (let bit = 0; bit < 32; bit++) b.set({ leaf: l.leaf, subleaf: l.subleaf ?? 0, reg: r.reg, bit }, engineChar(r.bits[31 - bit]!));
      }
    }
  }
  return b.build();
}

/** The guest view of a host under a Xen setting. */
export function applyXenCpuid(x: XenCpuid, host: CpuidDump, opts: ApplyOptions = {}): CpuidDump {
  return applyMask(xenToCpuidMask(x), host, opts);
}

/** What a guest booted on `source` with this setting needs from a migration destination. */
export function xenRequirements(x: XenCpuid, source: CpuidDump, opts: RequirementOptions = {}): Requirements {
  return maskRequirements(xenToCpuidMask(x), source, opts);
}
