import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMigration } from './check.js';
import { getEvcMode } from './evc.js';
import { getProfile } from './profiles.js';
import { syntheticHost } from '../test-support/hosts.js';
import { runCli } from '../test-support/cli.js';
import { REPO_ROOT } from '../test-support/shared.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const modeIds = (key: string): string[] => getEvcMode(key)!.features.ids();
const kvm = getProfile('kvm');
// Display signatures: Cascade Lake 6/0x55 stepping 7, Ivy Bridge 6/0x3a, Penryn 6/0x17, EPYC Rome 0x17/0x31.
const CASCADE = 0x50657;
const IVY = 0x306a9;
const PENRYN = 0x10676;
const ROME = 0x830f10;

describe('causes are checked against the facts', () => {
  it('Intel to AMD: every blocker is the vendor change, never TSX microcode or a firmware switch', async () => {
    const r = await runCli('check', ex('cluster/esx-14-xeon-platinum-8268.json'), ex('amd/kvm-22-epyc-7502.json'), '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.vendor_mismatch).toMatch(/GenuineIntel → AuthenticAMD/);
    expect(j.blockers.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining(['hle', 'rtm']));
    for (const b of j.blockers) {
      expect(b.kind).toBe('vendor-change');
      expect(b.cause).not.toMatch(/microcode|firmware|tsx=off/i);
    }
    const text = await runCli('check', ex('cluster/esx-14-xeon-platinum-8268.json'), ex('amd/kvm-22-epyc-7502.json'));
    expect(text.stdout).not.toMatch(/TSX is off/);
    expect(text.stdout.indexOf('GenuineIntel → AuthenticAMD')).toBeLessThan(text.stdout.indexOf('HLE'));
  });

  it('across vendors under the kvm profile too (synthetic hosts)', () => {
    const src = syntheticHost({ vendor: 'GenuineIntel', signature: CASCADE, ids: [...modeIds('intel-cascadelake'), 'hle', 'rtm', 'vmx'] });
    const dst = syntheticHost({ vendor: 'AuthenticAMD', signature: ROME, ids: [...modeIds('amd-zen2'), 'svm'] });
    const r = checkMigration(src, dst, { profile: kvm });
    expect(r.blockers.length).toBeGreaterThan(0);
    expect(new Set(r.blockers.map((b) => b.kind))).toEqual(new Set(['vendor-change']));
  });

  it('TSX missing on a generation that never had it is the generation, not microcode', () => {
    const src = syntheticHost({ vendor: 'GenuineIntel', signature: CASCADE, ids: [...modeIds('intel-cascadelake'), 'hle', 'rtm'] });
    const dst = syntheticHost({ vendor: 'GenuineIntel', signature: IVY, ids: modeIds('intel-ivybridge') });
    const r = checkMigration(src, dst);
    const tsx = r.blockers.filter((b) => b.feature.cat === 'tsx');
    expect(tsx.map((b) => b.feature.id)).toEqual(['hle', 'rtm']);
    for (const b of tsx) expect(b.kind).toBe('newer-generation');
  });

  it('TSX missing on a generation that can have it is still microcode', () => {
    const src = syntheticHost({ vendor: 'GenuineIntel', signature: CASCADE, ids: [...modeIds('intel-cascadelake'), 'hle', 'rtm'] });
    const dst = syntheticHost({ vendor: 'GenuineIntel', signature: CASCADE - 1, ids: modeIds('intel-cascadelake') });
    const r = checkMigration(src, dst);
    expect(r.blockers.filter((b) => b.feature.cat === 'tsx').map((b) => b.kind)).toEqual(['microcode', 'microcode']);
  });

  it('no firmware switch is offered for a feature the destination generation cannot have (AES-NI on a Penryn)', async () => {
    const r = await runCli('check', ex('seed-002/host-b-core-i7-3770.json'), ex('seed-000/esx-04-xeon-e5420.json'), '--json');
    const aes = JSON.parse(r.stdout).blockers.find((b: { id: string }) => b.id === 'aes');
    expect(aes.kind).toBe('newer-generation');
    expect(aes.cause).not.toMatch(/firmware/);
    // ...but it is where the generation has it
    const src = syntheticHost({ vendor: 'GenuineIntel', signature: IVY, ids: modeIds('intel-ivybridge') });
    const dst = syntheticHost({ vendor: 'GenuineIntel', signature: PENRYN, ids: modeIds('intel-penryn') });
    expect(checkMigration(src, dst).blockers.find((b) => b.feature.id === 'aes')!.detail).not.toMatch(/firmware/);
    const westmereDst = syntheticHost({ vendor: 'GenuineIntel', signature: 0x206c2, ids: modeIds('intel-westmere').filter((id) => id !== 'aes') });
    expect(checkMigration(src, westmereDst).blockers.find((b) => b.feature.id === 'aes')!.detail).toMatch(/AES-NI is off/);
  });
});
