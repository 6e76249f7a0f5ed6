import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evcTarget, minimalTarget } from '../../core/target.js';
import { getProfile } from '../../core/profiles.js';
import { featMaskSettings } from '../featmask/writer.js';
import { exporterFor } from '../writers.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { runCli } from '../../test-support/cli.js';
import { SEED002, TARGET_CASES, caseTarget, describeExport, effectiveGuest, exampleHost, linesMask } from '../../test-support/targets.js';
import { UNCONFIRMED, vsphereEvcExporter, vsphereEvcMode } from './writer.js';

const FIX = join(import.meta.dirname, 'fixtures');
/** The masks as per-VM featMask lines: the same keys and values, read back by the project's own parser. */
const asFeatMaskLines = (text: string): string =>
  (JSON.parse(text) as { masks: { key: string; value: string }[] }).masks.map((m) => `featMask.vm.${m.key} = "${m.value}"`).join('\n') + '\n';

describe('vsphere-evc writer', () => {
  for (const c of TARGET_CASES.filter((x) => x.name !== 'subleaf-kvm')) {
    it(`${c.name}: golden`, () => {
      expectGolden(describeExport(vsphereEvcExporter.render(caseTarget(c, vsphereEvcExporter.defaultProfile))), join(FIX, `${c.name}.txt`));
    });
  }

  it('is exactly the Vcenter EvcMode schema: key, and masks of key, name and value', () => {
    const t = minimalTarget(SEED002.map(exampleHost), { profile: getProfile('esxi') });
    const body = JSON.parse(vsphereEvcExporter.render(t).text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['key', 'masks']);
    expect(typeof body.key).toBe('string');
    for (const m of body.masks as Record<string, unknown>[]) {
      expect(Object.keys(m)).toEqual(['key', 'name', 'value']);
      expect(m.key).toMatch(/^cpuid\.[A-Za-z0-9_]+$/);
      expect(m.value).toMatch(/^(Val|Min):\d+$/);
    }
    expect(vsphereEvcExporter.render(t, { name: 'lab-westmere' }).text).toContain('"key": "lab-westmere"');
  });

  it('uses the featMask keys and values: the Val:0 masks are the per-VM featMask lines, and an EVC target gives the same set', () => {
    for (const c of TARGET_CASES.filter((x) => x.profile === undefined && x.name !== 'subleaf')) {
      const t = caseTarget(c, 'esxi');
      const { mode } = vsphereEvcMode(t);
      const hidden = mode.masks.filter((m) => m.value === 'Val:0').map((m) => `featMask.vm.${m.key} = "${m.value}"`);
      expect(hidden, c.name).toEqual(featMaskSettings(t).lines.filter((l) => l.endsWith('"Val:0"')));
      if (t.kind === 'evc') expect(mode.masks.map((m) => `featMask.vm.${m.key} = "${m.value}"`), c.name).toEqual(featMaskSettings(t).lines);
    }
  });

  it('applied on every host (read back as featMask lines), gives each exactly the mode\'s features', () => {
    for (const c of TARGET_CASES.filter((x) => x.profile === undefined && x.name !== 'subleaf')) {
      const t = caseTarget(c, 'esxi');
      const mask = linesMask(asFeatMaskLines(vsphereEvcExporter.render(t).text));
      for (const h of t.hosts) expect(effectiveGuest(h, mask, t.profile).ids(), `${c.name}: ${h.dump.source.path}`).toEqual(t.features.ids());
    }
  });

  it('marks what is unconfirmed, on every rendering', () => {
    const t = evcTarget(SEED002.map(exampleHost), 'intel-westmere', { profile: getProfile('esxi') });
    const messages = vsphereEvcExporter.render(t).diagnostics.map((d) => d.message);
    for (const u of UNCONFIRMED) expect(messages).toContain(`UNCONFIRMED: ${u}`);
    expect(JSON.parse(vsphereEvcExporter.render(t).text).key).toBe('openevc-intel-westmere');
  });

  it('openevc mask --format vsphere-evc writes the body on stdout and the unconfirmed points on stderr', async () => {
    const r = await runCli('mask', '--format', 'vsphere-evc', ...SEED002.map((p) => join('examples', p)));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).masks[0]).toEqual({ key: 'cpuid.intel', name: 'cpuid.intel', value: 'Min:1' });
    expect(r.stderr).toMatch(/UNCONFIRMED: the vSphere 9 API documents an EvcMode key as system generated/);
    expect(exporterFor('vsphere-evc')).toBe(vsphereEvcExporter);
  });
});
