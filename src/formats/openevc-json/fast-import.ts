/**
 * The first step of `importText` for openevc JSON, on its own: input that is (or is named as)
 * openevc JSON is parsed here without loading the other importers (the XML parser, the text
 * scanners); anything else returns undefined and goes through the registry (readers.ts), which
 * decides exactly as before. Used by `loadInput` so that `show`/`check` of a JSON host load no
 * XML parser.
 */
import type { ImportResult } from '../reader-types.js';
import { DETECT_CHARS } from '../registry.js';
import { openevcJsonImporter, parseCanonicalRest } from './reader.js';
import { scanLeafBytes } from './byte-scan.js';
import { checkedHost } from '../common/sanity.js';
import { SUSPECT } from '../common/input-text.js';

export function importIfOpenevcJson(text: string, options: { readonly file: string; readonly format?: string; readonly lenient?: boolean }): ImportResult | undefined {
  if (options.format !== undefined && options.format !== 'openevc-json') return undefined;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\S/.test(text)) return undefined; // the registry's message
  if (options.format === undefined) {
    // readers.ts detectFormat's own fast path: a JSON object carrying openevc's marker.
    const sample = text.length > DETECT_CHARS ? text.slice(0, DETECT_CHARS) : text;
    const start = sample.search(/\S/);
    if (!(start >= 0 && sample.charCodeAt(start) === 0x7b && sniff(sample) === 1)) return undefined;
  }
  const lenient = options.lenient ?? false;
  return checkedHost(openevcJsonImporter.parse(text, { file: options.file, lenient }), options.file, lenient);
}

function sniff(head: string): number {
  try {
    const s = openevcJsonImporter.sniff(head);
    return Number.isFinite(s) ? s : 0;
  } catch {
    return 0;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
let rowsBuffer: Uint32Array = new Uint32Array(6 * 128);

/**
 * openevc JSON read straight from a file's bytes, for commands that read thousands of them: the
 * leaves are scanned in place (no text, no value allocated for them), the few lines around them
 * are decoded and parsed. Undefined whenever the bytes are anything else than a UTF-8 document in
 * the layout openevc writes, without control bytes (then the caller decodes the text, checks it
 * and calls `importIfOpenevcJson` or the registry, exactly as for any input): whatever this
 * returns is what that path would.
 */
export function importOpenevcJsonBytes(bytes: Uint8Array, options: { readonly file: string; readonly format?: string; readonly lenient?: boolean }): ImportResult | undefined {
  if (options.format !== undefined && options.format !== 'openevc-json') return undefined;
  if (bytes[0] !== 0x7b) return undefined; // no byte-order mark, no space before the object: the layout openevc writes
  const scanned = scanLeafBytes(bytes, rowsBuffer);
  if (!scanned) return undefined;
  rowsBuffer = scanned.rows;
  let head: string;
  let tail: string;
  try {
    // The bytes between are ASCII, so these two are valid UTF-8 exactly when the whole file is.
    head = UTF8.decode(bytes.subarray(0, scanned.open));
    tail = UTF8.decode(bytes.subarray(scanned.close));
  } catch {
    return undefined;
  }
  // The binary-input guard's control bytes (common/input-text.ts): such a file takes the guarded path.
  if (SUSPECT.test(head) || SUSPECT.test(tail)) return undefined;
  // readers.ts detectFormat's fast path: the marker among the first DETECT_CHARS characters (it cannot be among the leaves).
  if (options.format === undefined && sniff(head.length > DETECT_CHARS ? head.slice(0, DETECT_CHARS) : head) !== 1) return undefined;
  const lenient = options.lenient ?? false;
  let result: ImportResult;
  try {
    const { dump } = parseCanonicalRest(`${head}"leaves": [${tail}`, { file: options.file, lenient }, scanned.rows, scanned.count);
    result = { format: 'openevc-json', dump, cpus: [dump], diagnostics: [] };
  } catch {
    return undefined;
  }
  return checkedHost(result, options.file, lenient);
}
