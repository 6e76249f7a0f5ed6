/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core, against
 * `openevc serve` on the bundled example fleet. The web app is built from the current source into
 * a temporary directory first, so the test sees what the source says (not a stale dist/).
 * Never skipped: without /usr/bin/chromium it fails and says how to install it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../../src/node/serve.js';
import type { Dashboard } from '../../src/node/serve.js';
import { runCli } from '../../src/test-support/cli.js';
import { REPO_ROOT } from '../../src/test-support/shared.js';
import { launchBrowser } from './browser.mjs';

const examples = join(REPO_ROOT, 'examples');
const ex = (p: string) => join(examples, p);
const ATOM = ex('seed-002/host-a-atom-c2750.json');
const I7 = ex('seed-002/host-b-core-i7-3770.json');

const tmp = mkdtempSync(join(tmpdir(), 'openevc-dash-'));
const webRoot = join(tmp, 'web');
let browser: Browser;
let dash: Dashboard;
let page: Page;

beforeAll(async () => {
  await build({ configFile: join(REPO_ROOT, 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir: webRoot, emptyOutDir: true } });
  browser = await launchBrowser();
  // The hosts of the lab cases and the clusters (examples/fleet and examples/inventory hold exports and inventories).
  dash = await startDashboard({ webRoot, inputs: ['amd', 'cluster', 'seed-000', 'seed-002', 'vms'].map(ex), port: 0 });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Opens a view of the fleet, filtered. */
async function open(view: string, filter = ''): Promise<void> {
  await page.goto('about:blank'); // a fresh page: a change of hash alone would keep the last filter
  await page.goto(`${dash.url}#${view}`);
  await page.waitForFunction(() => !document.getElementById('status')?.textContent?.startsWith('loading'));
  if (filter) await page.fill('#filter', filter);
}

const cells = (selector: string) => page.$$eval(selector, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));

describe('dashboard in Chromium', () => {
  it('opens the bundled example fleet: every host, sortable and filterable', async () => {
    await open('fleet');
    const rows = await cells('#fleet-table tbody tr');
    expect(rows.map((r) => r[0]!.replace(`${examples}/`, ''))).toEqual([
      'amd/kvm-21-epyc-7601.json',
      'amd/kvm-22-epyc-7502.json',
      'cluster/esx-11-xeon-e5-2650v3.json',
      'cluster/esx-12-xeon-e5-2650v4.json',
      'cluster/esx-13-xeon-gold-6148.json',
      'cluster/esx-14-xeon-platinum-8268.json',
      'seed-000/esx-01-xeon-e5310.json',
      'seed-000/esx-04-xeon-e5420.json',
      'seed-002/host-a-atom-c2750.json',
      'seed-002/host-b-core-i7-3770.json',
    ]);
    // The CLI's own answers, column by column, for one host.
    const show = JSON.parse((await runCli('show', '--json', I7)).stdout);
    const i7 = rows.find((r) => r[0] === I7)!;
    expect(i7.slice(1, 6)).toEqual([show.cpu.brand, show.cpu.microarchitecture, show.evc.max, show.qemu.model, `x86-64-v${show.x86_64_level}`]);
    expect(await page.textContent('#problems')).toContain('vms/db-02.vmx');

    await page.click('button[data-sort="evc"]');
    const evcs = (await cells('#fleet-table tbody tr')).map((r) => r[3]!);
    expect(evcs).toEqual([...evcs].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    await page.click('button[data-sort="evc"]');
    expect((await cells('#fleet-table tbody tr')).map((r) => r[3]!)).toEqual([...evcs].reverse());

    await page.fill('#filter', 'penryn');
    expect((await cells('#fleet-table tbody tr')).map((r) => r[0])).toEqual([ex('seed-000/esx-04-xeon-e5420.json')]);
  });

  it('heatmap: a click on a cell shows that direction’s blockers, with the causes openevc check gives', async () => {
    await open('heatmap');
    const heads = await page.locator('#heatmap th.rowhead').allTextContents();
    expect(heads).toHaveLength(10);
    expect(heads.every((h) => / ×1$/.test(h))).toBe(true);
    const i = heads.findIndex((t) => t.includes('i7-3770'));
    const j = heads.findIndex((t) => t.includes('C2750'));
    // Seed 002: blocked both ways under ESXi's profile.
    expect(await page.getAttribute(`#heatmap td[data-i="${i}"][data-j="${j}"]`, 'class')).toContain('neither');
    await page.click(`#heatmap td[data-i="${i}"][data-j="${j}"]`);
    await page.waitForSelector('#blockers');
    expect(await page.textContent('#pair-verdict')).toBe('blocked');
    const shown = await page.$$eval('#blockers tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-feature'), tr.querySelectorAll('td')[2]!.textContent]));
    const cli = await runCli('check', '--json', I7, ATOM);
    expect(cli.code).toBe(1);
    const expected = (JSON.parse(cli.stdout).blockers as { id: string; cause: string }[]).map((b) => [b.id, b.cause]);
    expect(expected.length).toBeGreaterThan(3);
    expect(shown).toEqual(expected);

    // Haswell → Broadwell works one way only: the cell says so, and the panel shows no blocker.
    const hw = heads.findIndex((t) => t.includes('E5-2650 v3'));
    const bw = heads.findIndex((t) => t.includes('E5-2650 v4'));
    expect(await page.getAttribute(`#heatmap td[data-i="${hw}"][data-j="${bw}"]`, 'class')).toContain('forward');
    await page.click(`#heatmap td[data-i="${hw}"][data-j="${bw}"]`);
    await page.waitForFunction(() => document.getElementById('pair-verdict')?.textContent === 'compatible');
    expect(await page.$('#blockers')).toBeNull();
  });

  it('baseline picker: the losses of the chosen baseline, and what holds it down', async () => {
    await open('baseline', 'cluster');
    await page.waitForSelector('#candidates button');
    const cli = JSON.parse((await runCli('baseline', '--json', ex('cluster'))).stdout);
    await page.click(`#candidates button[data-candidate="evc:${cli.evc.mode}"]`);
    const losses = await cells('#losses tbody tr');
    expect(losses.map((r) => [r[0], Number(r[1]), r[2]])).toEqual(
      (cli.hosts as { path: string; lost_under_evc: string[] }[]).map((h) => [h.path, h.lost_under_evc.length, h.lost_under_evc.length ? h.lost_under_evc.join(' ') : 'nothing']),
    );
    expect(await page.textContent('#limits')).toBe(`retire ${ex('cluster/esx-11-xeon-e5-2650v3.json')} and EVC rises to intel-broadwell`);

    await page.click('#candidates button[data-candidate="common"]');
    expect(await page.getAttribute('#candidates button[data-candidate="common"]', 'aria-checked')).toBe('true');
    const common = await cells('#losses tbody tr');
    expect(common.map((r) => r[2])).toEqual((cli.hosts as { lost: string[] }[]).map((h) => (h.lost.length ? h.lost.join(' ') : 'nothing')));
  });

  it('mask generator: the .vmx lines are openevc mask’s, and download as a .vmx', async () => {
    await open('mask', 'seed-002');
    await page.selectOption('#mask-format', 'vmx');
    await page.waitForFunction(() => document.getElementById('mask-output')?.textContent?.includes('cpuid.'));
    const cli = await runCli('mask', ATOM, I7);
    expect(cli.code).toBe(0);
    expect(await page.textContent('#mask-output')).toBe(cli.stdout);
    expect(await page.textContent('#mask-explanation')).toContain('loses');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#mask-download')]);
    expect(download.suggestedFilename()).toBe('openevc-mask.vmx');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(cli.stdout);

    await page.selectOption('#mask-target', 'intel-westmere');
    await page.selectOption('#mask-format', 'govc');
    const govc = await runCli('mask', '--evc', 'intel-westmere', '--format', 'govc', ATOM, I7);
    expect(await page.textContent('#mask-output')).toBe(govc.stdout);
  });

  it('explain paste box: the explanation openevc explain prints, and a refusal for unknown text', async () => {
    await open('explain');
    const file = join(REPO_ROOT, 'src/report/explain/fixtures/vsphere-seed002-b-to-a.txt');
    await page.fill('#explain-input', readFileSync(file, 'utf8'));
    await page.selectOption('#explain-vendor', 'intel');
    await page.click('#explain-go');
    const cli = await runCli('explain', '--vendor', 'intel', file);
    expect(cli.code).toBe(0);
    expect(await page.textContent('#explain-output')).toBe(cli.stdout);
    await page.fill('#explain-input', 'all is well');
    await page.click('#explain-go');
    expect(await page.textContent('#explain-output')).toMatch(/^\(pasted\):1: expected a migration error message openevc recognises/);
    expect(await page.getAttribute('#explain-output', 'class')).toContain('error');
  });

  it('a dump dropped on the page joins the fleet without leaving it; a binary file is refused', async () => {
    await open('fleet');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const dump = readFileSync(join(REPO_ROOT, 'src/formats/cpuid-r/fixtures/one-cpu.txt'), 'utf8');
    await page.evaluate(
      ([text]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text!], 'one-cpu.txt', { type: 'text/plain' }));
        dt.items.add(new File([new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1])], 'vmlinux.bin'));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      [dump],
    );
    await page.waitForSelector('tr[data-host="dropped/one-cpu.txt"]');
    expect(await page.textContent('#status')).toMatch(/^11 hosts loaded/);
    const show = JSON.parse((await runCli('show', '--json', join(REPO_ROOT, 'src/formats/cpuid-r/fixtures/one-cpu.txt'))).stdout);
    const row = (await cells('tr[data-host="dropped/one-cpu.txt"]'))[0]!;
    expect(row[1]).toBe(show.cpu.brand || show.cpu.vendor);
    expect(await page.textContent('#problems')).toMatch(/dropped\/vmlinux\.bin:1: expected text, not binary data/);
    expect(requests).toEqual([]);
  });

  it('keeps a host name or brand string containing markup inert', async () => {
    const dir = join(tmp, 'hostile');
    mkdirSync(dir);
    const j = JSON.parse(readFileSync(ATOM, 'utf8'));
    const brand = '<img src=x onerror="window.__pwned=1">'.padEnd(48, '\0');
    const regs: string[] = [];
    for (let k = 0; k < 48; k += 4) regs.push(`0x${[...brand.slice(k, k + 4)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).reverse().join('')}`);
    for (const [n, leaf] of ['0x80000002', '0x80000003', '0x80000004'].entries()) {
      const l = j.leaves.find((x: { leaf: string }) => x.leaf === leaf);
      [l.eax, l.ebx, l.ecx, l.edx] = regs.slice(n * 4, n * 4 + 4);
    }
    const name = '<script>window.__pwned=2;<b onmouseover=alert(1)>x.json';
    writeFileSync(join(dir, name), JSON.stringify(j));
    writeFileSync(join(dir, 'plain.json'), readFileSync(I7, 'utf8'));
    const hostile = await startDashboard({ webRoot, inputs: [dir], port: 0 });
    try {
      for (const view of ['fleet', 'heatmap', 'baseline', 'mask']) {
        await page.goto('about:blank');
        await page.goto(`${hostile.url}#${view}`);
        await page.waitForFunction(() => !document.getElementById('status')?.textContent?.startsWith('loading'));
        if (view === 'heatmap') await page.click('#heatmap td[data-i="0"][data-j="1"]');
        const text = await page.textContent('#view');
        expect(text, view).toContain(view === 'mask' || view === 'fleet' || view === 'baseline' ? `${dir}/${name}` : '<img src=x onerror="window.__pwned=1">');
        if (view === 'fleet') expect(text).toContain('<img src=x onerror="window.__pwned=1">');
        expect(await page.$$eval('img, script:not([src]), b[onmouseover], [onerror]', (els) => els.length), view).toBe(0);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), view).toBeUndefined();
      }
    } finally {
      await hostile.close();
    }
  });

  it('with a token: the printed URL opens the dashboard, requests without it get 401', async () => {
    const guarded = await startDashboard({ webRoot, inputs: [ex('seed-002')], port: 0, token: 'browser-token-1' });
    try {
      const bare = guarded.url.replace(/\?token=.*$/, '');
      const denied = await page.goto(bare);
      expect(denied?.status()).toBe(401);
      await page.goto(guarded.url);
      await page.waitForSelector('#fleet-table tbody tr');
      expect(await page.textContent('#status')).toMatch(/^2 hosts loaded/);
    } finally {
      await guarded.close();
    }
  });

  it('refuses a non-loopback bind without a token (the built CLI, exit code 2)', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin/openevc.cjs'), 'serve', '--host', '0.0.0.0', examples], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without --token/);
  });
});

