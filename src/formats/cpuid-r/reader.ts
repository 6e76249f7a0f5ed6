/**
 * Raw output of Todd Allen's `cpuid` tool (`cpuid -r`, `cpuid -1 -r`), the usual way Linux
 * users capture CPUID:
 *
 *     CPU 0:
 *        0x00000007 0x00: eax=0x00000000 ebx=0x219c91a9 ecx=0x00400004 edx=0x00000000
 *
 * `cpuid -r` prints a `CPU N:` header per logical CPU, `cpuid -1 -r` a single `CPU:`. Older
 * releases print no subleaf column (`0x00000004: eax=...`) and repeat the leaf instead; those
 * subleaves are inferred like InstLatx64's (see cpu-builder.ts).
 */
import type { Diagnostic } from '../../core/errors.js';
import { InputError } from '../../core/errors.js';
import { CpuBuilder, addCpu } from '../common/cpu-builder.js';
import { buildResult } from '../common/multi-cpu.js';
import { forEachLine, lineText, skipBlanks } from '../common/scan.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';

const LEAF_LINE = /^[ \t]*0x([0-9a-fA-F]{8})(?:[ \t]+0x([0-9a-fA-F]{1,8}))?:[ \t]+eax=0x([0-9a-fA-F]{8})[ \t]+ebx=0x([0-9a-fA-F]{8})[ \t]+ecx=0x([0-9a-fA-F]{8})[ \t]+edx=0x([0-9a-fA-F]{8})[ \t]*$/;
const CPU_HEADER = /^CPU(?:[ \t]+\d+)?:[ \t]*$/;
const SNIFF_LEAF_LINE = /^[ \t]*0x[0-9a-fA-F]{8}(?:[ \t]+0x[0-9a-fA-F]{1,8})?:[ \t]+eax=0x/m;
const SNIFF_HEADER = /^CPU(?: \d+)?:[ \t]*$/m;

const EXAMPLE = '"   0x00000007 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000"';

export const cpuidToolImporter: Importer = {
  format: 'cpuid-r',
  description: 'raw output of the `cpuid` tool (`cpuid -r` or `cpuid -1 -r`)',

  sniff(head: string): number {
    if (SNIFF_LEAF_LINE.test(head)) return 0.95;
    return SNIFF_HEADER.test(head) ? 0.3 : 0;
  },

  parse(text: string, ctx: ImportContext): ImportResult {
    const file = ctx.file;
    const diagnostics: Diagnostic[] = [];
    const cpus: CpuBuilder[] = [];
    let current: CpuBuilder | undefined;
    const skipped: number[] = [];
    let firstSkipped = '';

    forEachLine(text, (start, end, line) => {
      const p = skipBlanks(text, start, end);
      if (p >= end) return;
      const s = lineText(text, start, end);
      if (text.startsWith('0x', p)) {
        const m = LEAF_LINE.exec(s);
        if (!m) throw new InputError({ file, line }, `a raw CPUID line like ${EXAMPLE}`, s);
        const leaf = Number.parseInt(m[1]!, 16);
        const subleaf = m[2] === undefined ? undefined : Number.parseInt(m[2], 16);
        if (!current || (leaf === 0 && current.hasLeaf0)) {
          current = new CpuBuilder({ format: 'cpuid-r', path: file, lossy: false, cpu: cpus.length }, file, line);
          addCpu(cpus, current, file, line);
        }
        const r = (i: number): number => Number.parseInt(m[i]!, 16);
        current.add(leaf, subleaf, r(3), r(4), r(5), r(6), line);
      } else if (CPU_HEADER.test(s)) {
        current = undefined;
      } else {
        if (skipped.length === 0) firstSkipped = s;
        skipped.push(line);
      }
    });

    if (cpus.length === 0) {
      throw new InputError(
        { file },
        `raw lines like ${EXAMPLE} (run \`cpuid -r\`; decoded \`cpuid\` output cannot be read back)`,
        firstSkipped,
      );
    }
    if (skipped.length > 0) {
      diagnostics.push({
        level: 'info',
        message: `${skipped.length === 1 ? '1 line that is' : `${skipped.length} lines that are`} not \`cpuid -r\` output ignored`,
        where: { file, line: skipped[0]! },
      });
    }
    return buildResult('cpuid-r', file, cpus, diagnostics);
  },
};

