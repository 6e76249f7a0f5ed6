import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { host } from '../../test-support/masks.js';
import { importOrInputError, inputErrorMessage, mutatedText, pathologicalInputs } from '../../test-support/text-mutations.js';
import { describeMask } from '../../core/masks/engine.js';
import { formatFeatValue } from '../featmask/syntax.js';
import { applyVmxCpu, readVmxCpu, vmxEffectiveMask, vmxRequirements } from './cpu.js';
import type { VmxCpu } from './cpu.js';
import { VmxDocument } from './document.js';
import { parseXenCpuid } from '../xen/syntax.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const cpuOf = (name: string): VmxCpu => readVmxCpu(VmxDocument.parse(new Uint8Array(readFileSync(join(FIXTURES, name))), name));
const cpuOfText = (text: string, file = 'vm.vmx'): VmxCpu => readVmxCpu(VmxDocument.parse(text, file));

/** Everything readVmxCpu found, as stable text. */
function render(cpu: VmxCpu): string {
  const out = ['== register masks (line: key -> target)'];
  for (const m of cpu.maskLines) out.push(`${m.line}: ${m.key} (${m.style}) ${m.bits}`);
  out.push('== featMask settings');
  for (const f of cpu.featMasks) {
    const t = f.entry.target;
    const what = t.kind === 'feature' ? `feature ${t.feature.id}` : t.kind === 'identity' ? `identity ${t.field}` : 'unknown';
    out.push(`${f.line}: ${f.key} = ${formatFeatValue(f.entry)} -> ${what}`);
  }
  out.push('== other CPU settings');
  for (const s of cpu.settings) out.push(`${s.line}: ${s.key} = "${s.value}" -- ${s.meaning}${s.unconfirmed ? ' (unconfirmed)' : ''}`);
  out.push('== diagnostics');
  for (const d of cpu.diagnostics) out.push(`${d.level} (line ${d.where?.line}): ${d.message}`);
  const effective = vmxEffectiveMask(cpu);
  out.push('== effective mask', describeMask(effective.mask).trimEnd());
  for (const c of effective.conflicts) out.push(`conflict: ${c.feature?.id ?? `bit ${c.bit}`} ${c.a}+${c.b} -> ${c.result}`);
  return `${out.join('\n')}\n`;
}