// ---- the plan view ------------------------------------------------------------------------------

interface PlanJson {
  inventory: string;
  steps: { step: string; ok: boolean }[];
  clusters: { name: string; highestMode: string | null; notes: string[]; sequence: { action: string; summary: string; powerOff?: { vm: string }[] }[] }[];
  standalone: string[];
  migrationMap: { vms: string[]; canMoveTo: string[]; blocked: { hosts: string[]; fault: string; reason: string }[] }[];
  risks: { risks: { kind: string; severity: string; message: string }[] }[];
}

/** What the plan view shows, read from the page. */
const planShown = () =>
  page.evaluate(() => {
    const t = (e: Element | null | undefined) => e?.textContent ?? '';
    return {
      steps: [...document.querySelectorAll('#plan-steps li')].map((li) => [t(li.querySelector('.step')), li.getAttribute('data-ok') === 'true']),
      clusters: [...document.querySelectorAll<HTMLElement>('.plan-cluster')].map((c) => ({
        name: c.dataset.cluster,
        highest: t(c.querySelector('.highest')),
        notes: [...c.querySelectorAll(':scope > ul.notes li')].map(t),
        sequence: [...c.querySelectorAll<HTMLElement>('ol.sequence > li')].map((li) => [li.dataset.action, t(li.querySelector('.summary')), t(li.querySelector('.power-off .vms'))]),
      })),
      standalone: t(document.querySelector('#plan-standalone .names')),
      map: [...document.querySelectorAll('#migration-map tbody tr')].map((tr) => [t(tr.querySelector('.vms')), t(tr.querySelector('.can')), [...tr.querySelectorAll('.block')].map(t)]),
      risks: [...document.querySelectorAll('#plan-risks li.risk')].map((li) => `${li.getAttribute('data-kind')}: ${t(li)}`),
    };
  });

