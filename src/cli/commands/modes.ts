/** `openevc modes [--vendor intel|amd] [--json]`: VMware EVC modes in ladder order, what each adds, and how sure we are. */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { outputWidth } from '../text.js';
import { Option } from 'commander';
import type { EvcVendor } from '../../core/evc.js';
import { EVC_VENDORS } from '../../core/evc.js';
import { evcModeSet, evcModesOption, jsonOption, withExamples } from '../options.js';
import { modeJson, renderModes } from '../../report/modes.js';

export function register(program: Command): void {
  const cmd = program
    .command('modes')
    .description(summary('modes'))
    .addOption(new Option('--vendor <vendor>', 'only this vendor').choices([...EVC_VENDORS]))
    .addOption(evcModesOption())
    .addOption(jsonOption('the modes'))
    .action(async (opts: { vendor?: EvcVendor; json?: boolean; evcModes?: string }) => {
      const set = await evcModeSet(opts.evcModes);
      const modes = set.list(opts.vendor);
      if (opts.json) process.stdout.write(`${JSON.stringify(modes.map(modeJson), null, 2)}\n`);
      else process.stdout.write(`${renderModes(set, opts.vendor, outputWidth())}\n`);
    });
  withExamples(cmd, [
    ['openevc modes --vendor intel', 'the Intel EVC ladder: what each mode adds, and whether its definition is confirmed'],
    ['openevc modes --json --evc-modes supportedEVCMode.json', 'the modes with a vCenter list in place of the built-in ones, as JSON'],
  ]);
}
