/**
 * openevc for Node.js (`openevc/node`): reading inputs from files and standard input.
 * Everything else is in the portable `openevc` entry.
 */
export { loadInput } from './load.js';
export type { LoadOptions } from './load.js';
export { BINARY_PROBE_BYTES, MAX_INPUT_BYTES, formatSize, readInput } from './read.js';
export type { InputStream, InputText, ReadOptions, TextEncoding } from './read.js';
export { applyVmxFile, editVmx, editDiff, maskLinesOf, readMaskLines, readVmxBytes, VmRunningError } from './vmx-edit.js';
export type { ApplyVmxOptions, ApplyVmxResult, MaskLines, VmxChange, VmxEdit } from './vmx-edit.js';
export { writeFileAtomic } from './atomic.js';
export * from './qemu/index.js';
