import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fidelityOf } from '../../core/cpuid.js';
import { hostMaxEvcMode } from '../../core/evc.js';
import { decodeHost } from '../../core/host.js';
import { importText } from '../readers.js';
import { toCanonicalJson } from '../openevc-json/reader.js';
import { loadInput } from '../../node/load.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { fixtureDir, renderFleetImport } from '../../test-support/fleet.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { rvtoolsImporter } from './reader.js';

const DIR = fixtureDir('rvtools');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const csvs = readdirSync(DIR).filter((n) => n.endsWith('.csv') && !n.startsWith('bad-'));

describe('RVTools reader', () => {
  it.each(csvs)('reads %s as its golden file says', (name) => {
    const r = importText(read(name), { file: name });
    expect(r.format).toBe('rvtools');
    expectGolden(renderFleetImport(r), join(DIR, name.replace(/\.csv$/, '.golden.txt')));
  });

  it('reads the xlsx workbook (exceljs, in the Node edge): vHost, vInfo and vCluster sheets, others passed over', async () => {
    const r = await loadInput(join(DIR, 'rvtools-export.xlsx'));
    expect(r.format).toBe('rvtools');
    expectGolden(renderFleetImport({ ...r, diagnostics: r.diagnostics.map((d) => ({ ...d, where: d.where ? { ...d.where, file: 'rvtools-export.xlsx' } : undefined })) }), join(DIR, 'rvtools-export.golden.txt'));
    const f = r.fleet!;
    expect(f.hosts.map((h) => h.name)).toEqual(['esx-51.dc1.example', 'esx-52.dc1.example', 'esx-53.dc1.example']);
    expect(f.vms.length).toBe(4);
    expect(f.clusters.map((c) => [c.name, c.currentEvcModeKey ?? null])).toEqual([['gold', 'intel-broadwell'], ['silver', null]]);
  });

  it('knows hosts by EVC key only, and takes them to have exactly that mode', () => {
    const f = importText(read('tabvHost.csv'), { file: 'h.csv' }).fleet!;
    for (const h of f.hosts) {
      expect(fidelityOf(h.dump.source)).toBe('evc-key');
      expect(hostMaxEvcMode(decodeHost(h.dump))?.key).toBe(h.dump.source.evcKey);
    }
    expect(f.hosts.map((h) => h.dump.source.evcKey)).toEqual(['intel-skylake', 'intel-broadwell', 'intel-haswell']);
    expect(f.hosts.map((h) => h.cluster)).toEqual(['gold', 'gold', 'silver']);
  });

  it('an EVC-key host saved as openevc JSON keeps its fidelity and key', () => {
    const h = importText(read('tabvHost.csv'), { file: 'h.csv' }).fleet!.hosts[2]!;
    const back = importText(toCanonicalJson(h.dump), { file: 'saved.json' }).dump;
    expect(back.source).toMatchObject({ format: 'rvtools', lossy: true, fidelity: 'evc-key', evcKey: 'intel-haswell' });
    expect(back.list()).toEqual(h.dump.list());
  });

  it('skips a host whose EVC key it does not know, saying so', () => {
    const r = importText(read('tabvHost.csv'), { file: 'h.csv' });
    expect(r.diagnostics.some((d) => d.level === 'warning' && /host esx-54\.dc1\.example skipped: EVC mode key "intel-graniterapids" is not one openevc knows/.test(d.message) && d.where?.line === 5)).toBe(true);
  });

  it('refuses other tables and bad cells with file and line', () => {
    expect(inputErrorMessage(() => importText('a,b,c\n1,2,3\n', { file: 'x.csv', format: 'rvtools' }))).toMatch(/^x\.csv:1: expected an RVTools vHost, vInfo or vCluster tab/);
    const bad = read('tabvInfo.csv').replace('poweredOn', 'running');
    expect(inputErrorMessage(() => importText(bad, { file: 'i.csv' }))).toMatch(/^i\.csv:2: expected poweredOn, poweredOff or suspended in column "Powerstate" \(line 2\), found "running"/);
    expect(inputErrorMessage(() => importText('Host,Max EVC\n"esx-1,intel-haswell\n', { file: 'q.csv' }))).toMatch(/^q\.csv:2: expected a closing quote/);
  });

  it('property: damaged RVTools CSV imports or fails with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(rvtoolsImporter, fc.oneof(...csvs.map((n) => mutatedText(read(n)))), 'in.csv', 300);
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(rvtoolsImporter, ['Host,Current EVC,Max EVC\n', 'VM,Powerstate\n"', ''], 'p.csv');
  });
});
