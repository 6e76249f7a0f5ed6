/**
 * Keys of Xen's libxl `cpuid="host,…"` string that take numbers rather than name feature bits
 * (xl.cfg(5); shared/facts/formats.md §5.1). Feature keys are the catalog's `xen` column.
 * `clflush` is both (the CLFLUSH line size here, the CLFLUSH instruction bit in cpufeatureset.h);
 * openevc reads it as the numeric key, the older meaning in libxl's string.
 */
export const XEN_NUMERIC_KEYS: readonly string[] = [
  'apicidsize',
  'brandid',
  'clflush',
  'family',
  'localapicid',
  'maxhvleaf',
  'maxleaf',
  'model',
  'nc',
  'proccount',
  'procpkg',
  'stepping',
];
