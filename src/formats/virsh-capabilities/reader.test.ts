import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { decodeHost } from '../../core/host.js';
import { identify } from '../../core/identity.js';
import { expandModel } from '../../core/models.js';
import { detectFormat, importText } from '../readers.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { virshCapabilitiesImporter, xmlRootName } from './reader.js';

const FIX = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const parse = (text: string, file = 'c.xml') => virshCapabilitiesImporter.parse(text, { file });

describe('virsh capabilities reader', () => {
  it('imports the host CPU (golden)', () => {
    expectGolden(renderImport(parse(fixture('capabilities.xml'), 'capabilities.xml')), join(FIX, 'capabilities.expected.txt'));
  });

  it('rebuilds the host: its model, its extra features, vendor and signature; the <guest> sections are passed over', () => {
    const r = parse(fixture('capabilities.xml'));
    expect(r.format).toBe('virsh-capabilities');
    expect(r.cpus).toHaveLength(1);
    const host = decodeHost(r.dump);
    for (const f of expandModel('Cascadelake-Server')) expect(host.features.has(f), f.id).toBe(true);
    for (const n of ['vmx', 'umip', 'md-clear', 'xsaves', 'ibrs-all', 'tsx-ctrl']) expect(host.features.has(catalog.resolve(n, 'libvirt')!), n).toBe(true);
    expect(identify(r.dump)).toMatchObject({ vendor: 'intel', family: 6, model: 85, stepping: 7 });
    expect(r.dump.source).toMatchObject({ format: 'virsh-capabilities', lossy: true });
  });

  it('refuses other documents and a capabilities document without a host CPU, naming file and line', () => {
    expect(inputErrorMessage(() => parse("<cpu><model>Haswell</model></cpu>", 'x.xml'))).toMatch(/^x\.xml:1: expected the output of 'virsh capabilities'/);
    expect(inputErrorMessage(() => parse('<capabilities>\n  <host>\n  </host>\n</capabilities>', 'e.xml'))).toMatch(/^e\.xml:1(:\d+)?: expected a libvirt <cpu> definition/);
    const unknown = fixture('capabilities.xml').replace("<feature name='umip'/>", "<feature name='no-such-feature'/>");
    expect(inputErrorMessage(() => parse(unknown, 'u.xml'))).toMatch(/^u\.xml:19(:\d+)?: expected a CPU feature libvirt knows .*no-such-feature/);
  });

  it('is detected; --format libvirt-cpu still reads the file', () => {
    expect(detectFormat(fixture('capabilities.xml'))).toBe('virsh-capabilities');
    expect(importText(fixture('capabilities.xml'), { file: 'c.xml', format: 'libvirt-cpu' }).format).toBe('libvirt-cpu');
    expect(xmlRootName('<?xml version="1.0"?>\n<!-- c -->\n<capabilities>')).toBe('capabilities');
  });

  it('property: damaged documents import or fail with a file:line InputError, never crash', () => {
    expectRobustAgainstDamage(virshCapabilitiesImporter, mutatedText(fixture('capabilities.xml')), 'm.xml', 300);
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      const c = virshCapabilitiesImporter.sniff(s);
      expect(c >= 0 && c <= 1).toBe(true);
    }));
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(virshCapabilitiesImporter, ['<capabilities><host><cpu>'], 'p.xml');
  });
});
