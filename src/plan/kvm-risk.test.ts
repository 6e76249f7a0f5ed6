/** KVM-family clusters (the model to set, restarts, stranded VMs) and the risk report. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/shared.js';
import { E5310, E5420, EPYC, HASWELL, fleetOf } from '../test-support/plan-fleet.js';
import { plan, parseStep } from './planner.js';
import { riskReport } from './risk.js';
import { Sim } from './sim.js';

const KVM = `
openevc: inventory
version: 1
clusters: [{ name: pve, platform: proxmox }]
hosts:
  - { name: pve-1, cluster: pve, cpuid: ${HASWELL} }
  - { name: pve-2, cluster: pve, cpuid: cluster/esx-12-xeon-e5-2650v4.json }
vms:
  - { name: a, host: pve-1 }
  - { name: b, host: pve-2 }
  - { name: c, host: pve-2, power: off }
`;

describe('KVM-family clusters', () => {
  it('names the CPU model to set per tool, the VMs that must restart, and the VMs a host removal strands', () => {
    const p = plan(fleetOf(KVM));
    const k = p.clusters[0]!.kvm!;
    expect(k.model).toBe('Haswell-noTSX');
    expect(k.settings.proxmox.startsWith('cpu: Haswell-noTSX,flags=+')).toBe(true);
    expect(k.settings.nova).toContain('cpu_models = Haswell-noTSX');
    expect(k.settings.kubevirt).toContain('spec.domain.cpu.model: Haswell-noTSX');
    expect(k.settings.libvirt).toContain("<model fallback='forbid'>Haswell-noTSX</model>");
    expect(k.restart.map((r) => r.vm)).toEqual(['a', 'b']);
    expect(k.stranded).toEqual({ 'pve-2': ['b'] });
  });

  it('after the model is set and the VMs restart, every VM can move to every host', () => {
    const model = plan(fleetOf(KVM)).clusters[0]!.kvm!;
    const spec = [model.model, ...model.extra.map((f) => `+${f}`), ...model.disabled.map((f) => `-${f}`)].join(',');
    const p = plan(fleetOf(KVM), { whatIf: [parseStep(`set model ${spec}`), parseStep('power-cycle a'), parseStep('power-cycle b')] });
    expect(p.steps.every((s) => s.ok)).toBe(true);
    expect(p.migrationMap.flatMap((g) => g.blocked)).toEqual([]);
    expect(p.clusters[0]!.kvm!.stranded).toEqual({});
  });

  it('a model a host cannot run is refused with the missing features', () => {
    const sim = Sim.fromFleet(fleetOf(KVM));
    const r = sim.setModel('pve', 'Skylake-Server');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fault.hosts).toEqual(['pve-1', 'pve-2']);
  });
});

describe('risk report', () => {
  it('seed 000: an intel-merom cluster cannot boot Windows Server 2025 (SSE4.2, POPCNT) or RHEL 9, and hides SSE4.1 only from CPUID', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: prod, evc: intel-merom }]
hosts:
  - { name: esx-01, cluster: prod, cpuid: ${E5310} }
  - { name: esx-04, cluster: prod, cpuid: ${E5420} }
vms:
  - { name: w25, host: esx-01, power: off, guestOs: windows2025srv_64Guest }
  - { name: r9, host: esx-01, power: off, guestOs: rhel9_64Guest }
`));
    const r = riskReport(sim, 'prod');
    expect(r.baseline).toBe('intel-merom');
    const kinds = r.risks.map((x) => [x.kind, x.severity, x.vms ?? [], x.features ?? []]);
    expect(kinds).toContainEqual(['unenforced-hiding', 'medium', [], ['SSE4.1']]);
    expect(kinds).toContainEqual(['guest-os', 'high', ['w25'], ['SSE4.2', 'POPCNT']]);
    expect(kinds).toContainEqual(['guest-os', 'high', ['r9'], ['SSE4.1', 'SSE4.2', 'POPCNT']]);
    // At Nehalem, Windows Server 2025 boots.
    const up = riskReport(sim, 'prod', 'intel-nehalem');
    expect(up.risks.some((x) => x.kind === 'guest-os' && x.vms?.includes('w25'))).toBe(false);
  });

  it('Intel and AMD in one cluster, hosts captured inside a VM, and EVC-key-only hosts', () => {
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: mix }]
hosts:
  - { name: i, cluster: mix, cpuid: ${HASWELL} }
  - { name: a, cluster: mix, cpuid: ${EPYC} }
  - { name: k, cluster: mix, maxEvc: intel-haswell }
`));
    const r = riskReport(sim, 'mix');
    expect(r.risks.map((x) => x.kind)).toEqual(expect.arrayContaining(['mixed-vendors', 'low-fidelity']));
    expect(r.risks.find((x) => x.kind === 'low-fidelity')!.hosts).toEqual(['k']);
  });
});

describe('risk report: a host captured inside a VM', () => {
  it('flags CPUID with the hypervisor bit fed in as a host', () => {
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', HASWELL), 'utf8'));
    for (const l of doc.leaves) if (l.leaf === '0x00000001') l.ecx = `0x${((parseInt(l.ecx, 16) | 0x80000000) >>> 0).toString(16).padStart(8, '0')}`;
    const sim = Sim.fromFleet(fleetOf(`
openevc: inventory
version: 1
clusters: [{ name: lab, evc: intel-haswell }]
hosts:
  - { name: real, cluster: lab, cpuid: ${HASWELL} }
  - { name: nested, cluster: lab, cpuid: ${JSON.stringify(doc)} }
`));
    const nested = riskReport(sim, 'lab').risks.find((x) => x.kind === 'nested-host');
    expect(nested).toMatchObject({ severity: 'high', hosts: ['nested'] });
  });
});
