import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { CpuidDump, bitIsSet } from '../../core/cpuid.js';
import { identify } from '../../core/identity.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { procCpuinfoImporter } from './reader.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const parse = (text: string, file = 'cpuinfo') => procCpuinfoImporter.parse(text, { file });

const errorOf = (text: string): string => inputErrorMessage(() => parse(text));

/** A one-processor /proc/cpuinfo. */
function cpuinfo(fields: Record<string, string>): string {
  const all = { processor: '0', vendor_id: 'GenuineIntel', 'cpu family': '6', model: '85', stepping: '4', flags: 'fpu sse sse2', ...fields };
  return Object.entries(all)
    .map(([k, v]) => `${k}\t: ${v}`)
    .join('\n');
}

describe('/proc/cpuinfo importer', () => {
  for (const name of ['xeon-gold-6148-2cpu', 'opteron-2350-disagreeing', 'zhaoxin-trimmed-vendor']) {
    it(`imports ${name}.txt (golden)`, () => {
      expectGolden(renderImport(parse(read(`${name}.txt`), `${name}.txt`)), join(FIXTURES, `${name}.expected.txt`));
    });
  }

  it('rebuilds identity: vendor, signature with extended family/model, brand, address sizes', () => {
    const xeon = parse(read('xeon-gold-6148-2cpu.txt'));
    expect(xeon.dump.source).toEqual({ format: 'proc-cpuinfo', path: 'cpuinfo', lossy: true, cpu: 0 });
    expect(xeon.cpus.map((c) => c.source.cpu)).toEqual([0, 1]);
    expect(xeon.dump.get(1)?.eax).toBe(0x00050654);
    expect(identify(xeon.dump)).toMatchObject({ vendor: 'intel', family: 6, model: 85, stepping: 4, brand: 'Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz', maxBasicLeaf: 22 });
    expect(xeon.dump.get(0x8000_0008)?.eax).toBe(0x302e); // 46 bits physical, 48 virtual
    expect(xeon.cpus[1]!.get(1)?.ebx).toBe(0x02000800); // initial APIC ID 2, CLFLUSH 64 bytes
    const opteron = parse(read('opteron-2350-disagreeing.txt'));
    expect(opteron.dump.get(1)?.eax).toBe(0x00100f23);
    expect(identify(opteron.dump)).toMatchObject({ vendor: 'amd', family: 0x10, model: 2, stepping: 3 });
    const zhaoxin = parse(read('zhaoxin-trimmed-vendor.txt'));
    expect(identify(zhaoxin.dump).vendorString).toBe('  Shanghai  ');
    expect(zhaoxin.dump.get(1)?.eax).toBe(0x000507b3); // Linux adds the extended model from family 6 up
  });

  it('encodes every family/model/stepping so that identify() reads it back', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 15, max: 15 + 255 })),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 15 }),
        (family, model0, stepping) => {
          const model = family < 6 ? model0 & 0xf : model0;
          const id = identify(parse(cpuinfo({ 'cpu family': String(family), model: String(model), stepping: String(stepping) })).dump);
          expect([id.family, id.model, id.stepping]).toEqual([family, model, stepping]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('maps flags through the catalog, ignores Linux-defined flags silently, reports unknown ones', () => {
    const r = parse(cpuinfo({ flags: 'fpu sse2 pni constant_tsc rep_good ept vpid ssbd ibrs cat_l3 frobnicate widgetize avx xsave' }));
    const set = catalog.decode(r.dump);
    for (const id of ['fpu', 'sse2', 'sse3', 'avx', 'xsave']) expect(set.has(id), id).toBe(true);
    const warnings = r.diagnostics.filter((d) => d.level === 'warning').map((d) => d.message);
    expect(warnings).toEqual(["2 flags unknown to openevc's feature catalog ignored: frobnicate, widgetize"]);
  });

  it("sets no bit that the CPU's vendor does not define (Hygon counts as AMD, Zhaoxin as Intel)", () => {
    const amd = parse(cpuinfo({ vendor_id: 'AuthenticAMD', 'cpu family': '23', model: '1', flags: 'fpu sse sse2 pni est vmx' }));
    const set = catalog.decode(amd.dump);
    expect([set.has('sse3'), set.has('est'), set.has('vmx')]).toEqual([true, false, false]);
    expect(amd.diagnostics.map((d) => d.message)).toContain('flags not set because the catalog defines their CPUID bit for other vendors only: est, vmx');
    const hygon = catalog.decode(parse(cpuinfo({ vendor_id: 'HygonGenuine', 'cpu family': '24', model: '0', flags: 'fpu pni' })).dump);
    expect(hygon.has('sse3')).toBe(true);
    const zhaoxin = catalog.decode(parse(read('zhaoxin-trimmed-vendor.txt').replace('flags\t\t: fpu', 'flags\t\t: fpu vmx est')).dump);
    expect([zhaoxin.has('vmx'), zhaoxin.has('est')]).toEqual([true, true]);
  });

  it('infers XSAVE state components from the flags that need them, and says so', () => {
    const r = parse(cpuinfo({ flags: 'fpu sse sse2 xsave avx' }));
    const set = catalog.decode(r.dump);
    for (const id of ['xsave_x87', 'xsave_sse', 'xsave_ymm']) expect(set.has(id), id).toBe(true);
    expect(r.diagnostics.map((d) => d.message)).toContain(
      'XSAVE state components inferred from the flags that need them (/proc/cpuinfo has no flag for them): xsave_x87, xsave_sse, xsave_ymm',
    );
    const noAvx = catalog.decode(parse(cpuinfo({ flags: 'fpu sse sse2 xsave' })).dump);
    expect(noAvx.has('xsave_ymm')).toBe(false);
  });

  it('says that hidden bits (osxsave) cannot be known, and leaves them clear', () => {
    const r = parse(cpuinfo({ flags: 'fpu sse sse2 xsave avx' }));
    expect(catalog.decode(r.dump).has('osxsave')).toBe(false);
    expect(r.diagnostics.some((d) => d.message.startsWith('Linux does not show') && d.message.includes('osxsave'))).toBe(true);
    expect(r.diagnostics[0]!.message).toMatch(/lossy/);
  });

  it('groups processors that disagree with the first one', () => {
    const r = parse(read('opteron-2350-disagreeing.txt'));
    expect(r.cpus).toHaveLength(5);
    expect(r.diagnostics.map((d) => d.message).filter((m) => m.startsWith('processor'))).toEqual([
      'processors 2, 3 differ from processor 0: lacks popcnt, sse4a',
      'processor 4 differs from processor 0: adds hypervisor',
    ]);
    expect(catalog.decode(r.cpus[2]!).has('popcnt')).toBe(false);
    expect(catalog.decode(r.cpus[0]!).has('popcnt')).toBe(true);
  });

  it('names the line of what is missing or wrong', () => {
    const noFlags = 'processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n';
    expect(errorOf(noFlags)).toBe("cpuinfo:1: expected a 'flags' line (the feature flags) in the block of processor 0 (lines 1-4), found nothing");
    expect(errorOf('vendor_id\t: GenuineIntel\nprocessor\t: 0\n')).toBe(`cpuinfo:1: expected 'processor : 0' as the first line of /proc/cpuinfo, found "vendor_id\\t: GenuineIntel"`);
    expect(errorOf(cpuinfo({ 'cpu family': 'six' }))).toBe('cpuinfo:3: expected a CPU family (a decimal number up to 270), found "six"');
    expect(errorOf(cpuinfo({ 'cpu family': '5', model: '20' }))).toBe('cpuinfo:4: expected a model below 16 (family 5 CPUs have no extended model field), found "20"');
    expect(errorOf(cpuinfo({}).replace('stepping\t: 4', 'stepping 4'))).toBe('cpuinfo:5: expected a \'<name> : <value>\' line of /proc/cpuinfo, found "stepping 4"');
    expect(errorOf('processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm\nCPU implementer\t: 0x41\n')).toMatch(/^cpuinfo:1: expected a 'vendor_id' line/);
    expect(errorOf('')).toBe("cpuinfo:1: expected /proc/cpuinfo text starting with 'processor : 0', found nothing");
  });

  it('sniffs /proc/cpuinfo', () => {
    expect(procCpuinfoImporter.sniff(read('xeon-gold-6148-2cpu.txt').slice(0, 300))).toBeGreaterThan(0.9);
    expect(procCpuinfoImporter.sniff('{"openevc": "cpuid"}')).toBe(0);
  });

  it('stays fast on 1 MB pathological input (no super-linear parsing)', () => {
    expectFastOnPathologicalInput(procCpuinfoImporter, ['', 'processor\t: 0\nvendor_id\t: ', 'processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t: 1\nflags\t: fpu\naddress sizes\t: ', 'processor\t: 0\nflags\t: '], 'slow');
  });

  it('never throws anything but a well-shaped InputError (random and mutated input)', () => {
    expectRobustAgainstDamage(procCpuinfoImporter, fc.oneof(mutatedText(read('opteron-2350-disagreeing.txt')), mutatedText(read('zhaoxin-trimmed-vendor.txt')), fc.string({ unit: 'binary', maxLength: 200 })), 'fuzz', 600);
  });
});

