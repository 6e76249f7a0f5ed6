/**
 * The fuzz suite (issue 10): random and damaged input through every importer and the CLI, the
 * `.vmx` kill-and-check loop, and the symbolic-link, ownership and lock cases of `vmx apply`.
 * In `npm test` each section runs a small fixed number of cases (tens of seconds on 2 cores);
 * `npm run fuzz` gives each section a time budget and writes the figures to a report
 * (src/test-support/fuzz.ts, scripts/fuzz.mjs).
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, OpenevcError } from '../core/errors.js';
import { decodeHost } from '../core/host.js';
import { IMPORTERS, importText } from '../formats/readers.js';
import { summarize } from '../report/host.js';
import { VmRunningError, applyVmxFile, maskLinesOf } from '../node/vmx-edit.js';
import { cliBundle } from '../test-support/cli-bundle.js';
import { count, newTally, note, report, repeat, rss } from '../test-support/fuzz.js';
import { mutatedText } from '../test-support/text-mutations.js';
import { REPO_ROOT, hasShared, shared } from '../test-support/shared.js';

const FORMATS_DIR = join(REPO_ROOT, 'src', 'formats');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const scratch = mkdtempSync(join(tmpdir(), 'openevc-fuzz-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function walk(dir: string, keep: (f: string) => boolean): string[] {
  let out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out.sort();
}

/** Real samples: every reader fixture of the repo, and (when there) a spread of ../shared's dumps. */
function samples(): { name: string; text: string }[] {
  const input = (f: string) => /\.(txt|json|xml|log|test)$/.test(f) && !/golden|expected|MANIFEST|README|COPYING|decoded/.test(f);
  const files = walk(FORMATS_DIR, (f) => f.includes('/fixtures/') && input(f) && !/\/(featmask|govc|powercli|xen|qemu|nova|kubevirt|proxmox|json|vmx|libvirt\/fixtures\/writer)\//.test(f));
  if (hasShared) {
    const every = (dir: string, step: number) => walk(shared('oracle', dir), input).filter((_, i) => i % step === 0);
    files.push(...every('cpuid-tool-samples', 1), ...every('instlatx64', 40), ...every('libvirt-cputestdata', 12), ...every('libcpuid-tests', 3));
  }
  return files.map((f) => ({ name: relative(REPO_ROOT, f), text: readFileSync(f, 'latin1') }));
}
const SAMPLES = samples();

/** One input through the library: a result or an InputError, in bounded time; anything else is a crash. */
function throughLibrary(text: string, format: string | undefined, tally: ReturnType<typeof newTally>, what: string): void {
  const start = performance.now();
  let code = 0;
  try {
    const r = importText(text, { file: 'fuzz.txt', ...(format ? { format } : {}) });
    summarize(decodeHost(r.dump), { file: 'fuzz.txt', format: r.format, cpus: r.cpus.length, diagnostics: r.diagnostics });
  } catch (e) {
    if (e instanceof InputError && /^fuzz\.txt(:\d+(:\d+)?)?: expected [^\n]+$/.test(e.message)) code = 2;
    else if (e instanceof OpenevcError) code = 2;
    else {
      code = 70;
      note(tally, 'crash', `${what}: ${String(e)}`);
    }
  }
  const ms = performance.now() - start;
  if (ms > 2000) note(tally, 'hang', `${what}: ${Math.round(ms)} ms`);
  count(tally, code, ms, what);
}

describe('fuzz: every importer, random text and damaged real samples', () => {
  it(`${SAMPLES.length} samples mutated, each read detected and as every format; random text too`, async () => {
    const tally = newTally();
    const formats = [undefined, ...IMPORTERS.map((i) => i.format)];
    const mutated = fc.tuple(fc.constantFrom(...SAMPLES), fc.nat()).chain(([s, seed]) => mutatedText(s.text).map((text) => ({ name: s.name, text, seed })));
    const random = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme-ascii', maxLength: 400 }));
    await repeat(60, () => {
      for (const { name, text } of fc.sample(mutated, 4)) for (const f of formats) throughLibrary(text, f, tally, `${name} as ${f ?? 'detected'}`);
      for (const text of fc.sample(random, 4)) for (const f of formats) throughLibrary(text, f, tally, `random text as ${f ?? 'detected'}`);
    });
    report('library', tally, true);
    expect(tally.crashes, tally.examples.join('\n')).toBe(0);
    expect(tally.hangs, tally.examples.join('\n')).toBe(0);
    expect(tally.exitCodes['2']).toBeGreaterThan(0);
    expect(tally.exitCodes['0']).toBeGreaterThan(0);
  });
});

/** Runs the CLI bundle in a child process, measuring its peak memory; kills it after `timeoutMs`. */
function runChild(args: readonly string[], timeoutMs: number, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string; rssKiB: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    const rssHook = "data:text/javascript,process.on('exit',()=>process.stderr.write('\\n@@rss '+process.resourceUsage().maxRSS+'\\n'))";
    const child = spawn(process.execPath, ['--import', rssHook, cliBundle(), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const killer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      const m = /@@rss (\d+)/.exec(stderr);
      resolve({ code, signal, stderr: stderr.replace(/\n@@rss \d+\n$/, ''), rssKiB: m ? Number(m[1]) : 0, timedOut });
    });
  });
}

