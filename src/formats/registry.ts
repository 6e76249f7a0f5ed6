/**
 * The format registry: every format openevc knows, once. Input formats (in detection and `--help`
 * order) with the label reports use for them, the origins a dump can have without an input format
 * of its own (`probe`, `synthetic`), and output formats (in `mask --format` order). The reader and
 * writer tables (readers.ts, writers.ts) are typed from these ids, so a format without its
 * implementation, or an implementation without its entry, fails the typecheck; the CLI's choices,
 * the openevc JSON reader's list of known origins, `show`'s labels and the README's tables (checked
 * by a test) all derive from here.
 *
 * Adding a format = its folder under src/formats/, one entry here, one line in readers.ts or writers.ts.
 */

export interface InputFormatEntry {
  readonly id: string;
  /** How reports name the format (`show`: "read as …"). */
  readonly label: string;
  /** `reader`: an input format (src/formats/<id>/); `origin`: how a dump came to be, not a format one can give. */
  readonly kind: 'reader' | 'origin';
}

export const INPUT_FORMATS = [
  { id: 'openevc-json', label: 'openevc JSON', kind: 'reader' },
  { id: 'instlatx64', label: 'InstLatx64/AIDA64 text', kind: 'reader' },
  { id: 'cpuid-r', label: 'cpuid -r', kind: 'reader' },
  { id: 'libvirt', label: 'libvirt cpudata XML', kind: 'reader' },
  { id: 'libvirt-cpu', label: 'libvirt <cpu> definition (lossy)', kind: 'reader' },
  { id: 'vmware-log', label: 'vmware.log', kind: 'reader' },
  { id: 'proc-cpuinfo', label: '/proc/cpuinfo (lossy)', kind: 'reader' },
  { id: 'libcpuid', label: 'libcpuid raw dump', kind: 'reader' },
  { id: 'virsh-capabilities', label: 'virsh capabilities (lossy)', kind: 'reader' },
  { id: 'virsh-domcapabilities', label: 'virsh domcapabilities host-model (lossy)', kind: 'reader' },
  { id: 'qmp', label: 'QEMU QMP reply (lossy)', kind: 'reader' },
  { id: 'govc', label: 'govc JSON', kind: 'reader' },
  { id: 'powercli', label: 'PowerCLI JSON', kind: 'reader' },
  { id: 'rvtools', label: 'RVTools export', kind: 'reader' },
  { id: 'vcenter-evc', label: 'vCenter supportedEVCMode', kind: 'reader' },
  { id: 'kubevirt-nodes', label: 'kubectl node list (KubeVirt labels)', kind: 'reader' },
  { id: 'xen-cpuid', label: 'xen-cpuid -p policy', kind: 'reader' },
  { id: 'probe', label: 'probe of this machine', kind: 'origin' },
  { id: 'synthetic', label: 'authored by hand', kind: 'origin' },
] as const satisfies readonly InputFormatEntry[];

/** Every id a dump's source can carry. */
export type InputFormatId = (typeof INPUT_FORMATS)[number]['id'];
/** Ids of the formats openevc reads (`--input-format`). */
export type ReaderId = Extract<(typeof INPUT_FORMATS)[number], { kind: 'reader' }>['id'];

export interface OutputFormatEntry {
  readonly id: string;
}

export const OUTPUT_FORMATS = [
  { id: 'vmx' },
  { id: 'featmask' },
  { id: 'govc' },
  { id: 'powercli' },
  { id: 'qemu' },
  { id: 'libvirt' },
  { id: 'proxmox' },
  { id: 'nova' },
  { id: 'kubevirt' },
  { id: 'xen' },
  { id: 'json' },
  { id: 'vsphere-evc' },
] as const satisfies readonly OutputFormatEntry[];

/** Ids of the formats `openevc mask --format` writes. */
export type WriterId = (typeof OUTPUT_FORMATS)[number]['id'];

/** Ids a dump's source may name (readers and origins), in registry order. */
export const INPUT_FORMAT_IDS: readonly InputFormatId[] = INPUT_FORMATS.map((f) => f.id);

/** Ids of the formats openevc reads, in detection order. */
export const READER_IDS: readonly ReaderId[] = INPUT_FORMATS.flatMap((f) => (f.kind === 'reader' ? [f.id] : []));

/** Ids of the formats openevc writes, in `--format` order. */
export const WRITER_IDS: readonly WriterId[] = OUTPUT_FORMATS.map((f) => f.id);

/** How much of the input format detection sees (readers.ts SNIFF_CHARS; a test checks they agree). */
export const DETECT_CHARS = 64 * 1024;

/** How reports name an input format (the id itself when unknown). */
export function formatLabel(id: string): string {
  return INPUT_FORMATS.find((f) => f.id === id)?.label ?? id;
}
