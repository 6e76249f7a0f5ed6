/**
 * Synthetic fleets for the benchmarks, derived from real dumps (the InstLatx64 corpus when
 * ../shared is there, else the example fleet):
 * - distinctVariants: many *distinct* CPUs, each a real Intel CPU of any age with a few capability
 *   bits cleared (as firmware settings, microcode and hypervisor masks do). The worst case: every
 *   host its own CPU, a common set near empty, every host losing most of its features.
 * - serverFleet: what a data centre holds: hosts of a few server CPU generations, each dump with
 *   its own APIC IDs (no two files alike).
 * A seeded generator keeps runs comparable.
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

/** Writes dumps as openevc JSON files into `dir` (created), numbered from `first`; returns the paths. */
export function writeFleet(dir, dumps, first = 0) {
  mkdirSync(dir, { recursive: true });
  return dumps.map((d, i) => {
    const p = join(dir, `host-${String(first + i).padStart(5, '0')}.json`);
    writeFileSync(p, toCanonicalJson(d));
    return p;
  });
}

/** InstLatx64 dumps of eight Xeon generations, Haswell-EP to Granite Rapids (file name parts). */
const SERVER_CPUS = ['00306F2_HaswellEP2', '00406F1_BroadwellE_02', '0050654_SkylakeXeon_CPUID.', '0050656_CascadeLakeSP', '0050657_CascadeLakeXeon_', '00806F8_SapphireRapids', '00C06F2_EmeraldRapids', '00A06D1_GraniteRapids'];

/**
 * `n` hosts of a few server CPU models, in turn (the eight Xeons above, or the example cluster's
 * four without ../shared), each with its own initial APIC ID (leaf 0x1 EBX[31:24]) and x2APIC ID
 * (leaves 0xB and 0x1F EDX), as the dumps of different servers of one model differ.
 */
export function serverFleet(root, shared, n) {
  const server = serverMaker(root, shared);
  return Array.from({ length: n }, (_, i) => server(i));
}

/** The same `n` hosts written into `dir` a few thousand at a time (100,000 dumps are not held at once). */
export function writeServerFleet(dir, root, shared, n) {
  const server = serverMaker(root, shared);
  for (let first = 0; first < n; first += 5_000) {
    writeFleet(dir, Array.from({ length: Math.min(5_000, n - first) }, (_, k) => server(first + k)), first);
  }
}

/** Host `i` of the server fleet (see {@link serverFleet}). */
function serverMaker(root, shared) {
  const models = [];
  const corpus = join(shared, 'oracle', 'instlatx64', 'GenuineIntel');
  try {
    const files = readdirSync(corpus);
    for (const part of SERVER_CPUS) {
      const f = files.find((x) => x.includes(part));
      if (f) models.push(importText(readFileSync(join(corpus, f), 'latin1'), { file: f }).dump);
    }
  } catch {
    // no corpus: the example cluster below
  }
  if (models.length === 0) for (const f of readdirSync(join(root, 'examples', 'cluster')).sort()) models.push(importText(readFileSync(join(root, 'examples', 'cluster', f), 'utf8'), { file: f }).dump);
  return (i) => {
    const base = models[i % models.length];
    const d = base.clone({ ...base.source, label: `server ${i}` });
    const r1 = d.get(1, 0);
    d.set(1, 0, { ...r1, ebx: ((r1.ebx & 0x00ffffff) | ((i & 0xff) << 24)) >>> 0 });
    for (const leaf of [0xb, 0x1f]) {
      for (let sub = 0; sub < 8; sub++) {
        const r = d.get(leaf, sub);
        if (r) d.set(leaf, sub, { ...r, edx: i >>> 0 });
      }
    }
    return d;
  };
}
