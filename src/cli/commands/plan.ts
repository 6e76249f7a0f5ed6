/**
 * `openevc plan INVENTORY [--json|--md] [--what-if STEP]… [--script govc|powercli]`: what to do, in
 * which order, to keep every VM migratable as the fleet changes (EVC lifecycle, KVM models).
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { decodeHost } from '../../core/host.js';
import { getProfile, guestFeatures } from '../../core/profiles.js';
import type { FleetHost } from '../../plan/fleet.js';
import { STEP_SYNTAX, parseStep, plan } from '../../plan/planner.js';
import { renderScript } from '../../plan/script.js';
import { renderRisk, riskReport } from '../../plan/risk.js';
import { loadInventory } from '../../node/inventory.js';
import { planToJson, renderPlan } from '../../report/plan.js';
import { readHost } from '../inputs.js';
import { withExamples } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('plan')
    .description(summary('plan'))
    .argument('<inventory>', 'inventory file (YAML or JSON, see schema/inventory.schema.json)')
    .option('--json', 'print the plan as JSON')
    .option('--md', 'print the plan as Markdown')
    .option('--what-if <step>', `apply a step first (repeatable, in order): ${STEP_SYNTAX.join('; ')}`, (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--script <tool>', 'print the commands that carry out the plan').choices(['govc', 'powercli']))
    .option('--no-map', 'leave out the migration map')
    .option('--risk [mode]', "add the risk report of every vSphere cluster at its mode, or at MODE (hidden features hardware does not enforce, guest OS needs, nested hosts, mixed vendors, low-fidelity inputs)")
    .action(async (path: string, opts: { json?: boolean; md?: boolean; whatIf?: string[]; script?: 'govc' | 'powercli'; map: boolean; risk?: string | boolean }) => {
      if (opts.json && opts.md) throw new UsageError('choose one of --json and --md');
      const steps = (opts.whatIf ?? []).map(parseStep);
      const fleet = await loadInventory(path);
      const newHosts = new Map<string, FleetHost>();
      for (const s of steps) {
        if (s.kind !== 'add-host' || fleet.hosts.has(s.ref) || newHosts.has(s.ref)) continue;
        const input = await readHost(s.ref);
        const host = decodeHost(input.dump);
        const name = input.dump.source.label?.split(/\s/)[0] || basename(s.ref).replace(/\.[^.]+$/, '');
        newHosts.set(s.ref, {
          name,
          cluster: undefined,
          cpu: { key: `file::${s.ref}`, host, vendor: host.id.vendor, esxi: guestFeatures(host, getProfile('esxi')), kvm: guestFeatures(host, getProfile('kvm')), fidelity: input.dump.source.lossy ? 'lossy' : 'cpuid', source: s.ref },
        });
      }
      const result = plan(fleet, { whatIf: steps, newHosts, noMap: !opts.map || opts.script !== undefined });
      for (const d of fleet.diagnostics) process.stderr.write(`openevc: ${d.level}: ${d.message}\n`);
      const risks = opts.risk ? result.clusters.filter((c) => c.platform === 'vsphere').map((c) => riskReport(result.sim, c.name, typeof opts.risk === 'string' ? opts.risk : undefined)) : [];
      if (opts.script) process.stdout.write(renderScript(result, opts.script));
      else if (opts.json) process.stdout.write(`${JSON.stringify({ ...planToJson(result), ...(opts.risk ? { risks } : {}) }, null, 2)}\n`);
      else process.stdout.write(renderPlan(result, { md: opts.md ?? false }) + risks.map((r) => `\n${renderRisk(r)}`).join(''));
    });
  withExamples(cmd, [
    ['openevc plan examples/inventory/seed-000.yaml', 'seed 000: what enabling EVC needs, admitting the E5420, and the migration map'],
    ["openevc plan examples/inventory/seed-000.yaml --what-if 'retire esx-01,esx-02,esx-03'", 'what retiring the old hosts makes possible'],
    ['openevc plan examples/inventory/seed-000.yaml --script powercli', 'the plan as PowerCLI commands'],
  ]);
}
