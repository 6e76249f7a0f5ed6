/**
 * The fast path for libvirt `<cpu>` definitions in the layout virsh writes and `virsh cpu-baseline`
 * reads: one `<cpu>` after another, each holding `<arch>`, `<model>`, `<vendor>`, `<signature/>`,
 * `<feature/>` and other children that are empty or hold text only (`<topology/>`, `<microcode/>`):
 *
 *   <cpu>
 *     <arch>x86_64</arch>
 *     <model>Skylake-Client-IBRS</model>
 *     <vendor>Intel</vendor>
 *     <signature family='6' model='94' stepping='3'/>
 *     <feature name='ds'/>
 *   </cpu>
 *
 * Only well-formed, valid definitions are taken. Anything else returns undefined, and the XML
 * parser reads the document with its messages: an XML declaration, another root element, nested
 * children, entities, CDATA, control characters, a value the reader would refuse, a child given
 * twice, more attributes than the XML reader accepts. cpu-scan.test.ts checks that both give
 * the same definitions. A file of 1,000 definitions is read about 20 times faster, and up to
 * {@link MAX_SCANNED_ELEMENTS} elements are taken (the XML reader refuses more than 100,000). Pure.
 */
import { InputError } from '../../core/errors.js';
import { MAX_ATTRIBUTES, MAX_ELEMENTS } from '../common/xml.js';

/**
 * Most elements a document in virsh's layout may hold: five times what the XML parser is given
 * (`MAX_ELEMENTS`), as this scan is linear. 1,000 modern hosts hold about 110,000; 500,000 are
 * about 4,600 hosts, read in under a second and 300 MB.
 */
export const MAX_SCANNED_ELEMENTS = 5 * MAX_ELEMENTS;
import type { CpuSignature } from '../../core/models.js';
import { LIBVIRT_VENDORS, POLICIES, SIGNATURE_MAX } from './cpu-definition.js';
import type { FeaturePolicy, LibvirtCpuDefinition, LibvirtFeatureRef } from './cpu-definition.js';

