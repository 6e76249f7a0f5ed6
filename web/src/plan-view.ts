/**
 * The Plan tab: an inventory's plan (what `openevc plan` prints), its migration map and risk
 * report, with what-if controls that apply steps as `--what-if` does. Every name (hosts, VMs,
 * clusters, files) goes on the page as text (dom.ts), never as markup. The page loads this module
 * (and with it the planner and the YAML parser) when the tab is first opened.
 */
import { builtinEvcModes } from '../../src/core/evc.js';
import type { Fleet as PlanFleet } from '../../src/plan/fleet.js';
import type { ClusterPlan, MapGroup, SequenceStep, StepOutcome } from '../../src/plan/planner.js';
import type { RiskReport } from '../../src/plan/risk.js';
import { el, replace } from './dom.js';
import { errorText } from './model.js';
import type { InventorySource, PlanOutcome } from './plan-model.js';
import { inventoryFleet, runPlan, stepText } from './plan-model.js';
import type { PlanInputs } from './plan-inputs.js';

const VM_VERBS = ['power-cycle', 'power-off', 'power-on', 'reboot', 'suspend', 'resume'];

export class PlanView {
  private fleetCache: { version: number; src: InventorySource; fleet: PlanFleet } | undefined;
  private error: string | undefined;
  private errorVersion = -1;

  constructor(private readonly inputs: PlanInputs) {}

  private fleet(): PlanFleet {
    const src = this.inputs.sources[this.inputs.selected]!;
    const c = this.fleetCache;
    if (c?.version !== this.inputs.version || c.src !== src) this.fleetCache = { version: this.inputs.version, src, fleet: inventoryFleet(src) };
    return this.fleetCache!.fleet;
  }

  render(view: HTMLElement): void {
    // A refused step is said until what the plan rests on changes.
    if (this.errorVersion !== this.inputs.version) this.error = undefined;
    if (this.inputs.sources.length === 0) {
      replace(
        view,
        el('p', { class: 'empty', id: 'plan-empty' }, 'No inventory yet: drop an inventory (YAML or JSON, see docs/plan.md) on the page together with the files it names, or start openevc serve with an inventory file or a directory holding one.'),
      );
      return;
    }
    const picker =
      this.inputs.sources.length > 1
        ? el('select', { id: 'plan-inventory', 'aria-label': 'inventory' }, ...this.inputs.sources.map((s, i) => el('option', { value: String(i), selected: i === this.inputs.selected }, s.name)))
        : null;
    picker?.addEventListener('change', () => {
      this.inputs.selected = Number(picker.value);
      this.inputs.steps = [];
      this.inputs.invalidate();
      this.render(view);
    });
    let fleet: PlanFleet;
    let out: PlanOutcome;
    try {
      fleet = this.fleet();
      out = runPlan(fleet, this.inputs.steps);
    } catch (e) {
      // A bad step is taken back (it changes nothing, as the CLI refuses it); a bad inventory is shown.
      if (this.inputs.steps.length > 0 && this.fleetCache) {
        const bad = this.inputs.steps.pop()!;
        this.error = `${bad}: ${errorText(e)}`;
        this.errorVersion = this.inputs.version;
        this.render(view);
        return;
      }
      replace(view, picker, el('p', { class: 'error', id: 'plan-error' }, errorText(e)));
      return;
    }
    const r = out.result;
    replace(
      view,
      el('p', { id: 'plan-title' }, picker ?? '', picker ? ' ' : '', `Plan for ${r.inventory}: ${fleet.hosts.size} hosts, ${fleet.vms.length} VMs, ${fleet.clusters.size} cluster${fleet.clusters.size === 1 ? '' : 's'}. Runs in this page (what openevc plan prints).`),
      this.controls(view, out),
      this.error ? el('p', { class: 'error', id: 'plan-step-error' }, this.error) : null,
      r.steps.length > 0 ? el('section', { class: 'detail', id: 'plan-steps' }, el('h2', {}, 'What-if steps, in order'), el('ol', {}, ...r.steps.map(outcomeItem))) : null,
      ...r.clusters.map(clusterSection),
      r.standalone.length > 0 ? el('section', { class: 'detail', id: 'plan-standalone' }, el('h2', {}, 'Hosts outside any cluster'), el('p', { class: 'names' }, r.standalone.join(', '))) : null,
      mapSection(r.migrationMap),
      riskSection(out.risks),
      el('section', { class: 'detail', id: 'plan-rests-on' }, el('h2', {}, 'What this rests on'), el('ul', { class: 'notes' }, ...r.restsOn.map((x) => el('li', {}, x)))),
      fleet.diagnostics.length > 0 ? el('ul', { class: 'notes warn', id: 'plan-diagnostics' }, ...fleet.diagnostics.map((d) => el('li', {}, `${d.level}: ${d.message}`))) : null,
    );
  }

