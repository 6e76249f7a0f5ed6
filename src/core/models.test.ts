import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import type { FeatureSet } from './catalog.js';
import { UsageError } from './errors.js';
import { decodeHost } from './host.js';
import type { Host } from './host.js';
import {
  ModelTable,
  VendorMismatchError,
  baselineModel,
  builtinModels,
  expandModel,
  findModel,
  guestModel,
  hostModel,
  libvirtNames,
  listModels,
} from './models.js';
import type { BaselineResult, ModelFamilyDef, ModelMatch } from './models.js';
import { libvirtImporter } from '../formats/libvirt/cpudata-reader.js';
import { readLibvirtCpuDefinitions, readLibvirtCpus } from '../formats/libvirt/cpu-reader.js';
import type { LibvirtCpuDefinition } from '../formats/libvirt/cpu-reader.js';
import { attr, childElements, children, parseXml } from '../formats/common/xml.js';
import { modelTable11_3, newerThan11_3 } from '../test-support/models-11-3.js';
import { hasShared, shared } from '../test-support/shared.js';

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('CPU models: lookup and expansion', () => {
  it('holds every model name of the 2026 cpu_map once, in index order', () => {
    const models = listModels();
    expect(models).toHaveLength(175);
    expect(new Set(models.map((m) => m.name)).size).toBe(175);
    expect(models.map((m) => m.order)).toEqual(models.map((_, i) => i));
    expect(models[0]!.name).toBe('486');
    expect(models.at(-1)!.name).toBe('YongFeng-v2');
  });

  it('resolves unversioned names, versions and QEMU aliases to the same definitions', () => {
    const ivy = findModel('IvyBridge')!;
    expect(ivy).toMatchObject({ family: 'IvyBridge', version: 1, versionedName: 'IvyBridge-v1', isVersioned: false, vendor: 'intel', decodeGuest: true });
    expect(findModel('IvyBridge-v1')!.features.equals(ivy.features)).toBe(true);
    const noTsx = findModel('Cascadelake-Server-noTSX')!;
    expect(noTsx).toMatchObject({ family: 'Cascadelake-Server', version: 3, versionedName: 'Cascadelake-Server-v3', decodeGuest: false });
    expect(noTsx.listed.equals(findModel('Cascadelake-Server-v3')!.listed)).toBe(true);
    expect(noTsx.features.has('hle')).toBe(false);
    expect(findModel('Cascadelake-Server')!.features.has('hle')).toBe(true);
    expect(findModel('Westmere-IBRS')!.signatures).toEqual([{ family: 6, model: 44 }]);
    expect(findModel('Westmere')!.signatures).toHaveLength(3);
    expect(findModel('Skylake-Server')!.signatures).toEqual([{ family: 6, model: 85, steppings: [0, 4] }]);
  });

  it('finds names whatever their case and separator; unknown names are undefined or a UsageError with suggestions', () => {
    expect(findModel('ivybridge')?.name).toBe('IvyBridge');
    expect(findModel('opteron-g3')?.name).toBe('Opteron_G3');
    expect(findModel('Nehalem-v9')).toBeUndefined();
    expect(findModel('host')).toBeUndefined();
    expect(() => expandModel('Skylake')).toThrow(UsageError);
    expect(() => expandModel('Skylake')).toThrow(/unknown CPU model 'Skylake'.*similar: Skylake-Client/);
  });

  it('keeps each version a delta on the one before (an old name keeps its meaning)', () => {
    const v = (n: number): FeatureSet => findModel(`Cascadelake-Server-v${n}`)!.listed;
    expect(v(5).minus(v(4)).ids().sort()).toEqual(['vmx_xsaves', 'xsaves']);
    expect(v(4).minus(v(5)).isEmpty).toBe(true);
    // v2 adds the ARCH_CAPABILITIES bits the v1 CPUs lacked.
    expect(v(2).minus(v(1)).has('arch_capabilities')).toBe(true);
  });

  it("separates a model's list, its meaning in a CPU definition and what libvirt counts as covered", () => {
    const cl = findModel('Cascadelake-Server')!;
    expect(cl.listed.has('vmx_ept')).toBe(true);
    expect(cl.libvirtAdded.has('vmx_ept')).toBe(true);
    expect(cl.features.has('vmx_ept')).toBe(false); // marked added: not part of an old definition
    expect(cl.features.has('mpx')).toBe(true); // marked removed: kept for old definitions...
    expect(cl.decodeFeatures.has('mpx')).toBe(false); // ...but always named explicitly
    expect(expandModel('Cascadelake-Server').equals(cl.features)).toBe(true);
  });

  it('loads models from another source (plain data), and rejects data naming unknown features', () => {
    const families: ModelFamilyDef[] = [
      { family: 'Tiny', vendor: 'intel', aliases: [{ name: 'Tiny', version: 1 }, { name: 'Tiny-noSSE2', version: 2, guest: false }], versions: [{ features: ['fpu', 'sse', 'sse2'] }, { remove: ['sse2'] }] },
    ];
    const table = new ModelTable(families);
    expect(table.models.map((m) => m.name)).toEqual(['Tiny', 'Tiny-noSSE2', 'Tiny-v1', 'Tiny-v2']);
    expect(expandModel('Tiny-noSSE2', table).ids()).toEqual(['fpu', 'sse']);
    expect(findModel('IvyBridge', table)).toBeUndefined();
    const cpu = { features: catalog.setOf(['fpu', 'sse', 'sse3']), vendor: 'intel' as const };
    expect(hostModel(cpu, { models: table })).toMatchObject({ model: { name: 'Tiny-v2' } });
    expect(() => new ModelTable([{ family: 'Bad', aliases: [], versions: [{ features: ['no_such_feature'] }] }])).toThrow(/unknown feature 'no_such_feature'/);
  });
});

