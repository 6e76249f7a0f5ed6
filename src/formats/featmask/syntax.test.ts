import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { host } from '../../test-support/masks.js';
import { importOrInputError, inputErrorMessage } from '../../test-support/text-mutations.js';
import { unmetRequirements } from '../../core/masks/engine.js';
import {
  FEAT_OPS,
  applyFeatMask,
  featMaskFor,
  featMaskRequirements,
  formatFeatValue,
  formatFeatureRequirementValue,
  parseFeatValue,
  parseFeatureRequirementValue,
  printFeatMask,
  readFeatMask,
} from './syntax.js';
import type { FeatMaskEntry, FeatOp } from './syntax.js';

const where = { file: 'vm.vmx', line: 7, column: 30 };
const read = (key: string, value: string) => readFeatMask(key, value, where);
const entry = (key: string, value: string) => read(key, value).entry;

describe('featMask values', () => {
  it('reads Val, Min and Max with decimal or hex numbers up to 64 bits', () => {
    expect(parseFeatValue('Val:1', where)).toEqual({ op: 'Val', value: 1n });
    expect(parseFeatValue('Min:0x6', where)).toEqual({ op: 'Min', value: 6n });
    expect(parseFeatValue('max:0', where)).toEqual({ op: 'Max', value: 0n });
    expect(parseFeatValue('Val:0xda08000000000d', where)).toEqual({ op: 'Val', value: 0xda08000000000dn });
    expect(formatFeatValue({ op: 'Val', value: 0x80000008n })).toBe('Val:0x80000008');
    expect(formatFeatValue({ op: 'Min', value: 1n })).toBe('Min:1');
  });

  it('points at what is wrong', () => {
    expect(inputErrorMessage(() => parseFeatValue('Set:1', where))).toBe('vm.vmx:7:30: expected a feature mask value Val:<n>, Min:<n> or Max:<n>, found "Set:1"');
    expect(inputErrorMessage(() => parseFeatValue('Val:0xg', where))).toBe('vm.vmx:7:34: expected a decimal or 0x-hex number of at most 64 bits, found "0xg"');
    expect(inputErrorMessage(() => parseFeatValue('Val:0x10000000000000000', where))).toMatch(/^vm\.vmx:7:34: /);
    expect(inputErrorMessage(() => read('cpuid.AVX', 'Val:2'))).toBe("vm.vmx:7:34: expected 0 or 1 for 'cpuid.AVX' (a one-bit feature), found \"2\"");
  });

  it('reads FeatureRequirement values (Bool/Num, Min/Max/Match)', () => {
    expect(parseFeatureRequirementValue('Bool:Min:1', where)).toEqual({ type: 'Bool', op: 'Min', value: 1n });
    expect(parseFeatureRequirementValue('Num:Min:0xd', where)).toEqual({ type: 'Num', op: 'Min', value: 13n });
    expect(formatFeatureRequirementValue({ type: 'Num', op: 'Min', value: 13n })).toBe('Num:Min:0xd');
    expect(inputErrorMessage(() => parseFeatureRequirementValue('Bool:Min:2', where))).toBe('vm.vmx:7:39: expected 0 or 1 for a Bool requirement, found "2"');
    expect(inputErrorMessage(() => parseFeatureRequirementValue('Bool:Least:1', where))).toBe('vm.vmx:7:35: expected Min, Max or Match, found "Least"');
    expect(inputErrorMessage(() => parseFeatureRequirementValue('Min:1', where))).toMatch(/^vm\.vmx:7:30: expected a feature requirement/);
  });
});

describe('featMask names', () => {
  it("resolves VMware feature keys case-insensitively through the catalog's vmware column", () => {
    for (const [name, id] of [
      ['PDPE1GB', 'pdpe1gb'],
      ['pdpe1gb', 'pdpe1gb'],
      ['MWAIT', 'monitor'],
      ['SSE41', 'sse4_1'],
      ['xcr0_master_ymm_h', 'xsave_ymm'],
      ['3DNPREFETCH', '3dnowprefetch'],
    ] as const) {
      const e = entry(`cpuid.${name}`, 'Val:0');
      expect(e.target.kind === 'feature' && e.target.feature.id).toBe(id);
    }
  });

  it('keeps identity keys as identity, never as features', () => {
    expect(entry('cpuid.FAMILY', 'Min:6').target).toEqual({ kind: 'identity', field: 'family' });
    expect(entry('cpuid.NUMLEVELS', 'Val:0xd').target).toEqual({ kind: 'identity', field: 'max-basic-leaf' });
    expect(entry('cpuid.NUM_EXT_LEVELS', 'Val:0x80000008').target).toEqual({ kind: 'identity', field: 'max-extended-leaf' });
    expect(entry('cpuid.AMD', 'Min:1').target).toEqual({ kind: 'identity', field: 'vendor-amd' });
    expect(entry('cpuid.Intel', 'Val:1').target).toEqual({ kind: 'identity', field: 'vendor-intel' });
  });

  it('keeps unknown keys and other ecosystems\' spellings without applying them, and says why', () => {
    const pni = read('cpuid.pni', 'Val:0');
    expect(pni.entry.target.kind).toBe('unknown');
    expect(pni.diagnostics[0]!.message).toBe("'pni' is not a VMware feature key openevc knows; VMware calls SSE3 'sse3'; it is kept but not applied");
    expect(read('cpuid.VT', 'Val:1').diagnostics[0]!.message).toBe("'VT' is not a VMware feature key openevc knows; it is kept but not applied");
    expect(read('cpuid.x2apic', 'Val:1').diagnostics[0]!.message).toMatch(/VMware has no key for x2APIC/);
    expect(read('hv.capable', 'Val:1').diagnostics[0]!.message).toBe("'hv.capable' is not a CPUID feature key; openevc keeps it without applying it");
  });

  it('writes settings under the VMware name', () => {
    expect(printFeatMask(featMaskFor(catalog.require('sse4_1'), 'Min', 1))).toBe('featMask.vm.cpuid.sse41 = "Min:1"');
    expect(() => featMaskFor(catalog.require('x2apic'), 'Val', 0)).toThrow(/VMware has no feature key for x2APIC/);
  });
});

