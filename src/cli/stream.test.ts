/**
 * The streaming fleet pipeline (streamHosts, Fleet without dumps, fleetBaselineReport) against a
 * whole read written here the way the CLI read fleets before it streamed: every input read first,
 * duplicates found afterwards (real path; identical CPUID, by a key of its own, grouped), every host decoded and
 * kept, computeBaseline over all of them. `openevc baseline` must print the same bytes, on
 * standard output and standard error, on the examples and on generated fleets with duplicates,
 * links to the same file, broken and skipped files and mixed vendors and formats.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../core/catalog.js';
import type { CpuidDump } from '../core/cpuid.js';
import { InputError, NotADumpError, UsageError } from '../core/errors.js';
import type { Diagnostic } from '../core/errors.js';
import type { EvcMode } from '../core/evc.js';
import { Fleet } from '../core/fleet.js';
import { decodeHost } from '../core/host.js';
import { getProfile } from '../core/profiles.js';
import { allHosts } from '../formats/select-host.js';
import type { HostInput } from '../formats/select-host.js';
import type { FleetCluster, FleetVm } from '../formats/reader-types.js';
import { importText } from '../formats/readers.js';
import { toCanonicalJson } from '../formats/openevc-json/reader.js';
import { loadInput } from '../node/load.js';
import { baselineReport, fleetBaselineReport } from '../report/api/baseline.js';
import { DEFAULT_WIDTH, diagnosticLines } from '../report/text.js';
import { runCli } from '../test-support/cli.js';
import { REPO_ROOT } from '../test-support/shared.js';
import { duplicateDiagnostics, expandInputs, readHosts, skippedDiagnostics, streamHosts } from './inputs.js';
import type { Duplicate } from './inputs.js';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'openevc-stream-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The CPUID contents as text, sorted: a key of its own, independent of `contentKey`. */
function textKey(dump: CpuidDump): string {
  const parts = dump
    .list()
    .map((e) => `${e.leaf}.${e.subleaf}:${e.eax},${e.ebx},${e.ecx},${e.edx}`)
    .sort();
  return [...parts, ...[...dump.msrs].map(([k, v]) => `m${k}:${v}`).sort()].join(';');
}

