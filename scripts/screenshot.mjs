/* global document */
/**
 * Screenshots of the dashboard, from the real page: `openevc serve` on the bundled example fleet,
 * opened in headless Chromium, one PNG per view in docs/img/ (the README shows the heatmap).
 * Needs a build (npm run build) and Debian's chromium.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync } from 'node:fs';
import { startDashboard } from '../dist/node/serve.js';
import { launchBrowser } from '../web/test/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'img');
mkdirSync(out, { recursive: true });
process.chdir(root);

const dash = await startDashboard({ webRoot: join(root, 'dist', 'web'), inputs: ['examples'] });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const go = async (hash) => {
    await page.goto('about:blank'); // a fresh page each time: a change of hash alone keeps the filter
    await page.goto(`${dash.url}#${hash}`);
  };
  const shot = async (name) => {
    await page.screenshot({ path: join(out, `dashboard-${name}.png`), fullPage: false });
    console.log(`docs/img/dashboard-${name}.png`);
  };
  await go('fleet');
  await page.waitForSelector('#fleet-table tbody tr');
  await shot('fleet');

  await go('heatmap');
  await page.waitForSelector('#heatmap td.cell');
  // The cell from the Core i7-3770 (Ivy Bridge) to the Atom C2750: seed 002's blocked direction.
  const rows = await page.locator('#heatmap th.rowhead').allTextContents();
  const i = rows.findIndex((t) => t.includes('3770'));
  const j = rows.findIndex((t) => t.includes('C2750'));
  await page.click(`#heatmap td[data-i="${i}"][data-j="${j}"]`);
  await page.waitForSelector('#blockers');
  await shot('heatmap');

  await go('baseline');
  await page.fill('#filter', 'cluster');
  await page.waitForSelector('#candidates button');
  await page.click('#candidates button[data-candidate^="evc:"]');
  await shot('baseline');

  await go('mask');
  await page.fill('#filter', 'seed-002');
  await page.waitForFunction(() => document.querySelector('#mask-output')?.textContent?.includes('cpuid.'));
  await shot('mask');

  await go('explain');
  await page.fill('#explain-input', readFileSync(join(root, 'src/report/explain/fixtures/vsphere-seed002-b-to-a.txt'), 'utf8'));
  await page.selectOption('#explain-vendor', 'intel');
  await page.click('#explain-go');
  await shot('explain');

  // The plan of seed 000 after adding the new E5420 host to the cluster (docs/img/plan.png).
  await go('plan');
  await page.waitForSelector('#migration-map');
  await page.selectOption('#wi-add-host', 'esx-04');
  await page.selectOption('#wi-add-cluster', 'prod');
  await page.click('#wi-add');
  await page.waitForSelector('#plan-steps');
  await page.screenshot({ path: join(out, 'plan.png'), fullPage: false });
  console.log('docs/img/plan.png');
} finally {
  await browser.close();
  await dash.close();
}
