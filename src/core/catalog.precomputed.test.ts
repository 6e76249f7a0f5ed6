import { describe, expect, it } from 'vitest';
import { Catalog, catalog } from './catalog.js';
import { FEATURE_TABLE } from '../data/features.js';

describe('the precomputed catalog (what the CLI bundles carry)', () => {
  const rebuilt = new Catalog(JSON.parse(JSON.stringify(catalog.toCompact())) as ReturnType<Catalog['toCompact']>);

  it('rebuilds every feature with the same values, in the same property order (one object shape)', () => {
    expect(rebuilt.size).toBe(catalog.size);
    rebuilt.features.forEach((f, i) => {
      const want = catalog.features[i]!;
      expect(Object.keys(f), want.id).toEqual(Object.keys(want));
      expect(f, want.id).toStrictEqual(want);
    });
  });

  it('answers lookups, locations and dependency closures as the catalog built from the table', () => {
    for (const name of ['sse4.1', 'SSE41', 'pni', 'avx512f', 'tsc-deadline', 'movbe']) expect(rebuilt.resolve(name)?.id).toBe(catalog.resolve(name)?.id);
    expect(rebuilt.registers().map((r) => [r.leaf, r.subleaf, r.reg, r.mask, [...r.bits]])).toEqual(catalog.registers().map((r) => [r.leaf, r.subleaf, r.reg, r.mask, [...r.bits]]));
    expect(rebuilt.msrBacked().map((f) => f.id)).toEqual(catalog.msrBacked().map((f) => f.id));
    expect(rebuilt.requirements(rebuilt.setOf(['avx512f'])).ids()).toEqual(catalog.requirements(catalog.setOf(['avx512f'])).ids());
  });

  it('keeps the distinctions JSON could blur: a hidden Linux name (null) is not an absent one', () => {
    const hidden = catalog.features.find((f) => f.linux === null)!;
    const absent = catalog.features.find((f) => f.linux === undefined)!;
    expect(rebuilt.get(hidden.id)!.linux).toBeNull();
    expect(rebuilt.get(absent.id)!.linux).toBeUndefined();
    expect(rebuilt.features.filter((f) => f.libvirtMigratable !== undefined).map((f) => f.id)).toEqual(catalog.features.filter((f) => f.libvirtMigratable !== undefined).map((f) => f.id));
  });

  it('carries its fingerprint, the one the catalog computes from its ids', () => {
    expect(rebuilt.fingerprint()).toBe(new Catalog(FEATURE_TABLE).fingerprint());
    expect(new Catalog([...FEATURE_TABLE].reverse()).fingerprint()).not.toBe(catalog.fingerprint());
  });

  it('is checked like the table: a duplicate id is refused', () => {
    const c = catalog.toCompact();
    expect(() => new Catalog({ ...c, compactFeatures: [...c.compactFeatures, c.compactFeatures[0]!] })).toThrow(/duplicate id/);
    expect(new Catalog(FEATURE_TABLE).size).toBe(catalog.size);
  });
});