describe('CPU models: decode and baseline (properties)', () => {
  const table = builtinModels();

  it('describes a CPU that has exactly a model\u2019s features by a model with those features and nothing extra', () => {
    for (const m of table.models) {
      if (!m.decodeHost || !m.libvirtRemoved.isEmpty) continue;
      // No signature: Haswell's would make the decode drop TSX (see BROKEN_TSX), which is tested with real CPUs below.
      const cpu = { features: m.decodeFeatures, vendor: m.vendor };
      const got = hostModel(cpu)!;
      expect(got.require.ids(), m.name).toEqual([]);
      expect(got.disable.isEmpty, m.name).toBe(true);
      expect(got.model.decodeFeatures.equals(m.decodeFeatures), `${m.name} → ${got.model.name}`).toBe(true);
    }
  });

  it('never disables anything for a host; a guest definition rebuilds the CPU exactly', () => {
    const intel = table.models.filter((m) => m.vendor === 'intel');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: intel.length - 1 }), fc.array(fc.integer({ min: 0, max: catalog.size - 1 }), { maxLength: 30 }), (mi, extra) => {
        const features = intel[mi]!.features.clone();
        for (const i of extra) {
          const f = catalog.features[i]!;
          if (features.has(f)) features.delete(f);
          else features.add(f);
        }
        const cpu = { features, vendor: 'intel' as const };
        const known = features.intersection(table.known);
        const host = hostModel(cpu);
        if (host) {
          expect(host.disable.isEmpty).toBe(true);
          expect(host.model.decodeFeatures.union(host.require).equals(known)).toBe(true);
        }
        const guest = guestModel(cpu)!;
        expect(guest.model.decodeGuest).toBe(true);
        expect(guest.model.features.minus(guest.disable).union(guest.require).equals(known)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a baseline every input can run, and fails on mixed vendors', () => {
    const intel = table.models.filter((m) => m.vendor === 'intel' && m.decodeGuest);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: intel.length - 1 }), { minLength: 1, maxLength: 6 }), (picks) => {
        const cpus = picks.map((i) => ({ features: intel[i]!.features, vendor: 'intel' as const, model: intel[i]!.name }));
        const b = baselineModel(cpus);
        for (const c of cpus) expect(b.features.isSubsetOf(c.features)).toBe(true);
        expect(b.model.features.minus(b.disable).union(b.require).equals(b.features)).toBe(true);
        expect(b.fallback).toBe(new Set(picks.map((i) => intel[i]!.name)).size === 1 ? 'forbid' : 'allow');
      }),
      { numRuns: 200 },
    );
    const amd = { features: expandModel('EPYC'), vendor: 'amd' as const };
    const intelCpu = { features: expandModel('Haswell'), vendor: 'intel' as const };
    expect(() => baselineModel([intelCpu, amd])).toThrow(VendorMismatchError);
    expect(() => baselineModel([intelCpu, amd])).toThrow('CPU vendors do not match: Intel and AMD');
    expect(() => baselineModel([])).toThrow(UsageError);
  });

  it('drops unmigratable features on request', () => {
    const cpu = { features: expandModel('Haswell').add('invtsc'), vendor: 'intel' as const };
    expect(baselineModel([cpu]).require.has('invtsc')).toBe(true);
    expect(baselineModel([cpu], { migratable: true }).require.has('invtsc')).toBe(false);
  });

  it('is fast: one decode well under 1 ms, a baseline of 10,000 CPUs well under a second', () => {
    const cpus = table.models.filter((m) => m.vendor === 'intel').map((m) => ({ features: m.features.clone().add('invtsc'), vendor: 'intel' as const }));
    let start = performance.now();
    for (let i = 0; i < 2000; i++) hostModel(cpus[i % cpus.length]!);
    const perDecode = (performance.now() - start) / 2000;
    const many = Array.from({ length: 10_000 }, (_, i) => cpus[i % cpus.length]!);
    start = performance.now();
    baselineModel(many);
    const baselineMs = performance.now() - start;
    // Generous bounds (the machine is shared); bench/run.mjs reports the real figures.
    expect(perDecode).toBeLessThan(1);
    expect(baselineMs).toBeLessThan(1000);
  });
});

