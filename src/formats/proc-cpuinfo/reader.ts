/**
 * Linux `/proc/cpuinfo`: the CPU description everyone can read without root or extra tools,
 * and often the only thing a ticket or a forum post contains.
 *
 * It carries feature *flags*, not registers, so the importer rebuilds a CPUID dump from them:
 * leaf 0 (vendor, highest basic leaf), leaf 1 EAX (signature from family/model/stepping), the
 * brand string (0x80000002..4), address sizes (0x80000008 EAX), and every flag's bit as the
 * feature catalog places it (`catalog.resolve(flag, 'linux')`). The result is marked lossy and
 * says so: Linux shows some bits under other names or not at all (OSXSAVE), clears bits it
 * disables, and prints flags of its own that are no CPUID bit (src/data/linux-synthetic-flags.ts).
 * XSAVE state components have no flags; they are inferred from the flags that need them.
 *
 * Every processor block becomes one dump (`cpus`); the first is the result's `dump`.
 */
import { catalog } from '../../core/catalog.js';
import type { Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import type { CpuidDump, Register } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import { dumpFromFeatures, impliedXsaveState, signatureEax } from '../../core/feature-dump.js';
import { VENDORS } from '../../core/identity.js';
import { LINUX_SYNTHETIC_FLAGS } from './synthetic-flags.js';
import type { LinuxSyntheticFlag } from './synthetic-flags.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { withoutBom } from '../common/text-position.js';

const SYNTHETIC = new Map<string, LinuxSyntheticFlag>(LINUX_SYNTHETIC_FLAGS.map((s) => [s.flag, s]));
/** How many names a diagnostic lists before saying "and N more". */
const LIST_LIMIT = 12;

interface Field {
  readonly value: string;
  readonly line: number;
}

interface Block {
  readonly processor: number;
  readonly line: number;
  readonly lastLine: number;
  readonly fields: ReadonlyMap<string, Field>;
}

function listNames(names: readonly string[]): string {
  if (names.length <= LIST_LIMIT) return names.join(', ');
  return `${names.slice(0, LIST_LIMIT).join(', ')} and ${names.length - LIST_LIMIT} more`;
}

/** Splits the text into processor blocks; every block starts at a `processor : N` line. */
function readBlocks(text: string, file: string): Block[] {
  const blocks: Block[] = [];
  let current: { processor: number; line: number; lastLine: number; fields: Map<string, Field> } | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const colon = raw.indexOf(':');
    const key = colon < 0 ? '' : raw.slice(0, colon).trim().toLowerCase();
    if (key === '') throw new InputError({ file, line: lineNo }, "a '<name> : <value>' line of /proc/cpuinfo", raw.trim());
    // The value starts after ': ' (one space): vendor strings such as '  Shanghai  ' keep their own spaces.
    const value = raw.startsWith(' ', colon + 1) ? raw.slice(colon + 2) : raw.slice(colon + 1);
    if (key === 'processor') {
      if (!/^\s*\d{1,7}\s*$/.test(value)) throw new InputError({ file, line: lineNo }, "a processor number ('processor : 0')", value.trim());
      current = { processor: Number(value), line: lineNo, lastLine: lineNo, fields: new Map() };
      blocks.push(current);
      continue;
    }
    if (!current) throw new InputError({ file, line: lineNo }, "'processor : 0' as the first line of /proc/cpuinfo", raw.trim());
    current.lastLine = lineNo;
    if (!current.fields.has(key)) current.fields.set(key, { value, line: lineNo });
  }
  if (blocks.length === 0) {
    throw new InputError({ file, line: 1 }, "/proc/cpuinfo text starting with 'processor : 0'", text.trim().split('\n')[0] ?? '');
  }
  return blocks;
}

function required(b: Block, key: string, file: string, what: string): Field {
  const f = b.fields.get(key);
  if (!f) {
    const where = `in the block of processor ${b.processor} (lines ${b.line}-${b.lastLine})`;
    throw new InputError({ file, line: b.line }, `a '${key}' line (${what}) ${where}`, '');
  }
  return f;
}

function decimal(f: Field, file: string, what: string, max: number): number {
  const v = f.value.trim();
  if (!/^\d{1,10}$/.test(v) || Number(v) > max) throw new InputError({ file, line: f.line }, `${what} (a decimal number up to ${max})`, v);
  return Number(v);
}

/** The 12-character vendor string: /proc/cpuinfo may have lost the padding of `  Shanghai  `. */
function vendorString(value: string): string {
  const trimmed = value.trim();
  for (const known of Object.keys(VENDORS)) if (known.trim() === trimmed) return known;
  return value.length === 12 ? value : trimmed.padEnd(12, ' ').slice(0, 12);
}

