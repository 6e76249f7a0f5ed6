/**
 * Oracle tests on real dumps from ../shared (read in place; nothing from there is copied
 * into the project): every InstLatx64 dump, the `cpuid -r` samples and the raw part of
 * libcpuid's test files.
 */
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { identify } from '../core/identity.js';
import { describeLeaves } from '../test-support/golden.js';
import { filesUnder, hasShared, shared } from '../test-support/shared.js';
import { importText } from './readers.js';


/** `| \`Vendor/file.txt\` | sig | brand | logical CPUs | layout | bytes |` rows of the oracle's MANIFEST. */
function manifestRows(): Map<string, { logical: string; layout: string }> {
  const rows = new Map<string, { logical: string; layout: string }>();
  const text = readFileSync(shared('oracle', 'MANIFEST.md'), 'utf8');
  for (const m of text.matchAll(/^\| `([^`]+_CPUID[^`]*\.txt)` \| [0-9A-F]{7} \| [^|]* \| ([^|]+) \| ([a-z-]+) \| \d+ \|$/gm)) {
    rows.set(m[1]!, { logical: m[2]!.trim(), layout: m[3]! });
  }
  return rows;
}

describe.skipIf(!hasShared)('InstLatx64 corpus (needs ../shared)', () => {
  const root = hasShared ? shared('oracle', 'instlatx64') : '';
  const files = hasShared ? filesUnder(root, (n) => n.endsWith('.txt') && n.includes('_CPUID')) : [];
  const manifest = hasShared ? manifestRows() : new Map();

  it('holds the 118 dumps the MANIFEST lists', () => {
    expect(files).toHaveLength(118);
    expect(manifest.size).toBe(118);
  });

  it('parses every dump; CPUID.1:EAX matches the signature in the file name; CPU counts match the MANIFEST', () => {
    const checked: string[] = [];
    for (const path of files) {
      const rel = relative(root, path);
      const text = readFileSync(path, 'latin1');
      const r = importText(text, { file: rel });
      expect(r.format, rel).toBe('instlatx64');
      const sig = basename(path).split('_')[0]!.slice(-7); // `<vendor><7 hex digits>_<codename>...`
      expect(identify(r.dump).signature.toString(16).toUpperCase().padStart(7, '0'), rel).toBe(sig);
      // Parser-level warnings (unplaceable 0xD lines, conflicting repeats) would mean a layout is misread.
      expect(r.diagnostics.filter((d) => !/disagree on features/.test(d.message)), rel).toEqual([]);

      const row = manifest.get(rel);
      expect(row, rel).toBeDefined();
      if (!/^\d+$/.test(row!.logical)) continue; // "1 / unmarked": the MANIFEST gives no count
      // Old AIDA64 dumps also list Hyper-Threading siblings as `CPUID Registers (CPU #N Virtual):`;
      // the MANIFEST counts only the other blocks, openevc keeps every logical CPU.
      const virtual = text.match(/^CPUID Registers \(CPU #\d+ Virtual\):/gm)?.length ?? 0;
      expect(r.cpus.length - virtual, rel).toBe(Number(row!.logical));
      checked.push(rel);
    }
    expect(checked.length).toBe(114);
  });

  it('places 0xD by content where 0xD.1 is missing (Ivy Bridge i7-3770K: 0xD.0 then 0xD.2)', () => {
    const r = importText(readFileSync(join(root, 'GenuineIntel', 'GenuineIntel00306A9_IvyBridge_CPUID.txt'), 'latin1'), { file: 'ivb' });
    for (const cpu of r.cpus) {
      expect(cpu.subleaves(0xd)).toEqual([0, 2]);
      expect(cpu.get(0xd, 2)).toMatchObject({ eax: 0x100, ebx: 0x240 });
    }
  });
});

describe.skipIf(!hasShared)('cpuid -r samples (needs ../shared)', () => {
  const samples = hasShared ? shared('oracle', 'cpuid-tool-samples') : '';

  it('the KVM guest sample: two CPUs, hypervisor bit set, KVMKVMKVM', () => {
    const r = importText(readFileSync(join(samples, 'kvm-guest-amd-epyc-a00f11.cpuid-r.txt'), 'utf8'), { file: 'kvm' });
    expect(r.format).toBe('cpuid-r');
    expect(r.cpus).toHaveLength(2);
    const id = identify(r.dump);
    expect(id.hypervisor).toBe(true);
    expect(id.hypervisorVendor).toBe('KVMKVMKVM');
    expect(id.signature).toBe(0xa00f11);
  });

  it('each `cpuid -r` rewrite of an InstLatx64 CPU #0 gives exactly the registers of that dump', () => {
    const rewrites = filesUnder(join(samples, 'instlatx64-cpu0-decoded'), (n) => n.endsWith('.cpuid-r.txt'));
    expect(rewrites).toHaveLength(6);
    for (const path of rewrites) {
      const name = basename(path).replace(/\.cpuid-r\.txt$/, '');
      const vendor = name.split('_')[0]!.slice(0, -7);
      const fromRaw = importText(readFileSync(path, 'utf8'), { file: name });
      const fromAida = importText(readFileSync(shared('oracle', 'instlatx64', vendor, `${name}.txt`), 'latin1'), { file: name });
      expect(fromRaw.format).toBe('cpuid-r');
      expect(fromRaw.cpus).toHaveLength(1);
      expect(describeLeaves(fromRaw.dump), name).toEqual(describeLeaves(fromAida.dump));
    }
  });
});

describe.skipIf(!hasShared)('libcpuid test dumps (needs ../shared)', () => {
  const root = hasShared ? shared('oracle', 'libcpuid-tests') : '';
  const tests = hasShared ? filesUnder(root, (n) => n.endsWith('.test')) : [];
  const SEPARATOR = '-'.repeat(80);

  it('parses the dump part of every test and matches family, model and stepping', () => {
    expect(tests).toHaveLength(45);
    const formats = new Map<string, number>();
    for (const path of tests) {
      const rel = relative(root, path);
      const text = readFileSync(path, 'latin1');
      const lines = text.split('\n');
      const sep = lines.indexOf(SEPARATOR);
      if (sep < 0) {
        // amd/bulldozer/kaveri-x4.test is an empty file upstream: it must be refused cleanly.
        expect(text, rel).toBe('');
        expect(() => importText(text, { file: rel })).toThrow(InputError);
        continue;
      }
      const r = importText(lines.slice(0, sep).join('\n'), { file: rel });
      formats.set(r.format, (formats.get(r.format) ?? 0) + 1);
      // Expected block: architecture, feature-level, purpose, family, model, stepping, extfamily, extmodel, ...
      const [family, model, stepping, extFamily, extModel] = lines.slice(sep + 4, sep + 9).map(Number);
      const eax = r.dump.get(1)!.eax;
      const id = identify(r.dump);
      expect([(eax >>> 8) & 0xf, (eax >>> 4) & 0xf, id.stepping, id.family, id.model], rel).toEqual([family, model, stepping, extFamily, extModel]);
    }
    expect(Object.fromEntries(formats)).toEqual({ instlatx64: 37, libcpuid: 7 });
  });
});
