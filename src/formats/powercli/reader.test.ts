import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fidelityOf } from '../../core/cpuid.js';
import { importText } from '../readers.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { fixtureDir, renderFleetImport } from '../../test-support/fleet.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { powercliImporter } from './reader.js';

const DIR = fixtureDir('powercli');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const inputs = readdirSync(DIR).filter((n) => n.endsWith('.json') && !n.startsWith('bad-'));

describe('PowerCLI reader', () => {
  it.each(inputs)('reads %s as its golden file says', (name) => {
    const r = importText(read(name), { file: name });
    expect(r.format).toBe('powercli');
    expectGolden(renderFleetImport(r), join(DIR, name.replace(/\.json$/, '.golden.txt')));
  });

  it('reads Windows PowerShell 5.1 layout (CRLF, two spaces after the colon) with PascalCase keys', () => {
    const f = importText(read('vmhosts-ps51.json'), { file: 'h.json' }).fleet!;
    expect(f.hosts.map((h) => [h.name, h.ref, h.maxEvcModeKey, fidelityOf(h.dump.source)])).toEqual([
      ['esx-41.corp.example', 'HostSystem:host-41', 'intel-haswell', 'flags'],
      ['esx-42.corp.example', 'HostSystem:host-42', 'intel-skylake', 'flags'],
    ]);
    expect(f.hosts[0]!.dump.get(1)?.eax).toBe(0x000306f2);
  });

  it('reads numeric power states (ConvertTo-Json without -EnumsAsStrings) and says the mapping is assumed', () => {
    const r = importText(read('vms-ps7.json'), { file: 'v.json' });
    expect(r.fleet!.vms.map((v) => v.powerState)).toEqual(['poweredOn', 'poweredOff']);
    expect(r.diagnostics.some((d) => /power state given as the number 1, read as poweredOn .*unconfirmed/.test(d.message))).toBe(true);
  });

  it('says to raise -Depth when objects were cut to their type names', () => {
    expect(inputErrorMessage(() => importText(read('bad-depth.json'), { file: 'd.json' }))).toMatch(
      /^d\.json:\d+:\d+: expected \$\[0\]\.Hardware\.CpuFeature\[0\] to be a HostCpuIdInfo object .* export with a larger ConvertTo-Json -Depth\), found "VMware\.Vim\.HostCpuIdInfo"$/,
    );
  });

  it('property: damaged PowerCLI JSON imports or fails with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(powercliImporter, fc.oneof(...inputs.map((n) => mutatedText(read(n)))), 'in.json', 300);
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(powercliImporter, ['[{"MoRef":{"Type":"HostSystem","Value":"h"},"Hardware":{"CpuFeature":', ''], 'p.json');
  });
});
