/**
 * The commands that carry out a plan, for govc (a POSIX shell script) or PowerCLI: per cluster,
 * in the plan's order, the VMs to power off, the EVC change, the VMs to power on again, host
 * additions, evacuations and removals, and the power-cycle list after a raise.
 * govc has no EVC command (vmware-evc.md §6.2): that step is printed as the PowerCLI line to run.
 */
import type { PlanResult, SequenceStep } from './planner.js';

export type ScriptTool = 'govc' | 'powercli';

function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function ps(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

interface Emit {
  comment(t: string): void;
  powerOff(vm: string): void;
  powerOn(vm: string): void;
  setEvc(cluster: string, mode: string): void;
  addHost(cluster: string, host: string): void;
  migrate(vm: string, host: string): void;
  maintenance(host: string): void;
  removeHost(host: string): void;
}

function emitter(tool: ScriptTool, lines: string[]): Emit {
  if (tool === 'govc') {
    return {
      comment: (t) => lines.push(`# ${t}`),
      powerOff: (vm) => lines.push(`govc vm.power -off ${sh(vm)}`),
      powerOn: (vm) => lines.push(`govc vm.power -on ${sh(vm)}`),
      setEvc: (c, m) => lines.push(`# govc has no EVC command; in PowerCLI: Set-Cluster -Cluster ${ps(c)} -EVCMode ${ps(m)} -Confirm:$false`, `echo ${sh(`set EVC mode ${m} on cluster ${c} now (PowerCLI or the vSphere Client), then press Enter`)}; read -r _ || true`),
      addHost: (c, h) => lines.push(`govc cluster.add -cluster ${sh(c)} -hostname ${sh(h)} -username "$ESX_USER" -password "$ESX_PASSWORD" -noverify`),
      migrate: (vm, h) => lines.push(`govc vm.migrate -host ${sh(h)} ${sh(vm)}`),
      maintenance: (h) => lines.push(`govc host.maintenance.enter ${sh(h)}`),
      removeHost: (h) => lines.push(`govc host.remove ${sh(h)}`),
    };
  }
  return {
    comment: (t) => lines.push(`# ${t}`),
    powerOff: (vm) => lines.push(`Stop-VM -VM ${ps(vm)} -Confirm:$false`),
    powerOn: (vm) => lines.push(`Start-VM -VM ${ps(vm)}`),
    setEvc: (c, m) => lines.push(`Set-Cluster -Cluster ${ps(c)} -EVCMode ${ps(m)} -Confirm:$false`),
    addHost: (c, h) => lines.push(`Add-VMHost -Name ${ps(h)} -Location (Get-Cluster ${ps(c)}) -User $env:ESX_USER -Password $env:ESX_PASSWORD -Force`),
    migrate: (vm, h) => lines.push(`Move-VM -VM ${ps(vm)} -Destination (Get-VMHost ${ps(h)})`),
    maintenance: (h) => lines.push(`Set-VMHost -VMHost ${ps(h)} -State Maintenance`),
    removeHost: (h) => lines.push(`Remove-VMHost -VMHost ${ps(h)} -Confirm:$false`),
  };
}

function emitStep(e: Emit, cluster: string, s: SequenceStep): void {
  e.comment(s.summary);
  if (s.fault) {
    e.comment(`stopped here: ${s.fault.name}: ${s.fault.message}`);
    return;
  }
  switch (s.action) {
    case 'enable':
    case 'raise':
      for (const p of s.powerOff ?? []) e.powerOff(p.vm);
      if (s.mode) e.setEvc(cluster, s.mode);
      for (const p of s.powerOff ?? []) e.powerOn(p.vm);
      for (const p of s.powerCycle ?? []) {
        e.powerOff(p.vm);
        e.powerOn(p.vm);
      }
      break;
    case 'admit':
      if (s.host) e.addHost(cluster, s.host);
      break;
    case 'retire':
      for (const m of s.moved ?? []) e.migrate(m.vm, m.to);
      for (const vm of s.stranded ?? []) e.powerOff(vm);
      for (const h of s.hosts ?? []) {
        e.maintenance(h);
        e.removeHost(h);
      }
      break;
    default:
      break;
  }
}

/** The script for every vSphere cluster's steps. */
export function renderScript(p: PlanResult, tool: ScriptTool): string {
  const lines: string[] = [];
  if (tool === 'govc') lines.push('#!/bin/sh', `# openevc plan ${p.inventory}: govc commands (GOVC_URL and credentials from the environment)`, 'set -eu');
  else lines.push(`# openevc plan ${p.inventory}: PowerCLI commands (connect with Connect-VIServer first)`, "$ErrorActionPreference = 'Stop'");
  const e = emitter(tool, lines);
  for (const c of p.clusters) {
    if (c.platform !== 'vsphere') continue;
    lines.push('');
    e.comment(`cluster ${c.name}`);
    if (c.sequence.length === 0 && c.powerCycle.length === 0) e.comment('nothing to do');
    for (const s of c.sequence) emitStep(e, c.name, s);
    if (c.powerCycle.length > 0 && !c.sequence.some((s) => s.action === 'raise')) {
      e.comment(`full power cycle to gain what the cluster now offers (a guest reboot is not enough)`);
      for (const x of c.powerCycle) {
        e.powerOff(x.vm);
        e.powerOn(x.vm);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
