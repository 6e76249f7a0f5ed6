/**
 * libvirt's raw CPUID dump: `<cpudata arch='x86'>` holding one `<cpuid eax_in ecx_in eax ebx ecx edx/>`
 * element per (leaf, subleaf) and optional `<msr index eax edx/>` elements (IA32_ARCH_CAPABILITIES...).
 * libvirt's own test suite (tests/cputestdata) keeps 61 real CPUs in this shape, which makes it the
 * main oracle for decoding; people also produce it with libvirt's cpu-data script on their hosts.
 *
 * XML reading (validation, element positions for messages) is shared with the `<cpu>` importer in
 * xml.ts, so a bad attribute on the 40th `<cpuid>` is reported at its own line. The leading comment
 * with the brand string is ignored (the brand is in leaves 0x80000002..4 anyway).
 */
import { CpuidDump, hexLeaf, SUBLEAF_LIMIT } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { withoutBom } from '../common/text-position.js';
import { scanCpudata } from './cpudata-scan.js';
import { ATTR, isElement, ordinal, parseXml, startOf } from '../common/xml.js';
import type { XmlDocument, XmlElement } from '../common/xml.js';

/** A cpudata document is two levels deep; anything far deeper is not one (and deep nesting is costly to parse). */
const MAX_DEPTH = 8;

/** Parses `0x`-prefixed hex (the only form libvirt writes) of a 32-bit value. */
function parseHex32(value: string): number | undefined {
  const m = /^\s*0x0*([0-9a-f]+)\s*$/i.exec(value);
  if (!m || m[1]!.length > 8) return undefined;
  return Number.parseInt(m[1]!, 16);
}

