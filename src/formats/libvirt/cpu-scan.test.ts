/**
 * The libvirt <cpu> fast path (scanLibvirtCpuDefinitions) against the XML parser: the same
 * definitions (names, policies, lines, model, vendor, signature) or the same error, on generated
 * documents in and around virsh's layout, on damaged copies, on the fixtures and, when ../shared
 * is there, on libvirt's own test files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { mutatedText } from '../../test-support/text-mutations.js';
import { readLibvirtCpuDefinitions, readLibvirtCpuDefinitionsXml } from './cpu-reader.js';
import { MAX_SCANNED_ELEMENTS, scanLibvirtCpuDefinitions } from './cpu-scan.js';

function outcome(run: () => unknown): unknown {
  try {
    return { ok: true, definitions: run() };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function expectSame(text: string): void {
  expect(outcome(() => readLibvirtCpuDefinitions(text, 'cpus.xml'))).toEqual(outcome(() => readLibvirtCpuDefinitionsXml(text, 'cpus.xml')));
}

const libvirtNames = catalog.features.flatMap((f) => (typeof f.libvirt === 'string' ? [f.libvirt] : [])).slice(0, 60);
const quoted = (q: string, v: string) => `${q}${v}${q}`;
const q = fc.constantFrom("'", '"');
/** White space between attributes or elements, now and then with a line break or a comment. */
const gap = fc.constantFrom(' ', '  ', '\n  ', '\t', '\n', ' <!-- c -->\n  ');

const featureArb = fc.record({
  name: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...libvirtNames) }, fc.constantFrom('', ' avx', 'no-such', 'a&amp;b', 'x\ty')),
  policy: fc.option(fc.oneof({ weight: 20, arbitrary: fc.constantFrom('require', 'disable', 'force', 'optional', 'forbid') }, fc.constantFrom('bogus', '')), { nil: undefined }),
  q,
  sp: fc.constantFrom(' ', '  ', '\n    '),
  order: fc.boolean(),
});

const childArb = fc.oneof(
  { weight: 30, arbitrary: featureArb.map((f) => {
    const name = `name=${quoted(f.q, f.name)}`;
    if (f.policy === undefined) return `<feature ${name}/>`;
    const policy = `policy=${quoted(f.q, f.policy)}`;
    return `<feature${f.sp}${f.order ? `${policy} ${name}` : `${name} ${policy}`}/>`;
  }) },
  fc.constantFrom('x86_64', 'x86_64', 'i686', 'ppc64', ' x86_64 ', '').map((a) => `<arch>${a}</arch>`),
  fc.record({ m: fc.constantFrom('Skylake-Client-IBRS', 'Westmere', 'EPYC-Rome', '486', 'qemu64', 'Haswell', 'NoSuchModel', '', ' Haswell '), fallback: fc.option(fc.constantFrom('allow', 'forbid'), { nil: undefined }) })
    .map(({ m, fallback }) => (fallback ? `<model fallback='${fallback}'>${m}</model>` : `<model>${m}</model>`)),
  fc.constantFrom('Intel', 'Intel', 'AMD', 'Hygon', 'toString', 'VIA', '').map((v) => `<vendor>${v}</vendor>`),
  fc.record({ family: fc.integer({ min: 0, max: 280 }), model: fc.integer({ min: 0, max: 270 }), stepping: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }) })
    .map((s) => `<signature family='${s.family}' model='${s.model}'${s.stepping === undefined ? '' : ` stepping='${s.stepping}'`}/>`),
  fc.constantFrom("<topology sockets='1' dies='1' cores='4' threads='2'/>", "<microcode version='240'/>", "<counter name='tsc' frequency='2400000000' scaling='no'/>", '<cache level="3" mode="emulate"/>', '<numa><cell id="0"/></numa>', '<model/>'),
);

const cpuArb = fc.record({
  mode: fc.option(fc.oneof({ weight: 10, arbitrary: fc.constantFrom('custom', 'host-model', 'host-passthrough') }, fc.constantFrom(' custom', 'custom\u00a0')), { nil: undefined }),
  children: fc.array(fc.tuple(gap, childArb), { maxLength: 8 }),
  end: gap,
});

/** Documents of one to four <cpu> elements, as virsh writes them and with the variations XML allows. */
const documentArb = fc
  .record({ cpus: fc.array(cpuArb, { minLength: 1, maxLength: 4 }), lead: fc.constantFrom('', '\n', '<!-- hosts -->\n', '<?xml version="1.0"?>\n'), between: gap })
  .map(({ cpus, lead, between }) =>
    lead +
    cpus
      .map((c) => `<cpu${c.mode ? ` mode='${c.mode}'` : ''}>${c.children.map(([g, child]) => `${g}${child}`).join('')}${c.end}</cpu>`)
      .join(between) +
    '\n',
  );