// ---- libvirt's own expected answers ------------------------------------------------------------

const TESTDATA = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
const CPU_MAP = shared('oracle', 'libvirt-cputestdata', 'cpu_map');

function rawDumps(): string[] {
  return readdirSync(TESTDATA)
    .filter((f) => /^x86_64-cpuid-.*\.xml$/.test(f) && !/-(host|guest|json|enabled|disabled)\.xml$/.test(f) && !f.includes('baseline'))
    .map((f) => f.replace(/^x86_64-cpuid-|\.xml$/g, ''))
    .sort();
}

function hostOf(cpu: string): Host {
  const file = `x86_64-cpuid-${cpu}.xml`;
  return decodeHost(libvirtImporter.parse(readFileSync(join(TESTDATA, file), 'utf8'), { file }).dump);
}

function expectedDef(file: string): LibvirtCpuDefinition {
  return readLibvirtCpuDefinitions(readFileSync(join(TESTDATA, file), 'utf8'), file)[0]!;
}

/** A decode result in libvirt's terms, for comparing with an expected `<cpu>`: model, required and disabled names. */
function asLibvirt(m: ModelMatch | undefined): { model: string | undefined; require: string[]; disable: string[] } {
  return { model: m?.model.name, require: sorted(libvirtNames(m?.require ?? [])), disable: sorted(libvirtNames(m?.disable ?? [])) };
}

function expectedAnswer(def: LibvirtCpuDefinition): { model: string | undefined; require: string[]; disable: string[] } {
  const named = (pred: (p: string | undefined) => boolean): string[] => sorted(def.features.filter((f) => pred(f.policy)).map((f) => f.name));
  return { model: def.model, require: named((p) => p !== 'disable'), disable: named((p) => p === 'disable') };
}

