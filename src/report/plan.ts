/** The text, Markdown and JSON `openevc plan` prints. */
import type { PlanResult, SequenceStep, StepOutcome } from '../plan/planner.js';

/** The JSON contract of `openevc plan --json` (the simulator state is left out). */
export function planToJson(p: PlanResult): object {
  const { sim: _sim, ...rest } = p;
  return { openevc: 'plan', version: 1, ...rest };
}

function list(xs: readonly string[], max = 12): string {
  if (xs.length <= max) return xs.join(', ');
  return `${xs.slice(0, max).join(', ')} … (${xs.length} in all)`;
}

function stepLines(o: StepOutcome, bullet: string): string[] {
  const out: string[] = [];
  if (o.ok) out.push(`${bullet}${o.step}: done`);
  else out.push(`${bullet}${o.step}: REFUSED, ${o.fault!.name}${o.fault!.vsphereName ? '' : ' (openevc\'s name)'}: ${o.fault!.message}`);
  const pad = ' '.repeat(bullet.length + 2);
  if (o.fault?.features.length) out.push(`${pad}features: ${list(o.fault.features)}`);
  if (o.fault?.vms.length) out.push(`${pad}VMs: ${list(o.fault.vms)}`);
  if (o.fault?.remedy) out.push(`${pad}to proceed: ${o.fault.remedy}`);
  for (const n of o.notes) out.push(`${pad}${n}`);
  if (o.moved?.length) out.push(`${pad}moved live: ${list(o.moved.map((m) => `${m.vm} → ${m.to}`))}`);
  if (o.powerCycle?.length) out.push(`${pad}power cycle to gain the new features: ${list(o.powerCycle.map((p) => `${p.vm} (${p.gains.join(', ')})`))}`);
  return out;
}

function seqLines(s: SequenceStep, n: number, md: boolean): string[] {
  const b = md ? `${n}. ` : `  ${n}. `;
  const pad = md ? '   - ' : '       ';
  const out = [`${b}${s.summary}`];
  if (s.fault) out.push(`${pad}${s.fault.name}: ${s.fault.message}${s.fault.remedy ? `; to proceed: ${s.fault.remedy}` : ''}`);
  if (s.powerOff?.length) out.push(`${pad}power off first: ${list(s.powerOff.map((p) => (p.above.length ? `${p.vm} on ${p.host} (runs with ${p.above.join(', ')})` : `${p.vm} on ${p.host}`)), 30)}`);
  if (s.mayStayOn?.length) out.push(`${pad}may stay on: ${list(s.mayStayOn, 30)}`);
  if (s.moved?.length) out.push(`${pad}moved live: ${list(s.moved.map((m) => `${m.vm} → ${m.to}`))}`);
  if (s.stranded?.length) out.push(`${pad}must power off (no host takes them live): ${list(s.stranded)}`);
  if (s.powerCycle?.length) out.push(`${pad}need a full power cycle to gain ${[...new Set(s.powerCycle.flatMap((p) => p.gains))].join(', ')}: ${list(s.powerCycle.map((p) => p.vm), 30)}`);
  return out;
}

export function renderPlan(p: PlanResult, opts: { md?: boolean; mapLimit?: number } = {}): string {
  const md = opts.md ?? false;
  const h = (t: string, level = 2) => (md ? `${'#'.repeat(level)} ${t}` : `${t}`);
  const out: string[] = [];
  out.push(h(`Plan for ${p.inventory}`, 1));
  if (p.steps.length > 0) {
    out.push('', h('What-if steps, in order'));
    p.steps.forEach((s, i) => out.push(...stepLines(s, md ? `${i + 1}. ` : `  ${i + 1}. `)));
  }
  for (const c of p.clusters) {
    out.push('', h(`Cluster ${c.name} (${c.platform}${c.platform === 'vsphere' ? `, EVC ${c.evc ?? 'off'}` : ''}): ${c.hosts.length} host${c.hosts.length === 1 ? '' : 's'}, VMs ${c.vms.on} on, ${c.vms.suspended} suspended, ${c.vms.off} off`));
    if (c.platform === 'vsphere') out.push(`${md ? '' : '  '}Highest EVC mode every host supports: ${c.highestMode ?? (c.mixedVendors ? 'none (Intel and AMD mixed)' : 'none')}`);
    for (const n of c.notes) out.push(`${md ? '- ' : '  '}${n}`);
    if (c.powerCycle.length > 0) out.push(`${md ? '- ' : '  '}VMs whose requirements are below what the cluster offers (a full power cycle gains ${[...new Set(c.powerCycle.flatMap((x) => x.gains))].join(', ')}): ${list(c.powerCycle.map((x) => x.vm), 30)}`);
    if (c.sequence.length > 0) {
      out.push(md ? '' : '', `${md ? '' : '  '}Steps:`);
      c.sequence.forEach((s, i) => out.push(...seqLines(s, i + 1, md)));
    }
    if (c.kvm) {
      const k = c.kvm;
      out.push(`${md ? '' : '  '}CPU model to set: ${k.model}${k.extra.length ? ` +${k.extra.join(' +')}` : ''}${k.disabled.length ? ` -${k.disabled.join(' -')}` : ''}`);
      for (const [tool, s] of Object.entries(k.settings)) out.push(`${md ? '- ' : '    '}${tool}: ${md ? `\`${s}\`` : s}`);
      out.push(`${md ? '' : '  '}VMs that must restart to pick it up: ${k.restart.length ? list(k.restart.map((r) => r.vm), 30) : 'none'}`);
      for (const [host, vms] of Object.entries(k.stranded)) out.push(`${md ? '- ' : '  '}removing ${host} strands ${list(vms)} (no other host takes them live)`);
    }
  }
  if (p.standalone.length > 0) out.push('', h('Hosts outside any cluster'), `${md ? '' : '  '}${list(p.standalone, 50)}`);
  if (p.migrationMap.length > 0) {
    out.push('', h('Migration map (running VMs)'));
    const limit = opts.mapLimit ?? 50;
    for (const g of p.migrationMap.slice(0, limit)) {
      out.push(`${md ? '- ' : '  '}${list(g.vms, 8)}:`);
      out.push(`${md ? '  - ' : '      '}can move to: ${g.canMoveTo.length ? list(g.canMoveTo, 10) : 'no host'}`);
      for (const b of g.blocked) out.push(`${md ? '  - ' : '      '}not to ${list(b.hosts, 6)}: ${b.fault}: ${b.reason}`);
    }
    if (p.migrationMap.length > limit) out.push(`  … ${p.migrationMap.length - limit} more groups (--json has them all)`);
  }
  out.push('', h('What this rests on'));
  for (const r of p.restsOn) out.push(`${md ? '- ' : '  '}${r}`);
  return `${out.join('\n')}\n`;
}