describe('libvirt <cpu>: fast path and XML parser agree', () => {
  it('on generated documents (valid, refused and unusual alike), over a hundred of them scanned', () => {
    let scanned = 0;
    fc.assert(
      fc.property(documentArb, (text) => {
        if (scanLibvirtCpuDefinitions(text, 'cpus.xml')) scanned++;
        expectSame(text);
      }),
      { numRuns: 1000 },
    );
    // About a fifth are scanned (the rest are refused by the reader, or left to the parser).
    expect(scanned).toBeGreaterThan(100);
  });

  it('on damaged copies (the same definitions or the same error)', () => {
    fc.assert(fc.property(documentArb.chain((t) => mutatedText(t)), (text) => expectSame(text)), { numRuns: 500 });
  });

  it("the scanner takes virsh's layout, lines included", () => {
    const text = [
      '<!-- two hosts -->',
      "<cpu mode='custom'>",
      '  <arch>x86_64</arch>',
      "  <model fallback='forbid'>Westmere</model>",
      '  <vendor>Intel</vendor>',
      "  <signature family='6' model='44' stepping='2'/>",
      "  <topology sockets='1' cores='4' threads='2'/>",
      "  <feature name='pcid'/>",
      "  <feature policy='disable' name='x2apic'/>",
      '</cpu>',
      '<cpu>',
      '  <model>Opteron_G2</model>',
      '  <feature',
      "    name='lahf_lm'/>",
      '</cpu>',
      '',
    ].join('\n');
    const defs = scanLibvirtCpuDefinitions(text, 'cpus.xml');
    expect(defs).toEqual([
      { line: 2, kind: 'cpu', mode: 'custom', model: 'Westmere', modelLine: 4, fallback: 'forbid', vendor: 'Intel', signature: { family: 6, model: 44, stepping: 2 }, features: [{ name: 'pcid', policy: undefined, line: 8 }, { name: 'x2apic', policy: 'disable', line: 9 }] },
      { line: 11, kind: 'cpu', mode: undefined, model: 'Opteron_G2', modelLine: 12, fallback: undefined, vendor: undefined, signature: undefined, features: [{ name: 'lahf_lm', policy: undefined, line: 13 }] },
    ]);
    expectSame(text);
  });

  it('leaves to the parser what it does not take: a wrapper element, nesting, entities, a refused value', () => {
    for (const text of [
      "<cpuTest><cpu><model>Westmere</model></cpu></cpuTest>",
      "<cpu><numa><cell id='0'/></numa><model>Westmere</model></cpu>",
      "<cpu><model>West&amp;mere</model></cpu>",
      "<cpu><vendor>toString</vendor><model>Westmere</model></cpu>",
      "<cpu><model>Westmere</model><model>Haswell</model></cpu>",
      "<cpu mode='host-passthrough'/>",
      '<?xml version="1.0"?><cpu><model>Westmere</model></cpu>',
      "<cpu mode=' host-model'><feature name='avx'/></cpu>",
    ]) {
      expect(scanLibvirtCpuDefinitions(text, 'cpus.xml'), text).toBeUndefined();
      expectSame(text);
    }
  });

  it("takes more elements than the XML reader in virsh's layout, up to its own limit, then says so", () => {
    const cpu = (n: number) => `<cpu>\n  <model>Westmere</model>\n${"  <feature name='avx'/>\n".repeat(n)}</cpu>\n`;
    // 200,000 elements: beyond the XML reader's 100,000, read here.
    const big = cpu(999).repeat(200);
    expect(readLibvirtCpuDefinitions(big, 'cpus.xml')).toHaveLength(200);
    expect(() => readLibvirtCpuDefinitionsXml(big, 'cpus.xml')).toThrow(/at most 100000 elements/);
    const tooBig = cpu(999).repeat(MAX_SCANNED_ELEMENTS / 1000 + 1);
    expect(() => readLibvirtCpuDefinitions(tooBig, 'cpus.xml')).toThrow(/^cpus\.xml:\d+: expected an XML document of at most 500000 elements \(libvirt <cpu> definitions in virsh's layout; 100000 in any other\)/);
  });

  it('the fixtures: the same definitions either way', () => {
    const dir = join(__dirname, 'fixtures', 'cpu');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.xml'))) expectSame(readFileSync(join(dir, f), 'utf8'));
  });

  describe.skipIf(!hasShared)("libvirt's test files (needs ../shared)", () => {
    it('every <cpu> file of cputestdata: the same definitions or error either way, and the host CPUs scanned', () => {
      const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
      const files = readdirSync(dir).filter((f) => f.endsWith('.xml') && !/^x86_64-cpuid-[^-]+(-[^-]+)*\.xml$/.test(f) || /-(host|guest|json)\.xml$/.test(f));
      expect(files.length).toBeGreaterThan(100);
      let scanned = 0;
      for (const f of files) {
        const text = readFileSync(join(dir, f), 'utf8');
        if (text.includes('<cpudata')) continue;
        if (scanLibvirtCpuDefinitions(text, 'cpus.xml')) scanned++;
        expectSame(text);
      }
      expect(scanned).toBeGreaterThan(50);
    });
  });
});
