/**
 * The first step of `importText` for openevc JSON, on its own: input that is (or is named as)
 * openevc JSON is parsed here without loading the other importers (the XML parser, the text
 * scanners); anything else returns undefined and goes through the registry (readers.ts), which
 * decides exactly as before. Used by `loadInput` so that `show`/`check` of a JSON host load no
 * XML parser.
 */
import type { ImportResult } from '../reader-types.js';
import { DETECT_CHARS } from '../registry.js';
import { openevcJsonImporter } from './reader.js';
import { checkedHost } from '../common/sanity.js';

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