describe('fuzz: the CLI on damaged real samples (child processes)', () => {
  it('exit 0, 1 or 2 with one-line errors, never a crash, a hang or more than 300 MB', async () => {
    const tally = newTally();
    const mutated = fc.tuple(fc.constantFrom(...SAMPLES), fc.constantFrom(['show', '--json'], ['show'], ['check'], ['baseline'], ['mask'], ['mask', '--json']));
    let n = 0;
    await repeat(10, async () => {
      const [sample, args] = fc.sample(mutated, 1)[0]!;
      const text = fc.sample(mutatedText(sample.text), 1)[0]!;
      const f = join(scratch, `cli-${n++ % 50}.txt`);
      writeFileSync(f, text, 'latin1');
      const other = join(REPO_ROOT, 'examples/seed-002/host-b-core-i7-3770.json');
      const argv: string[] = args[0] === 'show' ? [args[0], f, ...args.slice(1)] : [args[0], f, other, ...args.slice(1)];
      const start = performance.now();
      const r = await runChild(argv, 20_000);
      rss(tally, r.rssKiB);
      const what = `${args.join(' ')} on ${sample.name}`;
      if (r.timedOut) note(tally, 'hang', what);
      else if (r.code === 70 || r.code === null || /internal error|\n\s+at /.test(r.stderr)) note(tally, 'crash', `${what}: ${r.stderr}`);
      if (r.code === 2 && !/^openevc: [^\n]+\n/.test(r.stderr)) note(tally, 'crash', `${what}: error not on one line: ${r.stderr}`);
      if (r.rssKiB > 300 * 1024) note(tally, 'hang', `${what}: ${r.rssKiB} KiB`);
      count(tally, r.code ?? `signal ${r.signal}`, performance.now() - start, what);
    });
    report('cli', tally);
    expect(tally.crashes, tally.examples.join('\n')).toBe(0);
    expect(tally.hangs, tally.examples.join('\n')).toBe(0);
  });
});

const VMX = join(FORMATS_DIR, 'vmx', 'fixtures');
const MASK_LINE = 'cpuid.1.ecx = "--00-0---0----0-----------------"';

describe('fuzz: the .vmx kill-and-check loop', () => {
  it('vmx apply killed (SIGKILL) at a random moment leaves the old file or the new one, byte for byte; the next run cleans up', async () => {
    const tally = newTally();
    const names = readdirSync(VMX).filter((f) => f.endsWith('.vmx'));
    const masks = join(scratch, 'masks.txt');
    writeFileSync(masks, `${MASK_LINE}\n`);
    let n = 0;
    // How long an uninterrupted run takes here: kills land between half of it and a little past it,
    // so most of them hit the read, the edit, the write or the rename, not Node's start-up.
    let typical = 400;
    await repeat(6, async () => {
      const name = names[n % names.length]!;
      const dir = join(scratch, `kill-${n++}`);
      mkdirSync(dir);
      const file = join(dir, name);
      copyFileSync(join(VMX, name), file);
      const before = readFileSync(file);
      // The expected result: the same edit, done on a copy.
      const copy = join(dir, `expected-${name}`);
      copyFileSync(file, copy);
      let after: Buffer;
      try {
        applyVmxFile(copy, maskLinesOf([MASK_LINE]), {});
        after = readFileSync(copy);
      } catch {
        after = before; // the fixture refuses the edit: the file must stay as it is
      }
      rmSync(copy);
      for (const f of readdirSync(dir)) if (f.startsWith('expected-')) rmSync(join(dir, f));
      const r = await runChild(['vmx', 'apply', file, '--mask', masks], 20_000, Math.floor(typical * (0.5 + Math.random() * 0.6)));
      rss(tally, r.rssKiB);
      const now = readFileSync(file);
      if (!now.equals(before) && !now.equals(after)) note(tally, 'dataLoss', `${name}: neither the old nor the new content after ${r.signal ?? `exit ${r.code}`}`);
      if (r.code === 70 || (r.code !== null && r.code !== 0 && r.code !== 2)) note(tally, 'crash', `${name}: ${r.stderr}`);
      // Where the kill landed: before the rename (old content; a temporary file left when it hit the write) or after.
      const leftTemp = readdirSync(dir).some((f) => f.endsWith('.tmp'));
      const outcome = `${r.signal ?? `exit ${r.code}`}: ${now.equals(after) && !now.equals(before) ? 'new content' : 'old content'}${leftTemp ? ', temporary file left' : ''}`;
      // The next run finishes the job and leaves no temporary file behind.
      const t0 = performance.now();
      const again = await runChild(['vmx', 'apply', file, '--mask', masks], 20_000);
      if (again.code === 0) typical = (typical + (performance.now() - t0)) / 2;
      const final = readFileSync(file);
      if (again.code === 0 && !final.equals(after)) note(tally, 'dataLoss', `${name}: the run after a kill did not produce the edit`);
      if (readdirSync(dir).some((f) => f.endsWith('.tmp'))) note(tally, 'dataLoss', `${name}: a temporary file was left after the next run`);
      count(tally, outcome, 0, name);
      rmSync(dir, { recursive: true, force: true });
    });
    report('kill', tally);
    expect(tally.dataLoss, tally.examples.join('\n')).toBe(0);
    expect(tally.crashes, tally.examples.join('\n')).toBe(0);
  });
});

