/**
 * Microarchitecture names by vendor, display family and display model (and stepping where
 * one model number covers several generations: Skylake-SP / Cascade Lake / Cooper Lake share
 * 0x55, Kaby Lake / Coffee Lake / Whiskey Lake / Comet Lake share 0x8E and 0x9E).
 *
 * Facts: Intel SDM vol. 4 table 2-1 (DisplayFamily_DisplayModel) and Linux intel-family.h;
 * AMD family/model ranges from AMD's revision guides and Linux's AMD model checks.
 * The name gives the core and, in parentheses, the product line when that is what people
 * call it: "Silvermont (Avoton)". Rows are checked in order; the first match wins, so a
 * stepping-specific row must come before a row for the same model without steppings.
 */
import type { Vendor } from './schema.js';

export interface UarchRow {
  readonly vendor: Vendor;
  readonly family: number;
  /** Display models this row covers: single numbers or inclusive [first, last] ranges. */
  readonly models: readonly (number | readonly [number, number])[];
  /** Inclusive stepping range, when the model number alone is ambiguous. */
  readonly steppings?: readonly [number, number];
  readonly name: string;
}

const I = 'intel';
const A = 'amd';

export const UARCH_TABLE: readonly UarchRow[] = [
  // ---- Intel, before family 6 ----------------------------------------------------------
  { vendor: I, family: 4, models: [[0, 9]], name: 'i486' },
  { vendor: I, family: 5, models: [1, 2, 3, 7], name: 'P5 (Pentium)' },
  { vendor: I, family: 5, models: [4, 8], name: 'P55C (Pentium MMX)' },
  { vendor: I, family: 5, models: [9, 0xa], name: 'Lakemont (Quark)' },

  // ---- Intel family 6: P6 and Pentium M --------------------------------------------------
  { vendor: I, family: 6, models: [1], name: 'P6 (Pentium Pro)' },
  { vendor: I, family: 6, models: [3, 5], name: 'P6 (Pentium II)' },
  { vendor: I, family: 6, models: [6], name: 'P6 (Celeron Mendocino)' },
  { vendor: I, family: 6, models: [7, 8, 0xa, 0xb], name: 'P6 (Pentium III)' },
  { vendor: I, family: 6, models: [9, 0xd, 0x15], name: 'Pentium M' },
  { vendor: I, family: 6, models: [0xe], name: 'Yonah (Core)' },

  // ---- Intel Core 2 and the big cores ----------------------------------------------------
  { vendor: I, family: 6, models: [0xf, 0x16], name: 'Merom (Core 2)' },
  { vendor: I, family: 6, models: [0x17], name: 'Penryn (Core 2)' },
  { vendor: I, family: 6, models: [0x1d], name: 'Penryn (Dunnington)' },
  { vendor: I, family: 6, models: [0x1a, 0x1e, 0x1f], name: 'Nehalem' },
  { vendor: I, family: 6, models: [0x2e], name: 'Nehalem (Beckton, EX)' },
  { vendor: I, family: 6, models: [0x25, 0x2c], name: 'Westmere' },
  { vendor: I, family: 6, models: [0x2f], name: 'Westmere (Eagleton, EX)' },
  { vendor: I, family: 6, models: [0x2a], name: 'Sandy Bridge' },
  { vendor: I, family: 6, models: [0x2d], name: 'Sandy Bridge (E/EP)' },
  { vendor: I, family: 6, models: [0x3a], name: 'Ivy Bridge' },
  { vendor: I, family: 6, models: [0x3e], name: 'Ivy Bridge (E/EP/EX)' },
  { vendor: I, family: 6, models: [0x3c, 0x45, 0x46], name: 'Haswell' },
  { vendor: I, family: 6, models: [0x3f], name: 'Haswell (E/EP/EX)' },
  { vendor: I, family: 6, models: [0x3d, 0x47], name: 'Broadwell' },
  { vendor: I, family: 6, models: [0x4f], name: 'Broadwell (E/EP/EX)' },
  { vendor: I, family: 6, models: [0x56], name: 'Broadwell (DE)' },
  { vendor: I, family: 6, models: [0x4e, 0x5e], name: 'Skylake' },
  { vendor: I, family: 6, models: [0x55], steppings: [0, 4], name: 'Skylake (SP)' },
  { vendor: I, family: 6, models: [0x55], steppings: [5, 7], name: 'Cascade Lake' },
  { vendor: I, family: 6, models: [0x55], steppings: [8, 15], name: 'Cooper Lake' },
  { vendor: I, family: 6, models: [0x8e, 0x9e], steppings: [0, 9], name: 'Kaby Lake' },
  { vendor: I, family: 6, models: [0x8e], steppings: [0xa, 0xa], name: 'Kaby Lake R' },
  { vendor: I, family: 6, models: [0x8e], steppings: [0xb, 0xb], name: 'Whiskey Lake' },
  { vendor: I, family: 6, models: [0x8e], steppings: [0xc, 0xf], name: 'Comet Lake' },
  { vendor: I, family: 6, models: [0x9e], steppings: [0xa, 0xf], name: 'Coffee Lake' },
  { vendor: I, family: 6, models: [0xa5, 0xa6], name: 'Comet Lake' },
  { vendor: I, family: 6, models: [0x66], name: 'Cannon Lake' },
  { vendor: I, family: 6, models: [0x7d, 0x7e], name: 'Ice Lake' },
  { vendor: I, family: 6, models: [0x6a], name: 'Ice Lake (SP)' },
  { vendor: I, family: 6, models: [0x6c], name: 'Ice Lake (D)' },
  { vendor: I, family: 6, models: [0x8c, 0x8d], name: 'Tiger Lake' },
  { vendor: I, family: 6, models: [0xa7, 0xa8], name: 'Rocket Lake' },
  { vendor: I, family: 6, models: [0x8a], name: 'Lakefield (hybrid)' },
  { vendor: I, family: 6, models: [0x97, 0x9a], name: 'Alder Lake (hybrid)' },
  { vendor: I, family: 6, models: [0xb7, 0xba, 0xbf], name: 'Raptor Lake (hybrid)' },
  { vendor: I, family: 6, models: [0xaa, 0xac], name: 'Meteor Lake (hybrid)' },
  { vendor: I, family: 6, models: [0xc5, 0xc6], name: 'Arrow Lake (hybrid)' },
  { vendor: I, family: 6, models: [0xbd], name: 'Lunar Lake (hybrid)' },
  { vendor: I, family: 6, models: [0xcc], name: 'Panther Lake (hybrid)' },
  { vendor: I, family: 6, models: [0x8f], name: 'Sapphire Rapids' },
  { vendor: I, family: 6, models: [0xcf], name: 'Emerald Rapids' },
  { vendor: I, family: 6, models: [0xad, 0xae], name: 'Granite Rapids' },
  { vendor: I, family: 6, models: [0xaf], name: 'Sierra Forest' },
  { vendor: I, family: 6, models: [0xdd], name: 'Clearwater Forest' },
  { vendor: I, family: 0x13, models: [0x01], name: 'Diamond Rapids' },

  // ---- Intel Atom and E-cores ----------------------------------------------------------------
  { vendor: I, family: 6, models: [0x1c, 0x26], name: 'Bonnell (Atom)' },
  { vendor: I, family: 6, models: [0x27, 0x35, 0x36], name: 'Saltwell (Atom)' },
  { vendor: I, family: 6, models: [0x37], name: 'Silvermont (Bay Trail)' },
  { vendor: I, family: 6, models: [0x4a, 0x5a, 0x5d], name: 'Silvermont (Atom)' },
  { vendor: I, family: 6, models: [0x4d], name: 'Silvermont (Avoton)' },
  { vendor: I, family: 6, models: [0x4c], name: 'Airmont (Cherry Trail)' },
  { vendor: I, family: 6, models: [0x5c], name: 'Goldmont (Apollo Lake)' },
  { vendor: I, family: 6, models: [0x5f], name: 'Goldmont (Denverton)' },
  { vendor: I, family: 6, models: [0x7a], name: 'Goldmont Plus (Gemini Lake)' },
  { vendor: I, family: 6, models: [0x86], name: 'Tremont (Snow Ridge)' },
  { vendor: I, family: 6, models: [0x96, 0x9c], name: 'Tremont' },
  { vendor: I, family: 6, models: [0xbe], name: 'Gracemont (Alder Lake-N)' },
  { vendor: I, family: 6, models: [0xb6], name: 'Crestmont (Grand Ridge)' },
  { vendor: I, family: 6, models: [0x57], name: 'Knights Landing (Xeon Phi)' },
  { vendor: I, family: 6, models: [0x85], name: 'Knights Mill (Xeon Phi)' },

  // ---- Intel NetBurst ---------------------------------------------------------------------
  { vendor: I, family: 0xf, models: [0, 1], name: 'NetBurst (Willamette)' },
  { vendor: I, family: 0xf, models: [2], name: 'NetBurst (Northwood)' },
  { vendor: I, family: 0xf, models: [3, 4], name: 'NetBurst (Prescott)' },
  { vendor: I, family: 0xf, models: [6], name: 'NetBurst (Cedar Mill)' },

  // ---- AMD ---------------------------------------------------------------------------------
  { vendor: A, family: 4, models: [[0, 0xf]], name: 'Am486 / Am5x86' },
  { vendor: A, family: 5, models: [[0, 3]], name: 'K5' },
  { vendor: A, family: 5, models: [6, 7], name: 'K6' },
  { vendor: A, family: 5, models: [8], name: 'K6-2' },
  { vendor: A, family: 5, models: [9], name: 'K6-III (Sharptooth)' },
  { vendor: A, family: 5, models: [0xd], name: 'K6-2+ / K6-III+' },
  { vendor: A, family: 5, models: [0xa], name: 'Geode LX' },
  { vendor: A, family: 6, models: [[1, 0xa]], name: 'K7 (Athlon)' },
  { vendor: A, family: 0xf, models: [[0x00, 0x0f]], name: 'K8 (Hammer, 130 nm)' },
  { vendor: A, family: 0xf, models: [[0x10, 0x3f]], name: 'K8 (rev. D/E, 90 nm)' },
  { vendor: A, family: 0xf, models: [[0x40, 0x5f]], name: 'K8 (rev. F)' },
  { vendor: A, family: 0xf, models: [[0x60, 0xff]], name: 'K8 (rev. G)' },
  { vendor: A, family: 0x10, models: [2], name: 'K10 (Barcelona)' },
  { vendor: A, family: 0x10, models: [4, 5, 6], name: 'K10 (Shanghai / Deneb)' },
  { vendor: A, family: 0x10, models: [8], name: 'K10 (Istanbul)' },
  { vendor: A, family: 0x10, models: [9], name: 'K10 (Magny-Cours / Lisbon)' },
  { vendor: A, family: 0x10, models: [0xa], name: 'K10 (Thuban)' },
  { vendor: A, family: 0x11, models: [[0, 0xf]], name: 'K8/K10 hybrid (Griffin)' },
  { vendor: A, family: 0x12, models: [[0, 0xf]], name: 'K10 (Llano)' },
  { vendor: A, family: 0x14, models: [[0, 0xf]], name: 'Bobcat' },
  { vendor: A, family: 0x15, models: [1], name: 'Bulldozer' },
  { vendor: A, family: 0x15, models: [2, [0x10, 0x1f]], name: 'Piledriver' },
  { vendor: A, family: 0x15, models: [[0x30, 0x3f]], name: 'Steamroller' },
  { vendor: A, family: 0x15, models: [[0x60, 0x7f]], name: 'Excavator' },
  { vendor: A, family: 0x16, models: [[0x00, 0x0f]], name: 'Jaguar' },
  { vendor: A, family: 0x16, models: [[0x30, 0x3f]], name: 'Puma' },
  { vendor: A, family: 0x17, models: [[0x08, 0x0f], [0x18, 0x1f]], name: 'Zen+' },
  { vendor: A, family: 0x17, models: [[0x00, 0x07], [0x10, 0x17], [0x20, 0x2f]], name: 'Zen' },
  { vendor: A, family: 0x17, models: [[0x30, 0xff]], name: 'Zen 2' },
  { vendor: A, family: 0x19, models: [[0x40, 0x4f]], name: 'Zen 3+' },
  { vendor: A, family: 0x19, models: [[0x00, 0x0f], [0x20, 0x3f], [0x50, 0x5f]], name: 'Zen 3' },
  { vendor: A, family: 0x19, models: [[0xa0, 0xaf]], name: 'Zen 4c' },
  { vendor: A, family: 0x19, models: [[0x10, 0x1f], [0x60, 0x7f]], name: 'Zen 4' },
  { vendor: A, family: 0x1a, models: [[0x00, 0xff]], name: 'Zen 5' },

  // ---- Hygon, Zhaoxin, VIA (Centaur) ---------------------------------------------------------
  { vendor: 'hygon', family: 0x18, models: [[0, 0xff]], name: 'Dhyana (Zen)' },
  { vendor: 'zhaoxin', family: 7, models: [0x1b], name: 'ZhangJiang (KX-5000)' },
  { vendor: 'zhaoxin', family: 7, models: [0x3b], name: 'LuJiaZui (KX-6000)' },
  { vendor: 'zhaoxin', family: 7, models: [0x5b], name: 'YongFeng (KX-7000)' },
  { vendor: 'centaur', family: 7, models: [0x1b], name: 'ZhangJiang (Zhaoxin KX-5000)' },
  { vendor: 'centaur', family: 7, models: [0x3b], name: 'LuJiaZui (Zhaoxin KX-6000)' },
  { vendor: 'centaur', family: 7, models: [0x5b], name: 'YongFeng (Zhaoxin KX-7000 / KH-40000)' },
  { vendor: 'centaur', family: 6, models: [9], name: 'VIA C3 (Nehemiah)' },
  { vendor: 'centaur', family: 6, models: [0xa, 0xd], name: 'VIA C7 (Esther)' },
  { vendor: 'centaur', family: 6, models: [0xf], name: 'VIA Nano (Isaiah)' },
];
