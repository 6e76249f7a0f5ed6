/**
 * `openevc features [query] [--json]`: the feature catalog as a table, or the entries matching a
 * query. People arrive with a name from one ecosystem (`pni`, `sse4.1`, `lahf-lm`, `cpuid.NX`), a
 * location from an error message (`CPUID level 0x80000001 register 'edx'`, `7.0.ebx[5]`) or a
 * family (`mitigation`); this command answers all of them from the one table.
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { catalog } from '../../core/catalog.js';
import { byLocation, NoMatchError, findFeatures, renderTable, renderDetails, featureJson } from '../../report/features.js';

export function register(program: Command): void {
  program
    .command('features')
    .description(summary('features'))
    .argument('[query]', 'avx2, sse4.1, lahf-lm, 7.0.ebx, 0x80000001, msr.10a, mitigation, "store bypass"...')
    .option('--json', 'print an array of objects with every column')
    .action((query: string | undefined, options: { json?: boolean }) => {
      const features = query === undefined ? [...catalog.features] : findFeatures(query);
      if (features.length === 0) throw new NoMatchError(query ?? '');
      if (options.json) {
        process.stdout.write(`${JSON.stringify([...features].sort(byLocation).map(featureJson), null, 2)}\n`);
        return;
      }
      process.stdout.write(renderTable(features));
      if (features.length === 1) process.stdout.write(renderDetails(features[0]!));
    });
}
