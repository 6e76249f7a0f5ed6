/**
 * What a dump must hold to be read as a host, checked once for every input format after its
 * reader ran (src/formats/readers.ts): leaves 0 and 1 with a vendor openevc knows. Anything less
 * would decode as a CPU with no features, and every answer built on it (a mask that hides
 * everything, "not x86-64") would be quietly wrong. Values no CPU reports (a maximum basic leaf of
 * 0xFFFFFFFF) and a maximum leaf beyond what the dump holds are warnings that say so.
 *
 * With `lenient` (the CLI's `--lenient`) the refusals become warnings saying the answer rests on
 * damaged input.
 */
import type { CpuidDump } from '../../core/cpuid.js';
import { hexLeaf } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic, InputLocation } from '../../core/errors.js';
import { VENDORS, regsToString } from '../../core/identity.js';
import type { ImportResult } from '../reader-types.js';
import { leafLine } from './cpu-builder.js';

/**
 * Every vendor string real x86 CPUs (and their errata) put in leaf 0: openevc has data only for
 * some of them (identity.ts VENDORS), but a dump of any of these is a real CPU.
 */
const REAL_VENDORS: ReadonlySet<string> = new Set([
  ...Object.keys(VENDORS),
  'AMDisbetter!',
  'CyrixInstead',
  'Geode by NSC',
  'NexGenDriven',
  'RiseRiseRise',
  'SiS SiS SiS ',
  'UMC UMC UMC ',
  'TransmetaCPU',
  'GenuineTMx86',
  'Vortex86 SoC',
  'VIA VIA VIA ',
  'Genuine  RDC',
  'E2K MACHINE',
  'GenuineIotel',
  'GenuineAO486',
  'MiSTer AO486',
]);

/** Largest maximum basic leaf a real CPU reports is in the 0x20s; beyond this it is damage. */
const PLAUSIBLE_MAX_BASIC = 0xff;
/** Same for the extended range (0x80000000 + a few dozen). */
const PLAUSIBLE_MAX_EXT = 0x8000_00ff;

export interface SanityOptions {
  readonly file: string;
  readonly lenient?: boolean;
  /** Line of each leaf where the reader knows it (for messages). */
  readonly lineOf?: (leaf: number) => number | undefined;
  /** A CPU in a multi-CPU dump: named in messages. */
  readonly cpu?: number;
  /** The format holds a chosen subset of leaves (openevc JSON): no truncation check. */
  readonly sparse?: boolean;
}

/**
 * Whether the leaves held in a range look truncated: dumpers leave out all-zero leaves, so a few
 * gaps below the maximum are normal; fewer than half of the leaves up to the maximum is not.
 */
function truncated(dump: CpuidDump, base: number, max: number): number | undefined {
  const leaves = new Set(dump.list().filter((e) => e.leaf >= base && e.leaf <= max).map((e) => e.leaf));
  const top = Math.max(base, ...leaves);
  if (top >= max || leaves.size * 2 >= max - base + 1) return undefined;
  return top;
}

/** Checks one dump; throws (or, lenient, warns) when it cannot be a host. Returns the warnings. */
export function checkHostDump(dump: CpuidDump, opts: SanityOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  // openevc JSON holds the leaves its writer chose (examples keep only those a story needs): a
  // maximum leaf beyond them is no sign of damage there.
  const sparse = dump.source.lossy || (opts.sparse ?? false);
  const where = (leaf?: number): InputLocation => {
    const line = leaf === undefined ? undefined : opts.lineOf?.(leaf);
    return line === undefined ? { file: opts.file } : { file: opts.file, line };
  };
  const who = opts.cpu !== undefined && opts.cpu > 0 ? ` (logical CPU ${opts.cpu})` : '';
  const refuse = (leaf: number | undefined, expected: string, found: string): void => {
    if (!opts.lenient) throw new InputError(where(leaf), `${expected}${who}; give --lenient to read it anyway`, found);
    out.push({ level: 'warning', message: `the answer rests on damaged input: expected ${expected}${who}, found ${found}`, where: where(leaf) });
  };
  const leaf0 = dump.get(0, 0);
  const leaf1 = dump.get(1, 0);
  if (!leaf0 || !leaf1) {
    const held = dump.list().map((e) => hexLeaf(e.leaf));
    const holds = held.length === 0 ? 'no CPUID leaf' : `only leaves ${[...new Set(held)].slice(0, 8).join(', ')}${new Set(held).size > 8 ? ', …' : ''}`;
    refuse(undefined, 'a CPUID dump holding at least leaves 0x0 (vendor) and 0x1 (family, model, features)', holds);
  }
  if (leaf0) {
    const vendor = regsToString(leaf0.ebx, leaf0.edx, leaf0.ecx);
    if (!REAL_VENDORS.has(vendor) && !dump.source.lossy) {
      refuse(0, `a known CPU vendor string in leaf 0x0 (${Object.keys(VENDORS).map((v) => JSON.stringify(v)).join(', ')}, …)`, JSON.stringify(vendor.replace(/[^\x20-\x7e]/g, '?')));
    }
    const max = leaf0.eax >>> 0;
    if (max > PLAUSIBLE_MAX_BASIC) {
      out.push({ level: 'warning', message: `leaf 0x0 reports a maximum basic leaf of ${hexLeaf(max)}${who}, which no CPU does (damaged input?); leaves are read as the dump holds them`, where: where(0) });
    } else if (!sparse) {
      const top = truncated(dump, 0, max);
      if (top !== undefined) {
        out.push({ level: 'warning', message: `leaf 0x0 reports a maximum basic leaf of ${hexLeaf(max)}${who}, but the dump holds fewer than half of the leaves up to it, the last ${hexLeaf(top)}: the leaves missing (a truncated dump?) are read as zero`, where: where(0) });
      }
    }
  }
  const ext = dump.get(0x8000_0000, 0);
  if (ext) {
    const max = ext.eax >>> 0;
    if (max !== 0 && (max < 0x8000_0000 || max > PLAUSIBLE_MAX_EXT)) {
      out.push({ level: 'warning', message: `leaf 0x80000000 reports a maximum extended leaf of ${hexLeaf(max)}${who}, which no CPU does (damaged input?)`, where: where(0x8000_0000) });
    } else if (max >= 0x8000_0000 && !sparse) {
      const top = truncated(dump, 0x8000_0000, max);
      if (top !== undefined) {
        out.push({ level: 'warning', message: `leaf 0x80000000 reports a maximum extended leaf of ${hexLeaf(max)}${who}, but the dump holds fewer than half of the leaves up to it, the last ${hexLeaf(top)}: the leaves missing (a truncated dump?) are read as zero`, where: where(0x8000_0000) });
      }
    }
  }
  return out;
}

/**
 * An import result with the host check applied (what `importText` returns): a dump that cannot be
 * a host is refused, or with `lenient` kept with warnings. Fleet exports are checked host by host
 * by their readers.
 */
export function checkedHost(result: ImportResult, file: string, lenient: boolean): ImportResult {
  if (result.fleet) return result;
  const checked = checkHostDump(result.dump, { file, lenient, sparse: result.format === 'openevc-json', lineOf: (leaf) => leafLine(result.dump, leaf) });
  return checked.length === 0 ? result : { ...result, diagnostics: [...result.diagnostics, ...checked] };
}
