import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { decodeHost } from '../../core/host.js';
import { expandModel } from '../../core/models.js';
import { detectFormat, importText } from '../readers.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { SHARED_DIR } from '../../test-support/shared.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { readDomainCapabilities, virshDomcapabilitiesImporter } from './reader.js';
import { agreement, compareUsable, heldAgainstModel, renderComparison, usableModels } from './usable.js';

const FIX = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const parse = (text: string, file = 'd.xml') => virshDomcapabilitiesImporter.parse(text, { file });

describe('virsh domcapabilities reader', () => {
  it('imports the host-model (golden)', () => {
    expectGolden(renderImport(parse(fixture('kvm-epyc-milan.xml'), 'kvm-epyc-milan.xml')), join(FIX, 'kvm-epyc-milan.expected.txt'));
  });

  it('rebuilds the host-model: the model, required features added, disabled ones removed', () => {
    const dump = parse(fixture('kvm-epyc-milan.xml')).dump;
    const host = { ...decodeHost(dump), features: catalog.decode(dump) };
    const expected = expandModel('EPYC-Milan');
    for (const n of ['x2apic', 'tsc-deadline', 'tsc_adjust', 'stibp', 'ssbd', 'cmp_legacy', 'virt-ssbd']) expect(host.features.has(catalog.resolve(n, 'libvirt')!), n).toBe(true);
    expect(host.features.has(catalog.get('pcid')!)).toBe(false);
    expect(host.features.has(catalog.get('svm')!)).toBe(false);
    for (const f of expected.minus(catalog.setOf(['pcid', 'svm']))) expect(host.features.has(f), f.id).toBe(true);
    expect(host.id.vendor).toBe('amd');
    expect(host.dump.source).toMatchObject({ format: 'virsh-domcapabilities', lossy: true });
  });

  it('reads every named model with usable, vendor, canonical, deprecated and blockers', () => {
    const caps = readDomainCapabilities(fixture('kvm-epyc-milan.xml'), 'd.xml');
    expect(caps.domain).toBe('kvm');
    expect(caps.models.map((m) => [m.name, m.usable, m.canonical ?? null, m.blockers?.join(' ') ?? null])).toEqual([
      ['qemu64', 'yes', 'qemu64-v1', null],
      ['Westmere', 'yes', 'Westmere-v1', null],
      ['EPYC-Rome', 'yes', 'EPYC-Rome-v1', null],
      ['EPYC-Milan', 'no', 'EPYC-Milan-v1', 'pcid'],
      ['EPYC-Genoa', 'no', 'EPYC-Genoa-v1', expect.stringMatching(/^avx512f .* pcid$/)],
      ['Skylake-Client', 'no', 'Skylake-Client-v1', 'hle mpx pcid rtm'],
      ['Icelake-Client', 'no', null, null],
    ]);
    expect(caps.models.find((m) => m.name === 'Icelake-Client')!.deprecated).toBe(true);
  });

  it("openevc's own answer beside libvirt's (golden): the host-model's own model is blocked by the feature it disables", () => {
    const rows = compareUsable(readDomainCapabilities(fixture('kvm-epyc-milan.xml'), 'd.xml'), 'd.xml');
    expectGolden(renderComparison(rows), join(FIX, 'kvm-epyc-milan.usable.txt'));
    const milan = rows.find((r) => r.model === 'EPYC-Milan')!;
    expect(milan).toMatchObject({ agrees: true, sameBlockers: true });
    expect(milan.openevc.blockers.map((f) => f.id)).toEqual(['pcid']);
    expect(rows.find((r) => r.model === 'Westmere')!.agrees).toBe(true);
  });

  it('says where it disagrees, and why', () => {
    const caps = readDomainCapabilities(fixture('kvm-epyc-milan.xml'), 'd.xml');
    // libvirt says Westmere is not usable: openevc finds nothing missing, so libvirt blocks more.
    const changed = { ...caps, models: caps.models.map((m) => (m.name === 'Westmere' ? { ...m, usable: 'no' as const, blockers: ['aes'] } : m)) };
    const row = compareUsable(changed, 'd.xml').find((r) => r.model === 'Westmere')!;
    expect(row).toMatchObject({ agrees: false, kind: 'libvirt-blocks-more', sameBlockers: false, onlyLibvirt: ['aes'], onlyOpenevc: [] });
    const unknown = { ...caps, models: [{ ...caps.models[0]!, name: 'NoSuchModel-v9' }] };
    expect(compareUsable(unknown, 'd.xml')[0]).toMatchObject({ agrees: false, kind: 'unknown-model' });
    // A host-model openevc's model table does not have: every model is a difference, none is hidden.
    const newer = { ...caps, hostModel: { ...caps.hostModel!, model: 'EPYC-Future' } };
    const rows = compareUsable(newer, 'd.xml');
    expect(rows).toHaveLength(caps.models.length);
    expect(rows.every((r) => !r.agrees && r.kind === 'unknown-host-model')).toBe(true);
  });

  it('does not hold nested-virtualization bits or MONITOR against a model, nor VME under TCG', () => {
    expect(heldAgainstModel(catalog.get('vmx')!)).toBe(false);
    expect(heldAgainstModel(catalog.get('monitor')!)).toBe(false);
    expect(heldAgainstModel(catalog.get('avx2')!)).toBe(true);
    expect(heldAgainstModel(catalog.get('vme')!, 'kvm')).toBe(true);
    expect(heldAgainstModel(catalog.get('vme')!, 'tcg')).toBe(false);
    const [v] = usableModels(catalog.emptySet(), ['Westmere']);
    expect(v!.usable).toBe(false);
    expect(v!.blockers.map((f) => f.id)).toContain('aes');
  });

  it('refuses a document without host-model, naming the domain type; readDomainCapabilities still reads its models', () => {
    expect(inputErrorMessage(() => parse(fixture('tcg-no-host-model.xml'), 't.xml'))).toMatch(/^t\.xml:1: expected a host-model CPU .*found "domain qemu"/);
    const caps = readDomainCapabilities(fixture('tcg-no-host-model.xml'), 't.xml');
    expect(caps.hostModel).toBeUndefined();
    expect(caps.models.map((m) => m.name)).toEqual(['qemu64']);
    expect(compareUsable(caps, 't.xml')).toEqual([]);
  });

  it('names file and line of a bad model or blockers element', () => {
    const bad = fixture('kvm-epyc-milan.xml').replace("<model usable='yes' vendor='Intel' canonical='Westmere-v1'>", "<model usable='maybe' vendor='Intel'>");
    expect(inputErrorMessage(() => readDomainCapabilities(bad, 'b.xml'))).toMatch(/^b\.xml:\d+(:\d+)?: expected usable='yes', 'no' or 'unknown'.*usable='maybe'/);
    const noModel = fixture('kvm-epyc-milan.xml').replace("<blockers model='EPYC-Milan'>", '<blockers>');
    expect(inputErrorMessage(() => readDomainCapabilities(noModel, 'b.xml'))).toMatch(/^b\.xml:\d+(:\d+)?: expected <blockers model='…'>/);
    expect(inputErrorMessage(() => parse('<capabilities><host/></capabilities>', 'c.xml'))).toMatch(/^c\.xml:1(:\d+)?: expected the output of 'virsh domcapabilities'/);
  });

  it('is detected, and --format libvirt-cpu still reads it the old way', () => {
    expect(detectFormat(fixture('kvm-epyc-milan.xml'))).toBe('virsh-domcapabilities');
    expect(importText(fixture('kvm-epyc-milan.xml'), { file: 'd.xml', format: 'libvirt-cpu' }).format).toBe('libvirt-cpu');
  });

  it('property: damaged documents import or fail with a file:line InputError, never crash', () => {
    expectRobustAgainstDamage(virshDomcapabilitiesImporter, mutatedText(fixture('kvm-epyc-milan.xml')), 'm.xml', 300);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const c = virshDomcapabilitiesImporter.sniff(s);
      expect(c >= 0 && c <= 1).toBe(true);
    }));
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(virshDomcapabilitiesImporter, ['<domainCapabilities><cpu>'], 'p.xml');
  });
});