/** One 32-bit hex attribute of the nth element called `tag`; throws an InputError naming its line when missing or bad. */
function hexAttr(r: XmlDocument, el: XmlElement, tag: string, n: number, name: string, fallback?: number): number {
  const raw = el[ATTR + name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const what = `the ${ordinal(n)} <${tag}> element to have ${name}='0x…' (hexadecimal, at most 8 digits)`;
  if (typeof raw !== 'string') throw new InputError(r.where(el), what, r.tagAt(startOf(el)));
  const v = parseHex32(raw);
  if (v === undefined) throw new InputError(r.where(el), what, `${name}='${raw}'`);
  return v;
}

function parseLibvirt(text: string, ctx: ImportContext): ImportResult {
  const src = withoutBom(text);
  const fast = scanCpudata(src, ctx.file);
  if (fast) return { format: 'libvirt', dump: fast, cpus: [fast], diagnostics: [] };
  return parseLibvirtXml(src, ctx);
}

/** The generic path: the XML parser, with its messages and warnings (what the fast path must agree with). */
export function parseLibvirtXml(text: string, ctx: ImportContext): ImportResult {
  const src = withoutBom(text);
  if (src.trim() === '') throw new InputError({ file: ctx.file, line: 1 }, "a libvirt <cpudata arch='x86'> document", '');
  const r = parseXml(src, ctx.file, {
    maxDepth: MAX_DEPTH,
    depthNote: 'a <cpudata> dump is 2 deep',
    namesNote: 'the element and attribute names of a <cpudata> dump (cpuid, msr, eax_in, ...)',
  });
  const diagnostics: Diagnostic[] = [];

  const roots = r.roots();
  if (roots.length === 0) throw new InputError({ file: ctx.file, line: 1 }, "a <cpudata arch='x86'> root element", '');
  const [rootName, root] = roots[0]!;
  if (rootName !== 'cpudata') {
    throw new InputError(r.where(root), "a <cpudata arch='x86'> root element (libvirt's raw CPUID dump)", `<${rootName}>`);
  }
  if (roots.length > 1) {
    const [name, el] = roots[1]!;
    throw new InputError(r.where(el), `a single root element <cpudata>, not a second one <${name}>`, r.tagAt(startOf(el)));
  }
  const arch = root[`${ATTR}arch`];
  if (arch !== undefined && arch !== 'x86') throw new InputError(r.where(root), "<cpudata arch='x86'>", `arch='${String(arch)}'`);

  const dump = new CpuidDump({ format: 'libvirt', path: ctx.file, lossy: false });
  const cpuidLines = new Map<string, number>();
  const msrLines = new Map<number, number>();
  let cpuidCount = 0;

  const stray = root['#text'];
  if (typeof stray === 'string' && stray.trim() !== '') {
    const at = r.strayTextOffset(root);
    throw new InputError({ file: ctx.file, line: r.lines.lineOf(at) }, 'only <cpuid> and <msr> elements inside <cpudata>', stray.trim());
  }

  for (const [name, value] of Object.entries(root)) {
    if (name.startsWith(ATTR) || name === '#text') continue;
    const elements = (Array.isArray(value) ? value : [value]).filter(isElement);
    if (name === 'cpuid') {
      elements.forEach((el, i) => {
        const n = i + 1;
        const leaf = hexAttr(r, el, 'cpuid', n, 'eax_in');
        const subleaf = hexAttr(r, el, 'cpuid', n, 'ecx_in', 0);
        if (subleaf >= SUBLEAF_LIMIT) {
          const what = `the ${ordinal(n)} <cpuid> element to have ecx_in below ${hexLeaf(SUBLEAF_LIMIT)}`;
          throw new InputError(r.where(el), what, `ecx_in='${String(el[`${ATTR}ecx_in`])}'`);
        }
        const regs = {
          eax: hexAttr(r, el, 'cpuid', n, 'eax'),
          ebx: hexAttr(r, el, 'cpuid', n, 'ebx'),
          ecx: hexAttr(r, el, 'cpuid', n, 'ecx'),
          edx: hexAttr(r, el, 'cpuid', n, 'edx'),
        };
        const line = r.where(el).line;
        const key = `${leaf}.${subleaf}`;
        const before = cpuidLines.get(key);
        if (before !== undefined) {
          diagnostics.push({
            level: 'warning',
            message: `leaf ${hexLeaf(leaf)} subleaf ${subleaf} appears twice (lines ${before} and ${line}): the later one is used`,
            where: { file: ctx.file, line },
          });
        }
        cpuidLines.set(key, line);
        dump.set(leaf, subleaf, regs);
        cpuidCount++;
      });
    } else if (name === 'msr') {
      elements.forEach((el, i) => {
        const n = i + 1;
        const index = hexAttr(r, el, 'msr', n, 'index');
        // A 64-bit MSR is written as two 32-bit halves: edx the high one, eax the low one.
        const value64 = (BigInt(hexAttr(r, el, 'msr', n, 'edx')) << 32n) | BigInt(hexAttr(r, el, 'msr', n, 'eax'));
        const line = r.where(el).line;
        const before = msrLines.get(index);
        if (before !== undefined) {
          diagnostics.push({
            level: 'warning',
            message: `MSR ${hexLeaf(index)} appears twice (lines ${before} and ${line}): the later one is used`,
            where: { file: ctx.file, line },
          });
        }
        msrLines.set(index, line);
        dump.msrs.set(index, value64);
      });
    } else {
      for (const el of elements) {
        const where = r.where(el);
        diagnostics.push({ level: 'warning', message: `ignored <${name}> (a <cpudata> dump holds only <cpuid> and <msr>)`, where });
      }
    }
  }

  if (cpuidCount === 0) {
    const what = "at least one <cpuid eax_in='…' ecx_in='…' eax='…' ebx='…' ecx='…' edx='…'/> element in <cpudata>";
    throw new InputError(r.where(root), what, '');
  }
  return { format: 'libvirt', dump, cpus: [dump], diagnostics };
}

export const libvirtImporter: Importer = {
  format: 'libvirt',
  description: "libvirt raw CPUID dump: <cpudata arch='x86'> with <cpuid> and <msr> elements (libvirt tests/cputestdata)",
  sniff(head: string): number {
    if (/<cpudata[\s>]/.test(head)) return 0.95;
    if (/<cpuid\s+eax_in\s*=/.test(head)) return 0.7;
    return 0;
  },
  parse: parseLibvirt,
};
