import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEvcModes } from '../../core/evc.js';
import { importText } from '../../importers/index.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { fixtureDir, renderFleetImport } from '../../test-support/fleet.js';
import { expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { readSupportedEvcModes, vcenterEvcImporter } from './reader.js';

const DIR = fixtureDir('vcenter-evc');
const CORE_FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'fixtures', 'evc', 'supported-evc-modes.json');
const array = readFileSync(join(DIR, 'supported-evc-modes-array.json'), 'utf8');
const wrapped = readFileSync(CORE_FIXTURE, 'utf8');

describe('vCenter supportedEVCMode reader', () => {
  it('reads the bare array govc -s prints, as its golden file says', () => {
    const r = importText(array, { file: 'modes.json' });
    expect(r.format).toBe('vcenter-evc');
    expect(r.fleet!.hosts).toEqual([]);
    expectGolden(renderFleetImport(r), join(DIR, 'supported-evc-modes-array.golden.txt'));
  });

  it('is detected on the { supportedEVCMode: [...] } form too', () => {
    expect(importText(wrapped, { file: 'w.json' }).format).toBe('vcenter-evc');
  });

  it('reads govc change-set output of capability.supportedEVCMode (without -s) too', () => {
    const cs = JSON.stringify([{ name: 'capability.supportedEVCMode', op: 'assign', val: JSON.parse(array) }]);
    const r = importText(cs, { file: 'cs.json' });
    expect(r.format).toBe('vcenter-evc');
    expect(r.fleet!.evcModes!.map((m) => m.key)).toEqual(['intel-westmere', 'amd-zen']);
  });

  it("gives the same modes as core's loadEvcModes, so the loader can be switched to it", () => {
    for (const text of [array, wrapped]) {
      const a = readSupportedEvcModes(text, 'f.json');
      const b = loadEvcModes(text, 'f.json');
      expect(a.modes.map((m) => [m.key, m.vendor, m.features.ids()])).toEqual(b.modes.map((m) => [m.key, m.vendor, m.features.ids()]));
      expect(a.diagnostics).toEqual(b.diagnostics);
    }
  });

  it('names file, line and JSON path of a bad mask', () => {
    const bad = array.replace('"Val:1"', '"Val:yes"');
    expect(inputErrorMessage(() => readSupportedEvcModes(bad, 'm.json'))).toMatch(/^m\.json:\d+:\d+: expected \$\[0\]\.featureMask\[0\]\.value to be a mask value Val:<n>/);
  });

  it('property: damaged lists import or fail with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(vcenterEvcImporter, mutatedText(array), 'in.json', 300);
  });
});
