/**
 * openevc's CPU models against the QEMU installed: the drift data the exporters rely on
 * (src/data/qemu-model-drift.ts, measured on QEMU 7.2) must be what this QEMU reports, so a
 * change shows up here feature by feature. Identity (vendor, family, model, stepping range)
 * is compared with the model data's signatures, and the differences are listed.
 */
import { describe, expect, it } from 'vitest';
import { modelNames11_3 } from '../../test-support/models-11-3.js';
import { hasShared } from '../../test-support/shared.js';
import { builtinModels, findModel } from '../../core/models.js';
import { catalog } from '../../core/catalog.js';
import { QEMU_DRIFT_SOURCE, QEMU_MODEL_DRIFT, QEMU_OBSERVED_MODELS } from '../../data/qemu-model-drift.js';
import { skipQemu } from '../../test-support/qemu.js';
import type { DriftObservation } from './model-drift.js';
import { observeModelDrift } from './model-drift.js';

describe('the drift data', () => {
  it('names versioned models openevc has and catalog features only', () => {
    for (const name of QEMU_OBSERVED_MODELS) expect(findModel(name)?.isVersioned, name).toBe(true);
    for (const [name, d] of Object.entries(QEMU_MODEL_DRIFT)) {
      expect(QEMU_OBSERVED_MODELS, name).toContain(name);
      for (const id of [...(d.extra ?? []), ...(d.missing ?? [])]) expect(catalog.get(id)?.qemu, `${name}: ${id}`).toBeDefined();
    }
    expect(QEMU_DRIFT_SOURCE).toMatch(/^QEMU 7\.2\./);
  });
});

describe.skipIf(skipQemu)('QEMU model drift against the installed QEMU (needs qemu-system-x86_64)', () => {
  let obs: DriftObservation | undefined;
  const observe = async () => (obs ??= await observeModelDrift());

  it('this QEMU knows every model the drift data was measured on, and means the same by each', async () => {
    const o = await observe();
    const known = new Set(o.observed);
    expect(QEMU_OBSERVED_MODELS.filter((m) => !known.has(m)), o.qemu).toEqual([]);
    const measured = Object.fromEntries(Object.entries(o.drift).filter(([m]) => QEMU_OBSERVED_MODELS.includes(m)));
    expect(measured, `${o.qemu} vs ${QEMU_DRIFT_SOURCE}`).toEqual(QEMU_MODEL_DRIFT);
    // A newer QEMU knows models the data has no drift for: say which (the exporters say it too).
    const newer = o.observed.filter((m) => !QEMU_OBSERVED_MODELS.includes(m));
    if (newer.length > 0) console.info(`${o.qemu} knows models newer than the drift data: ${newer.join(', ')} (regenerate with scripts/gen-qemu-drift.mjs)`);
  });

  it('lists the models openevc has and QEMU 7.2 does not (all newer than it)', async (ctx) => {
    const o = await observe();
    if (!o.qemu.startsWith('QEMU 7.2.')) ctx.skip(); // another QEMU knows another set
    if (!hasShared) ctx.skip(); // libvirt 11.3's model list is read from ../shared
    // Libvirt 11.3's models newer than QEMU 7.2, then every model the table gained after libvirt 11.3.
    const after11_3 = new Set(modelNames11_3());
    expect(o.unknown.filter((n) => after11_3.has(n))).toEqual([
      'Icelake-Server-v7', 'SapphireRapids-v1', 'SapphireRapids-v2', 'SapphireRapids-v3', 'GraniteRapids-v1', 'GraniteRapids-v2',
      'SierraForest-v1', 'EPYC-v4', 'EPYC-Rome-v3', 'EPYC-Rome-v4', 'EPYC-Milan-v2', 'EPYC-Genoa-v1',
    ]);
    expect(o.unknown.filter((n) => !after11_3.has(n))).toEqual(builtinModels().models.filter((m) => m.isVersioned && !after11_3.has(m.name)).map((m) => m.name));
    expect(o.observed.length + o.unknown.length).toBe(builtinModels().models.filter((m) => m.isVersioned).length);
  });

  it('identity: QEMU 7.2 gives the vendor and signature openevc\u2019s model data says, except these', async (ctx) => {
    const o = await observe();
    if (!o.qemu.startsWith('QEMU 7.2.')) ctx.skip();
    // Icelake-Server v1-v3 report model 134 (0x86, Snow Ridge's number) where libvirt's signature says 106 (0x6A);
    // QEMU's Opteron_G3 is family 16 model 2 (Barcelona), libvirt's signature family 15 model 6.
    expect(o.identity.map((d) => `${d.model} ${d.field}: openevc ${d.openevc}, QEMU ${d.qemu}`)).toEqual([
      'Icelake-Server-v1 model: openevc 106, QEMU 134',
      'Icelake-Server-v2 model: openevc 106, QEMU 134',
      'Icelake-Server-v3 model: openevc 106, QEMU 134',
      'Opteron_G3-v1 family: openevc 15, QEMU 16',
      'Opteron_G3-v1 model: openevc 6, QEMU 2',
    ]);
  });
});
