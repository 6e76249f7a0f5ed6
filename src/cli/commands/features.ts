/**
 * `openevc features [query] [--json]`: the feature catalog as a table, or the entries matching a
 * query. People arrive with a name from one ecosystem (`pni`, `sse4.1`, `lahf-lm`, `cpuid.NX`), a
 * location from an error message (`CPUID level 0x80000001 register 'edx'`, `7.0.ebx[5]`) or a
 * family (`mitigation`); this command answers all of them from the one table.
 */
import type { Command } from 'commander';
import { featuresReport } from '../../report/api/features.js';

export function register(program: Command): void {
  program
    .command('features')
    .description('List the CPUID feature catalog, or find entries by name (any spelling), location, category or display name')
    .argument('[query]', 'avx2, sse4.1, lahf-lm, 7.0.ebx, 0x80000001, msr.10a, mitigation, "store bypass"...')
    .option('--json', 'print an array of objects with every column')
    .action((query: string | undefined, options: { json?: boolean }) => {
      const report = featuresReport(query);
      if (options.json) process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
      else process.stdout.write(report.text);
    });
}
