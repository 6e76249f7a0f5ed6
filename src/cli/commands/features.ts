/**
 * `openevc features [query] [--json]`: the feature catalog as a table, or the entries matching a
 * query. People arrive with a name from one ecosystem (`pni`, `sse4.1`, `lahf-lm`, `cpuid.NX`), a
 * location from an error message (`CPUID level 0x80000001 register 'edx'`, `7.0.ebx[5]`) or a
 * family (`mitigation`); this command answers all of them from the one table.
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { catalog } from '../../core/catalog.js';
import { UsageError } from '../../core/errors.js';
import { byLocation, NoMatchError, findFeatures, renderTable, renderDetails, featureJson } from '../../report/features.js';
import { jsonOption, withExamples } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('features')
    .description(summary('features'))
    .argument('[query]', 'avx2, sse4.1, lahf-lm, 7.0.ebx, 0x80000001, msr.10a, mitigation, "store bypass"...')
    .addOption(jsonOption('an array of objects with every column ([] when nothing matches)'))
    .action((query: string | undefined, options: { json?: boolean }) => {
      if (query !== undefined && query.trim() === '') {
        throw new UsageError('features needs a query to look for, or none to list the whole catalog: a name in any spelling (avx2, pni, lahf-lm), a location (1.ecx.19, 7.0.ebx, msr.10a), a category (simd, mitigation, tsx) or words from an error message ("FS & GS base registers")');
      }
      const features = query === undefined ? [...catalog.features] : findFeatures(query);
      if (options.json) {
        process.stdout.write(`${JSON.stringify([...features].sort(byLocation).map(featureJson), null, 2)}\n`);
        if (features.length === 0) process.exitCode = 1;
        return;
      }
      if (features.length === 0) throw new NoMatchError(query ?? '');
      process.stdout.write(renderTable(features));
      if (features.length === 1) process.stdout.write(renderDetails(features[0]!));
    });
  withExamples(cmd, [
    ['openevc features "FS & GS Base registers"', 'the feature behind a vSphere compatibility error, with its name in every ecosystem'],
    ['openevc features "CPUID level 0x80000001 register \'edx\'"', 'every bit of the register an error message names'],
    ['openevc features --json spectre', 'the speculation mitigations, as JSON'],
  ]);
}
