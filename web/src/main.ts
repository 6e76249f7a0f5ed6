/**
 * The openevc dashboard: the fleet the server names (GET api/fleet) plus any CPUID file dropped on
 * the page, analysed here in the browser by the openevc library. Nothing is sent anywhere.
 *
 * Views (tabs, also reachable as #fleet, #heatmap, #baseline, #mask, #explain, #plan): the fleet
 * table, the compatibility heatmap of every pair of distinct CPUs, the baseline picker, the mask
 * and config generator, and the plan of an inventory (served, or dropped with the files it names)
 * with what-if controls. The filter box chooses the hosts the fleet views work on.
 */
import './style.css';
import { getProfile, profileIds } from '../../src/index.js';
import type { Blocker, ProfileDef } from '../../src/index.js';
import { append, el, replace } from './dom.js';
import type { Candidate, FleetHost, Group, HostRow } from './model.js';
import {
  FORMATS,
  Fleet,
  MAX_INPUT_BYTES,
  baselineCandidates,
  compatibility,
  errorText,
  fileNameFor,
  groupHosts,
  hostRows,
  pairCheck,
  pairState,
  renderMask,
  sharedEvcModes,
} from './model.js';
import { explainPanel, explainer } from './explain.js';
import type { PlanView } from './plan-view.js';
import { PlanInputs } from './plan-inputs.js';
import { looksLikeInventory } from '../../src/plan/sniff.js';
import { textFromBytes } from '../../src/index.js';

type Tab = 'fleet' | 'heatmap' | 'baseline' | 'mask' | 'explain' | 'plan';
const TABS: { id: Tab; label: string }[] = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'heatmap', label: 'Heatmap' },
  { id: 'baseline', label: 'Baseline' },
  { id: 'mask', label: 'Masks & configs' },
  ...(explainer ? [{ id: 'explain' as Tab, label: 'Explain' }] : []),
  { id: 'plan', label: 'Plan' },
];
/** Largest heatmap drawn: beyond it, the largest groups are shown and the page says so. */
const MAX_GROUPS = 200;
const MAX_ROWS = 500;

const fleet = new Fleet();
// The Plan tab's module (the planner, the YAML parser) is loaded when the tab is first opened.
const planInputs = new PlanInputs();
let planView: PlanView | undefined;
/** Texts of the files dropped on the page, by file name: what a dropped inventory's references resolve to. */
const dropped = new Map<string, string>();
const state = {
  tab: 'fleet' as Tab,
  filter: '',
  profile: 'esxi',
  sort: { col: 'name' as keyof HostRow, dir: 1 },
  allRows: false,
  cell: undefined as [number, number] | undefined,
  candidate: undefined as string | undefined,
  mask: { format: 'vmx', evc: '', name: '' },
};

// ---- caches (recomputed when the fleet, the filter or the profile change) ----------------------
let rowsCache: HostRow[] | undefined;
let scopeCache: { key: string; hosts: FleetHost[] } | undefined;
let groupCache: { key: string; groups: Group[]; m: boolean[][] } | undefined;

function invalidate(): void {
  rowsCache = undefined;
  scopeCache = undefined;
  groupCache = undefined;
}

function rows(): HostRow[] {
  return (rowsCache ??= hostRows(fleet.hosts));
}

/** The hosts every view works on: those the filter matches (all when it is empty). */
function scope(): FleetHost[] {
  const key = `${fleet.hosts.length}|${state.filter}`;
  if (scopeCache?.key === key) return scopeCache.hosts;
  const q = state.filter.trim().toLowerCase();
  let hosts = fleet.hosts;
  if (q) {
    const r = rows();
    hosts = fleet.hosts.filter((_, i) => {
      const row = r[i]!;
      return [row.name, row.cpu, row.uarch, row.evc, row.qemu, row.level, row.fidelity, ...row.drift].some((v) => v.toLowerCase().includes(q));
    });
  }
  scopeCache = { key, hosts };
  return hosts;
}

let distinctCache: { key: string; n: number } | undefined;
/** How many distinct CPUs (feature sets) the hosts in scope have. */
function distinctCount(): number {
  const key = `${fleet.hosts.length}|${state.filter}`;
  if (distinctCache?.key !== key) distinctCache = { key, n: groupHosts(scope()).length };
  return distinctCache.n;
}

