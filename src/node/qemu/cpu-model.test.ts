import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { InputError } from '../../core/errors.js';
import { skipQemu } from '../../test-support/qemu.js';
import { removeProbeBuilds } from './guest/build.js';
import { bootProbe, startProbeGuest } from './boot.js';
import { expandWithQemu, parseCpuOption, qemuFeature, tcgSupportedFeatures } from './cpu-model.js';
import { readRunningCpu } from './migrate.js';
import { connectWhenReady } from './qmp.js';

afterAll(removeProbeBuilds);

describe('-cpu strings', () => {
  it('applies name=value in order, then +feature, then -feature, as QEMU does', () => {
    expect(parseCpuOption('Westmere')).toEqual({ text: 'Westmere', model: 'Westmere', props: {} });
    expect(parseCpuOption('Westmere,-aes,aes=on').props).toEqual({ aes: false });
    expect(parseCpuOption('Westmere,aes=off,+aes').props).toEqual({ aes: true });
    expect(parseCpuOption('Westmere,+aes,-aes').props).toEqual({ aes: false });
    expect(parseCpuOption('Westmere,aes=off,aes=on').props).toEqual({ aes: true });
    expect(parseCpuOption('Haswell,avx2,pcid=off,level=13,xlevel=0x8000000a,model-id=Test CPU').props).toEqual({
      avx2: true,
      pcid: false,
      level: 13,
      xlevel: 0x8000000a,
      'model-id': 'Test CPU',
    });
  });

  it('refuses what QEMU would not parse, naming the part', () => {
    const err = (s: string) => {
      try {
        parseCpuOption(s);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error(`accepted ${s}`);
    };
    expect(err(',aes')).toBe('-cpu ,aes: expected a CPU model name first (e.g. Westmere), found nothing');
    expect(err('Westmere,+')).toBe('-cpu Westmere,+: expected a property name after + or -, found "+"');
    expect(err('Westmere,=on')).toBe('-cpu Westmere,=on: expected a property as +name, -name, name=value or name, found "=on"');
    expect(err('Westmere,,aes')).toMatch(/found nothing$/);
  });

  it("maps QEMU's property names through the catalog's qemu column only", () => {
    expect(qemuFeature('sse4.1')?.id).toBe('sse4_1');
    expect(qemuFeature('sse4_1')?.id).toBe('sse4_1');
    expect(qemuFeature('pni')?.id).toBe('sse3');
    expect(qemuFeature('tsc-deadline')?.id).toBe('tsc_deadline_timer');
    expect(qemuFeature('vmx-ept')?.id).toBe('vmx_ept');
    // Legacy aliases that mirror a canonical property, and non-feature properties, map to nothing.
    for (const p of ['i64', 'xd', 'pclmuldq', 'migratable', 'check', 'enforce', 'pmu', 'kvm', 'hv-relaxed']) expect(qemuFeature(p), p).toBeUndefined();
  });
});

describe.skipIf(skipQemu)("QEMU's own view of CPU models (needs qemu-system-x86_64 and nasm)", () => {
  it('derives what TCG emulates from QEMU (model max), not from a list', async () => {
    const tcg = await tcgSupportedFeatures();
    for (const id of ['sse4_2', 'aes', 'pclmulqdq', 'avx', 'avx2', 'bmi1', 'bmi2', 'movbe', 'lm', 'nx', 'syscall', 'arat']) expect(tcg.has(id), id).toBe(true);
    for (const id of ['pcid', 'x2apic', 'invpcid', 'rtm', 'hle', 'avx512f', 'vmx']) expect(tcg.has(id), id).toBe(false);
    // Cached per process, and a copy each time.
    const again = await tcgSupportedFeatures();
    again.delete('aes');
    expect((await tcgSupportedFeatures()).has('aes')).toBe(true);
  });

  it('expands models: Westmere,-aes is Westmere without AES; static and full agree on features', async () => {
    const [[full, noAes], [stat]] = await Promise.all([expandWithQemu(['Westmere', 'Westmere,-aes']), expandWithQemu(['Westmere,-aes'], 'static')]);
    if (!full || !noAes || !stat) throw new Error('missing expansion');
    expect(full.features.minus(noAes.features).ids()).toEqual(['aes']);
    expect(noAes.features.minus(full.features).ids()).toEqual([]);
    expect(stat.name).toBe('base');
    expect(stat.features.ids()).toEqual(noAes.features.ids());
    expect(full.identity).toMatchObject({ vendor: 'GenuineIntel', family: 6, model: 44 });
    expect(full.otherProps).toEqual(expect.arrayContaining(['check', 'kvm', 'l3-cache']));
  });

  it('reads -cpu strings the way QEMU applies them (checked in booted guests)', async () => {
    const aes = catalog.require('aes');
    for (const cpu of ['Westmere,-aes,aes=on', 'Westmere,aes=off,+aes', 'Westmere,+aes,-aes', 'Westmere,aes=off,aes=on']) {
      const guest = await bootProbe({ cpu });
      expect(catalog.decode(guest.dump).has(aes), cpu).toBe(parseCpuOption(cpu).props.aes);
    }
  });

  it("reads a running vCPU's features: -cpu overrides and TCG filtering included, unnamed CPUID bits from the feature words", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-vcpu-'));
    const guest = startProbeGuest({ cpu: 'Haswell-noTSX,-avx2', qmp: join(dir, 'q.sock') });
    try {
      const qmp = await connectWhenReady(join(dir, 'q.sock'));
      const running = await readRunningCpu(qmp);
      qmp.close();
      const [expanded] = await expandWithQemu(['Haswell-noTSX,-avx2']);
      const tcg = await tcgSupportedFeatures();
      expect(running.name).toBe('Haswell-noTSX');
      expect(running.typename).toBe('Haswell-noTSX-x86_64-cpu');
      expect(running.inconsistent).toEqual([]);
      // Named features: what QEMU's expansion says, minus what TCG cannot emulate (pcid, x2apic, invpcid...).
      const named = running.features.filter((f) => qemuFeature(f.qemu ?? '') === f);
      expect(named.ids()).toEqual(expanded!.features.intersection(tcg).ids());
      expect(running.features.has('avx2')).toBe(false);
      expect(expanded!.features.has('pcid') && !running.features.has('pcid')).toBe(true);
      // XSAVE state components have no QEMU property; the feature words supply them.
      expect(running.features.has('xsave_ymm')).toBe(true);
    } finally {
      await guest.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
