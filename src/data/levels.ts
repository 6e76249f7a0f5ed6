/**
 * x86-64 psABI micro-architecture levels (x86-64-ABI "Micro-Architecture Levels" table;
 * glibc's check includes BMI1/BMI2 in v3 since 2022). Levels are cumulative: a level lists
 * only what it adds. Features are catalog ids; their dependencies (XSAVE and the YMM state
 * for AVX, the opmask/ZMM states for AVX-512) are added by the catalog's closure, which is
 * how a raw dump stands in for glibc's "OS has enabled the state" check.
 *
 * SYSCALL (psABI "SCE") is not listed: it is architectural in 64-bit mode, and Intel CPUs
 * report CPUID.80000001H:EDX[11] only to 64-bit code, so dumps taken by 32-bit tools (many
 * AIDA64 dumps) lack the bit on CPUs that have it. LM stands for it.
 */
import type { FeatureId } from './features.js';
export interface LevelDef {
  readonly level: 1 | 2 | 3 | 4;
  readonly name: string;
  readonly adds: readonly FeatureId[];
}

export const X86_64_LEVELS: readonly LevelDef[] = [
  { level: 1, name: 'x86-64', adds: ['lm', 'cmov', 'cx8', 'fpu', 'fxsr', 'mmx', 'sse', 'sse2'] },
  { level: 2, name: 'x86-64-v2', adds: ['cx16', 'lahf_lm', 'popcnt', 'sse3', 'sse4_1', 'sse4_2', 'ssse3'] },
  { level: 3, name: 'x86-64-v3', adds: ['avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'abm', 'movbe', 'xsave'] },
  { level: 4, name: 'x86-64-v4', adds: ['avx512f', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512vl'] },
];