/** CPU 0 of a `cpuid -r` dump (a small reader kept here until the cpuid-r importer lands). */
function readCpuidR(text: string): CpuidDump {
  const d = new CpuidDump({ format: 'cpuid-r', lossy: false });
  for (const line of text.split('\n')) {
    if (/^CPU [1-9]/.test(line)) break;
    const m = /^\s+0x([0-9a-f]{8}) 0x([0-9a-f]{2}): eax=0x([0-9a-f]{8}) ebx=0x([0-9a-f]{8}) ecx=0x([0-9a-f]{8}) edx=0x([0-9a-f]{8})/.exec(line);
    if (m) d.set(Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), { eax: Number.parseInt(m[3]!, 16), ebx: Number.parseInt(m[4]!, 16), ecx: Number.parseInt(m[5]!, 16), edx: Number.parseInt(m[6]!, 16) });
  }
  return d;
}

/**
 * Bits whose Linux flag disagrees with raw CPUID for a known reason, keyed by Linux flag.
 * Each is checked only when the catalog knows the flag, and must then really disagree.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  virt_ssbd: 'Linux clears VIRT_SSBD when the CPU also reports AMD_SSBD: it then controls SSBD through SPEC_CTRL and hides the virtualized interface',
};

describe.skipIf(!hasShared)('/proc/cpuinfo against cpuid -r of the same KVM guest (needs ../shared)', () => {
  const base = 'kvm-guest-amd-epyc-a00f11';
  const text = hasShared ? readFileSync(shared('oracle', 'cpuid-tool-samples', `${base}.proc-cpuinfo.txt`), 'utf8') : '';
  const raw = hasShared ? readCpuidR(readFileSync(shared('oracle', 'cpuid-tool-samples', `${base}.cpuid-r.txt`), 'utf8')) : new CpuidDump({ format: 'cpuid-r', lossy: false });

  it('imports with the hypervisor bit set and the same identity', () => {
    const r = parse(text, `${base}.proc-cpuinfo.txt`);
    expect(r.cpus).toHaveLength(2);
    const id = identify(r.dump);
    expect(id.hypervisor).toBe(true);
    const rid = identify(raw);
    expect({ vendor: id.vendorString, sig: id.signature, brand: id.brand, max: id.maxBasicLeaf }).toEqual({ vendor: rid.vendorString, sig: rid.signature, brand: rid.brand, max: rid.maxBasicLeaf });
    expect(r.dump.get(0x8000_0008)?.eax).toBe(raw.get(0x8000_0008)!.eax & 0xffff);
  });

  it('agrees with raw CPUID on every bit that has a Linux flag, except the known differences', () => {
    const imported = parse(text, `${base}.proc-cpuinfo.txt`).dump;
    const differences: string[] = [];
    let compared = 0;
    for (const f of catalog.features) {
      if (typeof f.linux !== 'string' || f.loc.type !== 'cpuid') continue;
      const { leaf, subleaf, reg, bit } = f.loc;
      const want = raw.isValidLeaf(leaf, subleaf) && bitIsSet(raw.reg(leaf, subleaf, reg) ?? 0, bit);
      const got = imported.isValidLeaf(leaf, subleaf) && bitIsSet(imported.reg(leaf, subleaf, reg) ?? 0, bit);
      compared++;
      if (want !== got) differences.push(f.linux);
    }
    expect(compared).toBeGreaterThan(30);
    expect(differences.filter((flag) => !(flag in KNOWN_DIFFERENCES))).toEqual([]);
    for (const flag of Object.keys(KNOWN_DIFFERENCES)) {
      if (catalog.resolve(flag, 'linux')) expect(differences, `${flag} is listed as a known difference`).toContain(flag);
    }
  });

  it('infers only XSAVE components the CPU really has', () => {
    const imported = parse(text, `${base}.proc-cpuinfo.txt`).dump;
    const set = catalog.decode(imported);
    const rawSet = catalog.decode(raw);
    const xsave = [...set].filter((f) => f.cat === 'xsave' && typeof f.linux !== 'string');
    expect(xsave.length).toBeGreaterThan(0);
    for (const f of xsave) expect(rawSet.has(f), f.id).toBe(true);
  });
});
