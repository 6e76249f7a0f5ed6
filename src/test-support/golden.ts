/**
 * Golden files for importer tests: an import is written as stable text (one line per
 * leaf/subleaf, so a diff points at the register that changed) and compared exactly with a
 * file checked in beside the fixture.
 *
 * To regenerate after an intended change: `OPENEVC_UPDATE_GOLDEN=1 npx vitest run src/formats`,
 * then read the diff before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hex32 } from '../core/cpuid.js';
import type { CpuidDump } from '../core/cpuid.js';
import type { ImportResult } from '../formats/reader-types.js';

/** `0x0000000d.2  00000100 00000240 00000000 00000000` per entry, sorted by leaf and subleaf. */
export function describeLeaves(dump: CpuidDump): string[] {
  return dump.list().map((e) => {
    const regs = [e.eax, e.ebx, e.ecx, e.edx].map((v) => hex32(v).slice(2)).join(' ');
    return `${hex32(e.leaf)}.${e.subleaf.toString(16)}  ${regs}`;
  });
}

/** The stable text of an import result, for golden comparison. */
export function describeImport(r: ImportResult): string {
  const out = {
    format: r.format,
    cpus: r.cpus.map((d) => ({ cpu: d.source.cpu, format: d.source.format, lossy: d.source.lossy, leaves: describeLeaves(d) })),
    diagnostics: r.diagnostics.map((d) => ({ level: d.level, line: d.where?.line ?? null, message: d.message })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The checked-in golden text; with OPENEVC_UPDATE_GOLDEN=1, writes `actual` there first. */
export function golden(path: string, actual: string): string {
  if (process.env.OPENEVC_UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run with OPENEVC_UPDATE_GOLDEN=1 and review it`);
  return readFileSync(path, 'utf8');
}