function profile(): ProfileDef {
  return getProfile(state.profile);
}

function groups(): { groups: Group[]; m: boolean[][] } {
  const key = `${fleet.hosts.length}|${state.filter}|${state.profile}`;
  if (groupCache?.key === key) return groupCache;
  let gs = groupHosts(scope());
  if (gs.length > MAX_GROUPS) gs = [...gs].sort((a, b) => b.hosts.length - a.hosts.length).slice(0, MAX_GROUPS);
  groupCache = { key, groups: gs, m: compatibility(gs, profile()) };
  return groupCache;
}

// ---- the frame ----------------------------------------------------------------------------------
const app = document.getElementById('app')!;
const filterBox = el('input', { id: 'filter', type: 'search', placeholder: 'filter hosts (name, CPU, microarchitecture, EVC mode…)', 'aria-label': 'filter hosts' });
const profileSelect = el('select', { id: 'profile', 'aria-label': 'hypervisor profile' }, ...profileIds().map((p) => el('option', { value: p }, p)));
const fileInput = el('input', { id: 'file-input', type: 'file', multiple: true, 'aria-label': 'add CPUID files' });
const status = el('p', { id: 'status', class: 'status' });
const nav = el('nav', { class: 'tabs', role: 'tablist' });
const view = el('main', { id: 'view' });
const problems = el('section', { id: 'problems', class: 'problems' });

append(app, [
  el(
    'header',
    {},
    el('h1', {}, 'openevc', el('span', { class: 'sub' }, ' fleet dashboard')),
    el('div', { class: 'controls' }, filterBox, el('label', {}, 'profile ', profileSelect), el('label', { class: 'add' }, 'add CPUID files ', fileInput)),
    status,
  ),
  nav,
  view,
  problems,
  el('footer', {}, 'Runs in this page: files you add are read here and never leave it. Drop CPUID dumps anywhere on the page.'),
]);

for (const t of TABS) {
  const b = el('button', { type: 'button', role: 'tab', 'data-tab': t.id }, t.label);
  b.addEventListener('click', () => {
    location.hash = t.id;
  });
  nav.appendChild(b);
}

filterBox.addEventListener('input', () => {
  state.filter = filterBox.value;
  state.cell = undefined;
  render();
});
profileSelect.addEventListener('change', () => {
  state.profile = profileSelect.value;
  render();
});
fileInput.addEventListener('change', () => {
  if (fileInput.files) void addFiles([...fileInput.files]);
  fileInput.value = '';
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const files = e.dataTransfer ? [...e.dataTransfer.files] : [];
  if (files.length > 0) void addFiles(files);
});
window.addEventListener('hashchange', () => {
  state.tab = tabFromHash();
  render();
});

function tabFromHash(): Tab {
  const h = location.hash.slice(1);
  if (!h && fleet.hosts.length === 0 && planInputs.sources.length > 0) return 'plan';
  return TABS.some((t) => t.id === h) ? (h as Tab) : 'fleet';
}

/** Files dropped or chosen: size-checked before they are read, then parsed with the CLI's guards. */
async function addFiles(files: File[]): Promise<void> {
  const read: { f: File; bytes: Uint8Array }[] = [];
  for (const f of files) {
    if (f.size > MAX_INPUT_BYTES) {
      fleet.problems.push({ name: f.name, message: `${f.name}: expected a CPUID dump of at most ${MAX_INPUT_BYTES / 1024 / 1024} MiB, not ${(f.size / 1024 / 1024).toFixed(1)} MiB`, passedOver: false });
      continue;
    }
    read.push({ f, bytes: new Uint8Array(await f.arrayBuffer()) });
  }
  // Inventories go to the plan view; every other file joins the fleet when it is a CPUID dump, and is
  // kept for the references of dropped inventories (a .vmx or a log an inventory names is no problem).
  const rest: typeof read = [];
  for (const r of read) {
    let text: string | undefined;
    try {
      text = textFromBytes(r.bytes, `dropped/${r.f.name}`).text;
    } catch {
      text = undefined;
    }
    if (text !== undefined && looksLikeInventory(text.slice(0, 2048))) {
      planInputs.add({ name: `dropped/${r.f.name}`, text, file: (ref) => {
        const t = dropped.get(ref.split(/[\\/]/).pop()!);
        return t === undefined ? undefined : { text: t };
      } });
    } else {
      if (text !== undefined) dropped.set(r.f.name, text);
      rest.push(r);
    }
  }
  // The files the inventories name are no problem when they are not CPUID dumps (a .vmx, a log).
  const referencedNames = planInputs.sources.length > 0 ? (await import('./plan-model.js')).referencedNames : () => [];
  const wanted = new Set(planInputs.sources.flatMap(referencedNames));
  for (const r of rest) {
    const before = fleet.problems.length;
    const host = fleet.addBytes(`dropped/${r.f.name}`, r.bytes);
    if (host === undefined && wanted.has(r.f.name)) fleet.problems.splice(before);
  }
  planInputs.invalidate();
  invalidate();
  render();
}

