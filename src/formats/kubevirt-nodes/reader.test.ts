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
import { kubevirtNodesImporter } from './reader.js';

const DIR = fixtureDir('kubevirt-nodes');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const inputs = readdirSync(DIR).filter((n) => n.endsWith('.json') && !n.startsWith('bad-'));

describe('KubeVirt node list reader', () => {
  it.each(inputs)('reads %s as its golden file says', (name) => {
    const r = importText(read(name), { file: name });
    expect(r.format).toBe('kubevirt-nodes');
    expectGolden(renderFleetImport(r), join(DIR, name.replace(/\.json$/, '.golden.txt')));
  });

  it('makes one host per labelled node, from host-model plus feature labels, at flags fidelity', () => {
    const r = importText(read('nodes.json'), { file: 'n.json' });
    const hosts = r.fleet!.hosts;
    expect(hosts.map((h) => h.name)).toEqual(['kv-node-01', 'kv-node-02']);
    for (const h of hosts) expect(fidelityOf(h.dump.source)).toBe('flags');
    const b1 = catalog.decode(hosts[0]!.dump);
    const b2 = catalog.decode(hosts[1]!.dump);
    expect(b1.has('avx512f') && b1.has('pdpe1gb') && b1.has('invtsc')).toBe(true); // model, required, feature labels
    expect(b1.has('avx512_vnni')).toBe(false);
    expect(b2.has('avx512_vnni')).toBe(true);
    expect(r.diagnostics.some((d) => /node cp-01 has no KubeVirt CPU labels/.test(d.message))).toBe(true);
  });

  it('refuses a node list with no KubeVirt labels, and other JSON, naming file and line', () => {
    const bare = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Node', metadata: { name: 'a', labels: {} } }] }, null, 2);
    expect(inputErrorMessage(() => importText(bare, { file: 'b.json', format: 'kubevirt-nodes' }))).toMatch(/^b\.json:1:1: expected \$ to be at least one node with KubeVirt CPU labels/);
    expect(inputErrorMessage(() => importText('{"kind":"Pod"}', { file: 'p.json', format: 'kubevirt-nodes' }))).toMatch(/^p\.json:1:1: expected \$ to be a Node or a List of Nodes/);
    const node = JSON.parse(read('node-amd.json')) as { metadata: { labels: unknown } };
    node.metadata.labels = ['cpu-feature.node.kubevirt.io/avx2'];
    const badLabels = JSON.stringify(node, null, 2);
    expect(inputErrorMessage(() => importText(badLabels, { file: 'l.json', format: 'kubevirt-nodes' }))).toMatch(/^l\.json:\d+:\d+: expected \$\.metadata\.labels to be a map of labels/);
  });

  it('property: damaged node lists import or fail with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(kubevirtNodesImporter, fc.oneof(...inputs.map((n) => mutatedText(read(n)))), 'in.json', 300);
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(kubevirtNodesImporter, ['{"kind":"List","items":[{"kind":"Node","metadata":{"labels":', ''], 'p.json');
  });
});