describe('featMask semantics', () => {
  const source = host(['sse3', 'sse4_1', 'avx', 'xsave', 'xsave_ymm', 'xsave_sse', 'vmx', 'monitor', 'lm']);
  const settings = ['cpuid.AVX = Val:0', 'cpuid.PDPE1GB = Val:1', 'cpuid.SSE41 = Min:1', 'cpuid.VMX = Max:0', 'cpuid.SSE3 = Min:0', 'cpuid.MWAIT = Max:1'].map((s) => {
    const [k, v] = s.split(' = ') as [string, string];
    return entry(k, v);
  });

  it('Val:0 hides, Val:1 forces, Max:0 hides, Min:1 / Min:0 / Max:1 pass the host value', () => {
    const guest = catalog.decode(applyFeatMask(settings, source));
    expect(guest.ids()).toEqual(['sse3', 'monitor', 'sse4_1', 'xsave', 'xsave_sse', 'xsave_ymm', 'pdpe1gb', 'lm']);
  });

  it('Min:1 is a power-on requirement; identity Min/Max are requirements too', () => {
    const withIdentity = [...settings, entry('cpuid.AMD', 'Min:1'), entry('cpuid.FAMILY', 'Max:0x16'), entry('cpuid.NUMLEVELS', 'Val:0xd')];
    const reqs = featMaskRequirements(withIdentity, source, { phase: 'power-on' });
    expect(reqs.bits.map((r) => `${r.feature!.id}=${r.mustBe}:${r.because}`)).toEqual(['sse4_1=1:T']);
    expect(reqs.identity.map((r) => `${r.key} ${r.op} ${r.value}`)).toEqual(['cpuid.AMD min 1', 'cpuid.FAMILY max 22']);
    const unmet = unmetRequirements(reqs, host(['sse3']));
    expect(unmet.bits.map((u) => u.requirement.feature!.id)).toEqual(['sse4_1']);
    expect(unmet.identity.map((u) => `${u.requirement.key}: ${u.found}`)).toEqual(['cpuid.AMD: 0']);
    const zen3 = host(['sse4_1'], 'AuthenticAMD', 0x00a20f10);
    expect(unmetRequirements(reqs, zen3).identity.map((u) => `${u.requirement.key}: ${u.found}`)).toEqual(['cpuid.FAMILY: 25']);
  });

  it('a later setting of the same feature replaces an earlier one', () => {
    const guest = catalog.decode(applyFeatMask([entry('cpuid.AVX', 'Val:0'), entry('cpuid.avx', 'Min:0')], source));
    expect(guest.has('avx')).toBe(true);
  });
});

describe('featMask: properties', () => {
  const vmwareFeatures = catalog.features.filter((f) => f.vmware && f.loc.type === 'cpuid');
  const entryArb: fc.Arbitrary<FeatMaskEntry> = fc
    .record({ f: fc.constantFrom(...vmwareFeatures), op: fc.constantFrom<FeatOp>(...FEAT_OPS), v: fc.constantFrom<0 | 1>(0, 1), upper: fc.boolean() })
    .map(({ f, op, v, upper }) => {
      const e = featMaskFor(f, op, v);
      return upper ? { ...e, key: e.key.toUpperCase() } : e;
    });

  it('reads back what it prints', () => {
    fc.assert(
      fc.property(entryArb, (e) => {
        const line = printFeatMask(e);
        const m = /^featMask\.vm\.(\S+) = "(.*)"$/.exec(line)!;
        expect(entry(m[1]!, m[2]!)).toEqual(e);
      }),
      { numRuns: 300 },
    );
  });

  it('applying the settings twice changes nothing', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 8 }), (entries) => {
        const once = applyFeatMask(entries, host(['sse3', 'avx', 'lm', 'nx']));
        expect(applyFeatMask(entries, once).list()).toEqual(once.list());
      }),
      { numRuns: 200 },
    );
  });

  it('random values fail only with InputErrors naming file:line:column', () => {
    let errors = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('Val:', 'Min:0x', 'Max:99999999999999999999999', 'Bool:Min:1', ':1')), (value) => {
        for (const key of ['cpuid.AVX', 'cpuid.FAMILY', 'hv.capable']) {
          if (importOrInputError(() => read(key, value), 'vm.vmx') === 'input-error') {
            errors++;
            expect(inputErrorMessage(() => read(key, value))).toMatch(/^vm\.vmx:7:\d+: expected /);
          }
          importOrInputError(() => parseFeatureRequirementValue(value, where), 'vm.vmx');
        }
      }),
      { numRuns: 300 },
    );
    expect(errors).toBeGreaterThan(0);
  });
});