/** The same, from `openevc plan --json --risk`. */
function planExpected(j: PlanJson): Awaited<ReturnType<typeof planShown>> {
  return {
    steps: j.steps.map((s) => [s.step, s.ok]),
    clusters: j.clusters.map((c) => ({
      name: c.name,
      highest: c.highestMode ?? 'none',
      notes: c.notes,
      sequence: c.sequence.map((s) => [s.action, s.summary, (s.powerOff ?? []).map((p) => p.vm).join(', ')]),
    })),
    standalone: j.standalone.join(', '),
    map: j.migrationMap.map((g) => [g.vms.join(', '), g.canMoveTo.length ? g.canMoveTo.join(', ') : 'no host', g.blocked.map((b) => `${b.hosts.join(', ')}: ${b.fault}: ${b.reason}`)]),
    risks: j.risks.flatMap((r) => r.risks.map((x) => `${x.kind}: ${x.severity} ${x.message}`)),
  };
}

describe('plan view in Chromium', () => {
  const SEED0 = ex('inventory/seed-000.yaml');
  const cliPlan = async (...whatIf: string[]) => {
    const r = await runCli('plan', SEED0, '--json', '--risk', ...whatIf.flatMap((w) => ['--what-if', w]));
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as PlanJson;
  };

  it('an inventory openevc serve was given: the plan, migration map and risks equal openevc plan --json; what-if controls apply steps as --what-if does; reset', async () => {
    const served = await startDashboard({ webRoot, inputs: [SEED0], port: 0 });
    try {
      expect(served.files).toEqual([]);
      expect(served.inventories.map((f) => f.name)).toEqual([SEED0]);
      await page.goto('about:blank');
      await page.goto(served.url); // no hash: an inventory and no fleet open the plan
      await page.waitForSelector('#migration-map');
      expect(await page.textContent('#plan-title')).toContain(`Plan for ${SEED0}: 4 hosts, 6 VMs, 1 cluster`);
      const base = planExpected(await cliPlan());
      expect(base.map.length).toBeGreaterThan(0);
      expect(base.risks.length).toBeGreaterThan(0);
      expect(await planShown()).toEqual(base);

      // Add esx-04 to prod, try to enable intel-merom (refused: vCenter before 4.1), retire esx-01.
      await page.selectOption('#wi-add-host', 'esx-04');
      await page.selectOption('#wi-add-cluster', 'prod');
      await page.click('#wi-add');
      await page.selectOption('#wi-evc-verb', 'enable');
      await page.selectOption('#wi-evc-mode', 'intel-merom');
      await page.click('#wi-evc');
      await page.selectOption('#wi-retire', ['esx-01']);
      await page.click('#wi-retire-go');
      const after = planExpected(await cliPlan('add host esx-04 to prod', 'enable intel-merom', 'retire esx-01'));
      expect(after.steps).toEqual([['add host esx-04 to prod', true], ['enable intel-merom', false], ['retire esx-01', true]]);
      expect(after.clusters[0]!.sequence.length).toBeGreaterThan(1);
      expect(await planShown()).toEqual(after);

      // A power cycle from the VM control, then a step typed in; a bad step is refused and taken back.
      await page.selectOption('#wi-vm-verb', 'power-cycle');
      await page.selectOption('#wi-vm', 'web-01');
      await page.click('#wi-vm-go');
      await page.fill('#wi-step', 'retire no-such-host');
      await page.click('#wi-step-go');
      expect(await page.textContent('#plan-step-error')).toContain("retire no-such-host: no host 'no-such-host' in the inventory");
      expect(await planShown()).toEqual(planExpected(await cliPlan('add host esx-04 to prod', 'enable intel-merom', 'retire esx-01', 'power-cycle web-01')));

      await page.click('#wi-reset');
      expect(await planShown()).toEqual(base);
    } finally {
      await served.close();
    }
  });

  it('an inventory dropped with the files it names; markup in host and VM names stays inert', async () => {
    await open('plan');
    expect(await page.textContent('#plan-empty')).toContain('No inventory yet');
    const vm = '<img/src=x/onerror=window.__pwned=1>';
    const host = '<script>window.__pwned=2</script>';
    const inventory = [
      'openevc: inventory',
      'version: 1',
      'clusters: [{ name: "<b>prod</b>", evc: intel-merom }]',
      'hosts:',
      `  - { name: "${host}", cluster: "<b>prod</b>", cpuid: dumps/esx-01-xeon-e5310.json }`,
      '  - { name: esx-b, cluster: "<b>prod</b>", cpuid: dumps/esx-01-xeon-e5310.json }',
      'vms:',
      `  - { name: "${vm}", host: "${host}", power: on }`,
    ].join('\n');
    const dump = readFileSync(ex('seed-000/esx-01-xeon-e5310.json'), 'utf8');
    await page.evaluate(
      ([inv, d]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([inv!], 'hostile.yaml', { type: 'text/yaml' }));
        dt.items.add(new File([d!], 'esx-01-xeon-e5310.json', { type: 'application/json' }));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      [inventory, dump],
    );
    await page.waitForSelector('#migration-map');
    const text = await page.textContent('#view');
    expect(text).toContain(`Plan for dropped/hostile.yaml`);
    expect(await page.textContent('#migration-map tbody tr .vms')).toBe(vm);
    expect(await page.textContent('#migration-map tbody tr .can')).toBe(`${host}, esx-b`);
    expect(await page.$$eval('.plan-cluster', (cs) => cs.map((c) => c.getAttribute('data-cluster')))).toEqual(['<b>prod</b>']);
    // The what-if controls carry the names as option values and text.
    await page.selectOption('#wi-vm', vm);
    await page.click('#wi-vm-go');
    expect(await page.textContent('#plan-steps')).toContain(`power-cycle ${vm}: done`);
    expect(await page.$$eval('#view img, #view script, #view b', (els) => els.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The dump joined the fleet too; the inventory is no refused input.
    expect(await page.textContent('#problems')).not.toContain('hostile.yaml');
  });

  it('a KVM-family cluster: the CPU model per tool and the VMs to restart, as openevc plan --json says', async () => {
    const dir = join(tmp, 'kvm');
    mkdirSync(dir, { recursive: true });
    const inv = join(dir, 'pve.yaml');
    writeFileSync(
      inv,
      ['openevc: inventory', 'version: 1', 'clusters: [{ name: pve, platform: proxmox }]', 'hosts:', `  - { name: pve-1, cluster: pve, cpuid: ${ex('cluster/esx-11-xeon-e5-2650v3.json')} }`, `  - { name: pve-2, cluster: pve, cpuid: ${ex('cluster/esx-12-xeon-e5-2650v4.json')} }`, 'vms:', '  - { name: a, host: pve-1 }', '  - { name: b, host: pve-2 }', ''].join('\n'),
    );
    const served = await startDashboard({ webRoot, inputs: [inv], port: 0 });
    try {
      await page.goto('about:blank');
      await page.goto(`${served.url}#plan`);
      await page.waitForSelector('.plan-cluster .kvm');
      const k = (JSON.parse((await runCli('plan', inv, '--json')).stdout) as { clusters: { kvm: { model: string; extra: string[]; disabled: string[]; settings: Record<string, string>; restart: { vm: string }[] } }[] }).clusters[0]!.kvm;
      expect(await page.textContent('.kvm .model')).toBe(`${k.model}${k.extra.length ? ` +${k.extra.join(' +')}` : ''}${k.disabled.length ? ` -${k.disabled.join(' -')}` : ''}`);
      expect(await page.$$eval('.kvm table.settings tr', (trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]))).toEqual(Object.entries(k.settings));
      expect(await page.textContent('.kvm .restart')).toBe(k.restart.length ? k.restart.map((r) => r.vm).join(', ') : 'none');
    } finally {
      await served.close();
    }
  });
});

