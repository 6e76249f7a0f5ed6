/** Which x86-64 psABI level a feature set meets, and what it lacks for the next one. */
import { X86_64_LEVELS } from '../data/levels.js';
import type { LevelDef } from '../data/levels.js';
import type { Feature, FeatureSet } from './catalog.js';
import { catalog } from './catalog.js';

export type Level = 0 | 1 | 2 | 3 | 4;

/** Every feature a level needs, its lower levels and all dependencies included. */
export function levelRequirements(level: Level): FeatureSet {
  const ids = X86_64_LEVELS.filter((l) => l.level <= level).flatMap((l) => l.adds);
  return catalog.requirements(catalog.setOf(ids));
}

const REQUIREMENTS: readonly FeatureSet[] = [0, 1, 2, 3, 4].map((l) => levelRequirements(l as Level));

/** The highest level whose every requirement is in the set (0 = not even baseline x86-64). */
export function x86_64Level(features: FeatureSet): Level {
  let level: Level = 0;
  for (const def of X86_64_LEVELS) {
    if (!REQUIREMENTS[def.level]!.isSubsetOf(features)) break;
    level = def.level;
  }
  return level;
}

/** What stands between a feature set and a level. Empty when the level is met. */
export function missingForLevel(features: FeatureSet, level: Level): Feature[] {
  return [...REQUIREMENTS[level]!.minus(features)];
}

export function levelName(level: Level): string {
  return level === 0 ? 'none (not x86-64)' : X86_64_LEVELS[level - 1]!.name;
}

export function levelDef(level: 1 | 2 | 3 | 4): LevelDef {
  return X86_64_LEVELS[level - 1]!;
}
