/**
 * `vmware.log`: the log every VMware VM writes at power-on, which dumps the host's CPUID
 * (`hostCPUID level <leaf>, <subleaf>: 0x<eax> 0x<ebx> 0x<ecx> 0x<edx>`), each host CPU's
 * (`CPUID[<n>] level …`) and what the guest was shown (`guestCPUID level …`); recent builds
 * also print a "guest vs. host CPUID" block (`guest level …` rows, `*host level …` rows).
 * Often the only CPUID a vSphere admin can get at without shell access to the host.
 *
 * Two views are kept apart: the host's CPUID (what the hardware offers) is the result's `dump`,
 * the guest's (what the VM saw, after EVC or per-VM masks) is `guest`. Mixing them would hide
 * exactly the differences a migration question is about.
 *
 * A real log is mostly unrelated lines; only lines of the grammar above count, whatever their
 * prefix (`Aug 20 20:09:04.215: vmx| ` or `2016-01-04T16:19:46.611-08:00| vmx| I125: `).
 */
import { catalog } from '../../core/catalog.js';
import { CpuidDump, hexLeaf, SUBLEAF_LIMIT } from '../../core/cpuid.js';
import type { DumpSource, Regs } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import { regsToString } from '../../core/identity.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { withoutBom } from '../common/text-position.js';

/** Damaged CPUID lines reported one by one; beyond that only the count. */
const DAMAGED_SHOWN = 5;
const HEX = '0x([0-9a-fA-F]{1,8})';
/** A CPUID row: which view, leaf, subleaf, four registers. Anchored at the end; the prefix is free. */
const ROW = new RegExp(
  '(?:^|[\\s|:])(hostCPUID|guestCPUID|CPUID\\[(\\d{1,6})\\]|guest vs\\. host CPUID (guest|\\*host))' +
    ` level ([0-9a-fA-F]{1,8}), *([0-9a-fA-F]{1,8}): *${HEX} +${HEX} +${HEX} +${HEX}\\s*$`,
);
/** Looks like a CPUID row but may be damaged (a truncated last line, a corrupted copy): reported, not silently dropped. */
const ROW_START = /(?:^|[\s|:])(?:hostCPUID|guestCPUID|CPUID\[\d+\]|guest vs\. host CPUID (?:guest|\*host)) level\b/;
const VENDOR = /(?:^|[\s|:])hostCPUID vendor: ?(.*)$/;
const HOSTNAME = /(?:^|[\s|:])Hostname=(\S+)\s*$/;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)[|\s]/;

type ViewKey = 'host' | 'guest' | 'cmp-guest' | 'cmp-host' | `cpu${number}`;

interface Row {
  readonly leaf: number;
  readonly subleaf: number;
  readonly regs: Regs;
  readonly line: number;
}

interface View {
  readonly rows: Map<string, Row>;
  firstLine: number;
  captured: string | undefined;
}

/** How the log spells each view, for messages (per-CPU views are `CPUID[n]`). */
const VIEW_NAMES: Readonly<Record<string, string>> = {
  host: 'hostCPUID',
  guest: 'guestCPUID',
  'cmp-guest': "'guest vs. host' guest",
  'cmp-host': "'guest vs. host' *host",
};

function regsEqual(a: Regs, b: Regs): boolean {
  return a.eax === b.eax && a.ebx === b.ebx && a.ecx === b.ecx && a.edx === b.edx;
}