  private controls(view: HTMLElement, out: PlanOutcome): HTMLElement {
    const sim = out.result.sim;
    const hosts = [...sim.hosts.values()];
    const clusters = [...sim.clusters.values()];
    const vsphere = clusters.filter((c) => c.platform === 'vsphere').map((c) => c.name);
    const opts = (xs: readonly string[]) => xs.map((x) => el('option', { value: x }, x));
    const apply = (step: string) => {
      this.inputs.steps.push(step);
      this.error = undefined;
      this.render(view);
    };
    const button = (id: string, label: string, onClick: () => void) => {
      const b = el('button', { type: 'button', id }, label);
      b.addEventListener('click', onClick);
      return b;
    };

    const standalone = hosts.filter((h) => h.cluster === undefined).map((h) => h.name);
    const addHost = el('select', { id: 'wi-add-host', 'aria-label': 'host to add', disabled: standalone.length === 0 }, ...(standalone.length ? opts(standalone) : [el('option', { value: '' }, 'no standalone host')]));
    const addTo = el('select', { id: 'wi-add-cluster', 'aria-label': 'cluster to add it to' }, ...opts(clusters.map((c) => c.name)));
    const retire = el('select', { id: 'wi-retire', multiple: true, size: String(Math.min(6, Math.max(2, hosts.length))), 'aria-label': 'hosts to retire' }, ...opts(hosts.map((h) => h.name)));
    const verb = el('select', { id: 'wi-evc-verb', 'aria-label': 'EVC change' }, ...opts(['enable', 'raise', 'lower', 'disable']));
    const modes = builtinEvcModes().list().map((m) => m.key);
    const mode = el('select', { id: 'wi-evc-mode', 'aria-label': 'EVC mode' }, ...opts(modes));
    const best = out.result.clusters.find((c) => c.highestMode)?.highestMode;
    if (best) mode.value = best;
    const evcOn = el('select', { id: 'wi-evc-cluster', 'aria-label': 'cluster' }, ...opts(vsphere));
    const vmVerb = el('select', { id: 'wi-vm-verb', 'aria-label': 'VM action' }, ...opts(VM_VERBS));
    const vm = el('select', { id: 'wi-vm', 'aria-label': 'VM' }, ...opts([...sim.vms.keys()].sort()));
    const free = el('input', { id: 'wi-step', type: 'text', placeholder: "any --what-if step, e.g. vmotion VM HOST", 'aria-label': 'what-if step' });
    const freeGo = button('wi-step-go', 'Apply', () => {
      if (free.value.trim()) apply(free.value.trim());
    });
    free.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && free.value.trim()) apply(free.value.trim());
    });
    const one = clusters.length === 1;
    return el(
      'section',
      { class: 'detail whatif', id: 'whatif' },
      el('h2', {}, 'What if…', el('span', { class: 'muted' }, ` ${this.inputs.steps.length} step${this.inputs.steps.length === 1 ? '' : 's'} applied`)),
      el(
        'div',
        { class: 'controls' },
        el('label', {}, 'add host ', addHost, ' to ', addTo),
        button('wi-add', 'Add', () => addHost.value && apply(stepText.add(addHost.value, addTo.value))),
        el('label', {}, 'retire ', retire),
        button('wi-retire-go', 'Retire', () => {
          const chosen = [...retire.selectedOptions].map((o) => o.value);
          if (chosen.length) apply(stepText.retire(chosen));
        }),
      ),
      el(
        'div',
        { class: 'controls' },
        el('label', {}, 'EVC ', verb, ' ', mode, vsphere.length ? ' on ' : '', vsphere.length ? evcOn : null),
        button('wi-evc', 'Apply', () => apply(stepText.evc(verb.value, mode.value, vsphere.length > 1 || !one ? evcOn.value : ''))),
        el('label', {}, 'VM ', vmVerb, ' ', vm),
        button('wi-vm-go', 'Apply', () => vm.value && apply(stepText.vm(vmVerb.value, vm.value))),
      ),
      el('div', { class: 'controls' }, el('label', { class: 'wide' }, 'step ', free), freeGo, button('wi-reset', 'Reset', () => {
        this.inputs.steps = [];
        this.error = undefined;
        this.render(view);
      })),
    );
  }
}

