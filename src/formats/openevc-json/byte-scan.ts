/**
 * The leaves of an openevc JSON file scanned straight from its bytes: what `openevc baseline`
 * does for each of thousands of host files. The layout is exactly the one `scanCanonicalLeaves`
 * (reader.ts) takes, byte for byte, so the two agree; at the first difference the scan gives up
 * and the file is read as text. Pure: no Node API.
 */
import { SUBLEAF_LIMIT } from '../../core/cpuid.js';

/** Where the leaves are in the bytes, and their values. */
export interface ScannedLeafBytes {
  /** Offset of `"leaves": [`. */
  readonly open: number;
  /** Offset of the array's closing `]`. */
  readonly close: number;
  /** leaf, subleaf, eax, ebx, ecx, edx per leaf. */
  readonly rows: Uint32Array;
  readonly count: number;
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

const LEAVES_OPEN = ascii('"leaves": [');
const LEAF_OPEN = ascii('{ "leaf": ');
const SUBLEAF_KEY = ascii(', "subleaf": ');
const REG_KEYS = [ascii(', "eax": '), ascii(', "ebx": '), ascii(', "ecx": '), ascii(', "edx": ')];

function at(b: Uint8Array, p: number, s: Uint8Array): boolean {
  if (p + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[p + i] !== s[i]) return false;
  return true;
}

/** First offset of `s` in `b` from `from`, or -1: found by its last byte (`[` is rare in a dump's text). */
export function indexOfBytes(b: Uint8Array, s: Uint8Array, from = 0): number {
  const last = s[s.length - 1]!;
  for (let p = b.indexOf(last, from + s.length - 1); p >= 0; p = b.indexOf(last, p + 1)) if (at(b, p - s.length + 1, s)) return p - s.length + 1;
  return -1;
}

function skipWs(b: Uint8Array, p: number): number {
  for (let c = b[p]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++p]);
  return p;
}

/** Each byte's value as a hex digit (upper or lower case), -1 for any other byte. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) HEX[0x61 + c] = HEX[0x41 + c] = 10 + c;

/** `"0x` + 8 hex digits + `"` at `p`, as a number; -1 otherwise (12 bytes). */
function hex8At(b: Uint8Array, p: number): number {
  if (b[p] !== 0x22 || b[p + 1] !== 0x30 || b[p + 2] !== 0x78 || b[p + 11] !== 0x22) return -1;
  const d0 = HEX[b[p + 3]!]!;
  const d1 = HEX[b[p + 4]!]!;
  const d2 = HEX[b[p + 5]!]!;
  const d3 = HEX[b[p + 6]!]!;
  const d4 = HEX[b[p + 7]!]!;
  const d5 = HEX[b[p + 8]!]!;
  const d6 = HEX[b[p + 9]!]!;
  const d7 = HEX[b[p + 10]!]!;
  if ((d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7) < 0) return -1;
  return ((d0 << 28) | (d1 << 24) | (d2 << 20) | (d3 << 16) | (d4 << 12) | (d5 << 8) | (d6 << 4) | d7) >>> 0;
}

/**
 * Scans `"leaves": [ { "leaf": "0x…", "subleaf": N, "eax": "0x…", … }, … ]` in the layout openevc
 * writes; undefined when `"leaves": [` is not there exactly once or anything differs. Every byte
 * between `open` and `close` is then ASCII: the text around them decides the rest.
 */
export function scanLeafBytes(b: Uint8Array, rows: Uint32Array = new Uint32Array(6 * 128)): ScannedLeafBytes | undefined {
  const open = indexOfBytes(b, LEAVES_OPEN);
  if (open < 0) return undefined;
  let p = skipWs(b, open + LEAVES_OPEN.length);
  let count = 0;
  if (b[p] !== 0x5d) {
    for (;;) {
      if (!at(b, p, LEAF_OPEN)) return undefined;
      p += LEAF_OPEN.length;
      const leaf = hex8At(b, p);
      p += 12;
      if (leaf < 0 || !at(b, p, SUBLEAF_KEY)) return undefined;
      p += SUBLEAF_KEY.length;
      let subleaf = 0;
      const start = p;
      for (let c = b[p]!; c >= 0x30 && c <= 0x39; c = b[++p]!) subleaf = subleaf * 10 + (c - 0x30);
      if (p === start || p - start > 7 || (b[start] === 0x30 && p - start > 1) || subleaf >= SUBLEAF_LIMIT) return undefined;
      if ((count + 1) * 6 > rows.length) {
        const grown = new Uint32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      const row = count * 6;
      rows[row] = leaf;
      rows[row + 1] = subleaf;
      for (let r = 0; r < 4; r++) {
        const key = REG_KEYS[r]!;
        if (!at(b, p, key)) return undefined;
        const v = hex8At(b, p + key.length);
        if (v < 0) return undefined;
        rows[row + 2 + r] = v;
        p += key.length + 12;
      }
      if (b[p] !== 0x20 || b[p + 1] !== 0x7d) return undefined;
      p = skipWs(b, p + 2);
      count++;
      const c = b[p];
      if (c === 0x5d) break;
      if (c !== 0x2c) return undefined;
      p = skipWs(b, p + 1);
    }
  }
  // Only once: a second `"leaves": [` (after the array; none can be inside it) is for the generic path.
  if (indexOfBytes(b, LEAVES_OPEN, p) >= 0) return undefined;
  return { open, close: p, rows, count };
}
