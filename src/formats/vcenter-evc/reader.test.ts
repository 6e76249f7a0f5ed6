import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importText } from '../readers.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { fixtureDir, renderFleetImport } from '../../test-support/fleet.js';
import { expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { readSupportedEvcModes, vcenterEvcImporter } from './reader.js';
import { builtinEvcModes, EvcModeSet, maskFeatures } from '../../core/evc.js';
import { InputError } from '../../core/errors.js';
import { getProfile, visibleFeatures } from '../../core/profiles.js';
import { compared, mode } from '../../test-support/evc.js';

const DIR = fixtureDir('vcenter-evc');
const CORE_FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'supported-evc-modes.json');
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

  it('names file, line and JSON path of a bad mask', () => {
    const bad = array.replace('"Val:1"', '"Val:yes"');
    expect(inputErrorMessage(() => readSupportedEvcModes(bad, 'm.json'))).toMatch(/^m\.json:\d+:\d+: expected \$\[0\]\.featureMask\[0\]\.value to be a mask value Val:<n>/);
  });

  it('property: damaged lists import or fail with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(vcenterEvcImporter, mutatedText(array), 'in.json', 300);
  });
});

const esxi = getProfile('esxi');
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('readSupportedEvcModes: a vCenter supportedEVCMode list', () => {
  it('converts guaranteedCPUFeatures masks and featureMask keys into feature sets through the catalog', () => {
    const { modes, diagnostics } = readSupportedEvcModes(fixture('supported-evc-modes.json'), 'supported-evc-modes.json');
    expect(modes.map((m) => m.key)).toEqual(['intel-penryn', 'intel-lab']);
    const penryn = modes[0]!;
    // Everything vMotion compares equals the built-in Penryn mode.
    expect(compared(penryn.features, penryn)).toEqual(compared(mode('intel-penryn').features, penryn));
    expect(penryn.features.has('syscall')).toBe(true);
    expect(penryn.origin).toBe('loaded from supported-evc-modes.json');
    expect(modes[1]!.features.minus(penryn.features).ids()).toEqual(['popcnt']);
    // IBPB's key names AMD's bit: not a bit of an Intel mode, and said so.
    expect(penryn.features.has('amd_ibpb')).toBe(false);
    expect(diagnostics.map((d) => d.message)).toEqual(['supported-evc-modes.json: mode intel-penryn: ignored amd_ibpb (bits intel CPUs do not define)']);
  });

  it('replaces built-in modes by key and adds new ones', () => {
    const { modes } = readSupportedEvcModes(fixture('supported-evc-modes.json'), 'f.json');
    const set = builtinEvcModes().withOverrides(modes);
    const penryn = set.require('intel-penryn');
    expect(penryn.origin).toBe('loaded from f.json');
    // A replaced mode keeps its place in the ladder; its additions are shown against the mode below.
    expect(penryn.tier).toBe(1);
    expect(penryn.tracks).toEqual(['intel']);
    expect(penryn.adds.flatMap((a) => a.features.map((f) => f.id))).toContain('sse4_1');
    expect(set.list('intel').length).toBe(13);
    const lab = set.require('intel-lab');
    expect(lab.tracks).toEqual(['sample-track']);
    expect(lab.vcenter).toEqual({ track: ['sample-track'], vendorTier: 1 });
    // A host with Penryn's features plus POPCNT reaches the loaded lab mode (same tier, more features).
    expect(set.max(visibleFeatures(lab.features, esxi, 'intel'), 'intel')?.key).toBe('intel-lab');
    expect(builtinEvcModes().get('intel-lab')).toBeUndefined();
  });

  it('reads govc-style capitalised fields, a bare array, a single mode, and keys in any case', () => {
    const govc = JSON.stringify([
      {
        Key: 'amd-rev-f',
        Label: 'AMD Opteron Generation 2 (Rev. F)',
        Vendor: 'AMD',
        VendorTier: 1,
        GuaranteedCPUFeatures: [{ Level: -2147483647, Vendor: '', Eax: '0000:0000:0000:0000:0000:0000:0000:0000', Edx: '1000:1000:0000:0000:0000:0000:0000:0000' }],
      },
    ]);
    const [revf] = readSupportedEvcModes(govc).modes;
    expect(revf!.vendor).toBe('amd');
    // Closed over catalog dependencies: MMX needs FXSR (Linux cpuid-deps.c), so the set holds fxsr too.
    expect(revf!.features.ids().sort()).toEqual(['3dnow', 'fpu', 'fxsr', 'mmx', 'rdtscp', 'tsc']);
    const single = readSupportedEvcModes(JSON.stringify({ key: 'intel-merom', featureMask: [{ key: 'cpuid.SSE3', value: 'Val:1' }, { key: 'cpuid.NX', value: 'Min:1' }] }));
    expect(single.modes[0]!.features.has('sse3') && single.modes[0]!.features.has('nx')).toBe(true);
    expect(new EvcModeSet(single.modes).get('INTEL-MEROM')?.key).toBe('intel-merom');
  });

  it('rejects bad input with file, line and what was expected', () => {
    const bad = (text: string): string => {
      try {
        readSupportedEvcModes(text, 'modes.json');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad('{ "supportedEVCMode": [ { "key": "intel-x", ]')).toMatch(/^modes\.json:1:\d+: expected valid JSON/);
    expect(bad('{\n  "supportedEVCMode": 3\n}')).toBe('modes.json:2:23: expected $.supportedEVCMode to be a list of EVCMode objects (vCenter supportedEVCMode), found "3"');
    expect(bad('[\n  { "key": "intel-x",\n    "guaranteedCPUFeatures": [ { "level": 1,\n      "ecx": "0000:0001" } ] }\n]')).toMatch(
      /^modes\.json:4:14: expected \$\[0\]\.guaranteedCPUFeatures\[0\]\.ecx to be a 32-character mask/,
    );
    expect(bad('[{ "key": "x-y", "featureMask": [] }]')).toMatch(/^modes\.json:1:\d+: expected \$\[0\]\.vendor to be "intel" or "amd"/);
    expect(bad('[{ "key": "intel-x" }]')).toBe(
      'modes.json:1:2: expected $[0] to have guaranteedCPUFeatures or featureMask (the mode\'s feature set), found "neither in mode intel-x"',
    );
    expect(bad('[{ "key": "intel-x", "featureMask": [ { "key": "cpuid.SSE3", "value": "yes" } ] }]')).toMatch(/expected \$\[0\]\.featureMask\[0\]\.value to be a mask value Val:<n>, Min:<n> or Max:<n>, found "yes"$/);
    expect(bad('[{ "key": "intel-x", "featureMask": [] }, { "key": "INTEL-X", "featureMask": [] }]')).toMatch(/^modes\.json:1:52: expected \$\[1\]\.key to be a key not used before in the list, found "INTEL-X"$/);
    expect(bad('[{ "key": "intel-x", "guaranteedCPUFeatures": [ { "level": 4294967296 } ] }]')).toMatch(/expected .*level to be the CPUID leaf/);
  });

  it('decodes masks with the bit order vSphere uses (leftmost character = bit 31)', () => {
    const s = maskFeatures([{ reg: '80000001.edx', pass: 1 << 29 }]);
    expect(s.ids()).toEqual(['lm']);
    const [m] = readSupportedEvcModes(JSON.stringify([{ key: 'intel-x', guaranteedCPUFeatures: [{ level: -2147483647, edx: '0010' + '0'.repeat(28) }] }])).modes;
    expect(m!.features.has('lm')).toBe(true);
  });
});
