/** Which x86-64 psABI level a feature set meets, what it lacks for the next one, and what the verdict rests on. */
import { LEVEL_EXCLUDES, X86_64_LEVELS } from '../data/levels.js';
import type { LevelDef, LevelRequirement } from '../data/levels.js';
import type { Feature, FeatureSet } from './catalog.js';
import { catalog } from './catalog.js';

export type Level = 0 | 1 | 2 | 3 | 4;

/** A requirement with its catalog sets closed over dependencies. */
interface Check {
  readonly level: 1 | 2 | 3 | 4;
  readonly req: LevelRequirement;
  readonly ids: FeatureSet;
  readonly or: FeatureSet | undefined;
}

const EXCLUDED = catalog.setOf(LEVEL_EXCLUDES);

const CHECKS: readonly Check[] = X86_64_LEVELS.flatMap((def) =>
  [...def.psabi, ...(def.beyond ?? [])].map((req) => ({
    level: def.level,
    req,
    ids: catalog.requirements(catalog.setOf(req.ids)).minus(EXCLUDED),
    or: req.or ? catalog.setOf(req.or) : undefined,
  })),
);

/** How a requirement is met by a feature set: by its own ids, by the allowance, or not. */
function metBy(c: Check, features: FeatureSet): 'ids' | 'or' | undefined {
  if (c.ids.isSubsetOf(features)) return 'ids';
  if (c.or?.isSubsetOf(features)) return 'or';
  return undefined;
}

/** Every feature a level needs by its main reading, its lower levels and all dependencies included. */
export function levelRequirements(level: Level): FeatureSet {
  let s = catalog.emptySet();
  for (const c of CHECKS) if (c.level <= level) s = s.union(c.ids);
  return s;
}

/** The highest level whose every requirement is met (0 = not even baseline x86-64). */
export function x86_64Level(features: FeatureSet): Level {
  let level: Level = 0;
  for (const l of BY_LEVEL) {
    if (!l.plain.isSubsetOf(features) || !l.alternatives.every((c) => metBy(c, features) !== undefined)) break;
    level = l.level;
  }
  return level;
}

/**
 * Each level's checks as `x86_64Level` runs them: one set for every requirement without an
 * allowance (met when all its ids are there, so their union is met exactly when each is), and the
 * requirements with one.
 */
const BY_LEVEL = X86_64_LEVELS.map((def) => {
  const own = CHECKS.filter((c) => c.level === def.level);
  const plain = catalog.emptySet();
  for (const c of own) if (!c.or) plain.unionWith(c.ids);
  return { level: def.level, plain, alternatives: own.filter((c) => c.or !== undefined) };
});

/** What stands between a feature set and a level: the missing features of every unmet requirement. Empty when the level is met. */
export function missingForLevel(features: FeatureSet, level: Level): Feature[] {
  let missing = catalog.emptySet();
  for (const c of CHECKS) if (c.level <= level && metBy(c, features) === undefined) missing = missing.union(c.ids.minus(features));
  return [...missing];
}

/** One deliberate deviation from the psABI table that a level verdict rests on. */
export interface LevelDeviation {
  readonly level: 1 | 2 | 3 | 4;
  /** The psABI requirement (or, for what openevc adds, the feature it requires beyond the table). */
  readonly psabi: string;
  /** False for what openevc requires that the psABI table does not list. */
  readonly inPsabi: boolean;
  /** The catalog ids openevc checked for it. */
  readonly checkedAs: readonly string[];
  readonly short: string;
  readonly reason: string;
}

/**
 * The deviations the verdict for `level` rests on: for every level up to it, each requirement read
 * other than by its own bit. An allowance (`or`) counts only when it was what met the requirement.
 */
export function levelDeviations(features: FeatureSet, level: Level): LevelDeviation[] {
  const out: LevelDeviation[] = [];
  for (const c of CHECKS) {
    if (c.level > level || !c.req.deviation) continue;
    const by = metBy(c, features);
    if (c.req.or && by !== 'or') continue;
    const def = X86_64_LEVELS[c.level - 1]!;
    out.push({
      level: c.level,
      psabi: c.req.psabi,
      inPsabi: def.psabi.includes(c.req),
      checkedAs: by === 'or' ? c.req.or! : c.req.ids,
      short: c.req.deviation.short,
      reason: c.req.deviation.reason,
    });
  }
  return out;
}

export function levelName(level: Level): string {
  return level === 0 ? 'none (not x86-64)' : X86_64_LEVELS[level - 1]!.name;
}

export function levelDef(level: 1 | 2 | 3 | 4): LevelDef {
  return X86_64_LEVELS[level - 1]!;
}
