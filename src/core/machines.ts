/**
 * Which logical CPUs of one input belong to the same machine. A multi-CPU dump is one machine
 * when every CPU block reports the same brand string, family and model (hybrid parts' performance
 * and efficiency cores share them; the stepping may differ between the sockets of one server).
 * Different values mean different machines concatenated in one file: openevc refuses to pick one
 * silently, or splits them (`--split`). A file of libvirt `<cpu>` definitions holds one machine
 * per definition.
 */
import type { CpuidDump } from './cpuid.js';
import { identify } from './identity.js';

export interface MachineGroup {
  /** What tells the machine apart: `brand (family/model)`. */
  readonly label: string;
  /** Positions of its logical CPUs in the input. */
  readonly cpus: readonly number[];
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** The machines of a multi-CPU input, in order of first appearance. */
export function machineGroups(cpus: readonly CpuidDump[]): MachineGroup[] {
  const groups = new Map<string, number[]>();
  const labels = new Map<string, string>();
  // Folded inputs repeat one dump object for many CPUs: identify each object once.
  const keyOf = new Map<CpuidDump, string>();
  cpus.forEach((d, i) => {
    let key = keyOf.get(d);
    if (key === undefined && d.source.format === 'libvirt-cpu') {
      // Several libvirt <cpu> definitions in one file (what virsh cpu-baseline reads) are so many
      // CPUs, not one machine's logical CPUs, even when they state no brand or signature.
      key = `\u0001${i}`;
      keyOf.set(d, key);
      labels.set(key, d.source.label ?? `libvirt <cpu> ${i}`);
    }
    if (key === undefined) {
      const id = identify(d);
      key = `${id.vendorString}\0${id.brand}\0${id.family}\0${id.model}`;
      keyOf.set(d, key);
      if (!labels.has(key)) labels.set(key, `${id.brand || id.vendorString || 'no brand string'} (family ${hex(id.family)}, model ${hex(id.model)})`);
    }
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  return [...groups].map(([k, list]) => ({ label: labels.get(k)!, cpus: list }));
}

/**
 * A key equal for two dumps exactly when their CPUID (and MSR) contents are identical: the entries
 * sorted by leaf and subleaf, each value as two 16-bit code units (fixed width, the count first),
 * then the MSRs by index: a fleet of thousands of files is compared without a string per value.
 */
export function contentKey(dump: CpuidDump): string {
  const words = contentWords(dump, 0);
  // The count and the entries: each 32-bit word as its two 16-bit halves.
  return keyOf(new Uint16Array(words.buffer, 0, (1 + dump.size * 6) * 2)) + msrText(dump);
}

/**
 * A 128-bit digest of a dump's CPUID (and MSR) contents, as 8 UTF-16 code units: equal for identical
 * contents, and for different contents with a chance of about 2^-128 per pair (no dump can be told
 * from another by it by design; it is no defence against crafted input). What a fleet keeps per
 * host to tell identical ones apart: 100,000 distinct hosts need a few megabytes, not the hundreds
 * {@link contentKey}'s full keys take. The words (the entry count, then leaf, subleaf and the four
 * registers of each entry by leaf and subleaf, the MSR count, then each MSR's index and two halves)
 * are mixed four at a time into four 32-bit lanes, in the manner of MurmurHash3's x86 128-bit variant.
 */
export function contentDigest(dump: CpuidDump): string {
  const msrs = [...dump.msrs].sort((a, b) => a[0] - b[0]);
  const w = contentWords(dump, 1 + msrs.length * 3);
  let at = 1 + dump.size * 6;
  w[at++] = msrs.length;
  for (const [index, value] of msrs) {
    w[at] = index;
    w[at + 1] = Number(value & 0xffff_ffffn);
    w[at + 2] = Number((value >> 32n) & 0xffff_ffffn);
    at += 3;
  }
  return digest(w, at);
}

/**
 * A dump's entry count, then leaf, subleaf, eax, ebx, ecx, edx of each entry by leaf and subleaf,
 * as 32-bit words in a shared buffer with room for `more` words after them (valid until the next call).
 */
function contentWords(dump: CpuidDump, more: number): Uint32Array {
  const length = 1 + dump.size * 6 + more;
  if (digestWords.length < length) digestWords = new Uint32Array(Math.max(length, digestWords.length * 2));
  const w = digestWords;
  w[0] = dump.size;
  // Rows as a reader scanned them are in this order already.
  const rows = dump.rows();
  if (rows !== undefined) w.set(rows, 1);
  else {
    let at = 1;
    for (const e of dump.list()) {
      w[at] = e.leaf;
      w[at + 1] = e.subleaf;
      w[at + 2] = e.eax;
      w[at + 3] = e.ebx;
      w[at + 4] = e.ecx;
      w[at + 5] = e.edx;
      at += 6;
    }
  }
  return w;
}

/** What {@link contentWords} lays the words out in (grown as needed). */
let digestWords = new Uint32Array(1024);

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The first `n` words mixed four at a time into four 32-bit lanes (the last block zero-padded), then `n`; as 8 UTF-16 code units. */
function digest(w: Uint32Array, n: number): string {
  let h1 = 0x9747b28c | 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  for (let i = 0; i < n; i += 4) {
    const k1 = w[i]! | 0;
    const k2 = i + 1 < n ? w[i + 1]! | 0 : 0;
    const k3 = i + 2 < n ? w[i + 2]! | 0 : 0;
    const k4 = i + 3 < n ? w[i + 3]! | 0 : 0;
    h1 ^= Math.imul(rotl(Math.imul(k1, 0x239b961b), 15), 0xab0e9789);
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    h2 ^= Math.imul(rotl(Math.imul(k2, 0xab0e9789), 16), 0x38b34ae5);
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    h3 ^= Math.imul(rotl(Math.imul(k3, 0x38b34ae5), 17), 0xa1e38b93);
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    h4 ^= Math.imul(rotl(Math.imul(k4, 0xa1e38b93), 18), 0x239b961b);
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  h1 ^= n;
  h2 ^= n;
  h3 ^= n;
  h4 ^= n;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return String.fromCharCode(h1 & 0xffff, h1 >>> 16, h2 & 0xffff, h2 >>> 16, h3 & 0xffff, h3 >>> 16, h4 & 0xffff, h4 >>> 16);
}

function keyOf(units: Uint16Array): string {
  let key = '';
  for (let i = 0; i < units.length; i += 8192) key += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
  return key;
}

/** After the entries (their count comes first), the few MSRs as text: `index:value;` by index. */
function msrText(dump: CpuidDump): string {
  let text = '';
  for (const [index, value] of [...dump.msrs].sort((a, b) => a[0] - b[0])) text += `${index}:${value};`;
  return text;
}

/** Whether the part after `#` in `FILE#N` numbers a machine of a split file (1, 2, …) rather than naming a host. */
export function isMachineNumber(part: string): boolean {
  return /^[1-9][0-9]*$/.test(part);
}

/** The file a host input comes from (`FILE` of `FILE#HOST` or `FILE#N`). */
export function fileOfInput(input: string): string {
  const hash = /#[^/#]*$/.exec(input);
  return hash === null ? input : input.slice(0, hash.index);
}

/**
 * The name a host input goes by: HOST of a fleet export's `FILE#HOST`, else the file's name up to
 * its first dot (esx-11.json and esx-11.CPUID.txt are both esx-11), with `#N` for machine N of a
 * split file. Identical CPUID under one name is one host saved twice.
 */
export function hostNameOf(input: string): string {
  const file = fileOfInput(input);
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.indexOf('.', 1);
  const stem = dot < 0 ? base : base.slice(0, dot);
  if (file === input) return stem;
  const part = input.slice(file.length + 1);
  return isMachineNumber(part) ? `${stem}#${part}` : part;
}

/** Hosts from different files with identical CPUID, in input order. */
export interface IdenticalHosts {
  readonly files: readonly string[];
}

/**
 * The hosts of a fleet as they are read, told apart: one host saved twice (identical CPUID under
 * the same name, {@link hostNameOf}) is counted once; identical CPUID under different names is so
 * many hosts (servers of one model and firmware give identical dumps, and leaving one out would
 * make the other look like the only host holding a baseline down). Keeps names and a
 * {@link contentDigest} of each distinct CPUID, not the dumps or their full keys.
 * Used by the CLI (with "the same file" by real path before it) and the dashboard.
 */
export class SeenHosts {
  private readonly byContent = new Map<string, string | { readonly files: string[]; readonly names: Map<string, string> }>();

  /** Records a host input; returns the input it repeats (the same name with identical CPUID), if any, which is then not recorded. */
  add(input: string, dump: CpuidDump): string | undefined {
    const key = contentDigest(dump);
    const seen = this.byContent.get(key);
    if (seen === undefined) {
      this.byContent.set(key, input);
      return undefined;
    }
    const group = typeof seen === 'string' ? { files: [seen], names: new Map([[hostNameOf(seen), seen]]) } : seen;
    if (group !== seen) this.byContent.set(key, group);
    const name = hostNameOf(input);
    const first = group.names.get(name);
    if (first !== undefined) return first;
    group.names.set(name, input);
    group.files.push(input);
    return undefined;
  }

  /** Hosts with identical CPUID from different files (hosts of one export are plainly different hosts), each group in input order. */
  identical(): IdenticalHosts[] {
    const out: IdenticalHosts[] = [];
    for (const group of this.byContent.values()) {
      if (typeof group !== 'string' && new Set(group.files.map(fileOfInput)).size > 1) out.push({ files: group.files });
    }
    return out;
  }
}
