/**
 * Properties of generated masks over random host sets: the example fleet always, the InstLatx64
 * corpus when ../shared is there. For the minimal target and for an EVC mode every host supports:
 * - applied on every host, the lines give each the same guest view, the target's features;
 * - that view is within every host's own guest view, and closed over dependencies;
 * - the minimal lines hide nothing all hosts share (unless a dependency of it is missing somewhere);
 * - parse(print(lines)) is the identity (VMware register and featMask lines, Xen list and libxl forms);
 * - `vmx apply` of the lines, read back with readVmxCpu, puts exactly that mask in force.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureSet } from '../core/catalog.js';
import { catalog } from '../core/catalog.js';
import { commonEvcMode } from '../core/evc.js';
import { decodeHost } from '../core/host.js';
import type { Host } from '../core/host.js';
import { MaskBuilder, mergeMasks } from '../core/masks/engine.js';
import { featMaskToCpuidMask } from './featmask/syntax.js';
import { VmxDocument } from './vmx/document.js';
import { readVmxCpu, vmxEffectiveMask } from './vmx/cpu.js';
import { parseXenCpuid, xenToCpuidMask } from './xen/syntax.js';
import { closeUnderDependencies, evcTarget, minimalTarget } from '../core/target.js';
import type { MigrationTarget } from '../core/target.js';
import { getProfile, guestFeatures, profileUniverse } from '../core/profiles.js';
import { loadInput } from '../node/load.js';
import { editVmx, maskLinesOf } from '../node/vmx-edit.js';
import { hasShared, shared } from '../test-support/shared.js';
import { EXAMPLES, effectiveGuest, exampleHost, linesMask } from '../test-support/targets.js';
import { featMaskSettings } from './featmask/writer.js';
import { hidePlan } from './common/hide.js';
import { vmxSettings } from './vmx/writer.js';
import { xenSettings } from './xen/writer.js';

const esxi = getProfile('esxi');

function universeOf(t: MigrationTarget): FeatureSet {
  const u = catalog.emptySet();
  for (const h of t.hosts) u.unionWith(profileUniverse(t.profile, h.id.vendor, t.viewOptions));
  return u;
}

/** Every property above, for one target; `label` names the hosts in failures. */
function checkTarget(t: MigrationTarget, label: string): void {
  const settings = vmxSettings(t);
  // Applied on every host: the same guest view, the target's features.
  const mask = linesMask(`${settings.lines.join('\n')}\n`);
  for (const h of t.hosts) expect(effectiveGuest(h, mask, t.profile).ids(), `${label}: ${h.dump.source.path}`).toEqual(t.features.ids());
  // Per-VM EVC style lines do the same.
  const fm = linesMask(`${featMaskSettings(t).lines.join('\n')}\n`);
  for (const h of t.hosts) expect(effectiveGuest(h, fm, t.profile).ids(), `${label} (featmask): ${h.dump.source.path}`).toEqual(t.features.ids());
  // Within every host's guest view, and closed over dependencies.
  t.guest.forEach((g, i) => expect(t.features.isSubsetOf(g), `${label}: within host ${i}`).toBe(true));
  expect(closeUnderDependencies(t.features, universeOf(t)).equals(t.features), label).toBe(true);
  // The minimal lines hide nothing all hosts share, unless what it needs is missing on some host.
  if (t.kind === 'minimal') {
    const common = t.guest[0]!.clone();
    for (const g of t.guest) common.intersectWith(g);
    const missing = universeOf(t).minus(common);
    for (const f of hidePlan(t).hide.intersection(common)) {
      expect(catalog.requirements(catalog.emptySet().add(f)).intersection(missing).isEmpty, `${label}: ${f.id} hidden though every host has it`).toBe(false);
    }
  }
  // parse(print(lines)) is the identity.
  const cpu = readVmxCpu(VmxDocument.parse(`${settings.lines.join('\n')}\n`, label));
  expect(cpu.mask.equals(settings.mask), label).toBe(true);
  expect(cpu.featMasks.map((f) => f.entry)).toEqual(settings.featMasks);
  const xen = xenSettings(t);
  const xenBits = new MaskBuilder();
  for (const f of hidePlan(t).hide) if (f.loc.type === 'cpuid') xenBits.set(f.loc, '0');
  if (xen.lines.legacy) expect(xenToCpuidMask(parseXenCpuid(xen.lines.legacy, label)).equals(xenBits.build()), label).toBe(true);
  if (xen.lines.libxl) expect(xenToCpuidMask(parseXenCpuid(xen.lines.libxl, label)).equals(xenBits.build()), label).toBe(true);
  // vmx apply, read back: exactly that mask in force (a .vmx with no CPU lines, and one with other settings).
  const lines = maskLinesOf(settings.lines);
  const want = mergeMasks(lines.mask, featMaskToCpuidMask(lines.featMasks)).mask;
  const clean = editVmx(VmxDocument.parse('.encoding = "UTF-8"\ndisplayName = "vm"\nnumvcpus = "2"\n', 'vm.vmx'), lines, t.vendor ? { vendor: t.vendor } : {});
  expect(vmxEffectiveMask(readVmxCpu(clean.after)).mask.equals(want), label).toBe(true);
  const twice = editVmx(clean.after, lines, t.vendor ? { vendor: t.vendor } : {});
  expect(twice.after.toString(), label).toBe(clean.after.toString());
}

