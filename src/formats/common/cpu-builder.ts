/**
 * Collects one logical CPU's CPUID lines and works out the subleaf of lines that do not
 * say which subleaf they answer.
 *
 * Older AIDA64 dumps (and old `cpuid -r` output) print a leaf once per subleaf without an
 * index. For most leaves the repeats come in order 0, 1, 2, ... (caches of leaf 4, topology
 * levels of 0xB/0x1F, 0x8000001D, ...). Leaf 0xD is different: dumps list only the valid
 * subleaves, and some skip 0xD.1 altogether (an Ivy Bridge dump goes from 0xD.0 straight to
 * the YMM component, 0xD.2). Counting would put AVX state at subleaf 1 and shift every
 * component after it, so leaf 0xD lines are placed by what they contain (see
 * {@link placeXsaveRows}). A subleaf that was not dumped stays absent: nothing is invented.
 */
import { CpuidDump, SUBLEAF_LIMIT, hexLeaf } from '../../core/cpuid.js';
import type { DumpSource, Regs } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';

const XSAVE_LEAF = 0xd;

/** A leaf 0xD line whose subleaf the input did not give. */
export interface XsaveRow extends Regs {
  /** 1-based line number in the input. */
  readonly line: number;
}

/**
 * Most lines one leaf may take in a CPU's block when the input gives no subleaf (real CPUs answer
 * at most a few dozen subleaves of one leaf): beyond it the block is damage, and refusing early
 * keeps the cost of a file of one line repeated a million times bounded.
 */
export const MAX_UNINDEXED_LINES = 4096;

export class CpuBuilder {
  readonly dump: CpuidDump;
  /** Line of the first CPUID line of this CPU. */
  readonly firstLine: number;
  private readonly file: string;
  /** Per leaf: the subleaf the next line without an index answers. */
  private readonly nextSubleaf = new Map<number, number>();
  private readonly xsaveRows: XsaveRow[] = [];
  /** Lines that gave a (leaf, subleaf) already seen for this CPU, with other values. */
  private readonly conflicts: number[] = [];

  constructor(source: DumpSource, file: string, firstLine: number) {
    this.dump = new CpuidDump(source);
    this.file = file;
    this.firstLine = firstLine;
  }

  /**
   * Whether this CPU's lines gave exactly what another's gave (a dump of identical repeated blocks):
   * the later one is then folded into the earlier ({@link addCpu}).
   */
  sameAs(other: CpuBuilder): boolean {
    if (this.xsaveRows.length > 0 || other.xsaveRows.length > 0 || this.conflicts.length > 0 || other.conflicts.length > 0) return false;
    if (this.dump.size !== other.dump.size || this.dump.msrs.size !== 0 || other.dump.msrs.size !== 0) return false;
    for (const e of this.dump.list()) {
      const o = other.dump.get(e.leaf, e.subleaf);
      if (!o || o.eax !== e.eax || o.ebx !== e.ebx || o.ecx !== e.ecx || o.edx !== e.edx) return false;
    }
    return true;
  }

  /** True once the CPU has answered leaf 0 (a second leaf 0 line starts the next CPU in headerless dumps). */
  get hasLeaf0(): boolean {
    return this.dump.has(0, 0);
  }

  /**
   * Records one line. `subleaf` is undefined when the input gave none; then the subleaf is
   * inferred (in order for most leaves, by content for leaf 0xD when the CPU is finished).
   */
  add(leaf: number, subleaf: number | undefined, eax: number, ebx: number, ecx: number, edx: number, line: number): void {
    if (subleaf === undefined) {
      if (leaf === XSAVE_LEAF) {
        this.xsaveRows.push({ eax, ebx, ecx, edx, line });
        return;
      }
      subleaf = this.nextSubleaf.get(leaf) ?? 0;
      if (subleaf >= MAX_UNINDEXED_LINES) {
        throw new InputError({ file: this.file, line }, `at most ${MAX_UNINDEXED_LINES} lines for leaf ${hexLeaf(leaf)} in one CPU's block (a line repeated over and over is no CPU's answer)`);
      }
    } else if (subleaf >= SUBLEAF_LIMIT) {
      throw new InputError({ file: this.file, line }, `a subleaf below ${hexLeaf(SUBLEAF_LIMIT)}`, hexLeaf(subleaf));
    }
    if (subleaf >= (this.nextSubleaf.get(leaf) ?? 0)) this.nextSubleaf.set(leaf, subleaf + 1);
    if (subleaf === 0 && (leaf === 0 || leaf === 0x8000_0000) && !this.dump.has(leaf, 0)) {
      let lines = LEAF_LINES.get(this.dump);
      if (!lines) LEAF_LINES.set(this.dump, (lines = new Map()));
      lines.set(leaf, line);
    }
    const prev = this.dump.get(leaf, subleaf);
    if (prev && (prev.eax !== eax || prev.ebx !== ebx || prev.ecx !== ecx || prev.edx !== edx)) this.conflicts.push(line);
    this.dump.set(leaf, subleaf, { eax, ebx, ecx, edx });
  }

