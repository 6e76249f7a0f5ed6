/**
 * Synthetic fleets for the benchmarks: many *distinct* hosts derived from real ones.
 * Each variant is a real CPU (the InstLatx64 corpus when ../shared is there, else the example
 * fleet) with a few capability bits cleared, as firmware settings, microcode and hypervisor
 * masks do in real clusters. A seeded generator keeps runs comparable.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../dist/core/catalog.js';
import { decodeHost } from '../dist/core/host.js';
import { importText } from '../dist/formats/readers.js';
import { toCanonicalJson } from '../dist/formats/openevc-json/reader.js';

/** mulberry32: a small, fast, seeded PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real Intel CPU dumps to derive variants from. */
export function intelSources(root, shared) {
  const dumps = [];
  const add = (text, file) => {
    try {
      const d = importText(text, { file }).dump;
      if (decodeHost(d).id.vendor === 'intel') dumps.push(d);
    } catch {
      // unreadable sample: skip
    }
  };
  const corpus = join(shared, 'oracle', 'instlatx64', 'GenuineIntel');
  try {
    for (const f of readdirSync(corpus)) add(readFileSync(join(corpus, f), 'latin1'), f);
  } catch {
    for (const dir of ['seed-000', 'seed-002', 'cluster']) for (const f of readdirSync(join(root, 'examples', dir))) add(readFileSync(join(root, 'examples', dir, f), 'utf8'), f);
  }
  return dumps;
}

/** `n` distinct dumps: real CPUs with 0 to 4 capability bits cleared (no two alike). */
export function distinctVariants(sources, n, seed = 42) {
  const random = rng(seed);
  const seen = new Set();
  const out = [];
  let guard = 0;
  while (out.length < n && guard++ < n * 50) {
    const base = sources[Math.floor(random() * sources.length)];
    const d = base.clone({ ...base.source, label: `variant ${out.length}` });
    const set = [...catalog.decode(d)].filter((f) => f.kind === 'feature' && f.loc.type === 'cpuid');
    const clear = Math.floor(random() * 5);
    for (let k = 0; k < clear && set.length > 0; k++) {
      const f = set[Math.floor(random() * set.length)];
      const r = d.get(f.loc.leaf, f.loc.subleaf);
      if (r) d.set(f.loc.leaf, f.loc.subleaf, { ...r, [f.loc.reg]: (r[f.loc.reg] & ~(1 << f.loc.bit)) >>> 0 });
    }
    const key = Array.from(catalog.decode(d).words).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  if (out.length < n) throw new Error(`could only make ${out.length} distinct hosts`);
  return out;
}

/** Writes dumps as openevc JSON files into `dir` (created), returns the paths. */
export function writeFleet(dir, dumps) {
  mkdirSync(dir, { recursive: true });
  return dumps.map((d, i) => {
    const p = join(dir, `host-${String(i).padStart(5, '0')}.json`);
    writeFileSync(p, toCanonicalJson(d));
    return p;
  });
}
