/**
 * RVTools exports (Dell/Robware's vSphere inventory tool): the xlsx workbook, or its tabs saved as
 * CSV (`RVTools_tabvHost.csv`…). Three tabs matter:
 * - vHost: `Host`, `Cluster`, `CPU Model`, `Current EVC`, `Max EVC`;
 * - vInfo: `VM`, `Powerstate`, `Host`, `Cluster`, `min Required EVC Mode Key`;
 * - vCluster: `Name` (and an EVC column where the RVTools version has one).
 * RVTools carries no CPUID: hosts are known by their EVC mode key only (`Max EVC`, else
 * `Current EVC` as a lower bound), and openevc reasons with the mode's features and says so.
 * Headers are matched in any case, ignoring spaces; other tabs and columns are passed over.
 */
import type { Diagnostic } from '../../core/errors.js';
import { InputError } from '../../core/errors.js';
import type { FleetCluster, FleetHost, FleetVm, ImportContext, ImportResult, Importer, Workbook } from '../reader-types.js';
import { parseCsv } from '../common/csv.js';
import type { CsvRow } from '../common/csv.js';
import { evcKeyDump, evcMode, fleetResult, listNames } from '../common/fleet.js';

type Tab = 'vHost' | 'vInfo' | 'vCluster';

const fold = (s: string) => s.toLowerCase().replace(/[\s_#.-]/g, '');

/** Column index by any of the names (folded). */
function column(header: readonly string[], ...names: string[]): number | undefined {
  const want = names.map(fold);
  const i = header.findIndex((h) => want.includes(fold(h)));
  return i < 0 ? undefined : i;
}

function tabOf(header: readonly string[]): Tab | undefined {
  const has = (...n: string[]) => column(header, ...n) !== undefined;
  if (has('Host') && (has('Max EVC') || has('Current EVC'))) return 'vHost';
  if (has('VM') && has('Powerstate')) return 'vInfo';
  if (has('Name') && (has('NumHosts', 'Num Hosts', '# Hosts') || has('HA enabled') || has('DRS enabled') || has('EVC mode', 'Current EVC'))) return 'vCluster';
  return undefined;
}

interface Sheet {
  readonly name: string;
  readonly rows: readonly CsvRow[];
}

interface State {
  readonly file: string;
  readonly hosts: FleetHost[];
  readonly clusters: FleetCluster[];
  readonly vms: FleetVm[];
  readonly diagnostics: Diagnostic[];
  readonly unknownKeys: Set<string>;
}

function cell(row: CsvRow, i: number | undefined): string | undefined {
  if (i === undefined) return undefined;
  const v = row.cells[i]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function where(s: State, sheet: Sheet, row: CsvRow): string {
  return sheet.name === '' ? `line ${row.line}` : `sheet ${sheet.name}, row ${row.line}`;
}

function readHosts(s: State, sheet: Sheet): void {
  const [head, ...rows] = sheet.rows;
  const h = head!.cells;
  const c = { host: column(h, 'Host'), cluster: column(h, 'Cluster'), model: column(h, 'CPU Model'), max: column(h, 'Max EVC'), cur: column(h, 'Current EVC') };
  for (const row of rows) {
    const name = cell(row, c.host);
    if (!name) throw new InputError({ file: s.file, line: row.line }, `a host name in column "Host" (${where(s, sheet, row)})`, row.cells.join(',').slice(0, 60));
    const max = cell(row, c.max);
    const cur = cell(row, c.cur);
    const model = cell(row, c.model);
    const cluster = cell(row, c.cluster);
    const mode = evcMode(max) ?? evcMode(cur);
    if (!mode) {
      const key = max ?? cur;
      if (key) s.unknownKeys.add(key);
      s.diagnostics.push({
        level: 'warning',
        message: `host ${name} skipped: ${key ? `EVC mode key ${JSON.stringify(key)} is not one openevc knows` : 'no Max EVC or Current EVC (RVTools carries no CPUID, so nothing is known of its CPU)'}`,
        where: { file: s.file, line: row.line },
      });
      continue;
    }
    if (!evcMode(max)) s.diagnostics.push({ level: 'info', message: `host ${name}: no usable Max EVC; its Current EVC ${mode.key} is a lower bound of what it offers`, where: { file: s.file, line: row.line } });
    const dump = evcKeyDump(mode, { format: 'rvtools', path: s.file, label: `${name}${model ? `: ${model}` : ''}` }, model);
    s.hosts.push({ name, dump, ...(cluster ? { cluster } : {}), ...(max ? { maxEvcModeKey: max } : {}), ...(cur ? { currentEvcModeKey: cur } : {}) });
  }
}

function readVms(s: State, sheet: Sheet): void {
  const [head, ...rows] = sheet.rows;
  const h = head!.cells;
  const c = { vm: column(h, 'VM'), power: column(h, 'Powerstate'), host: column(h, 'Host'), evc: column(h, 'min Required EVC Mode Key', 'Min Required EVC Mode Key') };
  for (const row of rows) {
    const name = cell(row, c.vm);
    if (!name) throw new InputError({ file: s.file, line: row.line }, `a VM name in column "VM" (${where(s, sheet, row)})`, row.cells.join(',').slice(0, 60));
    const power = cell(row, c.power);
    if (power !== undefined && !/^(poweredOn|poweredOff|suspended)$/i.test(power)) {
      throw new InputError({ file: s.file, line: row.line }, `poweredOn, poweredOff or suspended in column "Powerstate" (${where(s, sheet, row)})`, power);
    }
    const host = cell(row, c.host);
    const key = cell(row, c.evc);
    s.vms.push({ name, ...(host ? { host } : {}), ...(power ? { powerState: power } : {}), ...(key ? { minRequiredEvcModeKey: key } : {}) });
  }
}

function readClusters(s: State, sheet: Sheet): void {
  const [head, ...rows] = sheet.rows;
  const h = head!.cells;
  const c = { name: column(h, 'Name'), evc: column(h, 'EVC mode', 'Current EVC', 'EVC') };
  for (const row of rows) {
    const name = cell(row, c.name);
    if (!name) continue;
    const key = cell(row, c.evc);
    s.clusters.push({ name, ...(key && !/^(disabled|off|none)$/i.test(key) ? { currentEvcModeKey: key } : {}) });
  }
}

function readSheets(sheets: readonly Sheet[], ctx: ImportContext): ImportResult {
  const s: State = { file: ctx.file, hosts: [], clusters: [], vms: [], diagnostics: [], unknownKeys: new Set() };
  let used = 0;
  for (const sheet of sheets) {
    const head = sheet.rows[0];
    if (!head) continue;
    const tab = tabOf(head.cells);
    if (tab === 'vHost') readHosts(s, sheet);
    else if (tab === 'vInfo') readVms(s, sheet);
    else if (tab === 'vCluster') readClusters(s, sheet);
    else continue;
    used++;
  }
  if (used === 0) {
    const first = sheets.find((x) => x.rows.length > 0)?.rows[0];
    throw new InputError(
      { file: ctx.file, line: first?.line ?? 1 },
      'an RVTools vHost, vInfo or vCluster tab (a header with "Host" and "Max EVC"/"Current EVC", "VM" and "Powerstate", or "Name" and cluster columns)',
      first?.cells.join(',') ?? '',
    );
  }
  if (s.unknownKeys.size > 0) s.diagnostics.push({ level: 'info', message: `EVC mode keys openevc does not know: ${listNames([...s.unknownKeys])}`, where: { file: ctx.file } });
  if (s.hosts.length > 0) {
    s.diagnostics.push({
      level: 'info',
      message: 'RVTools carries EVC mode keys, not CPUID: each host is taken to have exactly its EVC mode\'s features (fidelity: EVC key only; it may have more)',
      where: { file: ctx.file },
    });
  }
  return fleetResult('rvtools', ctx.file, { hosts: s.hosts, clusters: s.clusters, vms: s.vms }, s.diagnostics);
}

function parseRvtoolsCsv(text: string, ctx: ImportContext): ImportResult {
  return readSheets([{ name: '', rows: parseCsv(text, ctx.file) }], ctx);
}

function parseRvtoolsWorkbook(book: Workbook, ctx: ImportContext): ImportResult {
  return readSheets(
    book.sheets.map((sh) => ({ name: sh.name, rows: sh.rows.map((cells, i) => ({ line: i + 1, cells })).filter((r) => r.cells.some((x) => x.trim() !== '')) })),
    ctx,
  );
}

export const rvtoolsImporter: Importer = {
  format: 'rvtools',
  description: 'RVTools export (xlsx, or vHost/vInfo/vCluster tabs as CSV): hosts by EVC mode key only, VMs, clusters',
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    const first = t.slice(0, t.search(/\r?\n|$/));
    if (/^\s*[[{<]/.test(first)) return 0;
    const cells = first.split(/[,;\t]/).map((x) => x.replace(/^"|"$/g, ''));
    return tabOf(cells) ? 0.9 : 0;
  },
  parse: parseRvtoolsCsv,
  parseWorkbook: parseRvtoolsWorkbook,
};
