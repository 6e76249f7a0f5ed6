import { describe, expect, it } from 'vitest';
import { X86_64_LEVELS } from '../data/levels.js';
import { catalog } from './catalog.js';
import { levelDeviations, levelRequirements, missingForLevel, x86_64Level } from './levels.js';

/** The psABI's "Micro-Architecture Levels" table, as the psABI spells it. */
const PSABI: Readonly<Record<number, readonly string[]>> = {
  1: ['CMOV', 'CX8', 'FPU', 'FXSR', 'MMX', 'OSFXSR', 'SCE', 'SSE', 'SSE2'],
  2: ['CMPXCHG16B', 'LAHF-SAHF', 'POPCNT', 'SSE3', 'SSE4_1', 'SSE4_2', 'SSSE3'],
  3: ['AVX', 'AVX2', 'BMI1', 'BMI2', 'F16C', 'FMA', 'LZCNT', 'MOVBE', 'OSXSAVE'],
  4: ['AVX512F', 'AVX512BW', 'AVX512CD', 'AVX512DQ', 'AVX512VL'],
};

/** Everything a level needs by its main reading, closed over dependencies. */
const full = (level: 1 | 2 | 3 | 4) => levelRequirements(level).clone();

describe('x86-64 levels: the psABI table', () => {
  it('lists exactly the psABI requirements, level by level, in its order', () => {
    for (const def of X86_64_LEVELS) expect(def.psabi.map((r) => r.psabi), def.name).toEqual(PSABI[def.level]);
  });

  it('does not put PAE in v1', () => {
    expect(X86_64_LEVELS[0]!.psabi.some((r) => r.ids.includes('pae'))).toBe(false);
    expect(levelRequirements(1).has('pae')).toBe(false);
    // LM needs PAE architecturally, but a capture whose PAE bit is clear still meets every level it otherwise meets.
    expect(x86_64Level(full(4).minus(catalog.setOf(['pae'])))).toBe(4);
  });

  it('checks each requirement by its own bit, unless a deviation says how and why', () => {
    const own: Record<string, string> = { CMPXCHG16B: 'cx16', 'LAHF-SAHF': 'lahf_lm', LZCNT: 'abm', SCE: 'syscall' };
    for (const def of X86_64_LEVELS) {
      for (const r of def.psabi) {
        if (r.deviation && !r.or) continue;
        expect(r.ids, r.psabi).toEqual([own[r.psabi] ?? r.psabi.toLowerCase().replace('sse4_', 'sse4_')]);
      }
    }
    const deviating = X86_64_LEVELS.flatMap((d) => [...d.psabi, ...(d.beyond ?? [])].filter((r) => r.deviation).map((r) => r.psabi));
    expect(deviating).toEqual(['OSFXSR', 'SCE', 'LM', 'OSXSAVE']);
    expect(X86_64_LEVELS[0]!.beyond!.map((r) => r.psabi)).toEqual(['LM']);
  });

  it('names only catalog ids', () => {
    for (const def of X86_64_LEVELS) for (const r of [...def.psabi, ...(def.beyond ?? [])]) for (const id of [...r.ids, ...(r.or ?? [])]) expect(catalog.get(id), id).toBeDefined();
  });
});

describe('x86-64 levels: verdicts', () => {
  it('gives each level to exactly its requirements', () => {
    for (const level of [1, 2, 3, 4] as const) {
      expect(x86_64Level(full(level)), `v${level}`).toBe(level);
      if (level > 1) expect(x86_64Level(full((level - 1) as 1 | 2 | 3)), `below v${level}`).toBe(level - 1);
    }
    expect(x86_64Level(catalog.emptySet())).toBe(0);
  });

  it('accepts long mode for SCE when the capture lacks the SYSCALL bit (32-bit tools on Intel), and says so', () => {
    const noSyscall = full(2).minus(catalog.setOf(['syscall']));
    expect(x86_64Level(noSyscall)).toBe(2);
    const basis = levelDeviations(noSyscall, 2);
    expect(basis.find((d) => d.psabi === 'SCE')).toMatchObject({ level: 1, inPsabi: true, checkedAs: ['lm'] });
    expect(missingForLevel(noSyscall, 2)).toEqual([]);
    // With the bit, SCE is read from it: no deviation to report.
    expect(levelDeviations(full(2), 2).some((d) => d.psabi === 'SCE')).toBe(false);
  });

  it('is not x86-64 without long mode, whatever else the CPU has', () => {
    const noLm = full(4).minus(catalog.dependents(catalog.setOf(['lm'])));
    expect(x86_64Level(noLm)).toBe(0);
    expect(missingForLevel(noLm, 1).map((f) => f.id)).toContain('lm');
  });

  it('reports the deviations of every level up to the one reached, and nothing for level 0', () => {
    expect(levelDeviations(full(1), 1).map((d) => d.psabi)).toEqual(['OSFXSR', 'LM']);
    expect(levelDeviations(full(3), 3).map((d) => d.psabi)).toEqual(['OSFXSR', 'LM', 'OSXSAVE']);
    expect(levelDeviations(full(3), 3).find((d) => d.psabi === 'LM')!.inPsabi).toBe(false);
    expect(levelDeviations(catalog.emptySet(), 0)).toEqual([]);
  });

  it('lists what the next level lacks, with dependencies', () => {
    const v2 = full(2);
    const missing = missingForLevel(v2, 3).map((f) => f.id);
    for (const id of ['avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'abm', 'movbe', 'xsave', 'xsave_ymm']) expect(missing, id).toContain(id);
    expect(missingForLevel(full(3), 3)).toEqual([]);
  });
});
