import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { QEMU_MODELS_SOURCE } from '../../data/qemu-models.js';
import { modelTable11_3 } from '../../test-support/models-11-3.js';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { decodeHost } from '../../core/host.js';
import { identify } from '../../core/identity.js';
import { builtinModels, expandModel, findModel, guestModel, hostModel, libvirtNames } from '../../core/models.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { detectFormat } from '../readers.js';
import { allHosts, selectHost } from '../select-host.js';
import { libvirtCpuImporter, readLibvirtCpuDefinitions, readLibvirtCpus } from './cpu-reader.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'cpu');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const parse = (text: string, file = 'in.xml') => libvirtCpuImporter.parse(text, { file });
const errorOf = (text: string): string => inputErrorMessage(() => parse(text));
const known = builtinModels().known;

describe('libvirt <cpu> importer', () => {
  for (const name of ['capabilities', 'domcapabilities', 'domain', 'two-cpus']) {
    it(`imports ${name}.xml (golden)`, () => {
      expectGolden(renderImport(parse(fixture(`${name}.xml`), `${name}.xml`)), join(FIXTURES, `${name}.expected.txt`));
    });
  }

  it('is detected apart from <cpudata> dumps', () => {
    for (const name of ['domain', 'two-cpus']) expect(detectFormat(fixture(`${name}.xml`)), name).toBe('libvirt-cpu');
    // Whole virsh documents have their own readers (src/formats/virsh-*); --format libvirt-cpu still reads them.
    expect(detectFormat(fixture('capabilities.xml'))).toBe('virsh-capabilities');
    expect(detectFormat(fixture('domcapabilities.xml'))).toBe('virsh-domcapabilities');
    expect(detectFormat("<cpudata arch='x86'>\n  <cpuid eax_in='0x0' ecx_in='0x0' eax='0xd' ebx='0x0' ecx='0x0' edx='0x0'/>\n</cpudata>")).toBe('libvirt');
    expect(libvirtCpuImporter.sniff('CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69')).toBe(0);
  });

  it("finds the host CPU of capabilities, domcapabilities' host-model and a domain's CPU, and nothing else", () => {
    const caps = readLibvirtCpuDefinitions(fixture('capabilities.xml'), 'c.xml');
    expect(caps.map((d) => [d.kind, d.model, d.line])).toEqual([['cpu', 'Skylake-Client-noTSX-IBRS', 5]]);
    const dom = readLibvirtCpuDefinitions(fixture('domcapabilities.xml'), 'd.xml');
    expect(dom.map((d) => [d.kind, d.model, d.vendor])).toEqual([['host-model', 'EPYC-Rome', 'AMD']]);
    expect(readLibvirtCpuDefinitions(fixture('domain.xml'), 'x.xml').map((d) => [d.mode, d.model, d.fallback])).toEqual([['custom', 'Cascadelake-Server-noTSX', 'allow']]);
  });

  it('expands the model and applies the policies: force/require/optional add, disable/forbid remove', () => {
    const [cpu] = readLibvirtCpus(fixture('domain.xml'), 'domain.xml');
    const expected = expandModel('Cascadelake-Server-noTSX');
    for (const name of ['ss', 'umip', 'invtsc']) expected.add(catalog.resolve(name, 'libvirt')!);
    for (const name of ['mpx', 'avx512vnni']) expected.delete(catalog.resolve(name, 'libvirt')!);
    expect(cpu!.features.ids()).toEqual(expected.ids());
    expect(cpu!.vendor).toBe('intel');
  });

  it('rebuilds a dump that decodes to exactly the CPU it describes, with its vendor and signature', () => {
    for (const name of ['capabilities', 'domcapabilities', 'domain', 'two-cpus']) {
      const text = fixture(`${name}.xml`);
      const cpus = readLibvirtCpus(text, name);
      const r = parse(text, name);
      expect(r.cpus).toHaveLength(cpus.length);
      r.cpus.forEach((dump, i) => {
        expect(dump.source).toMatchObject({ format: 'libvirt-cpu', lossy: true });
        const decoded = catalog.decode(dump);
        expect(decoded.intersection(known).ids(), name).toEqual(cpus[i]!.features.intersection(known).ids());
        // Beyond what libvirt names, only the XSAVE state the features need.
        expect(decoded.minus(cpus[i]!.features).ids().every((id) => id.startsWith('xsave_')), name).toBe(true);
      });
    }
    const caps = parse(fixture('capabilities.xml')).dump;
    expect(identify(caps)).toMatchObject({ vendor: 'intel', family: 6, model: 158, stepping: 13 });
    // The host's own decode gives the model it was described with back, and the x86-64 level its AVX2 and XSAVE state make.
    expect(hostModel(decodeHost(caps))!.model.name).toBe('Skylake-Client-v3');
    expect(decodeHost(caps).level).toBe(3);
  });

  it("reads a file of several <cpu> definitions (virsh cpu-baseline's input) as so many machines, never as one host's CPUs", () => {
    // No brand string and no signature: nothing but the file's layout tells the definitions apart.
    const cpu = (model: string, features: string[]) => `<cpu>\n  <arch>x86_64</arch>\n  <model>${model}</model>\n  <vendor>Intel</vendor>\n${features.map((f) => `  <feature name='${f}'/>\n`).join('')}</cpu>\n`;
    const text = cpu('Nehalem', ['pclmuldq', 'aes']) + cpu('Nehalem', []) + cpu('Nehalem', ['aes']);
    const r = parse(text, 'cpus.xml');
    expect(r.cpus).toHaveLength(3);
    expect(() => selectHost(r, { file: 'cpus.xml' })).toThrow(/its 3 CPU blocks are 3 different machines \(one per <cpu> definition\).*`--split` \(baseline, mask\) reads each machine as a host/);
    expect(() => allHosts(r, { file: 'cpus.xml' })).toThrow(/--split/);
    const hosts = allHosts(r, { file: 'cpus.xml', split: true });
    expect(hosts.map((h) => h.file)).toEqual(['cpus.xml#1', 'cpus.xml#2', 'cpus.xml#3']);
    expect(hosts.map((h) => ['aes', 'pclmulqdq'].filter((f) => decodeHost(h.dump).features.has(f)))).toEqual([['aes', 'pclmulqdq'], [], ['aes']]);
    // One chosen definition is still one host; FILE#N names a machine as --split names it.
    expect(selectHost(r, { file: 'cpus.xml', cpu: 2 }).dump).toBe(r.cpus[2]);
    expect(selectHost(r, { file: 'cpus.xml', host: '2' })).toMatchObject({ file: 'cpus.xml#2', dump: r.cpus[1] });
    expect(() => selectHost(r, { file: 'cpus.xml', host: '4' })).toThrow('cpus.xml: no machine #4 (the file holds 3: cpus.xml#1 to cpus.xml#3)');
    // The file's own notes go with the first machine.
    expect(hosts[0]!.diagnostics.map((d) => d.message)).toEqual([...r.diagnostics.map((d) => d.message), 'cpus.xml: machine 1 of 3 (libvirt CPU definition: Nehalem +2), CPU 0 of the file']);
  });

  it('takes a missing vendor from the model, and says so; a CPU without vendor or signature keeps leaf 0 out', () => {
    const r = parse(fixture('two-cpus.xml'));
    expect(identify(r.cpus[1]!).vendor).toBe('amd');
    expect(r.diagnostics.map((d) => d.message)).toContain('CPU 1 (line 10) states no <vendor>: AMD, the vendor of model Opteron_G2, is assumed');
    const bare = parse("<cpu>\n  <feature name='sse2'/>\n</cpu>");
    expect(bare.dump.has(0)).toBe(false);
    expect(catalog.decode(bare.dump).ids()).toEqual(['sse2']);
  });

  it("reads virsh's input: several <cpu> elements one after another, errors still at their own line and column", () => {
    const two = "<?xml version='1.0'?>\n<cpu>\n  <model>Westmere</model>\n</cpu>\n<cpu>\n  <model>Nehalem</model>\n</cpu>\n";
    expect(readLibvirtCpuDefinitions(two, 'x').map((d) => [d.model, d.line])).toEqual([['Westmere', 2], ['Nehalem', 5]]);
    expect(errorOf('<cpu><model>Westmere</model></cpu><cpu><model>Nehalem</modl></cpu>')).toMatch(/^in\.xml:1:54: expected well-formed XML \(expected closing tag 'model' \(opened in line 1, col 40\)/);
  });

  it('names the line and what was expected for bad definitions', () => {
    expect(errorOf('')).toBe('in.xml:1: expected a libvirt <cpu> definition, found nothing');
    expect(errorOf('<cpu>\n  <model>Skylake</model>\n</cpu>')).toBe(
      `in.xml:2: expected a CPU model of ${QEMU_MODELS_SOURCE} (such as 'Skylake-Server-IBRS' or 'EPYC-Rome'), found "Skylake"`,
    );
    expect(errorOf("<cpu>\n  <model>Westmere</model>\n  <feature policy='require' name='warp-drive'/>\n</cpu>")).toBe(
      `in.xml:3: expected a CPU feature libvirt knows (such as 'avx2' or 'vmx-ept'), found "warp-drive"`,
    );
    expect(errorOf("<cpu>\n  <model>Westmere</model>\n  <feature policy='maybe' name='avx'/>\n</cpu>")).toMatch(/^in\.xml:3:3: expected a feature policy \(force, require, optional, disable, forbid\), found "policy='maybe'"/);
    expect(errorOf('<cpu>\n  <model>Westmere</model>\n  <vendor>Cyrix</vendor>\n</cpu>')).toMatch(/^in\.xml:3:3: expected a CPU vendor libvirt knows \(Intel, AMD, Hygon\), found "Cyrix"/);
    // A name every object answers to is no vendor either.
    expect(errorOf('<cpu>\n  <model>Westmere</model>\n  <vendor>toString</vendor>\n</cpu>')).toMatch(/^in\.xml:3:3: expected a CPU vendor libvirt knows \(Intel, AMD, Hygon\), found "toString"/);
    expect(errorOf('<cpu>\n  <arch>aarch64</arch>\n  <model>cortex-a57</model>\n</cpu>')).toMatch(/^in\.xml:2:3: expected an x86 CPU/);
    expect(errorOf("<cpu>\n  <model>Westmere</model>\n  <signature family='6' model='x'/>\n</cpu>")).toMatch(/^in\.xml:3:3: expected <signature> model as a decimal number up to 255, found "model='x'"/);
    expect(errorOf("<domain type='kvm'>\n  <cpu mode='host-passthrough' check='none'/>\n</domain>")).toMatch(
      /^in\.xml:2:3: expected a CPU definition with a <model> or <feature> elements \(mode='host-passthrough' takes the CPU from whatever host/,
    );
    expect(errorOf("<domain>\n  <cpu mode='host-model' check='partial'>\n    <model fallback='allow'/>\n  </cpu>\n</domain>")).toMatch(
      /^in\.xml:2:3: expected a CPU definition with a <model> or <feature> elements \(mode='host-model' takes the CPU/,
    );
    expect(errorOf('<domain>\n  <name>x</name>\n</domain>')).toMatch(/^in\.xml:1:1: expected a libvirt <cpu> definition with a <model> or <feature> elements .*found "<domain>"/);
    expect(errorOf('<cpu>\n  <model>Westmere</model>\n</cpux>')).toMatch(/^in\.xml:3:\d+: expected well-formed XML/);
  });

  it('stays fast on 1 MB pathological input (no super-linear parsing)', () => {
    expectFastOnPathologicalInput(libvirtCpuImporter, ['', '<cpu>\n<model>', "<cpuTest>\n<cpu>\n<feature name='"], 'slow.xml');
  });

  it('never throws anything but a well-shaped InputError (random and mutated input)', () => {
    const bases = ['capabilities.xml', 'domain.xml', 'two-cpus.xml'].map(fixture);
    const inputs = fc.oneof(...bases.map((b) => mutatedText(b)), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 }));
    expectRobustAgainstDamage(libvirtCpuImporter, inputs, 'fuzz.xml', 600);
  });
});

describe.skipIf(!hasShared)('libvirt <cpu> importer on cputestdata (needs ../shared)', () => {
  const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
  const files = hasShared ? readdirSync(dir).filter((f) => f.startsWith('x86_64-') && f.endsWith('.xml')) : [];
  const definitions = files.filter((f) => /-(host|guest|json)\.xml$/.test(f) || f.startsWith('x86_64-baseline-') || f.startsWith('x86_64-cpuid-baseline-'));

  it('imports every host, guest, json and baseline file (200 files)', () => {
    let count = 0;
    for (const f of definitions) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(detectFormat(text, f), f).toBe('libvirt-cpu');
      count += parse(text, f).cpus.length;
    }
    // 61 -host, 61 -guest, 51 -json, 13 pairwise results; 6 plain inputs (10 CPUs) and 8 results.
    expect(definitions).toHaveLength(200);
    expect(count).toBe(204);
  });

  it('an imported -host.xml gives its own host-model back (61 CPUs)', () => {
    const hosts = definitions.filter((f) => f.endsWith('-host.xml'));
    expect(hosts).toHaveLength(61);
    for (const f of hosts) {
      const def = readLibvirtCpuDefinitions(readFileSync(join(dir, f), 'utf8'), f)[0]!;
      // libvirt 11.3 wrote these with its own models; the built-in table has newer versions of some (EPYC-Rome-v5).
      const back = hostModel(decodeHost(parse(readFileSync(join(dir, f), 'utf8'), f).dump), { models: modelTable11_3() })!;
      expect({ model: back.model.name, extra: libvirtNames(back.require).sort() }, f).toEqual({ model: def.model, extra: def.features.map((x) => x.name).sort() });
    }
  });

  it('an imported -guest.xml holds what its model, required and disabled features say (61 CPUs)', () => {
    for (const f of definitions.filter((x) => x.endsWith('-guest.xml'))) {
      const def = readLibvirtCpuDefinitions(readFileSync(join(dir, f), 'utf8'), f)[0]!;
      const model = findModel(def.model!)!;
      const features = catalog.decode(parse(readFileSync(join(dir, f), 'utf8'), f).dump).intersection(known);
      const again = guestModel({ features, vendor: model.vendor }, { allowed: [model.name] })!;
      // Disabling a feature the model does not have (Snowridge's mpx, a QEMU blocker) leaves no trace to find again.
      const want = (pred: (p: string | undefined) => boolean) =>
        def.features.filter((x) => pred(x.policy) && (x.policy !== 'disable' || model.features.has(catalog.resolve(x.name, 'libvirt')!))).map((x) => x.name).sort();
      expect({ require: libvirtNames(again.require).sort(), disable: libvirtNames(again.disable).sort() }, f).toEqual({
        require: want((p) => p === 'require'),
        disable: want((p) => p === 'disable'),
      });
    }
  });
});
