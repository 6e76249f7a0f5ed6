import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { decodeHost } from '../../core/host.js';
import { identify } from '../../core/identity.js';
import { detectFormat } from '../readers.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { usableModels } from '../virsh-domcapabilities/usable.js';
import { qmpImporter, readQmpReplies } from './reader.js';

const FIX = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const parse = (text: string, file = 'q.json') => qmpImporter.parse(text, { file });

describe('QMP reader', () => {
  for (const name of ['host-expansion', 'definitions-only']) {
    it(`imports ${name}.json (golden)`, () => {
      expectGolden(renderImport(parse(fixture(`${name}.json`), `${name}.json`)), join(FIX, `${name}.expected.txt`));
    });
  }

  it('rebuilds the host from the expansion: true properties are features, false ones are not, identity from the props', () => {
    const dump = parse(fixture('host-expansion.json')).dump;
    const host = decodeHost(dump);
    for (const id of ['avx512f', 'sse4_1', 'lahf_lm', 'pclmulqdq', 'sse3', 'md_clear', 'xsave_ymm']) expect(host.features.has(catalog.get(id)!), id).toBe(true);
    for (const id of ['hle', 'rtm', 'mpx', 'la57', 'invtsc']) expect(host.features.has(catalog.get(id)!), id).toBe(false);
    expect(identify(dump)).toMatchObject({ vendor: 'intel', family: 6, model: 85, stepping: 4, brand: 'Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz' });
    expect(dump.source).toMatchObject({ format: 'qmp', lossy: true });
  });

  it("reads query-cpu-definitions, and QEMU's unavailable-features agree with openevc's models on the same host", () => {
    const replies = readQmpReplies(fixture('host-expansion.json'), 'q.json');
    expect(replies.definitions!.map((d) => [d.name, d.unavailable.length, d.aliasOf ?? null])).toEqual([
      ['Skylake-Server-IBRS', 3, null],
      ['Skylake-Server-noTSX-IBRS', 1, null],
      ['Cascadelake-Server', 4, null],
      ['Westmere', 0, 'Westmere-v1'],
    ]);
    const host = decodeHost(parse(fixture('host-expansion.json')).dump).features;
    const verdicts = usableModels(host, replies.definitions!.map((d) => d.name));
    replies.definitions!.forEach((d, i) => {
      expect(verdicts[i]!.blockers.map((f) => f.id).sort(), d.name).toEqual(d.unavailable.map((n) => catalog.resolve(n, 'qemu')!.id).sort());
    });
  });

  it('definitions alone give a lower bound and say so', () => {
    const r = parse(fixture('definitions-only.json'));
    const host = decodeHost(r.dump);
    expect(host.features.has(catalog.get('avx')!)).toBe(true);
    expect(host.features.has(catalog.get('avx2')!)).toBe(false);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/lower bound/);
  });

  it('reports an error reply, and bad JSON, with file and line', () => {
    expect(inputErrorMessage(() => parse(fixture('error-reply.json'), 'e.json'))).toMatch(/^e\.json:2: expected \$\.error to be a successful reply .*GenericError: The CPU type 'host' requires KVM/);
    expect(inputErrorMessage(() => parse('{"return": {"model": {"name": "host", "props": {"avx": tru}}}}', 'b.json'))).toMatch(/^b\.json:1: expected a QMP reply in JSON/);
    expect(inputErrorMessage(() => parse('{"return": [\n {"name": 5}\n]}', 'n.json'))).toMatch(/^n\.json:2: expected \$\.return\[0\]\.name to be a model name/);
    expect(inputErrorMessage(() => parse('{"QMP": {}}', 'g.json'))).toMatch(/^g\.json:1: expected a query-cpu-model-expansion or query-cpu-definitions reply/);
  });

  it('is detected', () => {
    expect(detectFormat(fixture('host-expansion.json'))).toBe('qmp');
    expect(detectFormat(fixture('definitions-only.json'))).toBe('qmp');
  });

  it('property: damaged replies import or fail with a file:line InputError, never crash', () => {
    expectRobustAgainstDamage(qmpImporter, mutatedText(fixture('host-expansion.json')), 'm.json', 300);
    fc.assert(
      fc.property(fc.json(), (j) => {
        try {
          parse(j, 'r.json');
        } catch (e) {
          expect((e as Error).name).toBe('InputError');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(qmpImporter, ['{"return": ', '['], 'p.json');
  });
});
