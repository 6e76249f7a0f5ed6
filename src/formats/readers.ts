/**
 * The readers of the input formats in the registry (registry.ts), format detection, and
 * `importText`, the one entry point commands use (through `loadInput` in openevc/node).
 */
import type { FormatId } from '../core/cpuid.js';
import { InputError, NotADumpError, UsageError, quoteFound } from '../core/errors.js';
import { cpuidToolImporter } from './cpuid-r/reader.js';
import { instlatx64Importer } from './instlatx64/reader.js';
import { libcpuidImporter } from './libcpuid/reader.js';
import { libvirtImporter } from './libvirt/cpudata-reader.js';
import { libvirtCpuImporter } from './libvirt/cpu-reader.js';
import { openevcJsonImporter } from './openevc-json/reader.js';
import { procCpuinfoImporter } from './proc-cpuinfo/reader.js';
import { vmwareLogImporter } from './vmware-log/reader.js';
import type { ImportResult, Importer, Workbook } from './reader-types.js';
import { READER_IDS } from './registry.js';
import type { ReaderId } from './registry.js';
import { qmpImporter } from './qmp/reader.js';
import { virshCapabilitiesImporter } from './virsh-capabilities/reader.js';
import { virshDomcapabilitiesImporter } from './virsh-domcapabilities/reader.js';
import { govcImporter } from './govc/reader.js';
import { powercliImporter } from './powercli/reader.js';
import { rvtoolsImporter } from './rvtools/reader.js';
import { vcenterEvcImporter } from './vcenter-evc/reader.js';
import { kubevirtNodesImporter } from './kubevirt-nodes/reader.js';
import { xenCpuidImporter } from './xen-cpuid/reader.js';
import { checkedHost } from './common/sanity.js';

export type { Fleet, FleetCluster, FleetHost, FleetVm, ImportContext, ImportResult, Importer, Workbook } from './reader-types.js';

/** The reader of every input format of the registry (typed from it: none may be missing). */
const READERS: { readonly [K in ReaderId]: Importer } = {
  'openevc-json': openevcJsonImporter,
  instlatx64: instlatx64Importer,
  'cpuid-r': cpuidToolImporter,
  libvirt: libvirtImporter,
  'libvirt-cpu': libvirtCpuImporter,
  'vmware-log': vmwareLogImporter,
  'proc-cpuinfo': procCpuinfoImporter,
  libcpuid: libcpuidImporter,
  'virsh-capabilities': virshCapabilitiesImporter,
  'virsh-domcapabilities': virshDomcapabilitiesImporter,
  qmp: qmpImporter,
  govc: govcImporter,
  powercli: powercliImporter,
  rvtools: rvtoolsImporter,
  'vcenter-evc': vcenterEvcImporter,
  'kubevirt-nodes': kubevirtNodesImporter,
  'xen-cpuid': xenCpuidImporter,
};

/** Every importer, in the registry's order (detection ties and `--help` follow it). */
export const IMPORTERS: readonly Importer[] = READER_IDS.map((id) => READERS[id]);

/** How much of the input `sniff` sees: headers and the first data lines of every format fit easily. */
export const SNIFF_CHARS = 64 * 1024;

/** Below this confidence a format is not considered at all. */
const MIN_CONFIDENCE = 0.2;
/** Formats scoring within this of the best are a tie (text mixing two formats): the user chooses with --format. */
const TIE = 0.1;

/** The importer for a format id, or undefined when openevc cannot read that format. */
export function importerFor(format: string): Importer | undefined {
  return IMPORTERS.find((i) => i.format === format);
}

/** Format ids `--format` accepts. */
export function importFormats(): FormatId[] {
  return IMPORTERS.map((i) => i.format);
}

function formatList(): string {
  return importFormats().join(', ');
}

/**
 * Which importer reads this text, judged from its start. Unknown or ambiguous input is an
 * InputError that lists the formats tried and suggests `--format`.
 */
export function detectFormat(head: string, file = '-'): FormatId {
  const sample = head.length > SNIFF_CHARS ? head.slice(0, SNIFF_CHARS) : head;
  // Fast path: a JSON object carrying openevc's marker can be nothing else (every other format is
  // line text or XML). Commands that read thousands of host files spend most of detection here.
  const start = sample.search(/\S/);
  if (start >= 0 && sample.charCodeAt(start) === 0x7b && safeSniff(openevcJsonImporter, sample) === 1) return 'openevc-json';
  const scored = IMPORTERS.map((importer) => ({ importer, score: safeSniff(importer, sample) })).sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || best.score < MIN_CONFIDENCE) {
    throw new NotADumpError({ file }, `a CPUID dump in one of the formats openevc reads (${formatList()}); choose one with --format if it is one of them`, firstLine(sample));
  }
  const tied = scored.filter((s) => s.score >= MIN_CONFIDENCE && best.score - s.score < TIE);
  if (tied.length > 1) {
    const names = tied.map((s) => s.importer.format).join(' or ');
    throw new InputError({ file }, `input in one recognisable format, but it looks like ${names}; choose one with --format`, firstLine(sample));
  }
  return best.importer.format;
}

function safeSniff(importer: Importer, head: string): number {
  try {
    const s = importer.sniff(head);
    return Number.isFinite(s) ? s : 0;
  } catch {
    return 0; // sniff must never throw; a broken sniffer just does not claim the input
  }
}

function firstLine(text: string): string {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  const nl = t.indexOf('\n');
  return (nl < 0 ? t : t.slice(0, nl)).trimEnd();
}

export interface ImportOptions {
  /** Path or label used in messages (`-` for standard input). */
  readonly file: string;
  /** Skip detection and read the text as this format. */
  readonly format?: FormatId | string;
  /**
   * Read damaged input anyway (the CLI's `--lenient`): damaged CPUID lines are skipped and a dump
   * that cannot be a host is kept, each with a warning that the answer rests on damaged input.
   */
  readonly lenient?: boolean;
}

/**
 * Parses a dump in any supported format: detects the format unless one is given, and
 * returns every logical CPU found. Bad input throws InputError naming file and line, and so does a
 * dump that cannot be a host (no leaf 0 or 1, an unknown vendor: src/formats/common/sanity.ts).
 */
export function importText(text: string, options: ImportOptions): ImportResult {
  const { file } = options;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\S/.test(text)) throw new InputError({ file }, 'a CPUID dump', '');
  const format = options.format ?? detectFormat(text, file);
  const importer = importerFor(format);
  if (!importer) throw new UsageError(`unknown input format ${quoteFound(format)}: expected one of ${formatList()}`);
  const lenient = options.lenient ?? false;
  return checkedHost(importer.parse(text, { file, lenient }), file, lenient);
}

/**
 * Reads a spreadsheet (the Node edge has turned an .xlsx into sheets of text cells) with the
 * importer that reads workbooks: the one named, else the only one that does (RVTools).
 */
export function importWorkbook(book: Workbook, options: ImportOptions): ImportResult {
  const readers = IMPORTERS.filter((i) => i.parseWorkbook !== undefined);
  const importer = options.format !== undefined ? importerFor(options.format) : readers[0];
  if (!importer) throw new UsageError(`unknown input format ${quoteFound(String(options.format))}: expected one of ${formatList()}`);
  if (!importer.parseWorkbook) {
    throw new InputError({ file: options.file }, `${importer.format} input as text; a spreadsheet is read only as ${readers.map((r) => r.format).join(', ')}`, 'an .xlsx workbook');
  }
  return importer.parseWorkbook(book, { file: options.file });
}