// ---- rendering ----------------------------------------------------------------------------------
function render(): void {
  const t0 = performance.now();
  state.tab = tabFromHash();
  for (const b of nav.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.tab === state.tab));
  const hosts = scope();
  const distinct = distinctCount();
  status.textContent = `${fleet.hosts.length} hosts loaded${planInputs.sources.length ? ` · ${planInputs.sources.length} inventor${planInputs.sources.length === 1 ? 'y' : 'ies'}` : ''}${state.filter ? `, ${hosts.length} match the filter` : ''} · ${distinct} distinct CPUs · profile ${state.profile}`;
  document.body.dataset.view = state.tab;
  try {
    if (state.tab === 'fleet') renderFleet();
    else if (state.tab === 'heatmap') renderHeatmap();
    else if (state.tab === 'baseline') renderBaseline();
    else if (state.tab === 'mask') renderMaskView();
    else if (state.tab === 'explain' && explainer) replace(view, explainPanel(explainer));
    else if (state.tab === 'plan') renderPlan();
  } catch (e) {
    replace(view, el('p', { class: 'error' }, errorText(e)));
  }
  renderProblems();
  console.debug(`openevc: ${state.tab} rendered in ${Math.round(performance.now() - t0)} ms`);
}

/** The Plan tab, once its module has arrived (the first time: loaded, then the page drawn again). */
function renderPlan(): void {
  if (planView) {
    planView.render(view);
    return;
  }
  replace(view, el('p', { class: 'muted', id: 'plan-loading' }, 'Loading the planner…'));
  import('./plan-view.js').then(
    (m) => {
      planView ??= new m.PlanView(planInputs);
      if (state.tab === 'plan') render();
    },
    (e: unknown) => replace(view, el('p', { class: 'error', id: 'plan-error' }, `the planner could not be loaded: ${errorText(e)}`)),
  );
}

function renderProblems(): void {
  const errors = fleet.problems.filter((p) => !p.passedOver);
  const passed = fleet.problems.filter((p) => p.passedOver);
  replace(
    problems,
    errors.length > 0 && el('h2', {}, `${errors.length} input${errors.length === 1 ? '' : 's'} refused`),
    errors.length > 0 && el('ul', { class: 'errors' }, ...errors.map((p) => el('li', {}, p.message))),
    passed.length > 0 && el('p', { class: 'muted' }, `Passed over (no CPUID dump, as the CLI does in directories): ${passed.map((p) => p.name).join(', ')}`),
    fleet.duplicates.length > 0 && el('p', { class: 'muted' }, `Counted once (the same host as one already loaded: the same name and identical CPUID): ${fleet.duplicates.map((d) => `${d.name} (as ${d.of})`).join(', ')}`),
  );
}

const COLUMNS: { key: keyof HostRow; label: string }[] = [
  { key: 'name', label: 'host' },
  { key: 'cpu', label: 'CPU' },
  { key: 'uarch', label: 'microarchitecture' },
  { key: 'evc', label: 'max EVC mode' },
  { key: 'qemu', label: 'QEMU model' },
  { key: 'level', label: 'x86-64 level' },
  { key: 'fidelity', label: 'fidelity' },
  { key: 'drift', label: 'drift' },
];

