/** `openevc modes [--vendor intel|amd] [--json]`: VMware EVC modes in ladder order, what each adds, and how sure we are. */
import type { Command } from 'commander';
import { outputWidth } from '../text.js';
import { Option } from 'commander';
import type { EvcVendor } from '../../core/evc.js';
import { EVC_VENDORS } from '../../core/evc.js';
import { evcModeSet, evcModesOption } from '../options.js';
import { modesReport } from '../../report/api/modes.js';

export function register(program: Command): void {
  program
    .command('modes')
    .description('list VMware EVC modes in ladder order: what each adds, and whether its definition is confirmed')
    .addOption(new Option('--vendor <vendor>', 'only this vendor').choices([...EVC_VENDORS]))
    .addOption(evcModesOption())
    .option('--json', 'print the modes as JSON (see docs/json.md)')
    .action(async (opts: { vendor?: EvcVendor; json?: boolean; evcModes?: string }) => {
      const report = modesReport({ evcModes: await evcModeSet(opts.evcModes), ...(opts.vendor ? { vendor: opts.vendor } : {}), width: outputWidth() });
      if (opts.json) process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
      else process.stdout.write(`${report.text}\n`);
    });
}

