import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../core/catalog.js';
import { collectCpuid, readerFromDump } from '../core/enumerate.js';
import { identify } from '../core/identity.js';
import { importText } from '../formats/readers.js';
import { REPO_ROOT, hasShared, shared } from '../test-support/shared.js';
import { probe } from './probe.js';

/** The cpuid device is readable here (root, driver loaded). Never read it with readFileSync: it has no end. */
const canRead = (() => {
  try {
    closeSync(openSync('/dev/cpu/0/cpuid', 'r'));
    return true;
  } catch {
    return false;
  }
})();

describe('the CPUID walk', () => {
  it('asks exactly the leaves a recorded CPU answers, subleaves included', () => {
    const text = readFileSync(join(REPO_ROOT, 'examples/cluster/esx-14-xeon-platinum-8268.json'), 'utf8');
    const recorded = importText(text, { file: 'x.json' }).dump;
    const walked = collectCpuid(readerFromDump(recorded), { format: 'probe', lossy: false });
    // Everything recorded is found again (0xD subleaves 2..9 from the XCR0/XSS bits, leaf 7's subleaf range, ...).
    for (const e of recorded.list()) expect(walked.get(e.leaf, e.subleaf), `0x${e.leaf.toString(16)}.${e.subleaf}`).toMatchObject({ eax: e.eax, ebx: e.ebx, ecx: e.ecx, edx: e.edx });
    const cpuidBits = (d: typeof recorded) => catalog.decode(d).filter((f) => f.loc.type === 'cpuid');
    expect(cpuidBits(walked).ids()).toEqual(cpuidBits(recorded).ids());
  });

  it.skipIf(!hasShared)('re-walks a full real dump without missing a leaf (needs ../shared)', () => {
    const text = readFileSync(shared('oracle/instlatx64/GenuineIntel/GenuineIntel00806F8_SapphireRapids_05_CPUID.txt'), 'latin1');
    const recorded = importText(text, { file: 'spr.txt' }).dump;
    const walked = collectCpuid(readerFromDump(recorded), { format: 'probe', lossy: false });
    const missing = recorded.list().filter((e) => !walked.has(e.leaf, e.subleaf) && (e.eax | e.ebx | e.ecx | e.edx) !== 0 && recorded.isValidLeaf(e.leaf, e.subleaf));
    expect(missing.map((e) => `0x${e.leaf.toString(16)}.${e.subleaf}`)).toEqual([]);
  });
});

describe('openevc probe', () => {
  it.skipIf(!canRead)('reads this machine through /dev/cpu/0/cpuid (root)', () => {
    const r = probe();
    expect(r.method).toBe('cpuid-device');
    const id = identify(r.dump);
    expect(id.vendorString.length).toBe(12);
    expect(r.dump.size).toBeGreaterThan(5);
    // Inside a VM the hypervisor bit says so; the identity must still decode.
    expect(id.family).toBeGreaterThan(0);
  });

  it('falls back to /proc/cpuinfo with a warning when the device cannot be used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-probe-'));
    const cpuinfo = join(dir, 'cpuinfo');
    writeFileSync(
      cpuinfo,
      'processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 58\nmodel name\t: Intel(R) Core(TM) i7-3770 CPU @ 3.40GHz\nstepping\t: 9\ncpuid level\t: 13\nflags\t\t: fpu sse sse2 pni ssse3 sse4_1 sse4_2 avx hypervisor lm\n\n',
    );
    const r = probe({ devDir: join(dir, 'no-such-dev'), procCpuinfo: cpuinfo, noModprobe: true });
    expect(r.method).toBe('proc-cpuinfo');
    expect(r.dump.source.lossy).toBe(true);
    expect(r.diagnostics[0]?.level).toBe('warning');
    expect(r.diagnostics[0]?.message).toContain('lossy');
    const f = catalog.decode(r.dump);
    expect(f.has('sse4_1') && f.has('avx') && f.has('hypervisor')).toBe(true);
    expect(identify(r.dump).hypervisor).toBe(true);
  });
});