function renderFleet(): void {
  const all = rows();
  const inScope = new Set(scope());
  const shown = all.filter((r) => inScope.has(fleet.hosts[r.index]!));
  const { col, dir } = state.sort;
  const val = (r: HostRow) => (Array.isArray(r[col]) ? (r[col] as string[]).join(' ') : String(r[col]));
  shown.sort((a, b) => dir * val(a).localeCompare(val(b), undefined, { numeric: true }));
  const limited = state.allRows ? shown : shown.slice(0, MAX_ROWS);
  const head = el(
    'tr',
    {},
    ...COLUMNS.map((c) => {
      const b = el('button', { type: 'button', 'data-sort': c.key }, c.label, c.key === col ? (dir > 0 ? ' ▲' : ' ▼') : '');
      b.addEventListener('click', () => {
        state.sort = { col: c.key, dir: c.key === col ? -dir : 1 };
        renderFleet();
      });
      return el('th', { scope: 'col', 'aria-sort': c.key === col ? (dir > 0 ? 'ascending' : 'descending') : undefined }, b);
    }),
  );
  const body = el(
    'tbody',
    {},
    ...limited.map((r) =>
      el(
        'tr',
        { 'data-host': r.name },
        el('td', { class: 'name' }, r.name),
        el('td', {}, r.cpu),
        el('td', {}, r.uarch),
        el('td', {}, r.evc),
        el('td', {}, r.qemu),
        el('td', {}, r.level),
        el('td', { class: r.fidelity.startsWith('full') ? 'muted' : 'warn' }, r.fidelity),
        el('td', { class: 'warn' }, r.drift.join('; ')),
      ),
    ),
  );
  const more = shown.length - limited.length;
  const moreButton = more > 0 ? el('button', { type: 'button', id: 'show-all' }, `show ${more} more hosts`) : null;
  moreButton?.addEventListener('click', () => {
    state.allRows = true;
    renderFleet();
  });
  replace(
    view,
    fleet.hosts.length === 0 ? el('p', { class: 'empty' }, 'No hosts yet: drop CPUID dumps on the page (any format openevc reads), or start openevc serve with a directory.') : null,
    el('table', { id: 'fleet-table', class: 'grid' }, el('thead', {}, head), body),
    moreButton,
  );
}

function renderHeatmap(): void {
  const { groups: gs, m } = groups();
  if (gs.length < 2) {
    replace(view, el('p', { class: 'empty' }, gs.length === 0 ? 'No hosts in scope.' : 'Every host in scope has the same CPU features: VMs move freely between them.'));
    markHeatmapReady();
    return;
  }
  const total = distinctCount();
  const table = el('table', { id: 'heatmap', class: gs.length > 60 ? 'heatmap dense' : 'heatmap' });
  const head = el('tr', {}, el('th', { class: 'corner' }, 'from ↓ to →'));
  gs.forEach((g, j) => head.appendChild(el('th', { scope: 'col', title: `${g.label} (${g.hosts.length} hosts)`, class: 'colhead' }, `${j + 1}`)));
  table.appendChild(el('thead', {}, head));
  const body = el('tbody');
  gs.forEach((g, i) => {
    const tr = el('tr', {}, el('th', { scope: 'row', class: 'rowhead' }, `${i + 1}. ${g.label}`, el('span', { class: 'count' }, ` ×${g.hosts.length}`)));
    for (let j = 0; j < gs.length; j++) {
      const s = pairState(m, i, j);
      const td = document.createElement('td');
      td.className = `cell ${s}`;
      td.dataset.i = String(i);
      td.dataset.j = String(j);
      tr.appendChild(td);
    }
    body.appendChild(tr);
  });
  table.appendChild(body);
  table.addEventListener('mouseover', (e) => {
    const td = (e.target as Element).closest('td.cell') as HTMLElement | null;
    if (td && !td.title) td.title = cellTitle(gs, Number(td.dataset.i), Number(td.dataset.j), pairState(m, Number(td.dataset.i), Number(td.dataset.j)));
  });
  table.addEventListener('click', (e) => {
    const td = (e.target as Element).closest('td.cell') as HTMLElement | null;
    if (!td) return;
    state.cell = [Number(td.dataset.i), Number(td.dataset.j)];
    for (const c of table.querySelectorAll('td.selected')) c.classList.remove('selected');
    td.classList.add('selected');
    renderPair(detail);
  });
  const detail = el('section', { id: 'pair-detail', class: 'detail' });
  replace(
    view,
    el(
      'p',
      { class: 'legend' },
      'Rows: the CPU a VM was powered on; columns: where it moves. ',
      el('span', { class: 'swatch both' }), ' both ways ',
      el('span', { class: 'swatch forward' }), ' this way only ',
      el('span', { class: 'swatch backward' }), ' only the other way ',
      el('span', { class: 'swatch neither' }), ' neither way. Click a cell for its blockers.',
    ),
    total > gs.length ? el('p', { class: 'warn' }, `${total} distinct CPUs: the ${gs.length} largest groups are shown (filter to narrow).`) : null,
    el('div', { class: 'scroll' }, table),
    detail,
  );
  if (state.cell && state.cell[0] < gs.length && state.cell[1] < gs.length) renderPair(detail);
  else detail.appendChild(el('p', { class: 'muted' }, `${gs.length} distinct CPUs among ${scope().length} hosts (hosts with identical feature sets share a row).`));
  markHeatmapReady();
}