/** `openevc baseline ARGS` as a whole read: what it printed before it streamed (successful runs). */
async function wholeRead(args: readonly string[], opts: { json: boolean; profile: string; long?: boolean }): Promise<{ stdout: string; stderr: string }> {
  const inputs = await expandInputs(args);
  const done: { hosts: HostInput[]; clusters: readonly FleetCluster[]; vms: readonly FleetVm[]; evcModes: readonly EvcMode[] }[] = [];
  const skipped: { file: string; why: string }[] = [];
  const failed: { file: string; message: string }[] = [];
  for (const path of inputs.paths) {
    try {
      const result = await loadInput(path);
      const f = result.fleet;
      done.push({ hosts: allHosts(result, { file: path }), clusters: f?.clusters ?? [], vms: f?.vms ?? [], evcModes: f?.evcModes ?? [] });
    } catch (e) {
      if (!(e instanceof InputError && inputs.fromDirectory.has(path))) throw e;
      if (e instanceof NotADumpError) skipped.push({ file: path, why: e.expected });
      else failed.push({ file: path, message: e.message });
    }
  }
  const hosts: HostInput[] = [];
  const duplicates: Duplicate[] = [];
  const seen = new Map<string, string[]>();
  const names = new Map<string, string>();
  const seenPaths = new Map<string, HostInput>();
  for (const h of done.flatMap((r) => r.hosts)) {
    let real: string | undefined;
    try {
      real = h.file === '-' ? undefined : realpathSync(h.file.replace(/#[^/#]*$/, '')) + (/#[^/#]*$/.exec(h.file)?.[0] ?? '');
    } catch {
      real = undefined;
    }
    const samePath = real !== undefined ? seenPaths.get(real) : undefined;
    if (samePath) {
      duplicates.push({ file: h.file, of: samePath.file, why: 'the same file' });
      continue;
    }
    if (real !== undefined) seenPaths.set(real, h);
    const key = textKey(h.dump);
    // The same name (HOST of FILE#HOST; else the file name to its first dot, #N kept) with identical CPUID: the same host.
    const [, path, part] = /^(.*?)(?:#([^/#]*))?$/.exec(h.file)!;
    const stem = path!.split('/').pop()!.replace(/^(.[^.]*)\..*$/, '$1');
    const name = part === undefined ? stem : /^[1-9]\d*$/.test(part) ? `${stem}#${part}` : part;
    const sameHost = (seen.get(key) ?? []).find((f) => names.get(f) === name);
    if (sameHost !== undefined) {
      duplicates.push({ file: h.file, of: sameHost, why: 'the same host' });
      continue;
    }
    names.set(h.file, name);
    seen.set(key, [...(seen.get(key) ?? []), h.file]);
    hosts.push(h);
  }
  // Identical CPUID from different files: each a host, said once per group.
  const identical = [...seen.values()].filter((files) => new Set(files.map((f) => f.replace(/#[^/#]*$/, ''))).size > 1).map((files) => ({ files }));
  if (hosts.length === 0) throw new UsageError('no host (the whole read expects a successful run)');
  const passedOver = inputs.passedOver ?? [];
  let stderr = diagnosticLines([...skippedDiagnostics(skipped, failed, passedOver), ...duplicateDiagnostics(duplicates, identical)]);
  stderr += diagnosticLines(hosts.flatMap((l) => l.diagnostics.filter((d) => d.level !== 'info').map((d): Diagnostic => (d.where ? d : { ...d, where: { file: l.file } }))));
  const evcModes = done.flatMap((r) => r.evcModes);
  const report = baselineReport(
    hosts.map((l) => decodeHost(l.dump)),
    {
      profile: getProfile(opts.profile),
      ...(evcModes.length > 0 ? { loadedModes: evcModes } : {}),
      names: hosts.map((l) => l.file),
      clusters: done.flatMap((r) => r.clusters),
      vms: done.flatMap((r) => r.vms),
      long: opts.long ?? false,
      width: DEFAULT_WIDTH,
      passedOver: [...passedOver, ...skipped].map((s) => ({ path: s.file, why: s.why })),
      duplicates: duplicates.map((d) => ({ path: d.file, same_as: d.of, why: d.why })),
    },
  );
  return { stdout: opts.json ? `${JSON.stringify(report.json, null, 2)}\n` : `${report.text}\n`, stderr };
}

async function expectSameAsWholeRead(args: readonly string[]): Promise<void> {
  for (const profile of ['esxi', 'kvm', 'raw']) {
    for (const [json, long] of [
      [true, false],
      [false, false],
      [false, true],
    ] as const) {
      const flags = [...(json ? ['--json'] : []), ...(long ? ['--long'] : []), '--profile', profile];
      const streamed = await runCli('baseline', ...flags, ...args);
      expect(streamed.code, streamed.stderr).toBe(0);
      const whole = await wholeRead(args, { json, profile, long });
      expect(streamed.stdout, `${flags.join(' ')} stdout`).toBe(whole.stdout);
      expect(streamed.stderr, `${flags.join(' ')} stderr`).toBe(whole.stderr);
    }
  }
}

/** mulberry32: seeded, so that a failing fleet can be made again. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const exampleDumps = ['seed-000', 'seed-002', 'cluster', 'amd'].flatMap((d) =>
  readdirSync(ex(d))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => importText(readFileSync(join(ex(d), f), 'utf8'), { file: f }).dump),
);

/** A variant of a real dump: a few capability bits cleared (firmware settings, microcode, masks). */
function variant(random: () => number, n: number): CpuidDump {
  const base = exampleDumps[Math.floor(random() * exampleDumps.length)]!;
  const d = base.clone({ ...base.source, label: `variant ${n}` });
  const set = [...catalog.decode(d)].filter((f) => f.kind === 'feature' && f.loc.type === 'cpuid');
  const clear = Math.floor(random() * 4);
  for (let k = 0; k < clear && set.length > 0; k++) {
    const f = set[Math.floor(random() * set.length)]!;
    if (f.loc.type !== 'cpuid') continue;
    const r = d.get(f.loc.leaf, f.loc.subleaf);
    if (r) d.set(f.loc.leaf, f.loc.subleaf, { ...r, [f.loc.reg]: (r[f.loc.reg] & ~(1 << f.loc.bit)) >>> 0 });
  }
  return d;
}

/**
 * A fleet folder: `n` openevc JSON hosts (some CPUs repeated, some files copied under another name),
 * the mixed-format example fleet (cpuid text, kubevirt, a govc export with clusters and VMs), an
 * RVTools workbook, the AMD examples, links to a file and to a directory already walked, a broken file, a README.
 */
function fleetFolder(seed: number, n: number): { dir: string; named: string[] } {
  const random = rng(seed);
  const dir = tmp();
  mkdirSync(join(dir, 'json'));
  const written: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = join(dir, 'json', `host-${String(i).padStart(4, '0')}.json`);
    if (written.length > 0 && random() < 0.25) copyFileSync(written[Math.floor(random() * written.length)]!, p);
    else writeFileSync(p, toCanonicalJson(variant(random, i)));
    written.push(p);
  }
  cpSync(ex('fleet'), join(dir, 'fleet'), { recursive: true });
  cpSync(ex('amd'), join(dir, 'amd'), { recursive: true });
  // A workbook among them: read while the JSON files after it are (it keeps its own copy of its bytes).
  copyFileSync(join(REPO_ROOT, 'src', 'formats', 'rvtools', 'fixtures', 'rvtools-export.xlsx'), join(dir, 'json', 'host-0000-rvtools.xlsx'));
  symlinkSync(join(dir, 'json', 'host-0001.json'), join(dir, 'link-to-1.json'));
  symlinkSync(join(dir, 'amd'), join(dir, 'amd-again'));
  writeFileSync(join(dir, 'json', 'zz-broken.json'), '{ "openevc": "cpuid", "version": 1, "leaves": [ {\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a dump\n');
  writeFileSync(join(dir, '.hidden'), 'x\n');
  // Named besides the folder: a file again, and a host of the govc export.
  return { dir, named: [written[2]!, join(dir, 'fleet', 'vcenter-prod.govc.json')] };
}

describe('openevc baseline streams its inputs and prints what the whole read printed', () => {
  it('on the examples (mixed formats and vendors, fleet exports, inventories)', async () => {
    await expectSameAsWholeRead([join(REPO_ROOT, 'examples')]);
    await expectSameAsWholeRead([ex('cluster'), ex('seed-002'), ex('seed-002/host-a-atom-c2750.json')]);
  });

  it('on generated fleets with duplicates, links, broken and skipped files', async () => {
    for (const [seed, n] of [
      [1, 40],
      [7, 120],
    ] as const) {
      const { dir, named } = fleetFolder(seed, n);
      await expectSameAsWholeRead([dir, ...named]);
      await expectSameAsWholeRead([join(dir, 'json'), join(dir, 'json')]);
    }
  }, 120_000);

  it('more hosts than are read ahead, one CPU repeated: the fleet keeps one entry and no dump', async () => {
    const dir = tmp();
    const dump = exampleDumps[0]!;
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `h${String(i).padStart(2, '0')}.json`), toCanonicalJson(dump.clone({ ...dump.source, label: `copy ${i}` })));
    const fleet = new Fleet({ keepDumps: false });
    const read = await streamHosts(await expandInputs([dir]), {}, (h) => fleet.add(decodeHost(h.dump)));
    // Identical CPUID: 60 hosts of one CPU, one group; the fleet keeps one entry, without its dump.
    expect(read.hosts).toBe(60);
    expect(read.duplicates).toHaveLength(0);
    expect(read.identical?.map((g) => g.files.length)).toEqual([60]);
    expect(fleet.size).toBe(60);
    expect(fleet.representatives().map((h) => h.dump.size)).toEqual([0]);
    await expectSameAsWholeRead([dir]);
  });
});

describe('streamHosts', () => {
  it('hands hosts over in input order, reading a bounded number of files ahead of the fold', async () => {
    // Each file is written only when the host two dozen places before it is handed over: reading
    // everything first (or more than that far ahead) would find it missing.
    const dir = tmp();
    const dump = exampleDumps[0]!;
    // One CPU, each host with its own initial APIC ID (leaf 0x1 EBX[31:24]): distinct CPUID, no duplicate.
    const text = (i: number) => {
      const d = dump.clone({ ...dump.source, label: `host ${i}` });
      const r = d.get(1, 0)!;
      d.set(1, 0, { ...r, ebx: ((r.ebx & 0x00ffffff) | (i << 24)) >>> 0 });
      return toCanonicalJson(d);
    };
    const paths = Array.from({ length: 100 }, (_, i) => join(dir, `h${i}.json`));
    for (let i = 0; i < 24; i++) writeFileSync(paths[i]!, text(i));
    const seen: string[] = [];
    let k = 0;
    const r = await streamHosts({ paths, fromDirectory: new Set() }, {}, (h) => {
      seen.push(h.file);
      if (k + 24 < paths.length) writeFileSync(paths[k + 24]!, text(k + 24));
      k++;
    });
    expect(seen).toEqual(paths);
    expect(r.hosts).toBe(100);
    expect(r.duplicates).toEqual([]);
  });

  it('the first error in input order wins, whatever is read ahead', async () => {
    const dir = tmp();
    const good = ex('seed-002/host-a-atom-c2750.json');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "openevc": "cpuid", "version": 1, "leaves": [ {\n');
    const missing = join(dir, 'missing.json');
    const a = await runCli('baseline', good, broken, missing);
    const b = await runCli('baseline', good, missing, broken);
    expect(a.code).toBe(2);
    expect(b.code).toBe(2);
    expect(a.stderr).toContain('broken.json');
    expect(b.stderr).toContain('missing.json');
  });

  it('readHosts keeps what streamHosts hands over, with the same duplicates and notes', async () => {
    const { dir } = fleetFolder(3, 30);
    const inputs = await expandInputs([dir]);
    const handed: string[] = [];
    const streamed = await streamHosts(inputs, {}, (h) => handed.push(h.file));
    const whole = await readHosts(inputs);
    expect(whole.hosts.map((h) => h.file)).toEqual(handed);
    expect(whole.duplicates).toEqual(streamed.duplicates);
    expect(whole.skipped).toEqual(streamed.skipped);
    expect(whole.failed).toEqual(streamed.failed);
  });

  it('a file removed after the walk is reported as missing, as before', async () => {
    const dir = tmp();
    copyFileSync(ex('seed-002/host-a-atom-c2750.json'), join(dir, 'a.json'));
    copyFileSync(ex('seed-002/host-b-core-i7-3770.json'), join(dir, 'b.json'));
    const inputs = await expandInputs([dir]);
    unlinkSync(join(dir, 'b.json'));
    const r = await streamHosts(inputs, {}, () => {});
    expect(r.hosts).toBe(1);
    expect(r.failed?.map((f) => f.file)).toEqual([join(dir, 'b.json')]);
  });
});

describe('fleetBaselineReport', () => {
  it('equals baselineReport over the same hosts (JSON and text), the fleet holding no dump', () => {
    const random = rng(11);
    const hosts = Array.from({ length: 80 }, (_, i) => decodeHost(i % 3 === 0 && i > 0 ? exampleDumps[i % exampleDumps.length]! : variant(random, i)));
    const names = hosts.map((_, i) => `h${i}`);
    const fleet = new Fleet({ keepDumps: false });
    for (const h of hosts) fleet.add(h);
    for (const profile of ['esxi', 'kvm', 'raw']) {
      const a = fleetBaselineReport(fleet, { profile, names, long: true });
      const b = baselineReport(hosts, { profile, names, long: true });
      expect(JSON.stringify(a.json)).toBe(JSON.stringify(b.json));
      expect(a.text).toBe(b.text);
    }
    expect(fleet.representatives().every((h) => h.dump.size === 0)).toBe(true);
  });
});