/** Random host sets of one vendor (1 to 4 hosts, by index into a vendor group), and whether to use the EVC mode they share. */
const hostSetArb = fc.record({ group: fc.nat(), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), evc: fc.boolean() });

function pick(groups: Host[][], s: { group: number; picks: number[] }): Host[] {
  const g = groups[s.group % groups.length]!;
  return s.picks.map((p) => g[p % g.length]!);
}

function targetFor(hosts: Host[], evc: boolean): MigrationTarget | undefined {
  if (!evc) return minimalTarget(hosts, { profile: esxi });
  const mode = commonEvcMode(hosts);
  return mode ? evcTarget(hosts, mode.key, { profile: esxi }) : undefined;
}

function byVendor(hosts: readonly Host[]): Host[][] {
  const m = new Map<string, Host[]>();
  for (const h of hosts) if (h.id.vendor === 'intel' || h.id.vendor === 'amd') m.set(h.id.vendor, [...(m.get(h.id.vendor) ?? []), h]);
  return [...m.values()];
}

describe('generated masks over the example fleet (properties)', () => {
  const fleet = byVendor(EXAMPLES.map(exampleHost));

  it('hold for random host sets, minimal and EVC', () => {
    let evcRuns = 0;
    fc.assert(
      fc.property(hostSetArb, (s) => {
        const hosts = pick(fleet, s);
        const t = targetFor(hosts, s.evc);
        if (!t) return;
        if (t.kind === 'evc') evcRuns++;
        checkTarget(t, hosts.map((h) => h.dump.source.path).join(' + '));
      }),
      { numRuns: 60 },
    );
    expect(evcRuns).toBeGreaterThan(5);
  });

  it('every host of the fleet under every EVC mode it supports, alone (the whole ladder)', () => {
    for (const group of fleet) {
      for (const h of group) {
        const top = commonEvcMode([h]);
        if (!top) continue;
        for (const mode of (top.vendor === 'intel' ? ['intel-merom', top.key] : [top.key])) checkTarget(evcTarget([h], mode, { profile: esxi }), `${h.dump.source.path} ${mode}`);
      }
    }
  });
});

describe.skipIf(!hasShared)('generated masks over the InstLatx64 corpus (properties, needs ../shared)', () => {
  let groups: Host[][] = [];
  beforeAll(async () => {
    const root = shared('oracle', 'instlatx64');
    const hosts: Host[] = [];
    for (const vendor of ['GenuineIntel', 'AuthenticAMD']) {
      for (const file of readdirSync(`${root}/${vendor}`).sort()) {
        const dump = (await loadInput(`${root}/${vendor}/${file}`)).dump;
        const h = decodeHost(dump);
        // Dumps taken inside a VM show what that hypervisor gave, not a host.
        if (!h.id.hypervisor && !guestFeatures(h, esxi).isEmpty) hosts.push(h);
      }
    }
    groups = byVendor(hosts);
  });

  it('reads enough hosts of both vendors', () => {
    expect(groups.map((g) => g.length).reduce((a, b) => a + b, 0)).toBeGreaterThan(80);
    expect(groups).toHaveLength(2);
  });

  it('hold for random host sets, minimal and EVC', () => {
    let evcRuns = 0;
    fc.assert(
      fc.property(hostSetArb, (s) => {
        const hosts = pick(groups, s);
        const t = targetFor(hosts, s.evc);
        if (!t) return;
        if (t.kind === 'evc') evcRuns++;
        checkTarget(t, hosts.map((h) => h.dump.source.path?.split('/').pop()).join(' + '));
      }),
      { numRuns: 150 },
    );
    expect(evcRuns).toBeGreaterThan(20);
  });
});