function markHeatmapReady(): void {
  document.body.dataset.heatmapReady = String(Math.round(performance.now()));
}

function cellTitle(gs: Group[], i: number, j: number, s: string): string {
  if (s === 'self') return `${gs[i]!.label}: ${gs[i]!.hosts.length} hosts with identical features`;
  return `${i + 1} → ${j + 1}: ${s === 'both' || s === 'forward' ? 'compatible' : 'blocked'}`;
}

function location_(b: Blocker): string {
  const l = b.feature.loc;
  if (l.type === 'cpuid') return `CPUID.(EAX=${l.leaf.toString(16).toUpperCase()}H,ECX=${l.subleaf}):${l.reg.toUpperCase()}[${l.bit}]`;
  return `MSR ${l.index.toString(16).toUpperCase()}H bit ${l.bit}`;
}

function renderPair(detail: HTMLElement): void {
  const { groups: gs } = groups();
  const [i, j] = state.cell!;
  const from = gs[i]!;
  const to = gs[j]!;
  const names = (g: Group) => g.hosts.slice(0, 8).map((h) => h.name).join(', ') + (g.hosts.length > 8 ? ` … (+${g.hosts.length - 8})` : '');
  if (i === j) {
    replace(detail, el('h2', {}, `${i + 1}. ${from.label}`), el('p', {}, `${from.hosts.length} hosts with identical CPU features: ${names(from)}`));
    return;
  }
  const r = pairCheck(from, to, profile());
  replace(
    detail,
    el('h2', {}, `From ${i + 1} to ${j + 1}: `, el('span', { class: r.compatible ? 'ok' : 'bad', id: 'pair-verdict' }, r.compatible ? 'compatible' : 'blocked')),
    el('p', {}, el('strong', {}, 'from '), `${from.label} (${from.hosts.length}): ${names(from)}`),
    el('p', {}, el('strong', {}, 'to '), `${to.label} (${to.hosts.length}): ${names(to)}`),
    r.vendorMismatch ? el('p', { class: 'bad' }, r.vendorMismatch) : null,
    r.blockers.length > 0 ? el('h3', {}, `${r.blockers.length} blocker${r.blockers.length === 1 ? '' : 's'} (${r.profile.id} profile)`) : null,
    r.blockers.length > 0
      ? el(
          'table',
          { id: 'blockers', class: 'grid' },
          el('thead', {}, el('tr', {}, el('th', {}, 'feature'), el('th', {}, 'where'), el('th', {}, 'likely cause'))),
          el(
            'tbody',
            {},
            ...r.blockers.map((b) =>
              el('tr', { 'data-feature': b.feature.id }, el('td', {}, `${b.feature.name} (${b.feature.id})`), el('td', { class: 'mono' }, location_(b)), el('td', {}, b.detail ? `${b.headline}; ${b.detail}` : b.headline)),
            ),
          ),
        )
      : null,
    r.notes.length > 0 ? el('ul', { class: 'notes' }, ...r.notes.map((n) => el('li', {}, n))) : null,
    el('p', { class: 'muted' }, `EVC: source ${r.evc.from?.key ?? 'none'}, destination ${r.evc.to?.key ?? 'none'}, both ${r.evc.common?.key ?? 'none'}.`),
  );
}

