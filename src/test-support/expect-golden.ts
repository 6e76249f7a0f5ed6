/**
 * Golden files: expected output checked in beside the test and compared exactly.
 * Run with OPENEVC_UPDATE_GOLDEN=1 to (re)write them after a deliberate change, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import type { ImportResult } from '../formats/reader-types.js';
import { toCanonicalJson } from '../formats/openevc-json/reader.js';

export const UPDATE_GOLDEN = process.env.OPENEVC_UPDATE_GOLDEN === '1';

/** Compares `actual` with the golden file at `path` (or writes it in update mode). */
export function expectGolden(actual: string, path: string): void {
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run the test with OPENEVC_UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/**
 * Everything an importer returns, as text: each dump in canonical JSON (so goldens read like the
 * format openevc saves), which CPU dumps are the same object as the main dump, and the diagnostics.
 */
export function renderImport(result: ImportResult): string {
  const out: string[] = [`format: ${result.format}`, '== dump', toCanonicalJson(result.dump).trimEnd()];
  if (result.guest) {
    out.push('== guest', result.guest === result.dump ? '(same as dump)' : toCanonicalJson(result.guest).trimEnd());
  }
  result.cpus.forEach((cpu, i) => {
    out.push(`== cpus[${i}]`, cpu === result.dump ? '(same as dump)' : toCanonicalJson(cpu).trimEnd());
  });
  out.push('== diagnostics');
  for (const d of result.diagnostics) out.push(`${d.level}${d.where?.line !== undefined ? ` (line ${d.where.line})` : ''}: ${d.message}`);
  return `${out.join('\n')}\n`;
}
