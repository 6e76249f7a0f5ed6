/** Microarchitecture lookup over the table in src/data/uarch.ts. */
import { UARCH_TABLE } from '../data/uarch.js';
import type { Vendor } from './catalog.js';

export function microarchitecture(vendor: Vendor | undefined, family: number, model: number, stepping: number): string | undefined {
  if (!vendor) return undefined;
  for (const row of UARCH_TABLE) {
    if (row.vendor !== vendor || row.family !== family) continue;
    if (row.steppings && (stepping < row.steppings[0] || stepping > row.steppings[1])) continue;
    for (const m of row.models) {
      if (typeof m === 'number' ? m === model : model >= m[0] && model <= m[1]) return row.name;
    }
  }
  return undefined;
}
