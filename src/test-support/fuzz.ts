/**
 * The fuzz suite's knobs and tally (src/fuzz/fuzz.test.ts). In `npm test` every section runs a
 * fixed, small number of cases; `npm run fuzz` (scripts/fuzz.mjs) gives each section a time budget
 * (OPENEVC_FUZZ_SECONDS) and writes the tally to OPENEVC_FUZZ_REPORT as JSON.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Seconds each section runs for in a long run; 0 in CI (fixed case counts). */
export const FUZZ_SECONDS = Number(process.env.OPENEVC_FUZZ_SECONDS ?? '0') || 0;
export const LONG_RUN = FUZZ_SECONDS > 0;
const REPORT = process.env.OPENEVC_FUZZ_REPORT;

export interface FuzzTally {
  inputs: number;
  exitCodes: Record<string, number>;
  crashes: number;
  hangs: number;
  /** Peak RSS of the CLI processes run (or, for in-process sections, of the test worker). */
  maxRssKiB: number;
  /** Peak RSS of the test worker itself. */
  workerMaxRssKiB: number;
  dataLoss: number;
  slowest: { ms: number; what: string };
  examples: string[];
}

export function newTally(): FuzzTally {
  return { inputs: 0, exitCodes: {}, crashes: 0, hangs: 0, maxRssKiB: 0, workerMaxRssKiB: 0, dataLoss: 0, slowest: { ms: 0, what: '' }, examples: [] };
}

export function count(t: FuzzTally, code: string | number, ms = 0, what = ''): void {
  t.inputs++;
  t.exitCodes[String(code)] = (t.exitCodes[String(code)] ?? 0) + 1;
  if (ms > t.slowest.ms) t.slowest = { ms: Math.round(ms), what };
}

export function note(t: FuzzTally, kind: 'crash' | 'hang' | 'dataLoss', example: string): void {
  if (kind === 'crash') t.crashes++;
  else if (kind === 'hang') t.hangs++;
  else t.dataLoss++;
  if (t.examples.length < 20) t.examples.push(`${kind}: ${example.slice(0, 300)}`);
}

export function rss(t: FuzzTally, kib: number): void {
  if (kib > t.maxRssKiB) t.maxRssKiB = kib;
}

/** Adds a section's tally to the report file (long runs). */
export function report(section: string, t: FuzzTally, inProcess = false): void {
  t.workerMaxRssKiB = process.resourceUsage().maxRSS;
  if (inProcess) rss(t, t.workerMaxRssKiB);
  if (!REPORT) return;
  const all = existsSync(REPORT) ? (JSON.parse(readFileSync(REPORT, 'utf8')) as Record<string, FuzzTally>) : {};
  all[section] = t;
  writeFileSync(REPORT, `${JSON.stringify(all, null, 2)}\n`);
}

/** Runs `step` `runs` times in CI, or until the section's time budget is spent in a long run. */
export async function repeat(runs: number, step: (i: number) => Promise<void> | void): Promise<void> {
  const until = Date.now() + FUZZ_SECONDS * 1000;
  for (let i = 0; LONG_RUN ? Date.now() < until : i < runs; i++) await step(i);
}
