/**
 * InstLatx64 / AIDA64 CPUID dumps: the largest public collection of real CPUID data.
 *
 * The data lines look like `CPUID 00000007: 00000002-F3BFBFFB-BB417FEE-FFDD4430 [SL 00]`.
 * Around them, dumps come in several layouts that differ only in how they separate logical
 * CPUs: AIDA64 section headers (`------[ Logical CPU #N ]------`, `------[ CPUID Registers /
 * Logical CPU #N ]------`), old AIDA's `CPUID Registers (CPU #N):`, InstLatX64's own
 * `CPU#000 AffMask: ...` and `Group: 0x00 Affinity mask: ...`, or nothing at all, where a
 * new `CPUID 00000000` line starts the next CPU. Every other line (versions, CPU info,
 * cache summaries, MSR sections, `allcpu:` lines) is skipped.
 *
 * Tolerated variants: `CPUID X: `, `CPUID X  <tab>`, `CPUID X `, `CPUID X : `; registers
 * separated by `-` or blanks; either case of hex; bracketed trailers (`[GenuineIntel]`,
 * `[L2U: 2 MB]`, brand text). `[SL xx]` gives the subleaf in hex; without it the subleaf is
 * inferred (see cpu-builder.ts).
 */
import type { Diagnostic } from '../../core/errors.js';
import { InputError } from '../../core/errors.js';
import { CpuBuilder, addCpu } from '../common/cpu-builder.js';
import { buildResult } from '../common/multi-cpu.js';
import { forEachLine, hexAt, hexDigit, hexRun, isBlank, lineText, skipBlanks } from '../common/scan.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';

const C_UPPER = 67; // 'C'
const G_UPPER = 71; // 'G'
const DASH = 45; // '-'
const COLON = 58; // ':'
const BRACKET = 91; // '['

