/** Microarchitecture lookup over the table in src/data/uarch.ts. */
import { UARCH_TABLE } from '../data/uarch.js';
import type { Vendor } from './catalog.js';

/** The table's rows by vendor and family, in table order (every decoded host asks). */
const ROWS = new Map<string, (typeof UARCH_TABLE)[number][]>();
for (const row of UARCH_TABLE) {
  const k = `${row.vendor}/${row.family}`;
  const list = ROWS.get(k);
  if (list) list.push(row);
  else ROWS.set(k, [row]);
}

export function microarchitecture(vendor: Vendor | undefined, family: number, model: number, stepping: number): string | undefined {
  if (!vendor) return undefined;
  for (const row of ROWS.get(`${vendor}/${family}`) ?? []) {
    if (row.steppings && (stepping < row.steppings[0] || stepping > row.steppings[1])) continue;
    for (const m of row.models) {
      if (typeof m === 'number' ? m === model : model >= m[0] && model <= m[1]) return row.name;
    }
  }
  return undefined;
}