  /** Places the deferred leaf 0xD lines and reports what could not be placed. */
  finish(diagnostics: Diagnostic[], name: string): CpuidDump {
    if (this.xsaveRows.length > 0) {
      const unplaced = placeXsaveRows(this.dump, this.xsaveRows);
      if (unplaced.length > 0) {
        diagnostics.push({
          level: 'warning',
          message:
            `${name}: ${plural(unplaced.length, 'leaf 0xd line')} without a subleaf could not be matched to an XSAVE component ` +
            `enabled by 0xd.0 EAX/EDX or 0xd.1 ECX/EDX (${lineList(unplaced)}); ignored`,
          where: { file: this.file, line: unplaced[0]! },
        });
      }
    }
    if (this.conflicts.length > 0) {
      diagnostics.push({
        level: 'warning',
        message: `${name}: ${this.conflicts.length === 1 ? '1 line repeats' : `${this.conflicts.length} lines repeat`} a leaf and subleaf already given, with other values (${lineList(this.conflicts)}); the later value is used`,
        where: { file: this.file, line: this.conflicts[0]! },
      });
    }
    return this.dump;
  }
}

function plural(n: number, what: string): string {
  return n === 1 ? `1 ${what}` : `${n} ${what}s`;
}

/** `line 12` or `lines 12, 14, 20, ...` (the first five). */
function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', ...' : '');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}`;
}

/**
 * Usual sizes in bytes of the XSAVE state components whose size is fixed by the
 * architecture (Intel SDM vol. 1 ch. 13): YMM_Hi128 2, BNDREGS 3, BNDCSR 4, opmask 5,
 * ZMM_Hi256 6, Hi16_ZMM 7, PKRU 9, CET_U 11, CET_S 12, TILECFG 17, TILEDATA 18, APX 19.
 * Only a hint: it lets a line skip ahead when a dump left out a component in the middle.
 * Vendors sometimes report another size (Zen 2 reports 64 bytes for PKRU), so a mismatch
 * never rejects a line.
 */
const USUAL_COMPONENT_SIZE: ReadonlyMap<number, number> = new Map([
  [2, 256], [3, 64], [4, 64], [5, 64], [6, 512], [7, 1024], [9, 8], [11, 16], [12, 24], [17, 64], [18, 8192], [19, 128],
]);

/**
 * Whether a leaf 0xD line is subleaf 1 rather than a state component. Subleaf 1 carries
 * flags in EAX (XSAVEOPT bit 0, XSAVEC, XGETBV1, XSAVES, XFD: bits 0..4), while a
 * component's EAX is its size: a non-zero multiple of 8, so never odd. Every CPU with any of
 * those flags has XSAVEOPT, so subleaf 1's EAX is 0 or odd. ECX bit 0 is set only for
 * supervisor components (in subleaf 1 it would be IA32_XSS bit 0, which is reserved).
 */
export function looksLikeXsaveSubleaf1(r: Regs): boolean {
  return r.eax < 0x100 && (r.eax === 0 || (r.eax & 1) === 1) && (r.ecx & 1) === 0;
}

function hasBit(lo: number, hi: number, n: number): boolean {
  return (n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1) === 1;
}

/**
 * Gives each leaf 0xD line without an index the subleaf its content says it answers, and
 * records it in `dump`. Returns the lines that could not be placed.
 *
 * - The first line is subleaf 0 (unless the dump already has 0xD.0).
 * - The next line is subleaf 1 when it looks like it ({@link looksLikeXsaveSubleaf1}).
 * - Every later line describes one state component N ≥ 2, listed in increasing N: a user
 *   component (ECX bit 0 clear) must be enabled in 0xD.0 EDX:EAX (XCR0 bits), a supervisor
 *   component (ECX bit 0 set) in 0xD.1 EDX:ECX (IA32_XSS bits). The line takes the first
 *   such component after the previous line's; when that component's usual size differs
 *   from the line's EAX and a later one's matches, the later one.
 * - All-zero lines (an unused component) carry nothing and are dropped; a supervisor line
 *   without 0xD.1 in the dump cannot be placed.
 */
export function placeXsaveRows(dump: CpuidDump, rows: readonly XsaveRow[]): number[] {
  const unplaced: number[] = [];
  let i = 0;
  if (!dump.has(XSAVE_LEAF, 0) && rows.length > 0) dump.set(XSAVE_LEAF, 0, rows[i++]!);
  if (i < rows.length && !dump.has(XSAVE_LEAF, 1) && looksLikeXsaveSubleaf1(rows[i]!)) dump.set(XSAVE_LEAF, 1, rows[i++]!);
  const sub0 = dump.get(XSAVE_LEAF, 0)!;
  const sub1 = dump.get(XSAVE_LEAF, 1);
  let previous = 1;
  for (; i < rows.length; i++) {
    const r = rows[i]!;
    if ((r.eax | r.ebx | r.ecx | r.edx) === 0) continue;
    const n = pickComponent(dump, r, previous, sub0, sub1);
    if (n < 0) {
      unplaced.push(r.line);
      continue;
    }
    dump.set(XSAVE_LEAF, n, r);
    previous = n;
  }
  return unplaced;
}

function pickComponent(dump: CpuidDump, r: Regs, previous: number, sub0: Regs, sub1: Regs | undefined): number {
  if (r.eax === 0) return -1; // not a valid component: its size would be non-zero
  const supervisor = (r.ecx & 1) === 1;
  if (supervisor && !sub1) return -1;
  const lo = supervisor ? sub1!.ecx : sub0.eax;
  const hi = supervisor ? sub1!.edx : sub0.edx;
  let first = -1;
  for (let n = Math.max(2, previous + 1); n < 64; n++) {
    if (!hasBit(lo, hi, n) || dump.has(XSAVE_LEAF, n)) continue;
    const size = USUAL_COMPONENT_SIZE.get(n);
    if (first < 0) {
      first = n;
      if (size === undefined || size === r.eax) return n;
    } else if (size === r.eax) {
      return n;
    }
  }
  return first;
}

/** Where leaves 0x0 and 0x80000000 were read, per dump (for messages about the maximum leaves). */
const LEAF_LINES = new WeakMap<CpuidDump, Map<number, number>>();

/** The input line that gave leaf 0x0 or 0x80000000 of a dump a line-oriented reader built, if known. */
export function leafLine(dump: CpuidDump, leaf: number): number | undefined {
  return LEAF_LINES.get(dump)?.get(leaf);
}

/** Most distinct logical CPUs one dump may describe (the largest real dumps hold a few hundred). */
export const MAX_DISTINCT_CPUS = 8192;

/**
 * Starts the next logical CPU of a multi-CPU dump. Repeated identical blocks are folded: when the
 * CPU just finished gave exactly what the one before it gave, both entries share one builder, so a
 * file of one block repeated a million times costs one block's memory. More than
 * {@link MAX_DISTINCT_CPUS} distinct CPUs is an error (bounded cost).
 */
export function addCpu(cpus: CpuBuilder[], next: CpuBuilder, file: string, line: number): void {
  const n = cpus.length;
  let distinct = distinctCount.get(cpus) ?? n;
  if (n >= 2 && cpus[n - 1] !== cpus[n - 2] && cpus[n - 1]!.sameAs(cpus[n - 2]!)) {
    cpus[n - 1] = cpus[n - 2]!;
    distinct--;
  }
  if (distinct >= MAX_DISTINCT_CPUS) throw new InputError({ file, line }, `a dump of at most ${MAX_DISTINCT_CPUS} distinct logical CPUs`, 'more');
  cpus.push(next);
  distinctCount.set(cpus, distinct + 1);
}

/** Distinct builders in a list addCpu fills (folded repeats share one). */
const distinctCount = new WeakMap<CpuBuilder[], number>();