function parseVmwareLog(input: string, ctx: ImportContext): ImportResult {
  const text = withoutBom(input);
  const file = ctx.file;
  const diagnostics: Diagnostic[] = [];
  const views = new Map<ViewKey, View>();
  const conflicts = new Map<ViewKey, { line: number; first: number; leaf: number; subleaf: number; count: number }>();
  let vendorLine: { vendor: string; line: number } | undefined;
  let hostname: string | undefined;
  let firstDamaged: { line: number; text: string } | undefined;
  let damaged = 0;
  // A truncated last line is common; a log full of damaged lines gets a few examples and a count.
  const damagedLine = (line: number, text: string, why: string): void => {
    damaged++;
    firstDamaged ??= { line, text };
    if (damaged <= DAMAGED_SHOWN) diagnostics.push({ level: 'warning', message: `skipped a damaged CPUID line (${why})`, where: { file, line } });
  };

  let lineNo = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.includes('CPUID')) {
      const m = ROW.exec(line);
      if (m) {
        const kind = m[1]!;
        let key: ViewKey;
        if (kind === 'hostCPUID') key = 'host';
        else if (kind === 'guestCPUID') key = 'guest';
        else if (m[2] !== undefined) key = `cpu${Number(m[2])}`;
        else key = m[3] === 'guest' ? 'cmp-guest' : 'cmp-host';
        const leaf = Number.parseInt(m[4]!, 16);
        const subleaf = Number.parseInt(m[5]!, 16);
        if (subleaf >= SUBLEAF_LIMIT) {
          damagedLine(lineNo, line, `subleaf 0x${m[5]} is beyond any real subleaf`);
          continue;
        }
        const hex = (i: number): number => Number.parseInt(m[i]!, 16);
        const regs = { eax: hex(6), ebx: hex(7), ecx: hex(8), edx: hex(9) };
        let view = views.get(key);
        if (!view) {
          view = { rows: new Map(), firstLine: lineNo, captured: ISO_TIME.exec(line)?.[1] };
          views.set(key, view);
        }
        const k = `${leaf}.${subleaf}`;
        const before = view.rows.get(k);
        if (!before) view.rows.set(k, { leaf, subleaf, regs, line: lineNo });
        else if (!regsEqual(before.regs, regs)) {
          // A second dump with other values (the log spans a migration, or two power-ons): keep the first.
          const c = conflicts.get(key);
          if (c) c.count++;
          else conflicts.set(key, { line: lineNo, first: before.line, leaf, subleaf, count: 1 });
        }
        continue;
      }
      if (ROW_START.test(line)) {
        damagedLine(lineNo, line, 'not the full four-register form');
        continue;
      }
      const v = VENDOR.exec(line);
      if (v && !vendorLine) vendorLine = { vendor: v[1]!.trim(), line: lineNo };
      continue;
    }
    if (hostname === undefined && line.includes('Hostname=')) hostname = HOSTNAME.exec(line)?.[1];
  }

  if (views.size === 0) {
    if (firstDamaged) {
      throw new InputError(
        { file, line: firstDamaged.line },
        "hostCPUID or guestCPUID lines ('hostCPUID level 00000001, 0: 0x… 0x… 0x… 0x…')",
        firstDamaged.text.trim(),
      );
    }
    throw new InputError(
      { file, line: 1 },
      "hostCPUID or guestCPUID lines ('hostCPUID level 00000001, 0: 0x… 0x… 0x… 0x…') somewhere in the log",
      `no CPUID line in ${lineNo} lines`,
    );
  }
  if (firstDamaged && !ctx.lenient) {
    throw new InputError(
      { file, line: firstDamaged.line },
      "a complete CPUID line ('hostCPUID level 00000001, 0: 0x… 0x… 0x… 0x…'); give --lenient to skip damaged lines",
      firstDamaged.text.trim(),
    );
  }
  if (damaged > DAMAGED_SHOWN) diagnostics.push({ level: 'warning', message: `${damaged} damaged CPUID lines were skipped in all` });
  if (damaged > 0) diagnostics.push({ level: 'warning', message: `the answer rests on damaged input: ${damaged === 1 ? '1 damaged CPUID line was' : `${damaged} damaged CPUID lines were`} skipped (--lenient)`, where: { file, line: firstDamaged!.line } });

  const viewName = (key: ViewKey): string => VIEW_NAMES[key] ?? `CPUID[${key.slice(3)}]`;
  for (const [key, c] of conflicts) {
    const more = c.count > 1 ? ` (and ${c.count - 1} more leaves)` : '';
    diagnostics.push({
      level: 'warning',
      message:
        `${viewName(key)} leaf ${hexLeaf(c.leaf)} subleaf ${c.subleaf} is logged again on line ${c.line} ` +
        `with other values than on line ${c.first}${more}: ` +
        'the log holds more than one dump (a migration or a second power-on); the first one is used',
      where: { file, line: c.line },
    });
  }

  const base = (view: 'host' | 'guest', v: View, cpu?: number): DumpSource => ({
    format: 'vmware-log',
    path: file,
    lossy: false,
    ...(hostname !== undefined && view === 'host' ? { label: hostname } : {}),
    ...(v.captured !== undefined ? { captured: v.captured } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    view,
  });
  const build = (source: DumpSource, ...layers: View[]): CpuidDump => {
    const d = new CpuidDump(source);
    for (const layer of layers) for (const r of layer.rows.values()) d.set(r.leaf, r.subleaf, r.regs);
    return d;
  };

  // Per-CPU host dumps, in CPU order.
  const cpuKeys = [...views.keys()].filter((k): k is `cpu${number}` => k.startsWith('cpu')).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  const cpus = cpuKeys.map((k) => build(base('host', views.get(k)!, Number(k.slice(3))), views.get(k)!));

  // The host view: hostCPUID, else the first host CPU, else the comparison block.
  const hostView = views.get('host');
  const cmpHost = views.get('cmp-host');
  const cmpGuest = views.get('cmp-guest');
  let host: CpuidDump | undefined;
  if (hostView) host = build(base('host', hostView), hostView);
  else if (cpus.length > 0) host = cpus[0]!;
  else if (cmpHost) {
    // The block prints a *host row only where the host differs from the guest: elsewhere the guest row is the host's value.
    host = build(base('host', cmpHost), ...(cmpGuest ? [cmpGuest] : []), cmpHost);
    if (cmpGuest) {
      diagnostics.push({
        level: 'info',
        message: "host CPUID rebuilt from the 'guest vs. host CPUID' block: leaves without a *host row are taken from the guest row",
        where: { file, line: cmpHost.firstLine },
      });
    }
  }

  const guestView = views.get('guest') ?? cmpGuest;
  const guest = guestView ? build(base('guest', guestView), guestView) : undefined;

  if (!host) {
    diagnostics.push({
      level: 'warning',
      message: "this log has no host CPUID (no hostCPUID, CPUID[n] or '*host' lines): the guest's view stands in for the host",
      where: { file, line: guestView!.firstLine },
    });
    host = guest!;
  }

  if (vendorLine && host.get(0)) {
    const r = host.get(0)!;
    const inLeaf0 = regsToString(r.ebx, r.edx, r.ecx);
    if (inLeaf0.trim() !== vendorLine.vendor.trim()) {
      diagnostics.push({
        level: 'warning',
        message: `'hostCPUID vendor: ${vendorLine.vendor}' disagrees with leaf 0 of the host CPUID (${JSON.stringify(inLeaf0)})`,
        where: { file, line: vendorLine.line },
      });
    }
  }

  diagnostics.push(...compareCpus(cpus));
  return { format: 'vmware-log', dump: host, cpus: cpus.length > 0 ? cpus : [host], ...(guest ? { guest } : {}), diagnostics };
}

