import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import { FIRMWARE_SWITCHES, blockerCause, checkMigration } from './check.js';
import { checkToJson } from '../report/check.js';
import { getEvcMode } from './evc.js';
import { getProfile, guestFeatures } from './profiles.js';
import { syntheticHost } from '../test-support/hosts.js';

const esxi = getProfile('esxi');
/** Every feature vSphere compares in a mode, for building hosts of a given generation. */
const modeIds = (key: string): string[] => getEvcMode(key)!.features.ids();
const intel = (signature: number, ids: readonly string[], brand = '') => syntheticHost({ vendor: 'GenuineIntel', signature, ids, brand });

// Display signatures: Penryn 6/0x17, Merom 6/0x0f, Ivy Bridge 6/0x3a, Sandy Bridge 6/0x2a.
const PENRYN = 0x10676;
const MEROM = 0x6f7;
const IVY = 0x306a9;
const SANDY = 0x206a7;

describe('checkMigration', () => {
  it('a host can always take its own VMs', () => {
    const h = intel(IVY, [...modeIds('intel-ivybridge'), 'vmx', 'monitor', 'est']);
    const r = checkMigration(h, h);
    expect(r.compatible).toBe(true);
    expect(r.blockers).toEqual([]);
    expect(r.extra.isEmpty).toBe(true);
    expect(r.requirements.equals(guestFeatures(h, esxi))).toBe(true);
  });

  it('reports each missing feature with its location and a newer-generation cause', () => {
    const penryn = intel(PENRYN, modeIds('intel-penryn'));
    const merom = intel(MEROM, modeIds('intel-merom'));
    const r = checkMigration(penryn, merom);
    expect(r.compatible).toBe(false);
    expect(r.blockers.map((b) => [b.feature.id, b.kind, b.detail])).toEqual([['sse4_1', 'newer-generation', 'arrives with EVC mode intel-penryn']]);
    expect(r.evc).toMatchObject({ from: { key: 'intel-penryn' }, to: { key: 'intel-merom' }, common: { key: 'intel-merom' } });
    const back = checkMigration(merom, penryn);
    expect(back.compatible).toBe(true);
    expect(back.extra.ids()).toEqual(['sse4_1']);
  });

  it('does not count host-only bits ESXi never shows a VM, nor bits without a vSphere key', () => {
    const a = intel(IVY, [...modeIds('intel-ivybridge'), 'est', 'tm2', 'ds', 'pdcm', 'monitor', 'pln', 'tsc_adjust', 'vmx']);
    const b = intel(IVY, modeIds('intel-ivybridge'));
    expect(checkMigration(a, b).compatible).toBe(true);
    // The raw profile compares everything.
    const raw = checkMigration(a, b, { profile: getProfile('raw') });
    expect(raw.blockers.map((x) => x.feature.id).sort()).toEqual(['ds', 'est', 'monitor', 'pdcm', 'pln', 'tm2', 'tsc_adjust', 'vmx']);
  });

  it('compares VT-x only for VMs with nested virtualization', () => {
    const a = intel(IVY, [...modeIds('intel-ivybridge'), 'vmx']);
    const b = intel(IVY, modeIds('intel-ivybridge'));
    expect(checkMigration(a, b).compatible).toBe(true);
    const nested = checkMigration(a, b, { nested: true });
    expect(nested.blockers.map((x) => [x.feature.id, x.kind])).toEqual([['vmx', 'firmware']]);
    expect(blockerCause(nested.blockers[0]!)).toBe('same CPU model: the firmware setting Intel VT-x (virtualization technology) is off on the destination');
  });

  it('tells firmware switches, microcode and TSX apart on the same CPU model', () => {
    const full = [...modeIds('intel-broadwell'), 'md_clear', 'rtm', 'hle'];
    const a = intel(0x406f1, full);
    const b = intel(0x406f1, full.filter((id) => !['aes', 'md_clear', 'rtm', 'erms'].includes(id)));
    const r = checkMigration(a, b);
    expect(r.blockers.map((x) => [x.feature.id, x.kind])).toEqual([
      ['aes', 'firmware'],
      ['erms', 'disabled'],
      ['rtm', 'microcode'],
      ['md_clear', 'microcode'],
    ]);
    expect(blockerCause(r.blockers[0]!)).toBe('same CPU model: the firmware setting AES-NI is off on the destination');
    expect(blockerCause(r.blockers[2]!)).toMatch(/^TSX is off on the destination: removed by a microcode update/);
  });

  it('knows firmware switches by catalog id', () => {
    for (const id of Object.keys(FIRMWARE_SWITCHES)) expect(catalog.get(id), id).toBeDefined();
  });

  it('names a different CPU line when neither generation is newer', () => {
    const avotonLike = intel(0x406d8, [...modeIds('intel-westmere'), 'movbe']);
    const sandy = intel(SANDY, modeIds('intel-sandybridge'));
    const r = checkMigration(avotonLike, sandy);
    expect(r.blockers.map((b) => [b.feature.id, b.kind, blockerCause(b)])).toEqual([
      ['movbe', 'different-cpu', 'Sandy Bridge does not have it (Silvermont (Avoton) does); arrives with EVC mode intel-haswell?'],
    ]);
  });

  it('refuses Intel → AMD under every profile, each saying what its hypervisor allows', () => {
    const i = intel(SANDY, modeIds('intel-merom'));
    const a = syntheticHost({ vendor: 'AuthenticAMD', signature: 0x100f42, ids: modeIds('amd-greyhound') });
    for (const profile of ['esxi', 'kvm', 'raw']) {
      const r = checkMigration(i, a, { profile: getProfile(profile) });
      expect(r.compatible, profile).toBe(false);
      expect(r.vendorMismatch, profile).toMatch(/^GenuineIntel → AuthenticAMD: /);
    }
    expect(checkMigration(i, a).vendorMismatch).toMatch(/vSphere never live-migrates between Intel and AMD/);
    expect(checkMigration(i, a, { profile: getProfile('kvm') }).vendorMismatch).toMatch(/only when it was started with a custom CPU model/);
  });

  it('takes the VM requirement as an input (the seam for per-VM masks and EVC)', () => {
    const ivy = intel(IVY, modeIds('intel-ivybridge'));
    const westmereHost = intel(0x206c2, modeIds('intel-westmere'));
    expect(checkMigration(ivy, westmereHost).compatible).toBe(false);
    // A VM powered on under the Westmere mode (per-VM EVC) only needs the Westmere features.
    const vm = guestFeatures(ivy, esxi).intersectWith(getEvcMode('intel-westmere')!.features);
    const r = checkMigration(ivy, westmereHost, { vmRequirements: vm });
    expect(r.compatible).toBe(true);
    expect(r.requirements.equals(vm)).toBe(true);
  });

  it('flags inputs taken inside a VM and lossy inputs', () => {
    const ids = modeIds('intel-westmere');
    const inVm = intel(SANDY, [...ids, 'hypervisor']);
    const bare = intel(SANDY, [...ids, 'avx']);
    const r = checkMigration(bare, inVm);
    expect(r.notes).toEqual(["The destination's CPUID was captured inside a VM: it shows what that VM was given, not the host."]);
  });

  it('gives the JSON shape of openevc check --json', () => {
    const r = checkMigration(intel(PENRYN, modeIds('intel-penryn'), 'Intel(R) Xeon(R) CPU E5462'), intel(MEROM, modeIds('intel-merom')));
    const json = checkToJson(r);
    expect(Object.keys(json)).toEqual(['compatible', 'profile', 'from', 'to', 'vendor_mismatch', 'blockers', 'extra', 'evc', 'notes', 'fidelity']);
    expect(json).toMatchObject({
      compatible: false,
      profile: 'esxi',
      from: { vendor: 'GenuineIntel', family: 6, model: 0x17, stepping: 6, signature: '0x00010676', brand: 'Intel(R) Xeon(R) CPU E5462' },
      vendor_mismatch: null,
      evc: { from: 'intel-penryn', to: 'intel-merom', common: 'intel-merom' },
    });
    const loc = catalog.require('sse4_1').loc;
    expect(json.blockers).toEqual([
      {
        id: 'sse4_1',
        name: 'SSE4.1',
        ...(loc.type === 'cpuid' ? { leaf: loc.leaf, subleaf: loc.subleaf, reg: loc.reg, bit: loc.bit } : {}),
        kind: 'newer-generation',
        cause: 'newer generation: Penryn (Core 2) is newer than Merom (Core 2); arrives with EVC mode intel-penryn',
        // SSE4.1's placement in Penryn is confirmed (vSphere 6.7 docs), so the cause carries no `?`.
        evc_mode: { key: 'intel-penryn', confirmed: true, sources: ['doc67-hostmgmt'] },
      },
    ]);
  });
});
