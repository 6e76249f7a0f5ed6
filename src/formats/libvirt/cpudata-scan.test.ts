/**
 * The libvirt <cpudata> fast path (scanCpudata) against the XML parser: the same dump (entries in
 * order, MSRs, source) and diagnostics, or the same error, on generated dumps, on damaged copies
 * and, when ../shared is there, on libvirt's own test CPUs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex32 } from '../../core/cpuid.js';
import { mutatedText } from '../../test-support/text-mutations.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { libvirtImporter, parseLibvirtXml } from './cpudata-reader.js';
import { scanCpudata } from './cpudata-scan.js';

function outcome(run: () => ReturnType<typeof parseLibvirtXml>) {
  try {
    const r = run();
    return { ok: true, format: r.format, entries: r.dump.list(), msrs: [...r.dump.msrs], source: r.dump.source, cpus: r.cpus.length, diagnostics: r.diagnostics };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function expectSame(text: string): void {
  const ctx = { file: 'cpu.xml' };
  expect(outcome(() => libvirtImporter.parse(text, ctx))).toEqual(outcome(() => parseLibvirtXml(text, ctx)));
}

const h = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
/** Documents in libvirt's layout, from random registers (sometimes with MSRs and comments). */
const documentArb = fc
  .record({
    leaves: fc.array(fc.record({ leaf: fc.oneof(fc.integer({ min: 0, max: 0x20 }), fc.integer({ min: 0x8000_0000, max: 0x8000_0021 })), sub: fc.integer({ min: 0, max: 3 }), r: fc.array(u32, { minLength: 4, maxLength: 4 }) }), { minLength: 1, maxLength: 30 }),
    msrs: fc.array(fc.record({ index: u32, hi: u32, lo: u32 }), { maxLength: 3 }),
    comment: fc.boolean(),
  })
  .map(({ leaves, msrs, comment }) =>
    [
      ...(comment ? ['<!-- Some CPU @ 2.40GHz -->'] : []),
      "<cpudata arch='x86'>",
      ...leaves.map((l) => `  <cpuid eax_in='${hex32(l.leaf)}' ecx_in='${h(l.sub, 2)}' eax='${hex32(l.r[0]!)}' ebx='${hex32(l.r[1]!)}' ecx='${hex32(l.r[2]!)}' edx='${hex32(l.r[3]!)}'/>`),
      ...msrs.map((m) => `  <msr index='${h(m.index, 1)}' edx='${hex32(m.hi)}' eax='${hex32(m.lo)}'/>`),
      '</cpudata>',
      '',
    ].join('\n'),
  );

describe('libvirt <cpudata>: fast path and XML parser agree', () => {
  it('on generated dumps in libvirt layout (duplicates included: the parser warns about them)', () => {
    fc.assert(fc.property(documentArb, (text) => expectSame(text)), { numRuns: 300 });
  });

  it('the scanner takes libvirt layout without duplicates', () => {
    const text = "<!-- x -->\n<cpudata arch='x86'>\n  <cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x0000000d' ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'/>\n  <msr index='0x10a' edx='0x00000000' eax='0x0000000b'/>\n</cpudata>\n";
    expect(scanCpudata(text, 'f')).toBeDefined();
    expectSame(text);
  });

  it('on damaged copies (the same dump or the same error)', () => {
    fc.assert(
      fc.property(documentArb.chain((t) => mutatedText(t)), (text) => expectSame(text)),
      { numRuns: 400 },
    );
  });

  describe.skipIf(!hasShared)("libvirt's test CPUs (needs ../shared)", () => {
    it('every x86_64-cpuid-*.xml raw dump: scanned, and identical to the parser', () => {
      const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
      const files = readdirSync(dir).filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'));
      expect(files.length).toBeGreaterThan(50);
      for (const f of files) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(scanCpudata(text, f), f).toBeDefined();
        expectSame(text);
      }
    });
  });
});
