import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { LINUX_SYNTHETIC_FLAGS } from './synthetic-flags.js';

describe('Linux-defined /proc/cpuinfo flags', () => {
  it('lists each flag once, in /proc/cpuinfo spelling', () => {
    const flags = LINUX_SYNTHETIC_FLAGS.map((s) => s.flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const f of flags) expect(f).toMatch(/^[a-z0-9_]+$/);
    for (const s of LINUX_SYNTHETIC_FLAGS) expect([3, 7, 8, 11, 21]).toContain(s.word);
  });

  it("never ignores, without saying why, a flag the catalog gives to a CPUID bit as Linux's name", () => {
    // A `software` flag is ignored by the /proc/cpuinfo importer. If the catalog says Linux uses the
    // same name for a CPUID bit, either one table is wrong or the flag does not imply the bit: the
    // entry must then say why. (Catalog names on MSR bits, e.g. the VMX capabilities behind `ept`
    // and `vpid`, are fine: those flags are ignored on purpose, a CPUID dump carries no VMX MSRs.)
    const clashes = LINUX_SYNTHETIC_FLAGS.filter((s) => s.kind === 'software' && s.vendors === undefined && s.why === undefined)
      .map((s) => ({ flag: s.flag, feature: catalog.features.find((f) => f.linux === s.flag && f.loc.type === 'cpuid')?.id }))
      .filter((c) => c.feature !== undefined);
    expect(clashes).toEqual([]);
  });

  it('knows the common Linux-defined flags', () => {
    const kind = new Map(LINUX_SYNTHETIC_FLAGS.map((s) => [s.flag, s.kind]));
    for (const f of ['constant_tsc', 'rep_good', 'nopl', 'xtopology', 'cpuid', 'tsc_known_freq', 'pti', 'ssbd', 'ibrs', 'ibpb', 'stibp', 'flexpriority', 'ept', 'vpid']) {
      expect(kind.get(f), f).toBe('software');
    }
    // Linux sets nonstop_tsc exactly when CPUID reports an invariant TSC: the catalog may place it.
    expect(kind.get('nonstop_tsc')).toBe('scattered');
  });
});
