/**
 * Bits of the catalog's CPUID feature registers that hold numbers rather than feature flags: a set
 * bit there is not an unnamed feature. Facts: Intel SDM vol. 2A, CPUID leaf 0x24 (AVX10).
 */
export const REGISTER_FIELDS: readonly { readonly at: string; readonly mask: number; readonly what: string }[] = [
  { at: '24.0.ebx', mask: 0xff, what: 'AVX10 converged vector ISA version number' },
];