/**
 * libvirt's own tests/domaincapsdata: read from OPENEVC_DOMCAPS_DIR, or ../shared/oracle/libvirt-domaincapsdata.
 * Every x86_64 QEMU file with a host-model: openevc's answer must agree with libvirt's usable on at least 95% of models.
 */
const DOMCAPS_DIR = process.env.OPENEVC_DOMCAPS_DIR ?? join(SHARED_DIR, 'oracle', 'libvirt-domaincapsdata');
const haveDomcaps = existsSync(DOMCAPS_DIR);

describe.skipIf(!haveDomcaps)('libvirt tests/domaincapsdata agreement (needs ../shared or OPENEVC_DOMCAPS_DIR)', () => {
  it("agrees with libvirt's usable on at least 95% of models", () => {
    const rows = readdirSync(DOMCAPS_DIR)
      .filter((f) => /^qemu_.*x86_64.*\.xml$/.test(f))
      .sort()
      .flatMap((f) => {
        const caps = readDomainCapabilities(readFileSync(join(DOMCAPS_DIR, f), 'utf8'), f);
        return compareUsable(caps, f);
      });
    const { agree, total } = agreement(rows);
    expect(total).toBeGreaterThan(0);
    if (process.env.OPENEVC_DOMCAPS_REPORT) process.stdout.write(renderComparison(rows.filter((r) => !r.agrees)));
    expect(agree / total).toBeGreaterThanOrEqual(0.95);
  });
});
