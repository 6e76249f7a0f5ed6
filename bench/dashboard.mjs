/* global document */
/**
 * The dashboard's benchmark (part of `npm run bench`, not a test): how long after the page starts
 * loading its heatmap is on screen, in headless Chromium, for 500 hosts and for 5,000 hosts
 * (grouped: hosts with identical feature sets share a heatmap row), and the page's JavaScript in
 * KB gzip. Targets: 500 hosts within 1 s, 5,000 within 2 s.
 *
 * Fleets are synthetic (bench/fleet.mjs): real CPUs with a few capability bits cleared, the way
 * firmware, microcode and masks make clusters drift; each distinct CPU is copied onto several
 * hosts, as clusters buy servers in batches. Needs a build (npm run build) and Debian's chromium.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startDashboard } from '../dist/node/serve.js';
import { launchBrowser } from '../web/test/browser.mjs';
import { distinctVariants, intelSources, writeFleet } from './fleet.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.OPENEVC_SHARED ?? join(root, '..', 'shared');
const webRoot = join(root, 'dist', 'web');
const ROUNDS = 3;

/** `hosts` hosts made of `distinct` CPUs, each on hosts/distinct hosts. */
function fleet(tmp, hosts, distinct) {
  const variants = distinctVariants(intelSources(root, shared), distinct, 7);
  const dumps = Array.from({ length: hosts }, (_, i) => variants[i % distinct]);
  const dir = join(tmp, `fleet-${hosts}`);
  writeFleet(dir, dumps);
  return dir;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// The page's JavaScript: what index.html loads, and what it loads later (the Plan tab's chunks).
const js = readdirSync(join(webRoot, 'assets')).filter((f) => f.endsWith('.js'));
const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
const size = (files) => ({
  bytes: files.reduce((n, f) => n + readFileSync(join(webRoot, 'assets', f)).length, 0),
  gzip: files.reduce((n, f) => n + gzipSync(readFileSync(join(webRoot, 'assets', f)), { level: 9 }).length, 0),
});
const initial = size(js.filter((f) => html.includes(f)));
const later = size(js.filter((f) => !html.includes(f)));

const tmp = mkdtempSync(join(tmpdir(), 'openevc-bench-dash-'));
const browser = await launchBrowser();
const rows = [];
try {
  for (const [hosts, distinct, target] of [
    [500, 50, 1000],
    [5000, 150, 2000],
  ]) {
    const dir = fleet(tmp, hosts, distinct);
    const dash = await startDashboard({ webRoot, inputs: [dir], port: 0 });
    const times = [];
    let groups = 0;
    for (let r = 0; r < ROUNDS + 1; r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${dash.url}#heatmap`);
      await page.waitForFunction(() => document.body.dataset.heatmapReady !== undefined, null, { timeout: 60_000 });
      // Milliseconds from the start of navigation to the heatmap in the DOM, as the page measured it.
      const ms = Number(await page.evaluate(() => document.body.dataset.heatmapReady));
      groups = await page.locator('#heatmap th.rowhead').count();
      if (r > 0) times.push(ms); // the first round warms the browser's caches and the disk
      await page.close();
    }
    await dash.close();
    const m = median(times);
    rows.push({ hosts, groups, ms: m, target, ok: m <= target });
  }
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}

console.log('\nDashboard in headless Chromium: time from navigation to the heatmap on screen (median of 3 after a warm-up)\n');
for (const r of rows) console.log(`  ${String(r.hosts).padStart(5)} hosts (${r.groups} distinct CPUs)  ${String(Math.round(r.ms)).padStart(5)} ms   target ≤ ${r.target} ms  ${r.ok ? 'ok' : 'MISSED'}`);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`  page JavaScript: ${kb(initial.bytes)}, ${kb(initial.gzip)} gzip at load; ${kb(later.bytes)}, ${kb(later.gzip)} gzip when the Plan tab is first opened (${js.length} file${js.length === 1 ? '' : 's'})`);
