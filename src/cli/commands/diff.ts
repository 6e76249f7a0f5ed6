/**
 * `openevc diff A B`: a symmetric, feature-by-feature comparison of two hosts (or one host over
 * time), with the likely cause of each difference. `openevc diff INVENTORY` (or three or more
 * CPUID files): fleet-wide drift, hosts with the same CPU but different features, and stale
 * `cpuid.*` lines in the inventory's .vmx files. Exit 0 when nothing differs, 1 when something does.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { UsageError } from '../../core/errors.js';
import { decodeHost } from '../../core/host.js';
import { getProfile, guestFeatures } from '../../core/profiles.js';
import { diffHosts, driftUnknown, fleetDrift, staleVmxLines } from '../../plan/drift.js';
import type { DriftGroup, HostDiff, StaleVmxLine } from '../../plan/drift.js';
import type { FleetCpu, FleetHost } from '../../plan/fleet.js';
import { fleetCpu, planFidelity } from '../../plan/fleet.js';
import type { FeatureSet } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { Fleet } from '../../core/fleet.js';
import { hostNamed } from '../../report/api/hosts.js';
import { loadInventory } from '../../node/inventory.js';
import { duplicateDiagnostics, expandInputs, formatOption, readHost, skippedDiagnostics, streamHosts } from '../inputs.js';
import { writeDiagnostics } from '../text.js';
import { withExamples } from '../options.js';

/** Hosts drift leaves out (driftUnknown), said on standard error (the first 20 named); returned for --json. */
function sayLeftOut(hosts: readonly FleetHost[]): string[] {
  const out = driftUnknown(hosts);
  if (out.length > 0) {
    const named = out.length > 20 ? `${out.slice(0, 20).join(', ')} and ${out.length - 20} more` : out.join(', ');
    writeDiagnostics([{ level: 'info', message: `left out of drift: ${named}: ${out.length === 1 ? 'its data names' : 'their data names'} no CPU signature or brand string (feature flags or an EVC mode key only), so whether ${out.length === 1 ? 'it has' : 'they have'} the same CPU as another host is unknown` }]);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return path !== '-' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

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
  const out = [`${d.a} ⇄ ${d.b}: ${d.sameCpu ? 'same CPU (signature and brand)' : d.cpusKnown ? 'different CPUs' : 'CPUs not named (feature flags only)'}; ${d.identical ? 'no feature differs' : `${d.features.length} feature${d.features.length === 1 ? ' differs' : 's differ'}`}`];
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
      if (inputs.length === 1 && (await isInventory(inputs[0]!))) {
        const fleet = await loadInventory(inputs[0]!);
        const all = [...fleet.hosts.values()];
        const groups = fleetDrift(all);
        const stale = staleVmxLines(fleet);
        const leftOut = sayLeftOut(all);
        print({ drift: groups, left_out: leftOut, stale_vmx_lines: stale }, renderDrift(groups, stale));
        if (groups.length > 0 || stale.length > 0) process.exitCode = 1;
        return;
      }
      if (inputs.length === 2 && !inputs.some(isDirectory)) {
        const hosts = await Promise.all(inputs.map(async (p) => decodeHost((await readHost(p, opts)).dump)));
        const sets = hosts.map((h) => (opts.raw ? h.features : guestFeatures(h, getProfile('esxi'))));
        const d = diffHosts(hosts[0]!, hosts[1]!, [inputs[0]!, inputs[1]!], {}, [sets[0]!, sets[1]!]);
        print(d, `${renderHostDiff(d)}\n`);
        if (!d.identical) process.exitCode = 1;
        return;
      }
      // A fleet: every host of every input (directories walked, every host of an export), read one
      // at a time; hosts of one CPU share its decoded parts, no registers are kept.
      const fleet = new Fleet({ keepDumps: false });
      // One FleetCpu per distinct CPU (its hosts share its feature set), as an inventory's hosts share theirs.
      const cpus = new Map<FeatureSet, FleetCpu>();
      const hosts: FleetHost[] = [];
      const notes: Diagnostic[] = [];
      const read = await streamHosts(await expandInputs(inputs), { ...(opts.format ? { format: opts.format } : {}) }, (input) => {
        const host = fleet.addLight(hostNamed(input));
        let cpu = cpus.get(host.features);
        if (cpu === undefined) cpus.set(host.features, (cpu = fleetCpu(host, planFidelity(host.dump.source), input.file)));
        hosts.push({ name: input.file, cluster: undefined, cpu });
        for (const d of input.diagnostics) if (d.level !== 'info') notes.push(d.where ? d : { ...d, where: { file: input.file } });
      });
      writeDiagnostics([...skippedDiagnostics(read.skipped, read.failed, read.passedOver), ...duplicateDiagnostics(read.duplicates, read.identical), ...notes]);
      if (hosts.length < 2) throw new UsageError(`diff needs two hosts, and ${inputs.join(', ')} ${inputs.length === 1 ? 'holds' : 'hold'} one: give two CPUID inputs, an inventory, or several hosts (files, directories, exports)`);
      const groups = fleetDrift(hosts);
      const leftOut = sayLeftOut(hosts);
      print({ drift: groups, left_out: leftOut, stale_vmx_lines: [] }, renderDrift(groups, []));
      if (groups.length > 0) process.exitCode = 1;
    });
  withExamples(cmd, [
    ['openevc diff examples/seed-002/host-a-atom-c2750.json examples/seed-002/host-b-core-i7-3770.json', 'what differs between the two hosts of seed 002, feature by feature'],
    ['openevc diff examples/inventory/seed-002.yaml', 'hosts with the same CPU but different features, and stale cpuid.* lines in .vmx files'],
  ]);
}