describe.skipIf(!hasShared)('CPU models against libvirt cpu_map v11.3.0 (needs ../shared)', () => {
  it('reproduces every cpu_map model: full feature list, marks, vendor, signatures, decode flags and order', () => {
    const index = parseXml(readFileSync(join(CPU_MAP, 'index.xml'), 'utf8'), 'index.xml', { maxDepth: 8, depthNote: '', namesNote: '' });
    const x86 = children(index.roots()[0]![1], 'arch').find((a) => attr(a, 'name') === 'x86')!;
    const files = children(x86, 'group').flatMap((g) => children(g, 'include').map((i) => attr(i, 'filename')!));
    const modelFiles = files.filter((f) => f !== 'x86_vendors.xml' && f !== 'x86_features.xml');
    expect(modelFiles).toHaveLength(150);
    // The built-in table follows a newer cpu_map: every 11.3 model is in it, in the same relative order.
    let previous = -1;
    const read = (file: string) => {
      const doc = parseXml(readFileSync(join(CPU_MAP, file), 'utf8'), file, { maxDepth: 8, depthNote: '', namesNote: '' });
      return children(doc.roots()[0]![1], 'model')[0]!;
    };
    const ids = (names: string[]) => sorted(names.map((n) => catalog.resolve(n, 'libvirt')!.id));
    const vendors: Record<string, string> = { Intel: 'intel', AMD: 'amd', Hygon: 'hygon' };
    modelFiles.forEach((file, order) => {
      const own = read(file);
      const name = attr(own, 'name')!;
      const parent = children(own, 'model')[0];
      const def = parent ? read(`x86_${attr(parent, 'name')}.xml`) : own;
      const feats = children(def, 'feature');
      const m = findModel(name)!;
      expect(m.name, file).toBe(name);
      expect(m.order, name).toBeGreaterThan(previous);
      expect(order).toBeGreaterThanOrEqual(0);
      previous = m.order;
      expect(sorted(m.listed.ids()), name).toEqual(ids(feats.map((f) => attr(f, 'name')!)));
      expect(sorted(m.libvirtAdded.ids()), name).toEqual(ids(feats.filter((f) => attr(f, 'added') === 'yes').map((f) => attr(f, 'name')!)));
      expect(sorted(m.libvirtRemoved.ids()), name).toEqual(ids(feats.filter((f) => attr(f, 'removed') === 'yes').map((f) => attr(f, 'name')!)));
      const vendor = children(def, 'vendor')[0];
      expect(m.vendor, name).toBe(vendor ? vendors[attr(vendor, 'name')!] : undefined);
      const sigs = children(def, 'signature').map((s) => {
        const st = attr(s, 'stepping')?.split('-').map(Number);
        return { family: Number(attr(s, 'family')), model: Number(attr(s, 'model')), ...(st ? { steppings: [st[0], st[1] ?? st[0]] } : {}) };
      });
      expect(m.signatures, name).toEqual(sigs);
      const decode = children(own, 'decode')[0]!;
      expect({ host: m.decodeHost, guest: m.decodeGuest }, name).toEqual({ host: attr(decode, 'host') === 'on', guest: attr(decode, 'guest') === 'on' });
      // Nothing else in a model file carries meaning for openevc (<check partial='compat'/> is libvirt's own business).
      expect(sorted(childElements(own).map(([n]) => n).filter((n) => !['feature', 'signature', 'vendor', 'decode', 'model', 'check'].includes(n))), name).toEqual([]);
    });
  });

  it('knows which features libvirt marks unmigratable', () => {
    const xml = readFileSync(join(CPU_MAP, 'x86_features.xml'), 'utf8');
    const names = [...xml.matchAll(/<feature name='([^']+)' migratable='no'>/g)].map((m) => m[1]!);
    expect(sorted(libvirtNames(builtinModels().unmigratable))).toEqual(sorted(names));
  });
});

describe.skipIf(!hasShared)('libvirt-compatible decode of the 61 cputestdata CPUs (needs ../shared)', () => {
  const cpus = hasShared ? rawDumps() : [];

  it('finds the 61 CPUs', () => {
    expect(cpus).toHaveLength(61);
  });

  it('host-model: the same versioned model and the same extra features as every -host.xml', () => {
    // libvirt 11.3 decided with its own models and named only its own features (see models-11-3.ts).
    const newer = catalog.setOf(newerThan11_3());
    const named11_3 = (m: ModelMatch | undefined): ModelMatch | undefined => m && { ...m, require: m.require.minus(newer), disable: m.disable.minus(newer) };
    const got = cpus.map((c) => ({ cpu: c, ...asLibvirt(named11_3(hostModel(hostOf(c), { models: modelTable11_3() }))) }));
    const want = cpus.map((c) => ({ cpu: c, ...expectedAnswer(expectedDef(`x86_64-cpuid-${c}-host.xml`)) }));
    expect(got).toEqual(want);
  });

  /**
   * libvirt's test decodes these three CPUs as guests against the models QEMU reported for that host
   * (the recorded QMP replies, `.json`, which ../shared does not carry), and disables the features
   * QEMU said block the model there, even those the CPU has. openevc decodes against every model
   * with the CPU's own features, so these disabled features cannot appear.
   */
  const QEMU_BLOCKERS: Readonly<Record<string, readonly string[]>> = {
    'Atom-P5362': ['core-capability', 'mpx', 'split-lock-detect'],
    'Core-i7-2600-xsaveopt': ['xsaveopt'],
    'EPYC-7601-32-Core-ibpb': ['rdtscp'],
  };

  it('guest: the same unversioned model for all 61 -guest.xml, and the same require/disable sets except for QEMU blockers', () => {
    for (const c of cpus) {
      const want = expectedAnswer(expectedDef(`x86_64-cpuid-${c}-guest.xml`));
      const blockers = QEMU_BLOCKERS[c] ?? [];
      expect(asLibvirt(guestModel(hostOf(c))), c).toEqual({ ...want, disable: want.disable.filter((n) => !blockers.includes(n)) });
      for (const b of blockers) expect(want.disable, c).toContain(b);
    }
  });
});

