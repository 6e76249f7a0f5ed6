/**
 * The lab cases of the two seed articles, on real dumps of the same CPU classes (InstLatx64, read
 * from ../shared; nothing from them is stored in the project).
 */
import { describe, expect, it } from 'vitest';
import { checkMigration } from './check.js';
import { commonEvcMode, hostMaxEvcMode } from './evc.js';
import { decodeHost } from './host.js';
import type { Host } from './host.js';
import { loadInput } from '../node/load.js';
import { hasShared, shared } from '../test-support/shared.js';

async function host(file: string): Promise<Host> {
  return decodeHost((await loadInput(shared('oracle', 'instlatx64', 'GenuineIntel', file))).dump);
}

describe.skipIf(!hasShared)('seed 000: Xeon E5310 (Merom class) and E5420 (Penryn class) hosts (needs ../shared)', () => {
  it('blocks Harpertown → Clovertown by SSE4.1 and nothing else, allows the way back, and agrees on intel-merom', async () => {
    const clovertown = await host('GenuineIntel00006F7_Clovertown_CPUID.txt');
    const harpertown = await host('GenuineIntel0010676_Harpertown_CPUID.txt');
    const forth = checkMigration(harpertown, clovertown);
    expect(forth.compatible).toBe(false);
    expect(forth.blockers.map((b) => [b.feature.id, b.feature.name, b.kind])).toEqual([['sse4_1', 'SSE4.1', 'newer-generation']]);
    expect(checkMigration(clovertown, harpertown).compatible).toBe(true);
    expect(hostMaxEvcMode(clovertown)?.key).toBe('intel-merom');
    expect(hostMaxEvcMode(harpertown)?.key).toBe('intel-penryn');
    expect(commonEvcMode([clovertown, harpertown])?.key).toBe('intel-merom');
  });
});

describe.skipIf(!hasShared)('seed 002: Avoton C2750 (host A) and Ivy Bridge (host B) (needs ../shared)', () => {
  it('blocks A → B by exactly MOVBE and 3DNow! PREFETCH/PREFETCHW, in vSphere wording', async () => {
    const a = await host('GenuineIntel00406D8_Avoton_CPUID.txt');
    const b = await host('GenuineIntel00306A9_IvyBridge_CPUID.txt');
    const r = checkMigration(a, b);
    expect(r.compatible).toBe(false);
    expect(r.blockers.map((x) => [x.feature.id, x.feature.name])).toEqual([
      ['movbe', 'MOVBE'],
      ['3dnowprefetch', '3DNow! PREFETCH and PREFETCHW'],
    ]);
  });

  it('blocks B → A by exactly PCID, XSAVE, AVX, F16C, FSGSBASE and the XSAVE SSE and YMM states', async () => {
    const a = await host('GenuineIntel00406D8_Avoton_CPUID.txt');
    const b = await host('GenuineIntel00306A9_IvyBridge_CPUID.txt');
    const r = checkMigration(b, a);
    expect(r.compatible).toBe(false);
    expect(r.blockers.map((x) => x.feature.name)).toEqual([
      'PCID',
      'XSAVE',
      'Advanced Vector Extensions (AVX)',
      'Half-precision conversion instructions (F16C)',
      'Instructions to read and write FS and GS base registers',
      'XSAVE SSE State',
      'XSAVE YMM State',
    ]);
    expect(new Set(r.blockers.map((x) => x.kind))).toEqual(new Set(['newer-generation']));
  });

  it('puts Avoton at intel-westmere, Ivy Bridge at intel-ivybridge, and both together at intel-westmere', async () => {
    const a = await host('GenuineIntel00406D8_Avoton_CPUID.txt');
    const b = await host('GenuineIntel00306A9_IvyBridge_CPUID.txt');
    expect(hostMaxEvcMode(a)?.key).toBe('intel-westmere');
    expect(hostMaxEvcMode(b)?.key).toBe('intel-ivybridge');
    expect(commonEvcMode([a, b])?.key).toBe('intel-westmere');
  });
});
