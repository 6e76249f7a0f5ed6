/**
 * Microarchitecture names by vendor, display family and display model (and stepping
 * where one model number covers two generations, e.g. Skylake-SP / Cascade Lake / Cooper Lake).
 *
 * Facts: Intel SDM vol. 4 table 2-1 (DisplayFamily_DisplayModel), AMD family/model
 * ranges from the AMD revision guides, and the Linux intel-family.h names.
 * The name says the core and, in parentheses, the product line when that is what people
 * call it ("Silvermont (Avoton)").
 */
import type { Vendor } from '../core/catalog.js';

export interface UarchRow {
  readonly vendor: Vendor;
  readonly family: number;
  /** Display models this row covers: one number, or an inclusive [first, last] range. */
  readonly models: readonly (number | readonly [number, number])[];
  /** Inclusive stepping range when the model number alone is ambiguous. */
  readonly steppings?: readonly [number, number];
  readonly name: string;
}

export const UARCH_TABLE: readonly UarchRow[] = [
  { vendor: 'intel', family: 6, models: [0x0f, 0x16], name: 'Merom (Core 2)' },
  { vendor: 'intel', family: 6, models: [0x17, 0x1d], name: 'Penryn (Core 2)' },
  { vendor: 'intel', family: 6, models: [0x1a, 0x1e, 0x1f, 0x2e], name: 'Nehalem' },
  { vendor: 'intel', family: 6, models: [0x25, 0x2c, 0x2f], name: 'Westmere' },
  { vendor: 'intel', family: 6, models: [0x2a, 0x2d], name: 'Sandy Bridge' },
  { vendor: 'intel', family: 6, models: [0x3a, 0x3e], name: 'Ivy Bridge' },
  { vendor: 'intel', family: 6, models: [0x4d], name: 'Silvermont (Avoton)' },
];
