/**
 * The input format ids `--format` accepts, in the order the registry (readers.ts) lists its
 * importers, without loading any importer: option parsing needs the names only.
 * format-ids.test.ts checks the list against the registry.
 */
import type { FormatId } from '../core/cpuid.js';

export const IMPORT_FORMAT_IDS: readonly FormatId[] = ['openevc-json', 'instlatx64', 'cpuid-r', 'libvirt', 'libvirt-cpu', 'vmware-log', 'proc-cpuinfo', 'libcpuid'];

/** How much of the input format detection sees (readers.ts SNIFF_CHARS). */
export const DETECT_CHARS = 64 * 1024;
