/**
 * What a fleet export adds to a baseline: the clusters' current EVC modes, and the VMs whose
 * minimum EVC mode lies above the baseline's (they run with features the baseline hides: lowering a
 * cluster to it fails while they are powered on or suspended, vCenter's ActiveVMsBlockingEVC).
 */
import type { Baseline } from '../core/baseline.js';
import { builtinEvcModes } from '../core/evc.js';
import type { EvcMode } from '../core/evc.js';
import type { FleetCluster, FleetVm } from '../formats/reader-types.js';

export interface FleetPart {
  readonly clusters: readonly FleetCluster[];
  readonly vms: readonly FleetVm[];
}

/** Whether a VM needing `need` can run under `mode` (the mode offers all the needed mode's features). */
function fitsUnder(need: EvcMode, mode: EvcMode): boolean {
  return need.vendor === mode.vendor && need.features.isSubsetOf(mode.features);
}

interface VmVerdict {
  readonly vm: FleetVm;
  readonly verdict: 'fits' | 'above' | 'unknown-key' | 'no-key';
}

function judge(b: Baseline, vms: readonly FleetVm[]): VmVerdict[] {
  return vms.map((vm) => {
    if (!vm.minRequiredEvcModeKey) return { vm, verdict: 'no-key' };
    const need = builtinEvcModes().get(vm.minRequiredEvcModeKey);
    if (!need || !b.evc) return { vm, verdict: 'unknown-key' };
    return { vm, verdict: fitsUnder(need, b.evc) ? 'fits' : 'above' };
  });
}

const running = (vm: FleetVm) => vm.powerState === 'poweredOn' || vm.powerState === 'suspended';

export function fleetJson(b: Baseline, f: FleetPart) {
  if (f.clusters.length === 0 && f.vms.length === 0) return {};
  const verdicts = judge(b, f.vms);
  return {
    clusters: f.clusters.map((c) => ({ name: c.name, current_evc: c.currentEvcModeKey ?? null })),
    vms: verdicts.map(({ vm, verdict }) => ({
      name: vm.name,
      host: vm.host ?? null,
      power_state: vm.powerState ?? null,
      min_required_evc: vm.minRequiredEvcModeKey ?? null,
      under_baseline_evc: verdict === 'fits' ? 'fits' : verdict === 'above' ? (running(vm) ? 'blocks' : 'needs-power-cycle') : 'unknown',
    })),
  };
}

export function renderFleet(b: Baseline, f: FleetPart): string {
  if (f.clusters.length === 0 && f.vms.length === 0) return '';
  const out: string[] = ['', '', 'Fleet'];
  for (const c of f.clusters) out.push(`  cluster ${c.name}: EVC ${c.currentEvcModeKey ?? 'off'}${b.evc && c.currentEvcModeKey && c.currentEvcModeKey.toLowerCase() !== b.evc.key.toLowerCase() ? ` (the baseline is ${b.evc.key})` : ''}`);
  if (f.vms.length > 0) {
    const verdicts = judge(b, f.vms);
    const above = verdicts.filter((v) => v.verdict === 'above');
    const on = f.vms.filter(running).length;
    out.push(`  ${f.vms.length} VM${f.vms.length === 1 ? '' : 's'} (${on} powered on or suspended)`);
    if (b.evc) {
      if (above.length === 0) out.push(`  every VM with a minimum EVC mode fits under ${b.evc.key}`);
      for (const { vm } of above) {
        const what = running(vm) ? 'blocks lowering a cluster to the baseline until it is powered off (ActiveVMsBlockingEVC)' : 'needs the features above the baseline: it would power on only where they are';
        out.push(`  VM ${vm.name}${vm.host ? ` on ${vm.host}` : ''}: needs ${vm.minRequiredEvcModeKey} (${vm.powerState ?? 'power state unknown'}): ${what}`);
      }
    }
    const unknown = verdicts.filter((v) => v.verdict === 'unknown-key').length;
    if (unknown > 0) out.push(`  ${unknown} VM${unknown === 1 ? '' : 's'} with a minimum EVC mode openevc cannot compare${b.evc ? '' : ' (no EVC baseline)'}`);
  }
  return out.join('\n');
}
