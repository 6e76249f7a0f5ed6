/** What `openevc features` finds and prints: catalog search by any spelling or location, as text and JSON. */
import { ECOSYSTEMS, SUBLEAF_LEAVES, catalog, describeLocation, formatLocation, normalizeName, spellings } from '../core/catalog.js';
import type { Ecosystem, Feature } from '../core/catalog.js';
import { REGISTERS } from '../core/cpuid.js';
import type { Register } from '../core/cpuid.js';
import { OpenevcError, quoteFound } from '../core/errors.js';

/** A query that matched nothing: not bad input, just an empty answer, hence exit code 1. */
export class NoMatchError extends OpenevcError {
  override readonly exitCode = 1;
  constructor(query: string) {
    super(
      `no feature matches ${quoteFound(query)}; try a name in any spelling (avx2, pni, lahf-lm), a location ` +
        `(1.ecx.19, 7.0.ebx, 0x80000001, msr.10a), a category (simd, mitigation) or words from a display name`,
    );
    this.name = 'NoMatchError';
  }
}

/** A location query: a whole leaf, one register, one bit, or MSR bits. Missing parts match anything. */
type LocationQuery =
  | { readonly type: 'cpuid'; readonly leaf: number; readonly subleaf?: number; readonly reg?: Register; readonly bit?: number }
  | { readonly type: 'msr'; readonly index?: number; readonly bit?: number };

const HEX = /^(0x)?[0-9a-f]+$/;
const DEC = /^\d+$/;
/**
 * Reads the location notations people paste: the catalog's own (`7.0.ebx.5`), its human form
 * (`0x7.0:EBX[5]`, `MSR 0x10a[5]`), the SDM's (`CPUID.(EAX=07H,ECX=0):EBX[5]`), vSphere's error
 * wording (`CPUID level 0x80000001 register 'edx'`), or a prefix of any (`0x80000001`, `7.0.ebx`).
 */