/**
 * Host CPUs should agree on every feature bit: a difference means a mixed-stepping host or a
 * broken log. Only the bits the catalog names are compared (APIC IDs and topology differ per CPU).
 */
function compareCpus(cpus: readonly CpuidDump[]): Diagnostic[] {
  const first = cpus[0];
  if (!first || cpus.length < 2) return [];
  const out: Diagnostic[] = [];
  for (const other of cpus.slice(1)) {
    const differs: string[] = [];
    for (const rm of catalog.registers()) {
      let mask = 0;
      rm.bits.forEach((i, bit) => {
        if (i >= 0) mask |= 1 << bit;
      });
      const a = first.isValidLeaf(rm.leaf, rm.subleaf) ? first.reg(rm.leaf, rm.subleaf, rm.reg) : undefined;
      const b = other.isValidLeaf(rm.leaf, rm.subleaf) ? other.reg(rm.leaf, rm.subleaf, rm.reg) : undefined;
      if (a === undefined && b === undefined) continue;
      if (((a ?? 0) & mask) !== ((b ?? 0) & mask)) differs.push(`${hexLeaf(rm.leaf)}.${rm.subleaf} ${rm.reg.toUpperCase()}`);
    }
    if (differs.length > 0) {
      out.push({
        level: 'warning',
        message: `host CPU ${other.source.cpu ?? '?'} differs from CPU ${first.source.cpu ?? '?'} in feature registers ${differs.join(', ')}`,
      });
    }
  }
  return out;
}

export const vmwareLogImporter: Importer = {
  format: 'vmware-log',
  description: 'VMware vmware.log: hostCPUID, CPUID[n] and guestCPUID lines (host and guest views kept apart)',
  sniff(head: string): number {
    if (/(?:hostCPUID|guestCPUID|CPUID\[\d+\]) level [0-9a-fA-F]{8}, *[0-9a-fA-F]+: 0x/.test(head)) return 0.95;
    if (/^Log for VMware /m.test(head)) return 0.8;
    if (/^\S+\| vmx\| /m.test(head) || /^\w{3} \d{1,2} \d\d:\d\d:\d\d\.\d{3}: vmx\| /m.test(head)) return 0.7;
    return 0;
  },
  parse: parseVmwareLog,
};
