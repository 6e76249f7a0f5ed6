/**
 * Every simulator rule, each test naming its source in ../shared/facts/ (file and section), and
 * the property that no sequence of steps lets a VM run on a host lacking a feature it saw at power-on.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ATOM, E5310, E5420, EPYC, HASWELL, IVY, fleetOf } from '../test-support/plan-fleet.js';
import { Sim } from './sim.js';
import type { StepResult } from './sim.js';

function fault(r: StepResult): string {
  return r.ok ? 'ok' : r.fault.name;
}

const SEED000 = `
openevc: inventory
version: 1
clusters: [{ name: prod, evc: null }]
hosts:
  - { name: esx-01, cluster: prod, cpuid: ${E5310}, hypervisor: ESXi 6.0 }
  - { name: esx-02, cluster: prod, cpuid: ${E5310}, hypervisor: ESXi 6.0 }
  - { name: esx-04, cpuid: ${E5420}, hypervisor: ESXi 6.0 }
  - { name: amd-01, cpuid: ${EPYC} }
vms:
  - { name: vm1, host: esx-01 }
  - { name: vm2, host: esx-02, power: suspended }
  - { name: vm4, host: esx-04 }
  - { name: off1, host: esx-01, power: off }
`;

describe('simulator rules', () => {
  it("a VM's view is fixed at power-on and kept until it powers off (vmware-evc.md §7 'A VM's EVC mode is fixed at power-on'; seed 002)", () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    expect(sim.vm('vm4').seen!.has('sse4_1')).toBe(true);
    expect(sim.vm('vm1').seen!.has('sse4_1')).toBe(false);
    expect(fault(sim.addHost('esx-04', 'prod'))).toBe('ok');
    // vm4 keeps SSE4.1 and cannot go to an E5310
    const r = sim.vmotion('vm4', 'esx-01');
    expect(fault(r)).toBe('FeatureRequirementsNotMet');
    expect(!r.ok && r.fault.features).toEqual(['SSE4.1']);
    sim.powerOff('vm4');
    expect(sim.vm('vm4').seen).toBeUndefined();
  });

  it('without EVC a destination offering user-level features the VM was not shown fails (vmware-evc.md §5.2 and §7 [Doc70-CPUScen])', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    sim.addHost('esx-04', 'prod');
    const r = sim.vmotion('vm1', 'esx-04');
    expect(fault(r)).toBe('CpuIncompatible');
    expect(!r.ok && r.fault.features).toEqual(['SSE4.1']);
    expect(fault(sim.vmotion('vm1', 'esx-02'))).toBe('ok');
  });

  it('cold migration is not subject to CPU checks (vmware-evc.md §7 [KB1003718])', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    expect(fault(sim.vmotion('off1', 'esx-04'))).toBe('ok');
  });

  it('Intel and AMD never mix (vmware-evc.md §7 [KB1005764])', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    expect(fault(sim.vmotion('vm4', 'amd-01'))).toBe('CpuIncompatible');
    sim.setEvc('prod', 'intel-merom');
    expect(fault(sim.addHost('amd-01', 'prod'))).toBe('EVCAdmissionFailedCPUVendor');
  });

  it('enabling EVC is refused while powered-on or suspended VMs run above the mode on hosts exposing more (fleet-tools-and-lifecycle.md §2, ActiveVMsBlockingEVC)', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    sim.addHost('esx-04', 'prod');
    const r = sim.setEvc('prod', 'intel-merom');
    expect(fault(r)).toBe('ActiveVMsBlockingEVC');
    expect(!r.ok && r.fault.vms).toEqual(['vm4']);
    expect(!r.ok && r.fault.features).toEqual(['SSE4.1']);
    // VMs on hosts equal to the baseline may stay on (vmware-evc.md §7 'Enabling EVC with running VMs')
    sim.suspend('vm4');
    expect(fault(sim.setEvc('prod', 'intel-merom'))).toBe('ActiveVMsBlockingEVC');
    sim.powerOff('vm4');
    expect(fault(sim.setEvc('prod', 'intel-merom'))).toBe('ok');
    expect(sim.vm('vm1').power).toBe('on');
  });

  it('before vCenter 4.1 enabling EVC needs every VM off (seed 000; vmware-evc.md §7, boundary UNCONFIRMED)', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000.replace(/ESXi 6\.0/g, 'ESX 3.5 U2')));
    const r = sim.setEvc('prod', 'intel-merom');
    expect(fault(r)).toBe('ActiveVMsBlockingEVC');
    expect(!r.ok && [...r.fault.vms].sort()).toEqual(['vm1', 'vm2']);
  });

  it('raising is allowed with VMs running; they gain the features only after a full power cycle, not a guest reboot (vmware-evc.md §7 [Doc70-ChangeEVC])', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    sim.powerOff('vm4');
    sim.vmotion('vm4', 'esx-04');
    expect(fault(sim.removeHost('esx-01', true))).toBe('InvalidState');
    sim.addHost('esx-04', 'prod');
    sim.setEvc('prod', 'intel-merom');
    sim.vmotion('vm1', 'esx-04');
    sim.powerOff('off1');
    sim.removeHost('esx-01', true);
    sim.resume('vm2');
    sim.vmotion('vm2', 'esx-04');
    sim.removeHost('esx-02', true);
    const r = sim.setEvc('prod', 'intel-penryn');
    expect(fault(r)).toBe('ok');
    expect(r.ok && r.powerCycle!.map((p) => [p.vm, p.gains])).toEqual([['vm1', ['SSE4.1']], ['vm2', ['SSE4.1']]]);
    sim.reboot('vm1');
    expect(sim.vm('vm1').seen!.has('sse4_1')).toBe(false);
    sim.powerCycle('vm1');
    expect(sim.vm('vm1').seen!.has('sse4_1')).toBe(true);
  });

  it('lowering is refused while VMs run above the new mode (vmware-evc.md §7 "Lowering"; fleet-tools-and-lifecycle.md §2)', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: c, evc: intel-penryn }]
hosts: [{ name: h, cluster: c, cpuid: ${E5420} }]
vms: [{ name: v, host: h }]
`));
    expect(sim.vm('v').seen!.has('sse4_1')).toBe(true);
    expect(fault(sim.setEvc('c', 'intel-merom'))).toBe('ActiveVMsBlockingEVC');
    sim.powerOff('v');
    expect(fault(sim.setEvc('c', 'intel-merom'))).toBe('ok');
  });

  it('host admission tells apart a CPU below the mode, a feature switched off, and a CPU that cannot mask (fleet-tools-and-lifecycle.md §2; seed 000)', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: c, evc: intel-penryn }, { name: m, evc: intel-merom }]
hosts:
  - { name: old, cpuid: ${E5310} }
  - { name: new, cpuid: ${E5420} }
  - { name: ivy, cpuid: ${IVY} }
`));
    const below = sim.admission('old', sim.clusters.get('c')!.evc!);
    expect(fault(below)).toBe('EVCAdmissionFailedCPUModelForMode');
    expect(!below.ok && below.fault.features).toEqual(['SSE4.1']);
    expect(fault(sim.addHost('new', 'c'))).toBe('ok');
    // A Merom-generation CPU cannot mask CPUID: it joins a mode only by matching it (E5310 = intel-merom exactly).
    expect(fault(sim.admission('old', sim.clusters.get('m')!.evc!))).toBe('ok');
  });

  it('a host with running VMs above the mode is refused (vmware-evc.md §7 EVCAdmissionFailedVmActive)', () => {
    const sim = Sim.fromFleet(fleetOf(SEED000));
    sim.setEvc('prod', 'intel-merom');
    const r = sim.addHost('esx-04', 'prod');
    expect(fault(r)).toBe('EVCAdmissionFailedVmActive');
    expect(!r.ok && r.fault.vms).toEqual(['vm4']);
  });

  it('per-VM EVC needs hardware version 14 and may not exceed the cluster mode (vmware-evc.md §3.1 [Doc67-VMEVC])', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: c, evc: intel-westmere }]
hosts: [{ name: h, cluster: c, cpuid: ${IVY} }, { name: a, cpuid: ${ATOM} }]
vms:
  - { name: old-hw, host: h, power: off, hardware: 13, evc: intel-nehalem }
  - { name: too-high, host: h, power: off, hardware: 14, evc: intel-sandybridge }
  - { name: fine, host: h, power: off, hardware: 14, evc: intel-nehalem }
`));
    expect(fault(sim.powerOn('old-hw'))).toBe('VmEvcNeedsHardwareVersion14');
    expect(fault(sim.powerOn('too-high'))).toBe('FeatureRequirementsNotMet');
    expect(fault(sim.powerOn('fine'))).toBe('ok');
    expect(sim.vm('fine').seen!.has('aes')).toBe(false);
  });

  it('a per-VM mode stays with the VM; a cluster-derived one is dropped when the VM leaves the cluster and power-cycles (fleet-tools-and-lifecycle.md §2)', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: c, evc: intel-merom }]
hosts: [{ name: h, cluster: c, cpuid: ${E5420} }, { name: s, cpuid: ${E5420} }]
vms:
  - { name: cl, host: h, hardware: 14 }
  - { name: pv, host: h, hardware: 14, evc: intel-merom }
`));
    expect(fault(sim.vmotion('cl', 's'))).toBe('ok');
    expect(fault(sim.vmotion('pv', 's'))).toBe('ok');
    expect(sim.vm('cl').seen!.has('sse4_1')).toBe(false);
    sim.powerCycle('cl');
    sim.powerCycle('pv');
    expect(sim.vm('cl').seen!.has('sse4_1')).toBe(true);
    expect(sim.vm('pv').seen!.has('sse4_1')).toBe(false);
  });

  it('per-VM masks are picked up at power-on (seed 002; vmware-evc.md §2.2)', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
hosts: [{ name: a, cpuid: ${ATOM} }, { name: b, cpuid: ${IVY} }]
vms:
  - name: v
    host: a
    masks: { cpuid.80000001.ecx: "-----------------------0--------", cpuid.1.ecx: "---------0----------------------" }
`));
    expect(fault(sim.vmotion('v', 'b'))).toBe('ok');
    expect(fault(sim.vmotion('v', 'a'))).toBe('ok');
    sim.vmotion('v', 'b');
    sim.powerCycle('v');
    const r = sim.vmotion('v', 'a');
    expect(fault(r)).toBe('FeatureRequirementsNotMet');
    expect(!r.ok && r.fault.features).toContain('Advanced Vector Extensions (AVX)');
  });
});

describe('property: no step sequence lets a VM run on a host lacking a feature it saw at power-on', () => {
  const fleet = fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: c1, evc: null }, { name: c2, evc: intel-merom }]
hosts:
  - { name: h1, cluster: c1, cpuid: ${E5310} }
  - { name: h2, cluster: c1, cpuid: ${E5420} }
  - { name: h3, cluster: c2, cpuid: ${E5420} }
  - { name: h4, cpuid: ${ATOM} }
  - { name: h5, cpuid: ${IVY} }
  - { name: h6, cpuid: ${HASWELL} }
  - { name: h7, cpuid: ${EPYC} }
vms:
  - { name: v1, host: h1 }
  - { name: v2, host: h2 }
  - { name: v3, host: h3, hardware: 14, evc: intel-merom }
  - { name: v4, host: h4, masks: { cpuid.1.ecx: "--00-0---0----0-----------------" } }
  - { name: v5, host: h5, power: suspended }
  - { name: v6, host: h7 }
`);
  const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
  const vms = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
  const modes = ['intel-merom', 'intel-penryn', 'intel-nehalem', 'intel-westmere', 'amd-zen', undefined];
  const step = fc.oneof(
    fc.record({ op: fc.constantFrom('on', 'off', 'cycle', 'reboot', 'suspend', 'resume'), vm: fc.constantFrom(...vms), host: fc.option(fc.constantFrom(...hosts), { nil: undefined }) }),
    fc.record({ op: fc.constant('vmotion'), vm: fc.constantFrom(...vms), host: fc.constantFrom(...hosts) }),
    fc.record({ op: fc.constant('evc'), cluster: fc.constantFrom('c1', 'c2'), mode: fc.constantFrom(...modes) }),
    fc.record({ op: fc.constant('add'), host: fc.constantFrom(...hosts), cluster: fc.constantFrom('c1', 'c2', undefined) }),
    fc.record({ op: fc.constant('remove'), host: fc.constantFrom(...hosts) }),
  );
  it('holds for random sequences', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const sim = Sim.fromFleet(fleet);
        for (const s of steps) {
          const x = s as Record<string, string | undefined>;
          switch (x.op) {
            case 'on': sim.powerOn(x.vm!, x.host); break;
            case 'off': sim.powerOff(x.vm!); break;
            case 'cycle': sim.powerCycle(x.vm!); break;
            case 'reboot': sim.reboot(x.vm!); break;
            case 'suspend': sim.suspend(x.vm!); break;
            case 'resume': sim.resume(x.vm!); break;
            case 'vmotion': if (sim.hosts.has(x.host!)) sim.vmotion(x.vm!, x.host!); break;
            case 'evc': sim.setEvc(x.cluster!, x.mode); break;
            case 'add': if (sim.host(x.host!).cluster !== undefined) sim.removeHost(x.host!, false); sim.addHost(x.host!, x.cluster); break;
            case 'remove': sim.removeHost(x.host!, false); break;
          }
          for (const vm of sim.vms.values()) {
            if (vm.power === 'off') continue;
            const lacking = vm.seen!.minus(sim.guest(vm.host));
            if (!lacking.isEmpty) throw new Error(`${vm.name} runs on ${vm.host} without ${lacking.ids().join(',')} after ${JSON.stringify(s)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