const DATA_LINE = /^[ \t]*CPUID[ \t]+[0-9A-Fa-f]{8}[ \t:]/m;
const CPU_HEADER = /^(------\[ (CPUID Registers \/ )?Logical CPU #\d+|CPUID Registers \(CPU #\d+|CPU#\d+ AffMask:|Group: 0x[0-9A-Fa-f]+ Affinity mask:)/m;

/** InstLatX64's own dumper: `CPU#000 AffMask: 0x0000000000000001` and `Group: 0x00 Affinity mask: 0x...`. */
const AFFMASK_HEADER = /^CPU#\d+ AffMask:/;
const GROUP_HEADER = /^Group: 0x[0-9A-Fa-f]+ Affinity mask:/;

const EXPECTED_REGISTERS = 'four 8-digit hex registers after the leaf (EAX-EBX-ECX-EDX)';

/** Parses one dump; `regs` is reused for the four register values of each line. */
class Parser {
  readonly diagnostics: Diagnostic[] = [];
  readonly cpus: CpuBuilder[] = [];
  private current: CpuBuilder | undefined;
  private readonly regs = [0, 0, 0, 0];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  run(): void {
    forEachLine(this.text, (start, end, line) => this.line(start, end, line));
  }

  private line(start: number, end: number, line: number): void {
    const text = this.text;
    const p = skipBlanks(text, start, end);
    if (p >= end) return;
    const c = text.charCodeAt(p);
    if (c === C_UPPER) {
      if (text.startsWith('CPUID', p) && p + 5 < end && isBlank(text.charCodeAt(p + 5))) {
        const h = skipBlanks(text, p + 5, end);
        const digits = hexRun(text, h, end);
        const after = h + digits;
        if (digits > 0 && (after === end || isBlank(text.charCodeAt(after)) || text.charCodeAt(after) === COLON)) {
          this.data(start, end, line, h, digits);
          return;
        }
        if (text.startsWith('Registers (CPU #', h)) this.current = undefined; // old AIDA64 header
        // `CPUID 0000000G: …`: a leaf line with a damaged leaf, not a `CPUID Manufacturer : …` line.
        else if (DAMAGED_LEAF.test(text.slice(h, Math.min(end, h + 12)))) {
          throw new InputError({ file: this.file, line }, 'an 8-digit hex leaf after "CPUID"', lineText(text, start, end));
        }
        return; // `CPUID Manufacturer : ...` and other key/value lines
      }
      if (text.startsWith('CPU#', p) && AFFMASK_HEADER.test(text.slice(p, end))) this.current = undefined;
      return;
    }
    // Any AIDA64 section header ends the current CPU: `Logical CPU #N` and `CPUID Registers /
    // Logical CPU #N` start the next one, the others (MSR registers, All CPUs, ...) hold no CPUID lines.
    if (c === DASH && text.startsWith('------[', p)) this.current = undefined;
    else if (c === G_UPPER && text.startsWith('Group:', p) && GROUP_HEADER.test(text.slice(p, end))) this.current = undefined;
  }

  /** A `CPUID <leaf>` line: leaf at `h` (`digits` hex digits), registers after it. */
  private data(start: number, end: number, line: number, h: number, digits: number): void {
    const text = this.text;
    if (digits !== 8) {
      throw new InputError({ file: this.file, line }, 'an 8-digit hex leaf after "CPUID"', lineText(text, start, end));
    }
    const leaf = hexAt(text, h, 8);
    let p = h + 8;
    while (p < end && (isBlank(text.charCodeAt(p)) || text.charCodeAt(p) === COLON)) p++;
    const regs = this.regs;
    for (let r = 0; r < 4; r++) {
      if (r > 0) {
        const sep = p;
        if (p < end && text.charCodeAt(p) === DASH) p++;
        else p = skipBlanks(text, p, end);
        if (p === sep) throw new InputError({ file: this.file, line }, EXPECTED_REGISTERS, lineText(text, start, end));
      }
      const v = hexAt(text, p, 8);
      if (v < 0) throw new InputError({ file: this.file, line }, EXPECTED_REGISTERS, lineText(text, start, end));
      regs[r] = v;
      p += 8;
    }
    if (p < end && !isBlank(text.charCodeAt(p)) && text.charCodeAt(p) !== BRACKET) {
      throw new InputError({ file: this.file, line }, EXPECTED_REGISTERS, lineText(text, start, end));
    }
    const subleaf = this.subleafTag(p, start, end, line);

    let cpu = this.current;
    if (!cpu || (leaf === 0 && cpu.hasLeaf0)) {
      cpu = new CpuBuilder({ format: 'instlatx64', path: this.file, lossy: false, cpu: this.cpus.length }, this.file, line);
      addCpu(this.cpus, cpu, this.file, line);
      this.current = cpu;
    }
    cpu.add(leaf, subleaf, regs[0]!, regs[1]!, regs[2]!, regs[3]!, line);
  }

  /** `[SL xx]` right after the registers: the subleaf in hex. Other trailers are decoder hints. */
  private subleafTag(p: number, start: number, end: number, line: number): number | undefined {
    const text = this.text;
    p = skipBlanks(text, p, end);
    if (!text.startsWith('[SL', p)) return undefined;
    const h = skipBlanks(text, p + 3, end);
    const digits = hexRun(text, h, end);
    const close = skipBlanks(text, h + digits, end);
    if (digits === 0 || digits > 8 || close >= end || text.charCodeAt(close) !== 93 /* ] */) {
      throw new InputError({ file: this.file, line }, 'a hex subleaf in "[SL xx]"', lineText(text, start, end));
    }
    let v = 0;
    for (let i = 0; i < digits; i++) v = v * 16 + hexDigit(text.charCodeAt(h + i));
    return v;
  }
}

/** Eight characters, the first a digit, then a colon: a leaf that does not parse (labels are words). */
const DAMAGED_LEAF = /^[0-9][0-9A-Za-z]{7}[ \t]*:/;

export const instlatx64Importer: Importer = {
  format: 'instlatx64',
  description: 'InstLatx64 / AIDA64 text dumps ("CPUID 00000001: EAX-EBX-ECX-EDX" lines, one block per logical CPU)',

  sniff(head: string): number {
    if (DATA_LINE.test(head)) return CPU_HEADER.test(head) ? 0.95 : 0.9;
    if (CPU_HEADER.test(head) || head.includes('------[ CPU Info ]------')) return 0.5;
    return 0;
  },

  parse(text: string, ctx: ImportContext): ImportResult {
    const parser = new Parser(text, ctx.file);
    parser.run();
    if (parser.cpus.length === 0) {
      throw new InputError({ file: ctx.file }, 'at least one "CPUID <leaf>: EAX-EBX-ECX-EDX" line (InstLatx64/AIDA64 dump)', '');
    }
    return buildResult('instlatx64', ctx.file, parser.cpus, parser.diagnostics);
  },
};