/** The pairwise CPUID baselines (labels and inputs restated in the cputestdata MANIFEST). */
const PAIRS: Readonly<Record<string, readonly [string, string]>> = {
  'Ryzen+Rome': ['Ryzen-7-1800X-Eight-Core', 'Ryzen-9-3900X-12-Core'],
  'EPYC+Rome': ['EPYC-7601-32-Core', 'EPYC-7502-32-Core'],
  'Haswell-noTSX-IBRS+Skylake': ['Xeon-E5-2609-v3', 'Xeon-Gold-6148'],
  'Haswell-noTSX-IBRS+Skylake-IBRS': ['Xeon-E5-2609-v3', 'Xeon-Gold-6130'],
  'Broadwell-IBRS+Cascadelake': ['Xeon-E5-2623-v4', 'Xeon-Platinum-8268'],
  'Cascadelake+Skylake-IBRS': ['Xeon-Platinum-8268', 'Xeon-Gold-6130'],
  'Cascadelake+Skylake': ['Xeon-Platinum-9242', 'Xeon-Gold-6148'],
  'Cascadelake+Icelake': ['Xeon-Platinum-9242', 'Ice-Lake-Server'],
  'Cooperlake+Icelake': ['Cooperlake', 'Ice-Lake-Server'],
  'Cooperlake+Cascadelake': ['Cooperlake', 'Xeon-Platinum-9242'],
  'Skylake-Client+Server': ['Core-i5-6600', 'Xeon-Gold-6148'],
  'Haswell-noTSX-IBRS+Broadwell': ['Xeon-E5-2609-v3', 'Xeon-E5-2650-v4'],
  'Haswell+Skylake': ['Xeon-E7-8890-v3', 'Xeon-Gold-5115'],
};

function baselineAnswer(b: BaselineResult): ReturnType<typeof asLibvirt> & { fallback: string; vendor: string | undefined } {
  return { ...asLibvirt(b), fallback: b.fallback, vendor: b.vendor && { intel: 'Intel', amd: 'AMD', hygon: 'Hygon', zhaoxin: 'Zhaoxin' }[b.vendor] };
}

describe.skipIf(!hasShared)('libvirt-compatible baseline (needs ../shared)', () => {
  const read = (file: string) => readLibvirtCpus(readFileSync(join(TESTDATA, file), 'utf8'), file);

  for (const [label, [a, b]] of Object.entries(PAIRS)) {
    it(`${label}: ${a} + ${b} gives x86_64-cpuid-baseline-${label}.xml, and both inputs can run it`, () => {
      const inputs = [...read(`x86_64-cpuid-${a}-json.xml`), ...read(`x86_64-cpuid-${b}-json.xml`)];
      const result = baselineModel(inputs);
      const want = expectedDef(`x86_64-cpuid-baseline-${label}.xml`);
      expect(baselineAnswer(result)).toEqual({ ...expectedAnswer(want), fallback: want.fallback, vendor: want.vendor });
      for (const cpu of inputs) expect(result.features.isSubsetOf(cpu.features)).toBe(true);
    });
  }

  const PLAIN = ['simple', 'features', 'Westmere+Nehalem', 'no-vendor', 'some-vendors'];
  for (const name of PLAIN) {
    it(`x86_64-baseline-${name}.xml gives its -result.xml (and -expanded/-migratable where libvirt has them)`, () => {
      const inputs = read(`x86_64-baseline-${name}.xml`);
      const result = baselineModel(inputs);
      const want = expectedDef(`x86_64-baseline-${name}-result.xml`);
      expect(baselineAnswer(result)).toEqual({ ...expectedAnswer(want), fallback: want.fallback, vendor: want.vendor });
      const files = readdirSync(TESTDATA);
      if (files.includes(`x86_64-baseline-${name}-expanded.xml`)) {
        const expanded = expectedDef(`x86_64-baseline-${name}-expanded.xml`);
        expect({ model: result.model.name, features: sorted(libvirtNames(result.features)) }).toEqual({ model: expanded.model, features: expectedAnswer(expanded).require });
      }
      if (files.includes(`x86_64-baseline-${name}-migratable.xml`)) {
        const migratable = baselineModel(inputs, { migratable: true });
        const wantM = expectedDef(`x86_64-baseline-${name}-migratable.xml`);
        expect(baselineAnswer(migratable)).toEqual({ ...expectedAnswer(wantM), fallback: wantM.fallback, vendor: wantM.vendor });
      }
    });
  }

  it('x86_64-baseline-incompatible-vendors.xml fails: CPU vendors do not match', () => {
    expect(() => baselineModel(read('x86_64-baseline-incompatible-vendors.xml'))).toThrow(VendorMismatchError);
  });
});
