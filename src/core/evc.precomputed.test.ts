import { describe, expect, it } from 'vitest';
import { buildEvcModes, evcSetsToCompact } from './evc.js';
import type { EvcMode } from './evc.js';
import { EVC_MODE_TABLE } from '../data/evc-modes.js';

/** A mode as plain data: every field, sets as feature ids. */
function plain(m: EvcMode): unknown {
  return { ...m, features: m.features.ids(), passes: m.passes.ids(), evidence: m.evidence && { ...m.evidence, features: m.evidence.features.ids() } };
}

describe('the precomputed EVC mode sets (what the CLI bundles carry)', () => {
  const computed = buildEvcModes(EVC_MODE_TABLE);
  const compact = JSON.parse(JSON.stringify(evcSetsToCompact(computed))) as ReturnType<typeof evcSetsToCompact>;

  it('rebuild every mode, field by field, without the dependency closures', () => {
    expect(buildEvcModes(EVC_MODE_TABLE, compact).map(plain)).toEqual(computed.map(plain));
  });

  it('are used: the sets of a mode come from them (a changed set shows), and ignored for another catalog', () => {
    const key = computed[1]!.key;
    const [features, passes] = compact.modes[key]!;
    const altered = { ...compact, modes: { ...compact.modes, [key]: [features.map(() => 0), passes] as const } };
    expect(buildEvcModes(EVC_MODE_TABLE, altered).find((m) => m.key === key)!.features.isEmpty).toBe(true);
    expect(buildEvcModes(EVC_MODE_TABLE, { ...altered, catalog: 'another' }).map(plain)).toEqual(computed.map(plain));
  });
});
