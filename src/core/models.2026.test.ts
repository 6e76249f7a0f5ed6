import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QEMU_MODELS_SOURCE } from '../data/qemu-models.js';
import { REPO_ROOT } from '../test-support/shared.js';
import { findModel, guestModel, hostModel, listModels } from './models.js';
import type { CpuModel } from './models.js';

/** The models libvirt's cpu_map gained after v11.3.0 (issue 9), with the family each belongs to. */
const NEW_MODELS: readonly string[] = [
  'ClearwaterForest', 'ClearwaterForest-v1', 'ClearwaterForest-v2', 'ClearwaterForest-v3',
  'DiamondRapids', 'DiamondRapids-v1',
  'EPYC-Turin', 'EPYC-Turin-v1',
  'YongFeng', 'YongFeng-v1', 'YongFeng-v2',
  'EPYC-v5', 'EPYC-Rome-v5', 'EPYC-Milan-v3', 'EPYC-Genoa-v2',
  'GraniteRapids-v3', 'GraniteRapids-v4', 'GraniteRapids-v5',
  'SapphireRapids-v4', 'SapphireRapids-v5', 'SapphireRapids-v6',
  'SierraForest-v2', 'SierraForest-v3', 'SierraForest-v4', 'SierraForest-v5',
];

function model(name: string): CpuModel {
  const m = findModel(name);
  expect(m, name).toBeDefined();
  return m!;
}

describe('CPU models: the cpu_map of 2026', () => {
  it('holds every model added since libvirt 11.3', () => {
    const names = new Set(listModels().map((m) => m.name));
    expect(NEW_MODELS.filter((n) => !names.has(n))).toEqual([]);
  });

  it('gives the new families their vendor and signature', () => {
    expect(model('ClearwaterForest')).toMatchObject({ vendor: 'intel', signatures: [{ family: 6, model: 221 }], version: 1, decodeGuest: true });
    expect(model('DiamondRapids')).toMatchObject({ vendor: 'intel', signatures: [{ family: 19, model: 1 }] });
    expect(model('EPYC-Turin')).toMatchObject({ vendor: 'amd', signatures: [{ family: 26, model: 0 }] });
    expect(model('YongFeng')).toMatchObject({ vendor: 'zhaoxin', signatures: [{ family: 7, model: 11 }] });
  });

  it('adds what each new version adds, in catalog ids', () => {
    const adds = (from: string, to: string): string[] => [...model(to).listed.minus(model(from).listed)].map((f) => f.id).sort();
    const cet = ['ibt', 'shstk', 'vmx_entry_load_cet', 'vmx_exit_save_cet'];
    expect(adds('SapphireRapids-v4', 'SapphireRapids-v5')).toEqual(cet);
    expect(adds('SapphireRapids-v5', 'SapphireRapids-v6')).toEqual(['its_no']);
    expect(adds('GraniteRapids-v3', 'GraniteRapids-v4')).toEqual(cet);
    expect(adds('SierraForest-v3', 'SierraForest-v4')).toEqual(cet);
    expect(adds('ClearwaterForest-v2', 'ClearwaterForest-v3')).toEqual(['its_no']);
    expect(adds('EPYC-Genoa-v1', 'EPYC-Genoa-v2')).toEqual(expect.arrayContaining(['perfmon_v2', 'wrmsr_xx_base_ns']));
    expect(model('EPYC-Turin').listed.has('amd_prefetchi')).toBe(true);
    expect(model('DiamondRapids').listed.has('amx_fp8')).toBe(true);
    expect(model('YongFeng').listed.has('rng')).toBe(true);
  });

  it.each(NEW_MODELS)('decodes a CPU that has exactly %s as that model family, with nothing to add', (name) => {
    const m = model(name);
    const cpu = { features: m.listed, vendor: m.vendor, signature: m.signatures[0] ? { ...m.signatures[0], stepping: 0 } : undefined };
    const host = hostModel(cpu)!;
    expect(host, name).toBeDefined();
    expect(host.model.family, name).toBe(m.family);
    expect(host.require.isEmpty, name).toBe(true);
    if (m.decodeGuest) expect(guestModel(cpu)?.model.name, name).toBe(m.name);
  });
});

describe('CPU models: where the table comes from', () => {
  it('says which cpu_map it was generated from, and docs/models.md says the same', () => {
    expect(QEMU_MODELS_SOURCE).toContain('master of 2026');
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'models.md'), 'utf8');
    const source = QEMU_MODELS_SOURCE.replace(/^libvirt cpu_map /, '').replace(/ \(mirroring QEMU builtin_x86_defs\)$/, '');
    expect(doc).toContain(source);
    expect(doc).toContain(`${listModels().length} x86 models`);
  });
});
