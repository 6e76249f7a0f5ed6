/**
 * The dense all-pairs kernel: which of N CPUs can take a VM from which, for every ordered pair
 * at once. A planner's migration map and a dashboard's heatmap are views of its result.
 *
 * ## API
 * - {@link distinctFeatureSets}`(sets)`: collapses a fleet to its distinct feature sets (hosts
 *   with identical sets share one entry) and says which entry each host maps to. Pairwise work
 *   then scales with distinct CPUs, not hosts.
 * - {@link compatibilityMatrix}`(sets)`: input the distinct feature sets (each already what the
 *   guest is shown: `guestFeatures(host, profile)`), output a {@link CompatibilityMatrix}:
 *   - `canMigrate(i, j)`: a VM powered on at `i` may live-migrate to `j` (set i ⊆ set j);
 *   - `relation(i, j)`: `'both'` (i ⊆ j and j ⊆ i: equal sets), `'forward'` (i → j only),
 *     `'backward'` (j → i only) or `'neither'`;
 *   - `blockers(i, j)`: on demand, the features that stop i → j (set i minus set j), empty
 *     when `canMigrate(i, j)`; computed per call, never stored for all pairs;
 *   - `bits`: the matrix itself, row-major, one bit per ordered pair: bit `j` of row `i`
 *     (`bits[i * rowWords + (j >>> 5)] >>> (j & 31) & 1`) is `canMigrate(i, j)`.
 *   Memory is N²/8 bytes (12.5 MB at 10,000 CPUs).
 *
 * ## How it is fast
 * Bit-sliced: only features that differ between some CPUs can decide a pair, so for each of those
 * the kernel builds the column of CPUs that have it (a bitset over CPUs, in a typed array). The
 * CPUs that can take i's VMs are then the AND of the columns of the features i has: 32 pairs per
 * word operation, no branch per pair, both directions of every pair in one pass. Columns are
 * processed in blocks of 64 words (2,048 CPUs) so that the block of every column stays in the
 * cache while all rows are computed. Pure: no Node API, runs in the browser.
 */
import type { FeatureSet } from './catalog.js';

export type PairRelation = 'both' | 'forward' | 'backward' | 'neither';

export interface CompatibilityMatrix {
  /** Number of CPUs (rows and columns). */
  readonly size: number;
  /** 32-bit words per row of {@link bits}. */
  readonly rowWords: number;
  /** One bit per ordered pair (i, j): set when a VM can move from i to j. */
  readonly bits: Uint32Array;
  canMigrate(from: number, to: number): boolean;
  relation(a: number, b: number): PairRelation;
  /** What blocks `from → to` (empty when the move is possible). */
  blockers(from: number, to: number): FeatureSet;
  /** How many ordered pairs (i ≠ j) allow a move. */
  countCompatible(): number;
}

export interface DistinctSets {
  /** The distinct sets, in order of first appearance. */
  readonly sets: readonly FeatureSet[];
  /** For each input, the index of its set in {@link sets}. */
  readonly indexOf: Int32Array;
  /** For each distinct set, how many inputs have it. */
  readonly counts: Int32Array;
}

/** Collapses feature sets to the distinct ones (hosts with identical sets share one entry). */
export function distinctFeatureSets(sets: readonly FeatureSet[]): DistinctSets {
  const byKey = new Map<string, number>();
  const out: FeatureSet[] = [];
  const indexOf = new Int32Array(sets.length);
  const counts: number[] = [];
  sets.forEach((s, i) => {
    const key = wordsKey(s.words);
    let at = byKey.get(key);
    if (at === undefined) {
      at = out.length;
      byKey.set(key, at);
      out.push(s);
      counts.push(0);
    }
    counts[at]!++;
    indexOf[i] = at;
  });
  return { sets: out, indexOf, counts: Int32Array.from(counts) };
}

