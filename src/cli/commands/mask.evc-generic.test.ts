/**
 * `openevc mask --evc MODE` with no hosts: the generic per-VM lines of seed 002's TL;DR, checked
 * against the seed's own eight Westmere lines (the fixture src/formats/vmx/fixtures/seed002-westmere.vmx).
 * With hosts, an --evc mask hides everything the mode's own mask hides, compared at vMotion or not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { getEvcMode } from '../../core/evc.js';
import { charAt } from '../../core/masks/engine.js';
import { VmxDocument } from '../../formats/vmx/document.js';
import { readVmxCpu } from '../../formats/vmx/cpu.js';
import { runCli } from '../../test-support/cli.js';
import { REPO_ROOT } from '../../test-support/shared.js';
import { linesMask } from '../../test-support/targets.js';

const seedMask = () => readVmxCpu(VmxDocument.parse(readFileSync(join(REPO_ROOT, 'src', 'formats', 'vmx', 'fixtures', 'seed002-westmere.vmx'), 'utf8'), 'tldr')).mask;

/** Every catalog capability the seed's lines set to 0, with its register and bit. */
function seedFeatureZeros() {
  const out: { leaf: number; reg: 'eax' | 'ebx' | 'ecx' | 'edx'; bit: number; id: string }[] = [];
  for (const r of seedMask().list()) {
    for (let bit = 0; bit < 32; bit++) {
      const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
      if (charAt(r.bits, bit) === '0' && f?.kind === 'feature') out.push({ leaf: r.leaf, reg: r.reg, bit, id: f.id });
    }
  }
  return out;
}

describe('openevc mask --evc MODE with no hosts', () => {
  it('intel-westmere, vmx: its zeros cover every real feature the seed\'s eight lines set to 0', async () => {
    const r = await runCli('mask', '--evc', 'intel-westmere');
    expect(r.code, r.stderr).toBe(0);
    const mask = linesMask(r.stdout);
    const zeros = seedFeatureZeros();
    expect(zeros.length).toBeGreaterThan(40);
    for (const z of zeros) expect(charAt(mask.effective(z.leaf, 0, z.reg, 'intel'), z.bit), z.id).toBe('0');
    // TSC-deadline in particular (1.ecx bit 24), which vSphere does not compare.
    expect(charAt(mask.effective(1, 0, 'ecx', 'intel'), 24)).toBe('0');
    expect(r.stderr).toMatch(/no hosts given/);
  });

  it('intel-westmere, vmx: hides nothing the mode includes (every bit the seed leaves `-` that the mode gives stays `-`)', async () => {
    const mask = linesMask((await runCli('mask', '--evc', 'intel-westmere')).stdout);
    const mode = getEvcMode('intel-westmere')!;
    const given = mode.features.union(mode.passes);
    let checked = 0;
    for (const f of given) {
      if (f.loc.type !== 'cpuid' || f.loc.subleaf !== 0) continue;
      expect(charAt(mask.effective(f.loc.leaf, 0, f.loc.reg, 'intel'), f.loc.bit), f.id).toBe('-');
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    // and every bit the seed passes (`-`) at a catalog feature the mode gives is passed
    for (const r of seedMask().list()) {
      for (let bit = 0; bit < 32; bit++) {
        const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
        if (f && given.has(f)) expect(charAt(r.bits, bit), f.id).toBe('-');
      }
    }
  });

  it('govc and powercli set the same lines as vmx; featmask hides by VMware key', async () => {
    const vmx = (await runCli('mask', '--evc', 'intel-westmere')).stdout;
    const lines = vmx.trim().split('\n').map((l) => /^(cpuid\.\S+) = "(.{32})"$/.exec(l)!);
    const govc = (await runCli('mask', '--evc', 'intel-westmere', '--format', 'govc')).stdout;
    const pcli = (await runCli('mask', '--evc', 'intel-westmere', '--format', 'powercli')).stdout;
    for (const m of lines) {
      expect(govc).toContain(`-e '${m[1]}=${m[2]}'`);
      expect(pcli).toContain(`-Name '${m[1]}' -Value '${m[2]}'`);
    }
    const fm = await runCli('mask', '--evc', 'intel-westmere', '--format', 'featmask');
    expect(fm.code, fm.stderr).toBe(0);
    expect(fm.stdout).toContain('featMask.vm.cpuid.intel = "Min:1"');
    expect(fm.stdout).toContain('featMask.vm.cpuid.aes = "Val:1"');
    expect(fm.stdout).toMatch(/featMask\.vm\.cpuid\.avx = "Val:0"/i);
    expect(fm.stdout).toMatch(/featMask\.vm\.cpuid\.movbe = "Val:0"/i);
  });

  it('an AMD mode works too, and formats that need hosts say so', async () => {
    const amd = await runCli('mask', '--evc', 'amd-zen');
    expect(amd.code, amd.stderr).toBe(0);
    expect(amd.stdout).toMatch(/^cpuid\.7\.ebx = /m);
    const qemu = await runCli('mask', '--evc', 'intel-westmere', '--format', 'qemu');
    expect(qemu.code).toBe(2);
    expect(qemu.stderr).toMatch(/--format qemu needs hosts/);
    const none = await runCli('mask');
    expect(none.code).toBe(2);
  });
});

describe('openevc mask --evc MODE with hosts', () => {
  const seed = ['examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json'];
  it('hides what the mode\'s own mask hides although vSphere does not compare it: TSC-deadline under intel-westmere', async () => {
    const r = await runCli('mask', '--evc', 'intel-westmere', ...seed);
    expect(r.code, r.stderr).toBe(0);
    const mask = linesMask(r.stdout);
    expect(charAt(mask.effective(1, 0, 'ecx', 'intel'), 24)).toBe('0');
    expect(r.stderr).toMatch(/host-b-core-i7-3770\.json[^:]*: loses[\s\S]*?TSC-deadline/i);
    // the same lines as without hosts: a host added later presents the same baseline
    expect(r.stdout).toBe((await runCli('mask', '--evc', 'intel-westmere')).stdout);
  });
});