function renderBaseline(): void {
  const hosts = scope();
  if (hosts.length === 0) {
    replace(view, el('p', { class: 'empty' }, 'No hosts in scope.'));
    return;
  }
  const { baseline, candidates } = baselineCandidates(hosts, profile());
  const chosen = candidates.find((c) => c.id === state.candidate) ?? candidates[0]!;
  const list = el(
    'div',
    { id: 'candidates', class: 'candidates', role: 'radiogroup', 'aria-label': 'baseline candidates' },
    ...candidates.map((c) => {
      const b = el('button', { type: 'button', role: 'radio', 'aria-checked': String(c === chosen), 'data-candidate': c.id, class: `cand ${c.kind}` }, c.label);
      b.addEventListener('click', () => {
        state.candidate = c.id;
        renderBaseline();
      });
      return b;
    }),
  );
  replace(
    view,
    el('p', {}, `Baselines ${hosts.length} hosts can share (${baseline.profile.id} profile for the common set; EVC through ESXi's view, QEMU models and x86-64 levels through KVM's). Pick one to see what each host loses.`),
    baseline.vendorMismatch ? el('p', { class: 'bad' }, baseline.vendorMismatch) : null,
    el('div', { class: 'split' }, list, candidateDetail(chosen, hosts)),
  );
}

function candidateDetail(c: Candidate, hosts: FleetHost[]): HTMLElement {
  const rowsOut = hosts.slice(0, MAX_ROWS).map((h, i) => {
    const lost = c.lost[i]!;
    const ids = lost.ids();
    return el('tr', { 'data-host': h.name }, el('td', { class: 'name' }, h.name), el('td', { class: 'num' }, String(lost.size)), el('td', { class: 'mono' }, ids.length === 0 ? 'nothing' : ids.join(' ')));
  });
  return el(
    'section',
    { id: 'candidate-detail', class: 'detail' },
    el('h2', {}, c.label),
    c.note ? el('p', { class: 'muted' }, c.note) : null,
    el('h3', {}, 'What each host loses'),
    el('table', { id: 'losses', class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, 'host'), el('th', {}, 'lost'), el('th', {}, 'features its VMs stop seeing'))), el('tbody', {}, ...rowsOut)),
    hosts.length > MAX_ROWS ? el('p', { class: 'muted' }, `… and ${hosts.length - MAX_ROWS} more hosts (filter to see them)`) : null,
    el('h3', {}, 'What holds it down'),
    c.limits.length === 0
      ? el('p', { class: 'muted' }, c.id === 'common' || c.id === 'qemu' || c.label.endsWith('— highest') ? 'No single host holds it down: the hosts share the same limits.' : 'A lower step than the best: retiring one host does not change it.')
      : el('ul', { id: 'limits' }, ...c.limits.map((l) => el('li', {}, 'retire ', el('strong', {}, l.host), ` and ${l.rises}`))),
  );
}

function renderMaskView(): void {
  const hosts = scope();
  const formatSel = el('select', { id: 'mask-format', 'aria-label': 'output format' }, ...FORMATS.map((f) => el('option', { value: f.format, title: f.description, selected: f.format === state.mask.format }, f.format)));
  const modes = sharedEvcModes(hosts);
  if (state.mask.evc && !modes.some((m) => m.key === state.mask.evc)) state.mask.evc = '';
  const targetSel = el(
    'select',
    { id: 'mask-target', 'aria-label': 'target' },
    el('option', { value: '' }, 'minimal: hide only what stands between the hosts'),
    ...modes.map((m) => el('option', { value: m.key, selected: m.key === state.mask.evc }, `EVC ${m.key} on every host`)),
  );
  const nameBox = el('input', { id: 'mask-name', type: 'text', placeholder: 'VM or CPU model name (optional)', value: state.mask.name });
  const out = el('pre', { id: 'mask-output', class: 'output' });
  const explanation = el('pre', { id: 'mask-explanation', class: 'explanation' });
  const diags = el('ul', { id: 'mask-diagnostics', class: 'notes' });
  const copy = el('button', { type: 'button', id: 'mask-copy' }, 'Copy');
  const download = el('button', { type: 'button', id: 'mask-download' }, 'Download');
  const note = el('span', { class: 'muted', id: 'mask-note' });
  const update = () => {
    state.mask = { format: formatSel.value, evc: targetSel.value, name: nameBox.value };
    try {
      if (hosts.length === 0) throw new Error('no hosts in scope');
      const r = renderMask(hosts, state.mask.format, { ...(state.mask.evc ? { evc: state.mask.evc } : {}), ...(state.mask.name ? { name: state.mask.name } : {}) });
      out.textContent = r.text;
      explanation.textContent = r.explanation;
      replace(diags, ...r.diagnostics.map((d) => el('li', {}, d)));
      out.classList.remove('error');
    } catch (e) {
      out.textContent = errorText(e);
      out.classList.add('error');
      explanation.textContent = '';
      replace(diags);
    }
  };
  for (const c of [formatSel, targetSel]) c.addEventListener('change', update);
  nameBox.addEventListener('input', update);
  copy.addEventListener('click', () => {
    const text = out.textContent ?? '';
    const done = () => (note.textContent = 'copied');
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    else fallbackCopy(text, done);
  });
  download.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([out.textContent ?? ''], { type: 'text/plain' }));
    const a = el('a', { href: url, download: fileNameFor(state.mask.format) });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  replace(
    view,
    el('p', {}, `The configuration that lets VMs live-migrate between the ${hosts.length} hosts in scope (as openevc mask prints it). Filter the fleet to choose the hosts.`),
    el('div', { class: 'controls' }, el('label', {}, 'format ', formatSel), el('label', {}, 'target ', targetSel), el('label', {}, 'name ', nameBox), copy, download, note),
    out,
    el('h3', {}, 'What each host loses'),
    explanation,
    diags,
  );
  update();
}