export function parseLocationQuery(query: string): LocationQuery | undefined {
  const parts = query
    .toLowerCase()
    .replace(/['"()\]]/g, ' ')
    .replace(/\b(cpuid|level|leaf|subleaf|register|reg|bit)\b/g, ' ')
    .replace(/\be[ac]x\s*=\s*/g, ' ')
    .replace(/\b([0-9a-f]+)h\b/g, '0x$1')
    .split(/[.:,[\s]+/)
    .filter((p) => p !== '');
  const hex = (s: string | undefined) => (s !== undefined && HEX.test(s) ? Number.parseInt(s.replace(/^0x/, ''), 16) : undefined);
  if (parts[0] === 'msr') {
    if (parts.length === 1) return { type: 'msr' };
    const index = hex(parts[1]);
    if (index === undefined || parts.length > 3) return undefined;
    if (parts.length === 2) return { type: 'msr', index };
    return DEC.test(parts[2]!) ? { type: 'msr', index, bit: Number(parts[2]) } : undefined;
  }
  const leaf = hex(parts[0]);
  if (leaf === undefined || leaf > 0xffff_ffff) return undefined;
  let i = 1;
  let subleaf: number | undefined;
  if (i < parts.length && !isRegister(parts[i]!)) {
    subleaf = hex(parts[i]);
    if (subleaf === undefined) return undefined;
    i++;
  }
  let reg: Register | undefined;
  if (i < parts.length) {
    if (!isRegister(parts[i]!)) return undefined;
    reg = parts[i++] as Register;
    // A register without a subleaf means subleaf 0, as in the catalog's own notation.
    subleaf ??= 0;
  }
  let bit: number | undefined;
  if (i < parts.length) {
    if (reg === undefined || !DEC.test(parts[i]!)) return undefined;
    bit = Number(parts[i++]);
  }
  if (i < parts.length) return undefined;
  return { type: 'cpuid', leaf, ...(subleaf !== undefined ? { subleaf } : {}), ...(reg ? { reg } : {}), ...(bit !== undefined ? { bit } : {}) };
}

function isRegister(s: string): s is Register {
  return (REGISTERS as readonly string[]).includes(s);
}

function matchesLocation(f: Feature, q: LocationQuery): boolean {
  const loc = f.loc;
  if (q.type === 'msr') return loc.type === 'msr' && (q.index === undefined || q.index === loc.index) && (q.bit === undefined || q.bit === loc.bit);
  return (
    loc.type === 'cpuid' &&
    loc.leaf === q.leaf &&
    (q.subleaf === undefined || q.subleaf === loc.subleaf) &&
    (q.reg === undefined || q.reg === loc.reg) &&
    (q.bit === undefined || q.bit === loc.bit)
  );
}

/** Every spelling a feature answers to, normalized. */
function spellingKeys(f: Feature): string[] {
  return spellings(f).map(normalizeName);
}

/**
 * The catalog entries a query means, tried from the most to the least precise reading: an exact
 * spelling (a VMware key may keep its `cpuid.` prefix), then a location, then a category or
 * kind, then a substring of a spelling or of the display name. The first reading that matches
 * anything wins, so `de` is the debugging-extensions bit rather than leaf 0xDE, and `avx512`
 * (no exact spelling) lists the whole AVX-512 family.
 */
export function findFeatures(query: string): Feature[] {
  const all = catalog.features;
  const key = normalizeName(query);
  if (key === '') return [];
  // VMware feature keys arrive with their `cpuid.` prefix (`cpuid.NX`, `cpuid.SSE41`).
  const vmwareKey = /^cpuid\./i.test(query) ? normalizeName(query.slice(6)) : key;
  const exact = all.filter((f) => spellingKeys(f).some((k) => k === key || k === vmwareKey));
  if (exact.length > 0) return exact;
  const loc = parseLocationQuery(query);
  if (loc) {
    const hits = all.filter((f) => matchesLocation(f, loc));
    if (hits.length > 0) return hits;
  }
  const word = query.trim().toLowerCase();
  const family = FAMILY_WORDS[word] ?? word;
  const inFamily = all.filter((f) => f.cat === family || f.kind === family);
  if (inFamily.length > 0) return inFamily;
  const plain = all.filter((f) => f.name.toLowerCase().includes(word) || spellingKeys(f).some((k) => k.includes(key)));
  if (plain.length > 0) return plain;
  // Wording from error messages, in any order and punctuation ("FS & GS Base registers" for
  // "Instructions to read and write FS and GS base registers", "3D!Now PREFETCH and PREFETCHW").
  const wanted = words(query);
  if (wanted.length === 0) return [];
  return all.filter((f) => {
    const have = new Set(words(f.name));
    return wanted.every((w) => have.has(w));
  });
}

/** Words people use for a family of features, mapped to the catalog category that holds it. */
const FAMILY_WORDS: Readonly<Record<string, string>> = {
  spectre: 'mitigation',
  meltdown: 'mitigation',
  mds: 'mitigation',
  'side channel': 'mitigation',
  'side-channel': 'mitigation',
  speculation: 'mitigation',
  transactional: 'tsx',
  'transactional memory': 'tsx',
  avx: 'simd',
  sse: 'simd',
  vector: 'simd',
  aes: 'crypto',
  vt: 'virtualization',
  'vt-x': 'virtualization',
  'amd-v': 'virtualization',
};

/** Lower-case words of a name, `&` read as `and`, punctuation inside a word dropped (`3D!Now` → `3dnow`). */
function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[\s,;/()]+/)
    .map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter((w) => w !== '');
}

/** Catalog order is register order for CPUID bits; sort anyway so output never depends on row order. */
export function byLocation(a: Feature, b: Feature): number {
  const la = a.loc;
  const lb = b.loc;
  if (la.type !== lb.type) return la.type === 'cpuid' ? -1 : 1;
  if (la.type === 'msr' && lb.type === 'msr') return la.index - lb.index || la.bit - lb.bit;
  if (la.type === 'cpuid' && lb.type === 'cpuid') {
    return la.leaf - lb.leaf || la.subleaf - lb.subleaf || REGISTERS.indexOf(la.reg) - REGISTERS.indexOf(lb.reg) || la.bit - lb.bit;
  }
  return 0;
}

/** Heading of the group a feature is listed under: its register or MSR. */
function groupTitle(f: Feature): string {
  const loc = f.loc;
  if (loc.type === 'msr') return `MSR 0x${loc.index.toString(16)}`;
  const sub = SUBLEAF_LEAVES.has(loc.leaf) ? `.${loc.subleaf}` : '';
  return `CPUID 0x${loc.leaf.toString(16)}${sub}:${loc.reg.toUpperCase()}`;
}

/** `enforced`/`advisory` for features; the kind itself for bits openevc never compares. */
function kindLabel(f: Feature): string {
  const base = f.kind === 'feature' ? f.enforce : f.kind;
  return f.migratable ? base : `${base}*`;
}

function ecosystemCell(f: Feature, eco: Ecosystem): string {
  const n = f[eco];
  if (n === null) return '(hidden)';
  if (n === undefined) return '-';
  return f.unconfirmed.includes(eco) ? `${n}?` : n;
}

const COLUMNS = ['ID', 'LOCATION', 'NAME', 'KIND', ...ECOSYSTEMS.map((e) => e.toUpperCase())];

/** The aligned table, grouped by register, with a legend for its marks. */
export function renderTable(features: readonly Feature[]): string {
  const sorted = [...features].sort(byLocation);
  const rows = sorted.map((f) => [f.id, formatLocation(f.loc), f.name, kindLabel(f), ...ECOSYSTEMS.map((e) => ecosystemCell(f, e))]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS)];
  let group = '';
  sorted.forEach((f, i) => {
    const title = groupTitle(f);
    if (title !== group) {
      group = title;
      out.push('', title);
    }
    out.push(line(rows[i]!));
  });
  out.push(
    '',
    `${sorted.length} ${sorted.length === 1 ? 'feature' : 'features'}. KIND: enforced/advisory = compared across hosts (enforced: hiding the ` +
      'bit really removes the feature); os, hypervisor, info = never compared; * = live migration cannot carry it.',
    'Names: - = no name in that ecosystem; (hidden) = Linux knows the bit but does not show it; ? = unconfirmed spelling.',
  );
  return out.join('\n') + '\n';
}

