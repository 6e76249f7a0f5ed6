/**
 * libcpuid raw dumps (`cpuid_tool --save=raw.txt`, and the first part of libcpuid's test
 * files): one `name[N]=eax ebx ecx edx` line per answer, lower-case hex.
 *
 *     basic_cpuid[7]=00000000 219c91a9 00400004 00000000     leaf N, subleaf 0
 *     ext_cpuid[1]=00830f10 40000000 75c237ff 2fd3fbff       leaf 0x80000000 + N
 *     intel_fn4[2]=...  intel_fn11[1]=...                    leaf 4 / 11 (decimal), subleaf N
 *     intel_fn12h[0]=...  amd_fn8000001dh[3]=...             leaf 0x12 / 0x8000001D (hex), subleaf N
 *
 * Multi-CPU dumps separate logical CPUs with `____ Logical CPU #N ____` lines. In libcpuid's test files
 * a line of dashes ends the raw dump (the expected decode follows); reading stops there.
 */
import type { Diagnostic } from '../../core/errors.js';
import { InputError } from '../../core/errors.js';
import { CpuBuilder, addCpu } from '../common/cpu-builder.js';
import { buildResult } from '../common/multi-cpu.js';
import { forEachLine, lineText, skipBlanks } from '../common/scan.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';

const ENTRY = /^([a-z][a-z0-9_]*)\[(\d{1,7})\][ \t]*=[ \t]*([0-9a-fA-F]{1,8})[ \t]+([0-9a-fA-F]{1,8})[ \t]+([0-9a-fA-F]{1,8})[ \t]+([0-9a-fA-F]{1,8})$/;
/** `intel_fn4`, `intel_fn11` (decimal leaf) and `intel_fn12h`, `amd_fn8000001dh` (hex leaf, `h` suffix). */
const FN_KEY = /^(?:intel|amd)_fn([0-9a-f]{1,8}?)(h?)$/;
const CPU_SEPARATOR = /^_+[ \t]*Logical CPU #\d+[ \t]*_+$/;
const SETTING = /^[a-z_]+=/;
/** libcpuid's test files: a line of dashes ends the raw section; expected decode values follow. */
const END_OF_RAW = /^-{10,}[ \t]*\r?$/m;
const SNIFF = /^(?:basic_cpuid|ext_cpuid)\[\d+\]=/m;
const SNIFF_WEAK = /^(?:intel|amd)_fn[0-9a-f]+h?\[\d+\]=/m;

const EXAMPLE = '"basic_cpuid[1]=000306a9 00100800 7f9ae3bf bfebfbff"';

/** Leaf and subleaf of a libcpuid key, or undefined for a key this importer does not know. */
function locate(name: string, index: number): { leaf: number; subleaf: number } | undefined {
  if (name === 'basic_cpuid') return { leaf: index, subleaf: 0 };
  if (name === 'ext_cpuid') return { leaf: 0x8000_0000 + index, subleaf: 0 };
  const m = FN_KEY.exec(name);
  if (!m) return undefined;
  const leaf = m[2] === 'h' ? Number.parseInt(m[1]!, 16) : Number.parseInt(m[1]!, 10);
  return Number.isSafeInteger(leaf) && leaf <= 0xffff_ffff ? { leaf, subleaf: index } : undefined;
}

export const libcpuidImporter: Importer = {
  format: 'libcpuid',
  description: 'libcpuid raw dumps (`cpuid_tool --save`: "basic_cpuid[N]=eax ebx ecx edx" lines)',

  sniff(head: string): number {
    if (SNIFF.test(head)) return 0.95;
    return SNIFF_WEAK.test(head) ? 0.8 : 0;
  },

  parse(text: string, ctx: ImportContext): ImportResult {
    const file = ctx.file;
    const diagnostics: Diagnostic[] = [];
    const cpus: CpuBuilder[] = [];
    let current: CpuBuilder | undefined;
    const unknown = new Map<string, number>();
    const end = END_OF_RAW.exec(text);
    if (end) {
      const line = text.slice(0, end.index).split('\n').length;
      text = text.slice(0, end.index);
      diagnostics.push({ level: 'info', message: 'the raw dump ends at a line of dashes (a libcpuid test file): what follows is not read', where: { file, line } });
    }

    forEachLine(text, (start, end, line) => {
      const p = skipBlanks(text, start, end);
      if (p >= end) return;
      const s = lineText(text, p, end);
      const m = ENTRY.exec(s);
      if (!m) {
        if (CPU_SEPARATOR.test(s)) current = undefined;
        else if (!SETTING.test(s)) throw new InputError({ file, line }, `a libcpuid raw line like ${EXAMPLE}`, s);
        return; // `version=...` and other settings carry no CPUID data
      }
      const where = locate(m[1]!, Number(m[2]));
      if (!where) {
        if (!unknown.has(m[1]!)) unknown.set(m[1]!, line);
        return;
      }
      if (!current || (where.leaf === 0 && where.subleaf === 0 && current.hasLeaf0)) {
        current = new CpuBuilder({ format: 'libcpuid', path: file, lossy: false, cpu: cpus.length }, file, line);
        addCpu(cpus, current, file, line);
      }
      const r = (i: number): number => Number.parseInt(m[i]!, 16);
      current.add(where.leaf, where.subleaf, r(3), r(4), r(5), r(6), line);
    });

    if (cpus.length === 0) throw new InputError({ file }, `libcpuid raw lines like ${EXAMPLE}`, '');
    if (unknown.size > 0) {
      diagnostics.push({
        level: 'warning',
        message: `unknown libcpuid entries ignored: ${[...unknown.keys()].join(', ')}`,
        where: { file, line: [...unknown.values()][0]! },
      });
    }
    return buildResult('libcpuid', file, cpus, diagnostics);
  },
};