/** A string key of a word array (exact, compact). */
export function wordsKey(words: Uint32Array): string {
  let key = '';
  for (let w = 0; w < words.length; w++) key += String.fromCharCode(words[w]! & 0xffff, words[w]! >>> 16);
  return key;
}

/** Columns per block: 64 words of column bits for each varying feature stay in L1/L2 together. */
const BLOCK_WORDS = 64;

/** Computes which ordered pairs of `sets` allow a live migration (see the module comment). */
export function compatibilityMatrix(sets: readonly FeatureSet[]): CompatibilityMatrix {
  const n = sets.length;
  const rowWords = Math.max(1, Math.ceil(n / 32));
  const bits = new Uint32Array(n * rowWords);
  // Bit-sliced: for each feature that varies across the fleet, the column of CPUs that have it.
  // Row i (where i's VMs may go) is the AND of the columns of the features i has.
  const { columns, members, memberStart } = sliceVaryingBits(sets, rowWords);
  const lastMask = n % 32 === 0 ? 0xffffffff : (1 << (n % 32)) - 1;
  for (let b0 = 0; b0 < rowWords; b0 += BLOCK_WORDS) {
    const b1 = Math.min(rowWords, b0 + BLOCK_WORDS);
    for (let i = 0; i < n; i++) {
      const row = i * rowWords;
      for (let w = b0; w < b1; w++) bits[row + w] = w === rowWords - 1 ? lastMask : 0xffffffff;
      for (let m = memberStart[i]!; m < memberStart[i + 1]!; m++) {
        const col = members[m]! * rowWords;
        for (let w = b0; w < b1; w++) bits[row + w]! &= columns[col + w]!;
      }
    }
  }

  const canMigrate = (from: number, to: number): boolean => ((bits[from * rowWords + (to >>> 5)]! >>> (to & 31)) & 1) === 1;
  return {
    size: n,
    rowWords,
    bits,
    canMigrate,
    relation(a, b) {
      const f = canMigrate(a, b);
      const r = canMigrate(b, a);
      return f && r ? 'both' : f ? 'forward' : r ? 'backward' : 'neither';
    },
    blockers: (from, to) => sets[from]!.minus(sets[to]!),
    countCompatible() {
      let c = 0;
      for (let w = 0; w < bits.length; w++) c += popcount(bits[w]!);
      return c - n; // the diagonal: every CPU can take its own VMs
    },
  };
}

/**
 * The bits that differ between some of the sets: for each, the column of sets that have it
 * (`columns`, `rowWords` words per bit), and for each set the list of those bits it has
 * (`members[memberStart[i] .. memberStart[i + 1])`).
 */
function sliceVaryingBits(sets: readonly FeatureSet[], rowWords: number): { columns: Uint32Array; members: Int32Array; memberStart: Int32Array } {
  const n = sets.length;
  const memberStart = new Int32Array(n + 1);
  if (n === 0) return { columns: new Uint32Array(0), members: new Int32Array(0), memberStart };
  const words = sets[0]!.words.length;
  const first = sets[0]!.words;
  const varying = new Uint32Array(words);
  for (const s of sets) for (let w = 0; w < words; w++) varying[w]! |= s.words[w]! ^ first[w]!;
  const positions: number[] = [];
  for (let w = 0; w < words; w++) for (let b = 0; b < 32; b++) if ((varying[w]! >>> b) & 1) positions.push(w * 32 + b);
  const columns = new Uint32Array(positions.length * rowWords);
  const members: number[] = [];
  for (let i = 0; i < n; i++) {
    memberStart[i] = members.length;
    const src = sets[i]!.words;
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k]!;
      if ((src[p >>> 5]! >>> (p & 31)) & 1) {
        columns[k * rowWords + (i >>> 5)]! |= 1 << (i & 31);
        members.push(k);
      }
    }
  }
  memberStart[n] = members.length;
  return { columns, members: Int32Array.from(members), memberStart };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