/** Everything about one feature, for when a query names exactly one. */
export function renderDetails(f: Feature): string {
  const needs = catalog.requirements(catalog.setOf([f.id])).filter((g) => g !== f);
  const neededBy = catalog.features.filter((g) => g.deps.includes(f.id)).map((g) => g.id);
  const kind = f.kind === 'feature' ? (f.enforce === 'enforced' ? `feature, enforced by ${f.gate}` : 'feature, advisory') : f.kind;
  const lines: [string, string][] = [
    ['location', `${describeLocation(f.loc)} (${formatLocation(f.loc)})`],
    ['category', f.cat],
    ['kind', kind],
    ['vendors', f.vendors.join(', ')],
    ['needs', f.deps.length === 0 ? '-' : `${f.deps.join(', ')}${needs.size > f.deps.length ? ` (all: ${needs.ids().join(', ')})` : ''}`],
    ['needed by', neededBy.length === 0 ? '-' : neededBy.join(', ')],
    ['migratable', f.migratable ? 'yes' : 'no'],
  ];
  if (f.aliases.length > 0) lines.push(['aliases', f.aliases.join(', ')]);
  if (f.note) lines.push(['note', f.note]);
  const width = Math.max(...lines.map(([k]) => k.length));
  return `\n${f.id}: ${f.name}\n${lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

/** One feature as JSON: every column, defaults applied. Missing name = no name; null = hidden by Linux. */
export function featureJson(f: Feature): Record<string, unknown> {
  return {
    id: f.id,
    at: formatLocation(f.loc),
    location: describeLocation(f.loc),
    name: f.name,
    cat: f.cat,
    kind: f.kind,
    enforce: f.enforce,
    gate: f.gate,
    vendors: f.vendors,
    deps: f.deps,
    aliases: f.aliases,
    linux: f.linux,
    linuxMacro: f.linuxMacro,
    qemu: f.qemu,
    libvirt: f.libvirt,
    vmware: f.vmware,
    xen: f.xen,
    unconfirmed: f.unconfirmed,
    migratable: f.migratable,
    note: f.note,
  };
}
