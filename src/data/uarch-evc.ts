/**
 * The EVC mode of each microarchitecture's generation: the mode whose features CPUs of that
 * generation are built with (firmware or microcode may still switch some off). Used to tell
 * "this generation never had the feature" from "this CPU has it switched off". Keys are the
 * start of the microarchitecture names in uarch.ts; the first matching prefix wins. Generations
 * not listed are judged on the features the CPU shows.
 */
export const UARCH_EVC_GENERATION: readonly (readonly [prefix: string, mode: string])[] = [
  ['Merom', 'intel-merom'],
  ['Penryn', 'intel-penryn'],
  ['Nehalem', 'intel-nehalem'],
  ['Westmere', 'intel-westmere'],
  ['Sandy Bridge', 'intel-sandybridge'],
  ['Ivy Bridge', 'intel-ivybridge'],
  ['Haswell', 'intel-haswell'],
  ['Broadwell', 'intel-broadwell'],
  ['Skylake', 'intel-skylake'],
  ['Cascade Lake', 'intel-cascadelake'],
  ['Cooper Lake', 'intel-cascadelake'],
  ['Ice Lake', 'intel-icelake'],
  ['Sapphire Rapids', 'intel-sapphirerapids'],
  ['Emerald Rapids', 'intel-sapphirerapids'],
  ['Granite Rapids', 'intel-sapphirerapids'],
  ['Zen 4', 'amd-zen4'],
  ['Zen 5', 'amd-zen4'],
  ['Zen 3', 'amd-zen3'],
  ['Zen 2', 'amd-zen2'],
  ['Zen', 'amd-zen'],
];
