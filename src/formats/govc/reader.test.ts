import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { fidelityOf } from '../../core/cpuid.js';
import { importText } from '../readers.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { fixtureDir, renderFleetImport } from '../../test-support/fleet.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { govcImporter } from './reader.js';

const DIR = fixtureDir('govc');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const inputs = readdirSync(DIR).filter((n) => n.endsWith('.json') && !n.includes('.golden.'));

describe('govc reader', () => {
  it.each(inputs)('reads %s as its golden file says', (name) => {
    const r = importText(read(name), { file: name });
    expect(r.format).toBe('govc');
    expectGolden(renderFleetImport(r), join(DIR, name.replace(/\.json$/, '.golden.txt')));
  });

  it('reads raw registers from hardware.cpuFeature; without leaf 7 the host rests on flags, not raw CPUID', () => {
    const r = importText(read('collect-host-changeset.json'), { file: 'h.json' });
    const h = r.fleet!.hosts[0]!;
    expect(h.name).toBe('esx-11.lab.local');
    expect(h.dump.get(1)?.eax).toBe(0x000306f2);
    expect(h.dump.has(0x8000_0001)).toBe(true);
    expect(fidelityOf(h.dump.source)).toBe('flags');
    // Leaf 7 comes from the mode vCenter says the host supports; without that key it is unknown, not invented.
    expect(catalog.decode(h.dump).has('avx2')).toBe(true);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('the features of its max EVC mode intel-haswell fill those leaves');
    const bare = read('collect-host-changeset.json').replace(/\{"name": "summary\.(max|current)EVCModeKey", "op": "assign", "val": "intel-haswell"\},? ?/g, '').replace(/, \]$/m, ']');
    const noKey = importText(bare, { file: 'h.json' }).fleet!.hosts[0]!;
    expect(noKey.maxEvcModeKey).toBeUndefined();
    expect(catalog.decode(noKey.dump).has('avx2')).toBe(false);
  });

  it('fills the leaves cpuFeature lacks from config.featureCapability', () => {
    const h = importText(read('collect-host-capabilities.json'), { file: 'h.json' }).fleet!.hosts[0]!;
    const bits = catalog.decode(h.dump);
    expect(bits.has('avx2')).toBe(true);
    expect(bits.has('adx')).toBe(true);
    expect(h.dump.get(1)?.eax).toBe(0x000406f1); // the registers stay the CPU's own
  });

  it('yields clusters, hosts and VMs from one vCenter export (Go field names), VMs tied to host names', () => {
    const f = importText(read('vcenter-type-gonames.json'), { file: 'v.json' }).fleet!;
    expect(f.clusters.map((c) => [c.name, c.currentEvcModeKey ?? null])).toEqual([['prod-a', 'intel-broadwell'], ['lab-b', null]]);
    expect(f.hosts.map((h) => [h.name, fidelityOf(h.dump.source)])).toEqual([['esx-13.lab.local', 'flags'], ['esx-14.lab.local', 'evc-key']]);
    expect(f.vms.map((v) => [v.name, v.host, v.powerState, v.minRequiredEvcModeKey])).toEqual([
      ['db-01', 'esx-13.lab.local', 'poweredOn', 'intel-broadwell'],
      ['web-07', 'esx-14.lab.local', 'suspended', 'intel-cascadelake'],
      ['build-3', 'esx-14.lab.local', 'poweredOff', 'intel-skylake'],
    ]);
    expect(f.vms[0]!.requires).toEqual(['avx2', 'sse4_2']);
    expect(f.vms[0]!.masked).toEqual(['pcid']);
  });

  it('reads lowerCamel and Go-name spellings alike', () => {
    const camel = read('collect-host-changeset.json');
    const go = camel.replace(/"(name|op|val|level|vendor|eax|ebx|ecx|edx)":/g, (_, k: string) => `"${k[0]!.toUpperCase()}${k.slice(1)}":`);
    expect(go).not.toBe(camel);
    const a = importText(camel, { file: 'a' }).fleet!.hosts[0]!;
    const b = importText(go, { file: 'b' }).fleet!.hosts[0]!;
    expect(b.dump.list()).toEqual(a.dump.list());
  });

  it('an EVC-key-only host has exactly its mode\'s features, marked as such', () => {
    const h = importText(read('host-info.json'), { file: 'i.json' }).fleet!.hosts[1]!;
    expect(h.dump.source.fidelity).toBe('evc-key');
    expect(h.dump.source.evcKey).toBe('intel-haswell');
  });

  it('names file, line and JSON path of a bad value', () => {
    const bad = read('collect-host-changeset.json').replace('"0000:0000:0000:0000:0000:0000:0000:1111"', '"0000:0000:zzzz"');
    expect(inputErrorMessage(() => importText(bad, { file: 'h.json', format: 'govc' }))).toMatch(/^h\.json:1:\d+: expected \$\[0\]\.val\[0\]\.eax to be a host register as 32 bits/);
    expect(inputErrorMessage(() => importText('[{"name":"x","op":"assign","val":1}]', { file: 'n.json', format: 'govc' }))).toMatch(/^n\.json:1:\d+: expected \$ to be govc JSON holding HostSystem/);
    expect(inputErrorMessage(() => importText('[{"name":"summary.maxEVCModeKey","op":"assign","val":"intel-haswell"}', { file: 't.json', format: 'govc' }))).toMatch(/^t\.json:1:\d+: expected valid JSON/);
  });

  it('property: damaged govc JSON imports or fails with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(govcImporter, fc.oneof(...inputs.map((n) => mutatedText(read(n)))), 'in.json', 300);
  });

  it('property: random JSON never crashes it', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (text) => {
        try {
          govcImporter.parse(text, { file: 'r.json' });
        } catch (e) {
          expect((e as Error).name).toMatch(/InputError/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(govcImporter, ['[{"name":"hardware.cpuFeature","op":"assign","val":', ''], 'p.json');
  });
});