describe('.vmx CPU settings', () => {
  for (const name of ['esxi-typical', 'crlf-windows-1252', 'odd-quoting', 'per-vm-evc']) {
    it(`reads ${name}.vmx (golden)`, () => {
      expectGolden(render(cpuOf(`${name}.vmx`)), join(FIXTURES, `${name}.cpu.golden.txt`));
    });
  }

  it('never reads CPU settings that are not masks as masks', () => {
    const cpu = cpuOf('odd-quoting.vmx');
    expect(cpu.maskLines.map((m) => m.key)).toEqual(['cpuid.1.ecx', 'CPUID.80000001.ECX']);
    expect(cpu.settings.map((s) => s.key)).toEqual(['virtualHW.version', 'cpuid.7.0.ebx', 'cpuid.SS', 'cpuid.brandstring', 'numvcpus', 'guestOS']);
    expect(cpuOf('esxi-typical.vmx').settings.map((s) => s.key)).toEqual([
      'virtualHW.version',
      'numvcpus',
      'cpuid.coresPerSocket',
      'guestOS',
      'monitor_control.enable_fullcpuid',
      'vhv.enable',
      'vmx.reboot.powerCycle',
    ]);
  });

  it('applies vendor-specific masks on their vendor only', () => {
    const cpu = cpuOf('crlf-windows-1252.vmx');
    const onIntel = catalog.decode(applyVmxCpu(cpu, host(['sse3', 'ssse3', 'nx', 'lm'])));
    const onAmd = catalog.decode(applyVmxCpu(cpu, host(['sse3', 'ssse3', 'nx', 'lm'], 'AuthenticAMD', 0x00a20f10)));
    expect(onIntel.ids()).toEqual(['nx', 'lm']);
    expect(onAmd.ids()).toEqual(['nx', 'lm']);
    // ...but on AMD SSE3 is R (hidden, must match), so a vMotion destination must have it too.
    const amdSource = host(['sse3', 'nx', 'lm'], 'AuthenticAMD', 0x00a20f10);
    expect(vmxRequirements(cpu, amdSource).bits.filter((r) => r.because !== 'seen').map((r) => `${r.feature!.id}=${r.mustBe}:${r.because}`)).toEqual(['sse3=1:R']);
  });

  it('applies register masks and featMask settings together', () => {
    const cpu = cpuOf('esxi-typical.vmx');
    const guest = catalog.decode(applyVmxCpu(cpu, host(['ssse3', 'movbe', '3dnowprefetch', 'nx', 'lm'])));
    expect(guest.ids()).toEqual(['ssse3', 'nx', 'pdpe1gb', 'lm']); // MOVBE and PREFETCHW hidden, 1 GiB pages forced
    const reqs = vmxRequirements(cpu, host(['nx', 'lm']));
    expect(reqs.bits.map((r) => `${r.feature!.id}=${r.mustBe}:${r.because}`)).toEqual(['lm=1:seen', 'nx=1:H']);
  });

  it('reports a bad mask value at its line and column in the .vmx', () => {
    expect(inputErrorMessage(() => cpuOfText('a = "b"\n\ncpuid.1.ecx = "---------0-------Z--------------"\n', 'bad.vmx'))).toBe(
      'bad.vmx:3:33: expected a mask character (one of 0 1 - x T F R H r h), found "Z"',
    );
    expect(inputErrorMessage(() => cpuOfText('cpuid.1.ecx =   --------\n', 'bad.vmx'))).toMatch(/^bad\.vmx:1:17: expected 32 mask characters/);
    expect(inputErrorMessage(() => cpuOfText('x = 1\nfeatMask.vm.cpuid.AVX = "Val:yes"', 'bad.vmx'))).toBe(
      'bad.vmx:2:30: expected a decimal or 0x-hex number of at most 64 bits, found "yes"',
    );
  });

  it('damaged .vmx files fail only with InputErrors naming file:line:column (property)', () => {
    const base = readFileSync(join(FIXTURES, 'esxi-typical.vmx'), 'utf8') + readFileSync(join(FIXTURES, 'per-vm-evc.vmx'), 'utf8');
    let errors = 0;
    fc.assert(
      fc.property(mutatedText(base), (text) => {
        if (importOrInputError(() => cpuOfText(text, 'm.vmx'), 'm.vmx') === 'input-error') {
          errors++;
          expect(inputErrorMessage(() => cpuOfText(text, 'm.vmx'))).toMatch(/^m\.vmx:\d+:\d+: expected /);
        }
      }),
      { numRuns: 400 },
    );
    expect(errors).toBeGreaterThan(0);
  });
});

describe('.vmx and Xen readers on pathological input', () => {
  it('read 1 MB inputs built to catch super-linear parsing in well under 3 s each', () => {
    const prefixes = ['', 'cpuid.1.ecx = "', 'featMask.vm.cpuid.AVX = "Val:', 'cpuid = [ "1:ecx=', 'cpuid = "host,', 'k = '];
    let slowest = 0;
    for (const text of pathologicalInputs(prefixes)) {
      const start = performance.now();
      importOrInputError(() => cpuOfText(text, 'p.vmx'), 'p.vmx');
      importOrInputError(() => parseXenCpuid(text, 'p.cfg'), 'p.cfg');
      const doc = VmxDocument.parse(text, 'p.vmx');
      expect(doc.toString()).toBe(text);
      doc.set('cpuid.1.ecx', '-'.repeat(32));
      slowest = Math.max(slowest, performance.now() - start);
    }
    expect(slowest).toBeLessThan(3000);
  });
});
