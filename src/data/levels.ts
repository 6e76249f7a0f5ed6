/**
 * x86-64 psABI micro-architecture levels, exactly as the x86-64 psABI's "Micro-Architecture
 * Levels" table lists them (names as the psABI spells them, in its order). Levels are cumulative:
 * a level lists only what it adds. Each requirement says how openevc checks it: the catalog ids
 * that must be present (their dependencies, such as XSAVE and the YMM state for AVX, are added by
 * the catalog's closure, which is how a raw dump stands in for glibc's "the OS enabled the state"
 * check).
 *
 * Where a requirement cannot be read from its own CPUID bit, `deviation` says how openevc reads it
 * instead and why; `show` prints every deviation a verdict rests on (text and --json):
 * - OSFXSR and OSXSAVE are OS state (CR4), not CPU capabilities: openevc never compares OS-set bits,
 *   and /proc/cpuinfo hides OSXSAVE. FXSR with SSE, and XSAVE with the states AVX needs, stand for them.
 * - SCE (SYSCALL): Intel CPUs report CPUID.80000001H:EDX[11] only to 64-bit code, so dumps taken by
 *   32-bit tools (many AIDA64 dumps) lack the bit on CPUs that have it. Long mode, in which SYSCALL
 *   is architectural, is accepted instead (`or`).
 * `beyond` lists what openevc requires that the psABI table does not: LM, because the levels
 * describe x86-64 processors and a 32-bit-only CPU must not be called x86-64. Its architectural
 * prerequisite PAE, which the catalog's closure brings in (through LM and CMPXCHG16B), is not in the
 * psABI table: LEVEL_EXCLUDES keeps it out of every level.
 */
import type { FeatureId } from './features.js';

export interface LevelRequirement {
  /** The psABI's name for the requirement. */
  readonly psabi: string;
  /** Catalog ids that must all be present. */
  readonly ids: readonly FeatureId[];
  /** Catalog ids that satisfy the requirement instead of `ids` (an allowance, explained by `deviation`); checked alone, without their dependencies. */
  readonly or?: readonly FeatureId[];
  /** How and why openevc reads this requirement other than by its own CPUID bit; absent when it checks the bit itself. */
  readonly deviation?: { readonly short: string; readonly reason: string };
}

export interface LevelDef {
  readonly level: 1 | 2 | 3 | 4;
  readonly name: string;
  /** The psABI's list for this level, in its order. */
  readonly psabi: readonly LevelRequirement[];
  /** Requirements openevc adds that the psABI does not list, each with its reason. */
  readonly beyond?: readonly LevelRequirement[];
}

/** Catalog dependencies that no level requires, although the closure of a requirement reaches them. */
export const LEVEL_EXCLUDES: readonly FeatureId[] = ['pae'];

const OS_STATE = 'OS state (a copy of a CR4 bit), not a CPU capability: openevc never compares OS-set bits';

export const X86_64_LEVELS: readonly LevelDef[] = [
  {
    level: 1,
    name: 'x86-64',
    psabi: [
      { psabi: 'CMOV', ids: ['cmov'] },
      { psabi: 'CX8', ids: ['cx8'] },
      { psabi: 'FPU', ids: ['fpu'] },
      { psabi: 'FXSR', ids: ['fxsr'] },
      { psabi: 'MMX', ids: ['mmx'] },
      {
        psabi: 'OSFXSR',
        ids: ['fxsr', 'sse'],
        deviation: { short: 'OSFXSR read as fxsr+sse', reason: `${OS_STATE}; every x86-64 OS enables FXSAVE/SSE state, so FXSR with SSE stands for it` },
      },
      {
        psabi: 'SCE',
        ids: ['syscall'],
        or: ['lm'],
        deviation: {
          short: 'SCE read as lm (SYSCALL bit absent from this capture)',
          reason: 'Intel CPUs report SYSCALL (CPUID.80000001H:EDX[11]) only to 64-bit code, so captures taken by 32-bit tools lack it; long mode, in which SYSCALL is architectural, stands for it',
        },
      },
      { psabi: 'SSE', ids: ['sse'] },
      { psabi: 'SSE2', ids: ['sse2'] },
    ],
    beyond: [
      {
        psabi: 'LM',
        ids: ['lm'],
        deviation: { short: 'LM required (not in the psABI list)', reason: 'the levels describe x86-64 processors: a 32-bit-only CPU is not called x86-64 whatever else it has' },
      },
    ],
  },
  {
    level: 2,
    name: 'x86-64-v2',
    psabi: [
      { psabi: 'CMPXCHG16B', ids: ['cx16'] },
      { psabi: 'LAHF-SAHF', ids: ['lahf_lm'] },
      { psabi: 'POPCNT', ids: ['popcnt'] },
      { psabi: 'SSE3', ids: ['sse3'] },
      { psabi: 'SSE4_1', ids: ['sse4_1'] },
      { psabi: 'SSE4_2', ids: ['sse4_2'] },
      { psabi: 'SSSE3', ids: ['ssse3'] },
    ],
  },
  {
    level: 3,
    name: 'x86-64-v3',
    psabi: [
      { psabi: 'AVX', ids: ['avx'] },
      { psabi: 'AVX2', ids: ['avx2'] },
      { psabi: 'BMI1', ids: ['bmi1'] },
      { psabi: 'BMI2', ids: ['bmi2'] },
      { psabi: 'F16C', ids: ['f16c'] },
      { psabi: 'FMA', ids: ['fma'] },
      // LZCNT is CPUID.80000001H:ECX[5], the bit AMD calls ABM: its own bit, no deviation.
      { psabi: 'LZCNT', ids: ['abm'] },
      { psabi: 'MOVBE', ids: ['movbe'] },
      {
        psabi: 'OSXSAVE',
        ids: ['xsave'],
        deviation: { short: 'OSXSAVE read as xsave', reason: `${OS_STATE}, and /proc/cpuinfo hides it; XSAVE, with the XCR0 states AVX needs (leaf 0xD), stands for it` },
      },
    ],
  },
  {
    level: 4,
    name: 'x86-64-v4',
    psabi: [
      { psabi: 'AVX512F', ids: ['avx512f'] },
      { psabi: 'AVX512BW', ids: ['avx512bw'] },
      { psabi: 'AVX512CD', ids: ['avx512cd'] },
      { psabi: 'AVX512DQ', ids: ['avx512dq'] },
      { psabi: 'AVX512VL', ids: ['avx512vl'] },
    ],
  },
];