function fallbackCopy(text: string, done: () => void): void {
  const ta = el('textarea', {});
  ta.value = text;
  document.body.appendChild(ta);
  ta.select();
  document.execCommand('copy');
  ta.remove();
  done();
}

// ---- start --------------------------------------------------------------------------------------
async function load(): Promise<void> {
  state.tab = tabFromHash();
  status.textContent = 'loading the fleet…';
  try {
    const res = await fetch('api/fleet', { credentials: 'same-origin' });
    if (res.ok && res.body) {
      performance.mark('openevc:fetched');
      // One JSON object per line, parsed as the lines arrive.
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let rest = '';
      const take = (line: string) => {
        if (!line) return;
        const f = JSON.parse(line) as { name?: string; fromDirectory?: boolean; text?: string; error?: string; notADump?: boolean };
        if (f.name === undefined) fleet.problems.push({ name: 'api/fleet', message: f.error ?? 'the server stopped', passedOver: false });
        else if (f.text !== undefined) fleet.addText(f.name, f.text, { fromDirectory: f.fromDirectory === true });
        else fleet.problems.push({ name: f.name, message: f.error ?? `${f.name}: unreadable`, passedOver: f.fromDirectory === true && f.notADump === true });
      };
      for (;;) {
        const { done, value } = await reader.read();
        rest += done ? decoder.decode() : decoder.decode(value, { stream: true });
        const lines = rest.split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) take(l);
        if (done) break;
      }
      take(rest);
    } else if (res.status !== 404) {
      fleet.problems.push({ name: 'api/fleet', message: `the server answered ${res.status}: ${(await res.text()).trim()}`, passedOver: false });
    }
    performance.mark('openevc:parsed');
  } catch {
    // Opened without openevc serve: the page still works on dropped files.
  }
  await loadInventories();
  invalidate();
  render();
  performance.mark('openevc:rendered');
}

/** The inventories the server names, with the files they name (GET api/inventories). */
async function loadInventories(): Promise<void> {
  try {
    const res = await fetch('api/inventories', { credentials: 'same-origin' });
    if (!res.ok) return;
    const body = (await res.json()) as { inventories: { name: string; text?: string; error?: string; files: { ref: string; text?: string; error?: string }[] }[] };
    for (const inv of body.inventories) {
      if (inv.text === undefined) {
        fleet.problems.push({ name: inv.name, message: inv.error ?? `${inv.name}: unreadable`, passedOver: false });
        continue;
      }
      const files = new Map(inv.files.map((f) => [f.ref, f]));
      planInputs.add({
        name: inv.name,
        text: inv.text,
        file: (ref) => {
          const f = files.get(ref);
          if (f === undefined) return undefined;
          return f.text !== undefined ? { text: f.text } : { error: f.error ?? 'unreadable' };
        },
      });
    }
    planInputs.selected = 0;
  } catch {
    // No server: inventories can be dropped on the page.
  }
}

void load();
