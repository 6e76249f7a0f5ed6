/**
 * `openevc plan INVENTORY [--json|--md] [--what-if STEP]… [--script govc|powercli]`: what to do, in
 * which order, to keep every VM migratable as the fleet changes (EVC lifecycle, KVM models).
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { FleetHost } from '../../plan/fleet.js';
import { STEP_SYNTAX, parseStep } from '../../plan/planner.js';
import { loadInventory } from '../../node/inventory.js';
import { addedHost, hostsToAdd, planReport } from '../../report/api/plan.js';
import { decodeInput } from '../../report/api/decode.js';
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
      for (const ref of hostsToAdd(fleet, steps)) newHosts.set(ref, addedHost(ref, decodeInput(await readHost(ref))));
      const report = planReport(fleet, { whatIf: steps, newHosts, noMap: !opts.map, ...(opts.script ? { script: opts.script } : {}), ...(opts.risk !== undefined ? { risk: opts.risk } : {}), md: opts.md ?? false });
      for (const d of fleet.diagnostics) process.stderr.write(`openevc: ${d.level}: ${d.message}\n`);
      if (opts.json && !opts.script) process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
      else process.stdout.write(report.text);
    });
  withExamples(cmd, [
    ['openevc plan examples/inventory/seed-000.yaml', 'seed 000: what enabling EVC needs, admitting the E5420, and the migration map'],
    ["openevc plan examples/inventory/seed-000.yaml --what-if 'retire esx-01,esx-02,esx-03'", 'what retiring the old hosts makes possible'],
    ['openevc plan examples/inventory/seed-000.yaml --script powercli', 'the plan as PowerCLI commands'],
  ]);
}