/** What element text may hold here (white space, no markup, entity or other control character). */
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const PLAIN_TEXT = /^[^\x00-\x08\x0b\x0c\x0e-\x1f<>&]*$/;
const DIGITS = /^\d{1,4}$/;

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/** The definitions `readLibvirtCpuDefinitions` would read, or undefined when the text is not exactly this layout. */
export function scanLibvirtCpuDefinitions(src: string, file: string): LibvirtCpuDefinition[] | undefined {
  const n = src.length;
  let p = 0;
  let line = 1;
  let elements = 0;
  // The attributes of the tag just read (reused: a file holds 100,000 <feature> tags).
  const names: string[] = [];
  const values: string[] = [];
  let count = 0;
  let selfClosing = false;

  const newlines = (from: number, to: number): void => {
    for (let i = src.indexOf('\n', from); i >= 0 && i < to; i = src.indexOf('\n', i + 1)) line++;
  };
  const ws = (): boolean => {
    const from = p;
    for (let c = src.charCodeAt(p); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = src.charCodeAt(++p)) if (c === 0x0a) line++;
    return p > from;
  };
  /** White space and comments; false at a comment left to the parser (`--` inside, unterminated). */
  const misc = (): boolean => {
    for (;;) {
      ws();
      if (!src.startsWith('<!--', p)) return true;
      const end = src.indexOf('-->', p + 4);
      if (end < 0 || src.indexOf('--', p + 4) !== end) return false;
      newlines(p, end);
      p = end + 3;
    }
  };
  const name = (): string | undefined => {
    const from = p;
    if (!isNameStart(src.charCodeAt(p))) return undefined;
    for (p++; isNameChar(src.charCodeAt(p)); p++);
    return src.slice(from, p);
  };
  /** The attributes after a tag's name, through `>` or `/>`: false when anything is unusual. */
  const attributes = (): boolean => {
    count = 0;
    for (;;) {
      const spaced = ws();
      const c = src.charCodeAt(p);
      if (c === 0x3e) {
        p++;
        selfClosing = false;
        return true;
      }
      if (c === 0x2f) {
        if (src.charCodeAt(p + 1) !== 0x3e) return false;
        p += 2;
        selfClosing = true;
        return true;
      }
      if (!spaced || count === MAX_ATTRIBUTES) return false;
      // <feature name='…' policy='…'/> is most of a file: its two keys without a new string each.
      let key: string | undefined;
      if (src.startsWith('name=', p)) {
        key = 'name';
        p += 4;
      } else if (src.startsWith('policy=', p)) {
        key = 'policy';
        p += 6;
      } else key = name();
      if (key === undefined || src.charCodeAt(p) !== 0x3d) return false;
      const quote = src.charCodeAt(p + 1);
      if (quote !== 0x27 && quote !== 0x22) return false;
      let end = p + 2;
      // No markup, entity or control character in the value (NaN past the end fails too).
      for (let c = src.charCodeAt(end); c !== quote; c = src.charCodeAt(++end)) if (!(c >= 0x20) || c === 0x3c || c === 0x3e || c === 0x26) return false;
      const value = src.slice(p + 2, end);
      // The parser trims values: one that it would change is left to it.
      if (value.length > 0 && (value.charCodeAt(0) <= 0x20 || value.charCodeAt(value.length - 1) <= 0x20 || value.trim() !== value)) return false;
      for (let i = 0; i < count; i++) if (names[i] === key) return false;
      names[count] = key;
      values[count] = value;
      count++;
      p = end + 1;
    }
  };
  const attr = (key: string): string | undefined => {
    for (let i = 0; i < count; i++) if (names[i] === key) return values[i];
    return undefined;
  };
  /** The text of an element up to its end tag, trimmed as the reader trims it; undefined at anything else inside. */
  const textUntilEnd = (tag: string): string | undefined => {
    const lt = src.indexOf('<', p);
    if (lt < 0 || src.charCodeAt(lt + 1) !== 0x2f || !src.startsWith(tag, lt + 2) || src.charCodeAt(lt + 2 + tag.length) !== 0x3e) return undefined;
    const raw = src.slice(p, lt);
    if (!PLAIN_TEXT.test(raw)) return undefined;
    newlines(p, lt);
    p = lt + 3 + tag.length;
    return raw.trim();
  };
  /** A `<signature>` number as the reader takes it (decimal, at most `max`); undefined to give up. */
  const number = (key: string, max: number): number | undefined => {
    const raw = attr(key);
    if (raw === undefined || !DIGITS.test(raw) || Number(raw) > max) return undefined;
    return Number(raw);
  };

  /** One more element; a document in this layout beyond the limit is refused here. */
  const element = (): void => {
    if (++elements > MAX_SCANNED_ELEMENTS) {
      throw new InputError({ file, line }, `an XML document of at most ${MAX_SCANNED_ELEMENTS} elements (libvirt <cpu> definitions in virsh's layout; ${MAX_ELEMENTS} in any other)`, 'more');
    }
  };

  const out: LibvirtCpuDefinition[] = [];
  if (!misc()) return undefined;
  while (p < n) {
    const cpuLine = line;
    if (!src.startsWith('<cpu', p)) return undefined;
    p += 4;
    element();
    if (!attributes() || selfClosing) return undefined;
    const mode = attr('mode');
    let arch = false;
    let model: string | undefined;
    let modelLine: number | undefined;
    let fallback: string | undefined;
    let vendor: string | undefined;
    let signature: CpuSignature | undefined;
    const features: LibvirtFeatureRef[] = [];
    for (;;) {
      if (!misc()) return undefined;
      if (src.startsWith('</cpu>', p)) {
        p += 6;
        break;
      }
      if (src.charCodeAt(p) !== 0x3c) return undefined; // text beside the children
      const at = line;
      p++;
      const tag = name();
      if (tag === undefined) return undefined;
      element();
      if (!attributes()) return undefined;
      let text = '';
      if (!selfClosing) {
        const t = textUntilEnd(tag);
        if (t === undefined) return undefined;
        text = t;
      }
      if (tag === 'feature') {
        const fname = attr('name');
        const policy = attr('policy');
        if (fname === undefined || fname === '' || fname.trim() !== fname) return undefined;
        if (policy !== undefined && !POLICIES.includes(policy as FeaturePolicy)) return undefined;
        features.push({ name: fname, policy: policy as FeaturePolicy | undefined, line: at });
      } else if (tag === 'arch') {
        if (arch || (text !== 'x86_64' && text !== 'i686')) return undefined;
        arch = true;
      } else if (tag === 'model') {
        if (modelLine !== undefined || text === '') return undefined;
        model = text;
        modelLine = at;
        fallback = attr('fallback');
      } else if (tag === 'vendor') {
        if (vendor !== undefined || !Object.hasOwn(LIBVIRT_VENDORS, text)) return undefined;
        vendor = text;
      } else if (tag === 'signature') {
        if (signature !== undefined) return undefined;
        const family = number('family', SIGNATURE_MAX.family);
        const m = number('model', SIGNATURE_MAX.model);
        const stepping = attr('stepping') === undefined ? 0 : number('stepping', SIGNATURE_MAX.stepping);
        if (family === undefined || m === undefined || stepping === undefined) return undefined;
        signature = { family, model: m, stepping };
      }
      // Any other child (topology, microcode, counter, cache...) says nothing the reader uses.
    }
    // A <cpu> without a model or features is refused (or explained) by the reader.
    if (model === undefined && features.length === 0) return undefined;
    out.push({ line: cpuLine, kind: 'cpu', mode, model, modelLine, fallback, vendor, signature, features });
    if (!misc()) return undefined;
  }
  return out.length > 0 ? out : undefined;
}
