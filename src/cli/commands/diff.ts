/**
 * `openevc diff A B`: a symmetric, feature-by-feature comparison of two hosts (or one host over
 * time), with the likely cause of each difference. `openevc diff INVENTORY` (or three or more
 * CPUID files): fleet-wide drift, hosts with the same CPU but different features, and stale
 * `cpuid.*` lines in the inventory's .vmx files. Exit 0 when nothing differs, 1 when something does.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { UsageError } from '../../core/errors.js';
import { decodeHost } from '../../core/host.js';
import { getProfile, guestFeatures } from '../../core/profiles.js';
import { diffHosts, fleetDrift, staleVmxLines } from '../../plan/drift.js';
import type { DriftGroup, HostDiff, StaleVmxLine } from '../../plan/drift.js';
import type { FleetHost } from '../../plan/fleet.js';
import { loadInventory } from '../../node/inventory.js';
import { formatOption, readHost } from '../inputs.js';
import { withExamples } from '../options.js';

async function isInventory(path: string): Promise<boolean> {
  if (path === '-') return false;
  try {
    const head = (await readFile(path, 'utf8')).slice(0, 4096);
    return /^\s*["']?openevc["']?\s*:\s*["']?inventory/m.test(head);
  } catch {
    return false;
  }
}

export function renderHostDiff(d: HostDiff): string {
  const out = [`${d.a} ⇄ ${d.b}: ${d.sameCpu ? 'same CPU (signature and brand)' : 'different CPUs'}; ${d.identical ? 'no feature differs' : `${d.features.length} feature${d.features.length === 1 ? ' differs' : 's differ'}`}`];
  for (const side of ['a', 'b'] as const) {
    const list = d.features.filter((f) => f.onlyIn === side);
    if (list.length === 0) continue;
    out.push(`  only in ${side === 'a' ? d.a : d.b}:`);
    for (const f of list) out.push(`    ${f.name} (${f.id}, ${f.location}): ${f.cause}: ${f.why}`);
  }
  return out.join('\n');
}

export function renderDrift(groups: readonly DriftGroup[], stale: readonly StaleVmxLine[]): string {
  const out: string[] = [];
  if (groups.length === 0) out.push('No drift: hosts with the same CPU offer the same features.');
  for (const g of groups) {
    out.push(`${g.cpu}: ${g.hosts.length} hosts, ${g.deviants.length} differ from ${g.reference.join(', ')}`);
    for (const d of g.deviants) out.push(renderHostDiff(d.diff).split('\n').map((l) => `  ${l}`).join('\n'));
  }
  if (stale.length > 0) {
    out.push('', 'Stale cpuid.* lines in .vmx files:');
    for (const s of stale) out.push(`  ${s.vm} (on ${s.host}) line ${s.line} ${s.key}: ${s.problem}: ${s.detail}`);
  }
  return `${out.join('\n')}\n`;
}

export function register(program: Command): void {
  const cmd = program
    .command('diff')
    .description(summary('diff'))
    .argument('<inputs...>', 'two CPUID inputs, an inventory, or three or more CPUID inputs')
    .addOption(formatOption())
    .option('--raw', 'compare every CPUID feature bit rather than what ESXi shows VMs')
    .option('--json', 'print the result as JSON')
    .action(async (inputs: string[], opts: { format?: string; raw?: boolean; json?: boolean }) => {
      const print = (v: object, text: string) => process.stdout.write(opts.json ? `${JSON.stringify(v, null, 2)}\n` : text);
      if (inputs.length === 1) {
        if (!(await isInventory(inputs[0]!))) throw new UsageError('diff needs two CPUID inputs, an inventory, or three or more CPUID inputs');
        const fleet = await loadInventory(inputs[0]!);
        const groups = fleetDrift([...fleet.hosts.values()]);
        const stale = staleVmxLines(fleet);
        print({ drift: groups, stale_vmx_lines: stale }, renderDrift(groups, stale));
        if (groups.length > 0 || stale.length > 0) process.exitCode = 1;
        return;
      }
      const read = await Promise.all(inputs.map((p) => readHost(p, opts)));
      const hosts = read.map((r) => decodeHost(r.dump));
      const sets = (i: number) => (opts.raw ? hosts[i]!.features : guestFeatures(hosts[i]!, getProfile('esxi')));
      if (inputs.length === 2) {
        const d = diffHosts(hosts[0]!, hosts[1]!, [inputs[0]!, inputs[1]!], {}, [sets(0), sets(1)]);
        print(d, `${renderHostDiff(d)}\n`);
        if (!d.identical) process.exitCode = 1;
        return;
      }
      const fleetHosts: FleetHost[] = hosts.map((h, i) => ({ name: inputs[i]!, cluster: undefined, cpu: { key: inputs[i]!, host: h, vendor: h.id.vendor, esxi: sets(i), kvm: sets(i), fidelity: h.dump.source.lossy ? 'lossy' : 'cpuid', source: inputs[i]! } }));
      const groups = fleetDrift(fleetHosts);
      print({ drift: groups, stale_vmx_lines: [] }, renderDrift(groups, []));
      if (groups.length > 0) process.exitCode = 1;
    });
  withExamples(cmd, [
    ['openevc diff examples/seed-002/host-a-atom-c2750.json examples/seed-002/host-b-core-i7-3770.json', 'what differs between the two hosts of seed 002, feature by feature'],
    ['openevc diff examples/inventory/seed-002.yaml', 'hosts with the same CPU but different features, and stale cpuid.* lines in .vmx files'],
  ]);
}