function lines(...xs: (string | false | undefined)[]): HTMLElement[] {
  return xs.filter((x): x is string => typeof x === 'string').map((x) => el('div', { class: 'sub' }, x));
}

function outcomeItem(o: StepOutcome): HTMLElement {
  return el(
    'li',
    { class: o.ok ? 'ok-step' : 'refused', 'data-ok': String(o.ok) },
    el('span', { class: 'step' }, o.step),
    ': ',
    o.ok ? el('span', { class: 'ok' }, 'done') : el('span', { class: 'bad' }, `REFUSED, ${o.fault!.name}${o.fault!.vsphereName ? '' : " (openevc's name)"}: ${o.fault!.message}`),
    ...lines(
      o.fault?.features.length ? `features: ${o.fault.features.join(', ')}` : undefined,
      o.fault?.vms.length ? `VMs: ${o.fault.vms.join(', ')}` : undefined,
      o.fault?.remedy ? `to proceed: ${o.fault.remedy}` : undefined,
      ...o.notes,
      o.moved?.length ? `moved live: ${o.moved.map((m) => `${m.vm} → ${m.to}`).join(', ')}` : undefined,
      o.powerCycle?.length ? `power cycle to gain the new features: ${o.powerCycle.map((p) => `${p.vm} (${p.gains.join(', ')})`).join(', ')}` : undefined,
    ),
  );
}

function seqItem(s: SequenceStep): HTMLElement {
  return el(
    'li',
    { 'data-action': s.action },
    el('span', { class: 'summary' }, s.summary),
    s.fault ? el('div', { class: 'sub bad' }, `${s.fault.name}: ${s.fault.message}${s.fault.remedy ? `; to proceed: ${s.fault.remedy}` : ''}`) : null,
    s.powerOff?.length ? el('div', { class: 'sub power-off' }, 'power off first: ', el('span', { class: 'vms' }, s.powerOff.map((p) => p.vm).join(', ')), ` (${s.powerOff.map((p) => (p.above.length ? `${p.vm} on ${p.host} runs with ${p.above.join(', ')}` : `${p.vm} on ${p.host}`)).join('; ')})`) : null,
    s.mayStayOn?.length ? el('div', { class: 'sub may-stay-on' }, 'may stay on: ', el('span', { class: 'vms' }, s.mayStayOn.join(', '))) : null,
    s.moved?.length ? el('div', { class: 'sub moved' }, `moved live: ${s.moved.map((m) => `${m.vm} → ${m.to}`).join(', ')}`) : null,
    s.stranded?.length ? el('div', { class: 'sub stranded' }, 'must power off (no host takes them live): ', el('span', { class: 'vms' }, s.stranded.join(', '))) : null,
    s.powerCycle?.length
      ? el('div', { class: 'sub power-cycle' }, `need a full power cycle to gain ${[...new Set(s.powerCycle.flatMap((p) => p.gains))].join(', ')}: `, el('span', { class: 'vms' }, s.powerCycle.map((p) => p.vm).join(', ')))
      : null,
  );
}

