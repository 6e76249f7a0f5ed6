import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { expandModel, findModel, guestModel } from '../../core/models.js';
import { minimalTarget } from '../../core/target.js';
import { getProfile } from '../../core/profiles.js';
import { syntheticHost } from '../../test-support/hosts.js';
import { expressible, kvmTargets } from '../../test-support/kvm-targets.js';
import { closeOverNamed, planKvmCpu } from './kvm-cpu.js';

const target = (name: string) => kvmTargets().find((t) => t.name === name)!.target;
const ids = (fs: readonly { id: string }[]) => fs.map((f) => f.id);

/** Hosts with a model's CPUID features (and what they need that libvirt does not name). */
function modelTarget(model: string, signature: number, view = 'kvm') {
  const cpuid = catalog.requirements(expandModel(model)).filter((f) => f.loc.type === 'cpuid');
  const host = syntheticHost({ vendor: 'GenuineIntel', signature, ids: cpuid.ids() });
  return minimalTarget([host, host], { profile: getProfile(view) });
}

describe('planKvmCpu', () => {
  it('turns off what QEMU\u2019s model has beyond libvirt\u2019s when the target lacks it (measured drift)', () => {
    const plan = planKvmCpu(target('synthetic-drift'), 'qemu');
    expect(plan.versionedName).toBe('Haswell-v2');
    // libvirt's Haswell-noTSX has none of these; QEMU's Haswell-v2 has all but vme (measured under TCG: written either way).
    for (const id of ['f16c', 'rdrand', 'xsaveopt', 'abm', 'vme']) expect(plan.model.features.has(id), id).toBe(false);
    expect(ids(plan.disable)).toEqual(['f16c', 'rdrand', 'vme', 'xsaveopt', 'abm']);
  });

  it('turns on what QEMU\u2019s model lacks of the target even when libvirt\u2019s model has it (MPX in Skylake-Server)', () => {
    const plan = planKvmCpu(target('cluster-skylake'), 'qemu');
    expect(plan.model.name).toBe('Skylake-Server');
    expect(plan.model.features.has('mpx')).toBe(true);
    expect(ids(plan.require)).toContain('mpx');
    // And PKU, which QEMU's model has and libvirt's lacks, is required because the target has it.
    expect(ids(plan.require)).toContain('pku');
  });

  it('writes what an accelerator changes: +vme (TCG turns it off) even where the model has it, -x2apic (KVM turns it on)', () => {
    const nested = planKvmCpu(target('synthetic-nested'), 'qemu');
    expect(nested.model.features.has('vme')).toBe(true);
    expect(ids(nested.require)).toContain('vme');
    const raw = planKvmCpu(target('synthetic-raw'), 'qemu');
    expect(raw.model.features.has('x2apic')).toBe(false);
    expect(ids(raw.disable)).toEqual(['x2apic', 'vme']);
  });

  it('leaves out VMX controls whose prerequisite is off, and disables them one by one when VMX is on (nested)', () => {
    for (const t of kvmTargets()) {
      if (t.target.viewOptions.nested) continue;
      expect(ids(planKvmCpu(t.target, 'qemu').disable).filter((id) => id.startsWith('vmx_')), t.name).toEqual([]);
    }
    const plan = planKvmCpu(target('synthetic-nested'), 'qemu');
    expect(ids(plan.require)).toContain('vmx');
    // IvyBridge's VMX controls are libvirt `added` marks: not in libvirt's meaning, in QEMU's model.
    // Each is disabled, unless a prerequisite of it is (then it goes with that one).
    const t = target('synthetic-nested');
    const vmxOff = plan.disable.filter((f) => f.id.startsWith('vmx_'));
    expect(vmxOff.length).toBeGreaterThan(20);
    expect(vmxOff.every((f) => plan.model.libvirtAdded.has(f) && f.deps.every((d) => t.features.has(d)))).toBe(true);
    for (const f of plan.model.libvirtAdded) {
      expect(vmxOff.includes(f) || f.deps.some((d) => !t.features.has(d)), f.id).toBe(true);
    }
  });

  it('never picks a model QEMU no longer defines, where libvirt would', () => {
    const t = modelTarget('Icelake-Client', 0x706e5);
    expect(guestModel({ features: t.features, vendor: 'intel' })!.model.name).toBe('Icelake-Client');
    const plan = planKvmCpu(t, 'qemu');
    expect(plan.model.name).not.toBe('Icelake-Client');
    expect(plan.versionedName).toMatch(/-v\d+$/);
    expect(closeOverNamed(plan.means, 'qemu').ids()).toEqual(expressible(t, 'qemu').ids());
  });

  it('says when the model is newer than the QEMU its drift was measured on', () => {
    const plan = planKvmCpu(modelTarget('SapphireRapids', 0x806f8), 'qemu');
    expect(plan.model.family).toBe('SapphireRapids');
    expect(plan.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/^model SapphireRapids-v\d is newer than QEMU 7\.2\.\d+/));
  });

  it('spans vendors only with a vendor-neutral model, and warns', () => {
    const plan = planKvmCpu(target('mixed-vendors'), 'libvirt');
    expect(plan.vendor).toBeUndefined();
    expect(findModel(plan.model.name)!.vendor).toBeUndefined();
    expect(plan.diagnostics[0]).toMatchObject({ level: 'warning', message: expect.stringMatching(/^the hosts mix CPU vendors: only a vendor-neutral model \(kvm64\)/) });
  });

  it('says which target features the spelling cannot name: derived ones (info) apart from lost ones (warning)', () => {
    const plan = planKvmCpu(target('amd'), 'libvirt');
    const info = plan.diagnostics.find((d) => d.level === 'info')!.message;
    const warning = plan.diagnostics.find((d) => d.level === 'warning')!.message;
    expect(info).toMatch(/^libvirt has no name for xsave_sse, xsave_ymm, e_fpu, .*e_fxsr: a guest gets them/);
    expect(warning).toBe(
      'libvirt has no name for bpext, perfctr_llc, mwaitx, irperf: the target has them, but no libvirt CPU definition can give them to a guest (guests see less, the same on every host)',
    );
  });

  it('means exactly the target on what the spelling names (every test target, both spellings)', () => {
    for (const t of kvmTargets()) {
      for (const eco of ['qemu', 'libvirt'] as const) {
        expect(planKvmCpu(t.target, eco).means.ids(), `${t.name} ${eco}`).toEqual(expressible(t.target, eco).ids());
      }
    }
  });

  it('lists every feature in catalog order, never both on and off', () => {
    for (const t of kvmTargets()) {
      const plan = planKvmCpu(t.target, 'qemu');
      for (const list of [plan.require, plan.disable]) expect(list.map((f) => f.index), t.name).toEqual([...list.map((f) => f.index)].sort((a, b) => a - b));
      expect(plan.require.filter((f) => plan.disable.includes(f)), t.name).toEqual([]);
    }
  });
});
