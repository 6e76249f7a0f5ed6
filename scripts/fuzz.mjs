#!/usr/bin/env node
/**
 * `npm run fuzz [-- MINUTES]`: the fuzz suite (src/fuzz/fuzz.test.ts) run for a time budget instead
 * of its fixed CI case counts. The four sections share the budget; the figures (inputs, exit codes,
 * crashes, hangs, max RSS, data-loss events) are printed at the end and kept in fuzz-report.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const minutes = Number(process.argv[2] ?? process.env.OPENEVC_FUZZ_MINUTES ?? '10');
const report = join(process.cwd(), 'fuzz-report.json');
if (existsSync(report)) rmSync(report);
const perSection = Math.max(5, Math.round((minutes * 60) / 4));
const started = Date.now();
const run = spawnSync(process.execPath, [join('node_modules', 'vitest', 'vitest.mjs'), 'run', 'src/fuzz', '--testTimeout', String((perSection + 300) * 1000)], {
  stdio: 'inherit',
  env: { ...process.env, OPENEVC_FUZZ_SECONDS: String(perSection), OPENEVC_FUZZ_REPORT: report },
});
const figures = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : {};
console.log(`\nfuzz: ${((Date.now() - started) / 60000).toFixed(1)} minutes, ${perSection} s per section`);
for (const [section, t] of Object.entries(figures)) {
  const codes = Object.entries(t.exitCodes).map(([c, n]) => `${c}: ${n}`).join(', ');
  console.log(`  ${section.padEnd(8)} inputs ${t.inputs}, exit codes {${codes}}, crashes ${t.crashes}, hangs ${t.hangs}, max RSS ${(t.maxRssKiB / 1024).toFixed(0)} MB (test worker ${(t.workerMaxRssKiB / 1024).toFixed(0)} MB), data loss ${t.dataLoss}, slowest ${t.slowest.ms} ms`);
  for (const e of t.examples) console.log(`    ${e}`);
}
process.exit(run.status ?? 1);