describe('fuzz: symbolic links, owners, modes and locks', () => {
  it('the edit lands on the file a link leads to, the link stays, owner/group/mode are kept, a lock of any kind refuses', async () => {
    const tally = newTally();
    const cases = fc.record({
      links: fc.integer({ min: 0, max: 2 }),
      relative: fc.boolean(),
      uid: fc.constantFrom(0, 1000, 4321, 65534),
      gid: fc.constantFrom(0, 100, 8765, 65534),
      mode: fc.constantFrom(0o600, 0o640, 0o644, 0o664, 0o444),
      lock: fc.constantFrom('none', 'none', 'file', 'directory', 'dangling link', 'link to directory', 'beside the target'),
    });
    let n = 0;
    await repeat(80, () => {
      const c = fc.sample(cases, 1)[0]!;
      const dir = join(scratch, `link-${n++}`);
      mkdirSync(join(dir, 'store'), { recursive: true });
      const target = join(dir, 'store', 'vm.vmx');
      copyFileSync(join(VMX, 'esxi-typical.vmx'), target);
      if (isRoot) chownSync(target, c.uid, c.gid);
      chmodSync(target, c.mode);
      let path = target;
      const links: [string, string][] = [];
      for (let i = 0; i < c.links; i++) {
        const link = join(dir, `link${i}.vmx`);
        const to = c.relative ? relative(dir, path) : path;
        symlinkSync(to, link);
        links.push([link, to]);
        path = link;
      }
      if (c.lock === 'file') writeFileSync(`${path}.lck`, '');
      else if (c.lock === 'directory') mkdirSync(`${path}.lck`);
      else if (c.lock === 'dangling link') symlinkSync(join(dir, 'nowhere'), `${path}.lck`);
      else if (c.lock === 'link to directory') symlinkSync(dir, `${path}.lck`);
      else if (c.lock === 'beside the target') mkdirSync(`${target}.lck`);
      const before = readFileSync(target);
      const what = JSON.stringify(c);
      let code = 0;
      try {
        const r = applyVmxFile(path, maskLinesOf([MASK_LINE]), {});
        if (c.lock !== 'none') note(tally, 'dataLoss', `${what}: written despite a lock`);
        if (!r.written || r.target !== target) note(tally, 'dataLoss', `${what}: not written to the target`);
      } catch (e) {
        code = 2;
        if (!(e instanceof VmRunningError) || c.lock === 'none') note(tally, 'crash', `${what}: ${String(e)}`);
        if (!readFileSync(target).equals(before)) note(tally, 'dataLoss', `${what}: changed although refused`);
      }
      for (const [link, to] of links) if (!lstatSync(link).isSymbolicLink() || readlinkSync(link) !== to) note(tally, 'dataLoss', `${what}: ${link} is no longer the link it was`);
      const st = statSync(target);
      if ((st.mode & 0o7777) !== c.mode || (isRoot && (st.uid !== c.uid || st.gid !== c.gid))) note(tally, 'dataLoss', `${what}: owner or mode changed`);
      count(tally, code, 0, what);
      rmSync(dir, { recursive: true, force: true });
    });
    report('links', tally, true);
    expect(tally.dataLoss, tally.examples.join('\n')).toBe(0);
    expect(tally.crashes, tally.examples.join('\n')).toBe(0);
  });
});