/** What the flags of one processor say, mapped through the catalog. Shared by processors with identical flags. */
interface FlagMapping {
  readonly features: FeatureSet;
  readonly inferred: readonly Feature[];
  readonly unknown: readonly string[];
  /** Flags whose catalog bit only other vendors define (Linux derived the flag from another source). */
  readonly otherVendor: readonly string[];
}

/**
 * Whether a catalog bit exists on this vendor's CPUs. Hygon follows AMD, Centaur and Zhaoxin
 * follow Intel. Linux gives some flags one name for different sources per vendor (`mba` is AMD's
 * 0x80000008 bit but Intel's RDT leaf), so a flag must not set a bit its CPU's vendor lacks.
 */
function definedFor(f: Feature, vendor: Vendor | undefined): boolean {
  if (vendor === undefined || f.vendors.includes(vendor)) return true;
  if (vendor === 'hygon') return f.vendors.includes('amd');
  if (vendor === 'centaur' || vendor === 'zhaoxin') return f.vendors.includes('intel');
  return false;
}

function mapFlags(flags: readonly string[], vendor: Vendor | undefined): FlagMapping {
  const features = catalog.emptySet();
  const unknown: string[] = [];
  const otherVendor: string[] = [];
  for (const flag of flags) {
    const synthetic = SYNTHETIC.get(flag);
    const syntheticHere =
      synthetic !== undefined && (synthetic.vendors === undefined || (vendor !== undefined && synthetic.vendors.includes(vendor)));
    if (syntheticHere && synthetic.kind === 'software') continue;
    const f = catalog.resolve(flag, 'linux');
    if (f && definedFor(f, vendor)) features.add(f);
    else if (f && !synthetic) otherVendor.push(flag);
    else if (!f && !synthetic) unknown.push(flag);
  }
  // XSAVE state components have no flag: a flag that needs one (AVX needs the YMM state) proves it.
  const inferred = impliedXsaveState(features, (f) => typeof f.linux === 'string');
  for (const f of inferred) features.add(f);
  return { features, inferred, unknown, otherVendor };
}

interface Built {
  readonly dump: CpuidDump;
  readonly mapping: FlagMapping;
  readonly flags: readonly string[];
  readonly identity: string;
}

function buildDump(b: Block, ctx: ImportContext, cache: Map<string, FlagMapping>): Built {
  const file = ctx.file;
  const vendorField = required(b, 'vendor_id', file, 'the CPU vendor');
  const vendorStr = vendorString(vendorField.value);
  const vendor = VENDORS[vendorStr];
  const family = decimal(required(b, 'cpu family', file, 'the CPU family'), file, 'a CPU family', 0xf + 0xff);
  const modelField = required(b, 'model', file, 'the CPU model');
  const model = decimal(modelField, file, 'a CPU model', 0xff);
  if (model > 0xf && family < 0x6) {
    throw new InputError({ file, line: modelField.line }, `a model below 16 (family ${family} CPUs have no extended model field)`, String(model));
  }
  const steppingField = b.fields.get('stepping');
  const stepping = steppingField && /^\s*\d+\s*$/.test(steppingField.value) ? decimal(steppingField, file, 'a stepping', 0xf) : 0;
  const flagsField = required(b, 'flags', file, 'the feature flags');
  const flags = [...new Set(flagsField.value.trim().split(/\s+/).filter((f) => f !== ''))];

  const key = `${vendor ?? vendorStr}|${flags.join(' ')}`;
  let mapping = cache.get(key);
  if (!mapping) {
    mapping = mapFlags(flags, vendor);
    cache.set(key, mapping);
  }

  // Leaf 1 EBX: CLFLUSH line size and initial APIC ID where given; 0x80000008 EAX: address sizes.
  const registers: { leaf: number; reg: Register; value: number }[] = [];
  const clflush = b.fields.get('clflush size');
  if (clflush && /^\s*\d+\s*$/.test(clflush.value)) registers.push({ leaf: 1, reg: 'ebx', value: (Math.floor(Number(clflush.value) / 8) & 0xff) << 8 });
  const apicid = b.fields.get('initial apicid');
  if (apicid && /^\s*\d+\s*$/.test(apicid.value)) registers.push({ leaf: 1, reg: 'ebx', value: (Number(apicid.value) & 0xff) << 24 });
  const sizes = /^\s*(\d{1,3}) bits physical, (\d{1,3}) bits virtual/.exec(b.fields.get('address sizes')?.value ?? '');
  if (sizes) registers.push({ leaf: 0x8000_0008, reg: 'eax', value: (Number(sizes[1]) & 0xff) | ((Number(sizes[2]) & 0xff) << 8) });
  const cpuidLevel = b.fields.get('cpuid level');
  const level = cpuidLevel && /^\s*\d+\s*$/.test(cpuidLevel.value) ? Number(cpuidLevel.value) : 0;

  const brand = b.fields.get('model name')?.value.trim();
  const dump = dumpFromFeatures(
    mapping.features,
    { vendor: vendorStr, signature: signatureEax(family, model, stepping), maxBasicLeaf: level, registers, ...(brand ? { brand } : {}) },
    { format: 'proc-cpuinfo', path: file, lossy: true, cpu: b.processor },
  );
  return { dump, mapping, flags, identity: `${vendorStr.trim()} family ${family} model ${model} stepping ${stepping}` };
}

