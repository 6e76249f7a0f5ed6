/**
 * The fast path for libvirt `<cpudata>`: a scanner for the fixed shape libvirt writes
 * (tests/cputestdata, `virsh`-era dumps), without an XML parser and without allocating per value:
 *
 *   <!-- optional comments -->
 *   <cpudata arch='x86'>
 *     <cpuid eax_in='0x…' ecx_in='0x…' eax='0x…' ebx='0x…' ecx='0x…' edx='0x…'/>
 *     <msr index='0x…' edx='0x…' eax='0x…'/>
 *   </cpudata>
 *
 * Anything else (another attribute order or quote, a processing instruction, entities, a
 * duplicate leaf, an error) returns undefined and the XML parser reads the document, with its
 * messages and warnings; cpudata-scan.test.ts checks that both give identical results.
 */
import { CpuidDump, SUBLEAF_LIMIT } from '../../core/cpuid.js';

/** The dump the generic reader would build, or undefined when the text is not exactly the common shape. */
export function scanCpudata(src: string, file: string): CpuidDump | undefined {
  let p = 0;
  const n = src.length;
  const ws = () => {
    for (let c = src.charCodeAt(p); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = src.charCodeAt(++p));
  };
  const lit = (s: string): boolean => {
    if (!src.startsWith(s, p)) return false;
    p += s.length;
    return true;
  };
  /** Comments and white space (before and after the root). */
  const misc = (): boolean => {
    for (;;) {
      ws();
      if (!src.startsWith('<!--', p)) return true;
      const end = src.indexOf('-->', p + 4);
      if (end < 0 || src.indexOf('--', p + 4) !== end) return false; // `--` inside a comment: let the parser judge
      p = end + 3;
    }
  };
  /** `'0x` + 1 to 8 lower-case hex digits + `'`, as a number; -1 otherwise. */
  const hex = (): number => {
    if (src.charCodeAt(p) !== 0x27 || src.charCodeAt(p + 1) !== 0x30 || src.charCodeAt(p + 2) !== 0x78) return -1;
    let i = p + 3;
    let v = 0;
    for (; i < n; i++) {
      const c = src.charCodeAt(i);
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d < 0) break;
      v = v * 16 + d;
    }
    const digits = i - (p + 3);
    if (digits < 1 || digits > 8 || src.charCodeAt(i) !== 0x27) return -1;
    p = i + 1;
    return v;
  };

  if (!misc() || !lit("<cpudata arch='x86'>")) return undefined;
  const dump = new CpuidDump({ format: 'libvirt', path: file, lossy: false });
  const msrs: [number, bigint][] = [];
  let sawMsr = false;
  let cpuids = 0;
  for (;;) {
    ws();
    if (lit("<cpuid eax_in=")) {
      const leaf = hex();
      if (leaf < 0 || !lit(' ecx_in=')) return undefined;
      const subleaf = hex();
      if (subleaf < 0 || subleaf >= SUBLEAF_LIMIT || !lit(' eax=')) return undefined;
      const eax = hex();
      if (eax < 0 || !lit(' ebx=')) return undefined;
      const ebx = hex();
      if (ebx < 0 || !lit(' ecx=')) return undefined;
      const ecx = hex();
      if (ecx < 0 || !lit(' edx=')) return undefined;
      const edx = hex();
      if (edx < 0 || !lit('/>')) return undefined;
      // The generic reader sets every <cpuid> before any <msr>; a later leaf among MSRs is unusual: parser.
      if (sawMsr || dump.has(leaf, subleaf)) return undefined; // a duplicate: the parser's warning names both lines
      dump.set(leaf, subleaf, { eax, ebx, ecx, edx });
      cpuids++;
    } else if (lit('<msr index=')) {
      const index = hex();
      if (index < 0 || !lit(' edx=')) return undefined;
      const hi = hex();
      if (hi < 0 || !lit(' eax=')) return undefined;
      const lo = hex();
      if (lo < 0 || !lit('/>')) return undefined;
      if (msrs.some(([i]) => i === index)) return undefined;
      sawMsr = true;
      msrs.push([index, (BigInt(hi) << 32n) | BigInt(lo)]);
    } else if (lit('</cpudata>')) {
      break;
    } else {
      return undefined;
    }
  }
  if (!misc() || p !== n || cpuids === 0) return undefined;
  for (const [index, value] of msrs) dump.msrs.set(index, value);
  return dump;
}
