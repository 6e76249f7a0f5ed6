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
  const seeded = dump.takeSeedKey();
  if (seeded !== undefined && dump.msrs.size === 0) return seeded;
  const entries = dump.list();
  const units = new Uint16Array(2 + entries.length * 12);
  units[0] = entries.length & 0xffff;
  units[1] = entries.length >>> 16;
  let at = 2;
  for (const e of entries) {
    units[at] = e.leaf & 0xffff;
    units[at + 1] = e.leaf >>> 16;
    units[at + 2] = e.subleaf & 0xffff;
    units[at + 3] = e.subleaf >>> 16;
    units[at + 4] = e.eax & 0xffff;
    units[at + 5] = e.eax >>> 16;
    units[at + 6] = e.ebx & 0xffff;
    units[at + 7] = e.ebx >>> 16;
    units[at + 8] = e.ecx & 0xffff;
    units[at + 9] = e.ecx >>> 16;
    units[at + 10] = e.edx & 0xffff;
    units[at + 11] = e.edx >>> 16;
    at += 12;
  }
  return keyOf(units) + msrText(dump);
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

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * For a reader that filled `dump` from `rows` (leaf, subleaf, eax, ebx, ecx, edx per entry, as
 * `CpuidDump.setRows` takes them) and nothing else: its `contentKey` from the rows at once, for
 * the first `contentKey` of the dump while it is unchanged. Rows not in (leaf, subleaf) order are
 * left to `contentKey`.
 */
export function seedContentKey(dump: CpuidDump, rows: Uint32Array, count: number): void {
  if (!LITTLE_ENDIAN || dump.size !== count || dump.msrs.size !== 0) return;
  for (let i = 6; i < count * 6; i += 6) {
    if (rows[i]! < rows[i - 6]! || (rows[i] === rows[i - 6] && rows[i + 1]! <= rows[i - 5]!)) return;
  }
  const units = new Uint16Array(2 + count * 12);
  units[0] = count & 0xffff;
  units[1] = count >>> 16;
  units.set(new Uint16Array(rows.buffer, rows.byteOffset, count * 12), 2);
  dump.seedKey(keyOf(units));
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
 * make the other look like the only host holding a baseline down). Keeps keys and names only.
 * Used by the CLI (with "the same file" by real path before it) and the dashboard.
 */
export class SeenHosts {
  private readonly byContent = new Map<string, string | { readonly files: string[]; readonly names: Map<string, string> }>();

  /** Records a host input; returns the input it repeats (the same name with identical CPUID), if any, which is then not recorded. */
  add(input: string, dump: CpuidDump): string | undefined {
    const key = contentKey(dump);
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
