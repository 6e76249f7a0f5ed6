import { describe, expect, it } from 'vitest';
import { Catalog, catalog } from './catalog.js';
import { ModelTable, builtinModels, libvirtUnmigratable } from './models.js';
import type { CpuModel } from './models.js';
import { QEMU_MODEL_FAMILIES } from '../data/qemu-models.js';
import { FEATURE_TABLE } from '../data/features.js';

/** A model as plain data: every field, sets as feature ids. */
function plain(m: CpuModel): unknown {
  const ids = (s: CpuModel['listed']) => [...s].map((f) => f.id);
  return { ...m, listed: ids(m.listed), features: ids(m.features), decodeFeatures: ids(m.decodeFeatures), libvirtAdded: ids(m.libvirtAdded), libvirtRemoved: ids(m.libvirtRemoved) };
}

describe('the precomputed model table (what the CLI bundles carry)', () => {
  const resolved = new ModelTable(QEMU_MODEL_FAMILIES, libvirtUnmigratable());
  const compact = JSON.parse(JSON.stringify(resolved.toCompact())) as ReturnType<ModelTable['toCompact']>;
  const rebuilt = new ModelTable(compact);

  it('rebuilds every model, field by field and set by set, from JSON', () => {
    expect(rebuilt.models.length).toBe(resolved.models.length);
    expect(rebuilt.models.map(plain)).toEqual(resolved.models.map(plain));
    expect([...rebuilt.unmigratable].map((f) => f.id)).toEqual([...resolved.unmigratable].map((f) => f.id));
    expect([...rebuilt.known].map((f) => f.id)).toEqual([...resolved.known].map((f) => f.id));
    for (const name of ['IvyBridge', 'ivybridge', 'Haswell-noTSX', 'EPYC-Rome-v2']) expect(rebuilt.get(name)?.name).toBe(resolved.get(name)?.name);
  });

  it('keeps an alias and its versioned name on one definition (shared sets, stored once)', () => {
    const alias = rebuilt.get('IvyBridge')!;
    const versioned = rebuilt.get(alias.versionedName!)!;
    expect(alias.listed).toBe(versioned.listed);
    expect(compact.defs.length).toBeLessThan(compact.models.length);
  });

  it('refuses a table made for another catalog (a feature added or reordered)', () => {
    const other = new Catalog([...FEATURE_TABLE].reverse());
    expect(other.fingerprint()).not.toBe(catalog.fingerprint());
    expect(() => new ModelTable(compact, [], other)).toThrow(/another feature catalog/);
  });

  it('is not used by the library itself (tests and the library resolve the data)', () => {
    expect(builtinModels().models.map(plain)).toEqual(resolved.models.map(plain));
  });
});
