/**
 * Feature ids are typed from the catalog table (FeatureId): a misspelt id in a profile, an EVC
 * mode, a model or a level does not compile. Each `@ts-expect-error` below must meet an error, or
 * `tsc` (npm test's first step) fails: the typing cannot silently stop working.
 */
import { describe, expect, it } from 'vitest';
import type { LevelRequirement } from './levels.js';
import type { EvcFactRow, FeatureId, ModelVersionDef, ProfileRule } from './schema.js';

describe('feature ids are checked by the typecheck', () => {
  it('accepts catalog ids and rejects misspellings in profiles, EVC modes, models and levels', () => {
    const good: FeatureId[] = ['sse4_1', 'avx2', 'movbe', 'e_fpu'];
    // @ts-expect-error: 'sse41' is not a catalog id (the id is 'sse4_1')
    const rule: ProfileRule = { ids: ['sse41'], why: 'misspelt' };
    // @ts-expect-error: 'avx-2' is not a catalog id
    const fact: EvcFactRow = { ids: ['avx-2'], source: 'recalled', confirmed: false };
    // @ts-expect-error: 'movbee' is not a catalog id
    const version: ModelVersionDef = { add: ['movbee'] };
    // @ts-expect-error: 'cmpxchg16b' is not a catalog id (the id is 'cx16')
    const level: LevelRequirement = { psabi: 'CMPXCHG16B', ids: ['cmpxchg16b'] };
    // @ts-expect-error: an AMD copy exists only for the leaf-1 EDX bits AMD mirrors
    const copy: FeatureId = 'e_sse3';
    expect([good, rule, fact, version, level, copy]).toHaveLength(6);
  });
});
