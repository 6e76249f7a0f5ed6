import { describe, expect, it } from 'vitest';
import { getEvcMode } from '../core/evc.js';
import { syntheticHost } from '../test-support/hosts.js';
import { summarize } from './host.js';
import { renderHost } from './show.js';

// Zen 5: family 0x1a.
const ZEN5 = 0xb40f40;
const modeIds = (key: string): string[] => getEvcMode(key)!.features.ids();

describe('"why not mode X" is explained against the nearest mode on every ladder of the vendor', () => {
  // A Zen 5 guest that lacks SSE4a and ABM: no 3DNow! either, so neither AMD ladder's base fits.
  const zen5 = syntheticHost({ vendor: 'AuthenticAMD', signature: ZEN5, ids: modeIds('amd-zen4').filter((id) => id !== 'sse4a' && id !== 'abm') });

  it('text: both ladders, the no-3DNow! one with sse4a and abm', () => {
    const text = renderHost(zen5, { file: 'zen5', format: 'synthetic', cpus: 1, diagnostics: [] }, { long: false });
    const line = text.split('\n').find((l) => /EVC/.test(l))!;
    expect(line).toMatch(/none/);
    expect(line).toContain('amd-rev-e also needs: 3dnow');
    expect(line).toContain('amd-greyhound-no3dnow also needs: abm, sse4a');
  });

  it('JSON: evc.missing per ladder', () => {
    const j = summarize(zen5);
    expect(j.evc.max).toBeNull();
    expect(j.evc.missing).toEqual([
      { track: 'A', mode: 'amd-rev-e', needs: ['3dnow'] },
      { track: 'B', mode: 'amd-greyhound-no3dnow', needs: ['abm', 'sse4a'] },
    ]);
  });

  it('a host that fits a mode has no missing list', () => {
    const zen4 = syntheticHost({ vendor: 'AuthenticAMD', signature: 0xa10f11, ids: modeIds('amd-zen4') });
    expect(summarize(zen4).evc).toMatchObject({ max: 'amd-zen4', confirmed: false });
    expect(summarize(zen4).evc.missing).toBeUndefined();
  });
});