function parseProcCpuinfo(text: string, ctx: ImportContext): ImportResult {
  const src = withoutBom(text);
  const blocks = readBlocks(src, ctx.file);
  const cache = new Map<string, FlagMapping>();
  const built = blocks.map((b) => buildDump(b, ctx, cache));
  const first = built[0]!;
  const diagnostics: Diagnostic[] = [];
  const file = ctx.file;

  diagnostics.push({
    level: 'info',
    message:
      '/proc/cpuinfo lists feature flags, not CPUID registers: this dump is rebuilt from them and is lossy ' +
      '(only flagged bits, identity, brand and address sizes are known; bits Linux clears or does not show read as absent)',
    where: { file },
  });
  const hidden = catalog.features.filter((f) => f.linux === null && f.kind !== 'hypervisor').map((f) => f.id);
  if (hidden.length > 0) {
    const one = hidden.length === 1;
    diagnostics.push({
      level: 'info',
      message:
        `Linux does not show ${one ? 'this CPUID bit' : `these ${hidden.length} CPUID bits`} in /proc/cpuinfo: ${listNames(hidden)}; ` +
        `${one ? 'it cannot be known from it and reads' : 'they cannot be known from it and read'} as absent`,
      where: { file },
    });
  }
  const inferred = new Set<string>();
  const unknown = new Set<string>();
  const otherVendor = new Set<string>();
  for (const b of built) {
    for (const f of b.mapping.inferred) inferred.add(f.id);
    for (const u of b.mapping.unknown) unknown.add(u);
    for (const o of b.mapping.otherVendor) otherVendor.add(o);
  }
  if (otherVendor.size > 0) {
    diagnostics.push({
      level: 'warning',
      message: `flags not set because the catalog defines their CPUID bit for other vendors only: ${listNames([...otherVendor])}`,
      where: { file, line: blocks[0]!.fields.get('flags')!.line },
    });
  }
  if (inferred.size > 0) {
    diagnostics.push({
      level: 'info',
      message: `XSAVE state components inferred from the flags that need them (/proc/cpuinfo has no flag for them): ${[...inferred].join(', ')}`,
      where: { file },
    });
  }
  if (unknown.size > 0) {
    const names = [...unknown];
    diagnostics.push({
      level: 'warning',
      message: `${names.length} flag${names.length === 1 ? '' : 's'} unknown to openevc's feature catalog ignored: ${listNames(names)}`,
      where: { file, line: blocks[0]!.fields.get('flags')!.line },
    });
  }

  // Processors should agree; group the ones that differ from the first by how they differ.
  const firstFlags = new Set(first.flags);
  const groups = new Map<string, number[]>();
  built.forEach((b, i) => {
    if (i === 0) return;
    const parts: string[] = [];
    if (b.identity !== first.identity) parts.push(`is ${b.identity}`);
    const own = new Set(b.flags);
    const missing = first.flags.filter((f) => !own.has(f));
    const extra = b.flags.filter((f) => !firstFlags.has(f));
    if (missing.length > 0) parts.push(`lacks ${listNames(missing)}`);
    if (extra.length > 0) parts.push(`adds ${listNames(extra)}`);
    if (parts.length === 0) return;
    const k = parts.join('; ');
    const list = groups.get(k);
    if (list) list.push(blocks[i]!.processor);
    else groups.set(k, [blocks[i]!.processor]);
  });
  for (const [how, processors] of groups) {
    const who = processors.length === 1 ? `processor ${processors[0]}` : `processors ${listNames(processors.map(String))}`;
    const verb = processors.length === 1 ? 'differs' : 'differ';
    diagnostics.push({ level: 'warning', message: `${who} ${verb} from processor ${blocks[0]!.processor}: ${how}`, where: { file } });
  }

  return { format: 'proc-cpuinfo', dump: first.dump, cpus: built.map((b) => b.dump), diagnostics };
}

export const procCpuinfoImporter: Importer = {
  format: 'proc-cpuinfo',
  description: 'Linux /proc/cpuinfo (x86): flags mapped to CPUID bits; lossy',
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    if (!/^processor\s*:\s*\d+/m.test(t)) return 0;
    if (/^vendor_id\s*:/m.test(t) || /^flags\s*:/m.test(t)) return 0.95;
    return 0.5;
  },
  parse: parseProcCpuinfo,
};