function clusterSection(c: ClusterPlan): HTMLElement {
  const k = c.kvm;
  return el(
    'section',
    { class: 'detail plan-cluster', 'data-cluster': c.name },
    el('h2', {}, `Cluster ${c.name} (${c.platform}${c.platform === 'vsphere' ? `, EVC ${c.evc ?? 'off'}` : ''}): ${c.hosts.length} host${c.hosts.length === 1 ? '' : 's'}, VMs ${c.vms.on} on, ${c.vms.suspended} suspended, ${c.vms.off} off`),
    el('p', { class: 'names' }, 'hosts: ', c.hosts.join(', ')),
    c.platform === 'vsphere' ? el('p', {}, 'Highest EVC mode every host supports: ', el('strong', { class: 'highest' }, c.highestMode ?? (c.mixedVendors ? 'none (Intel and AMD mixed)' : 'none'))) : null,
    c.notes.length ? el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', {}, n))) : null,
    c.powerCycle.length
      ? el('p', { class: 'power-cycle' }, `VMs whose requirements are below what the cluster offers (a full power cycle gains ${[...new Set(c.powerCycle.flatMap((x) => x.gains))].join(', ')}): `, el('span', { class: 'vms' }, c.powerCycle.map((x) => x.vm).join(', ')))
      : null,
    c.sequence.length ? el('h3', {}, 'Steps') : null,
    c.sequence.length ? el('ol', { class: 'sequence' }, ...c.sequence.map(seqItem)) : null,
    k
      ? el(
          'div',
          { class: 'kvm' },
          el('p', {}, 'CPU model to set: ', el('strong', { class: 'model' }, `${k.model}${k.extra.length ? ` +${k.extra.join(' +')}` : ''}${k.disabled.length ? ` -${k.disabled.join(' -')}` : ''}`)),
          el('table', { class: 'grid settings' }, el('tbody', {}, ...Object.entries(k.settings).map(([tool, s]) => el('tr', {}, el('th', {}, tool), el('td', { class: 'mono' }, s))))),
          el('p', {}, 'VMs that must restart to pick it up: ', el('span', { class: 'vms restart' }, k.restart.length ? k.restart.map((r) => r.vm).join(', ') : 'none')),
          ...Object.entries(k.stranded).map(([host, vms]) => el('p', { class: 'stranded' }, `removing ${host} strands ${vms.join(', ')} (no other host takes them live)`)),
        )
      : null,
  );
}

function mapSection(map: readonly MapGroup[]): HTMLElement {
  return el(
    'section',
    { class: 'detail', id: 'plan-map' },
    el('h2', {}, 'Migration map (running VMs)'),
    map.length === 0
      ? el('p', { class: 'muted' }, 'No running VM.')
      : el(
          'table',
          { id: 'migration-map', class: 'grid' },
          el('thead', {}, el('tr', {}, el('th', {}, 'VMs'), el('th', {}, 'can move to'), el('th', {}, 'not to'))),
          el(
            'tbody',
            {},
            ...map.map((g) =>
              el(
                'tr',
                {},
                el('td', { class: 'name vms' }, g.vms.join(', ')),
                el('td', { class: 'name can' }, g.canMoveTo.length ? g.canMoveTo.join(', ') : 'no host'),
                el('td', { class: 'blocked' }, ...g.blocked.map((b) => el('div', { class: 'block', 'data-fault': b.fault }, el('span', { class: 'name hosts' }, b.hosts.join(', ')), `: ${b.fault}: ${b.reason}`))),
              ),
            ),
          ),
        ),
  );
}

function riskSection(reports: readonly RiskReport[]): HTMLElement {
  return el(
    'section',
    { class: 'detail', id: 'plan-risks' },
    el('h2', {}, 'Risks'),
    ...reports.map((r) =>
      el(
        'div',
        { class: 'risk-report', 'data-cluster': r.cluster },
        el('h3', {}, `Cluster ${r.cluster} at ${r.baseline ?? 'no baseline'}`),
        r.risks.length === 0
          ? el('p', { class: 'muted' }, 'none found')
          : el('ul', { class: 'risks' }, ...r.risks.map((x) => el('li', { class: `risk ${x.severity}`, 'data-kind': x.kind }, el('strong', {}, x.severity), ' ', x.message))),
      ),
    ),
    reports.length === 0 ? el('p', { class: 'muted' }, 'No vSphere cluster: the risk report covers vSphere clusters.') : null,
  );
}
