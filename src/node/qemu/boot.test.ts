import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { OpenevcError } from '../../core/errors.js';
import { QEMU_MODEL_DRIFT } from '../../data/qemu-model-drift.js';
import { qemuExporter } from '../../formats/qemu/writer.js';
import { kvmTargets } from '../../test-support/kvm-targets.js';
import { skipQemu } from '../../test-support/qemu.js';
import { removeProbeBuilds } from './guest/build.js';
import { bootProbe, qemuWarnings } from './boot.js';
import { compareGuest, formatGuestComparison, predictWithOpenevc, predictWithQemu, probeScope } from './compare.js';
import type { GuestPredictor } from './compare.js';
import { parseCpuOption, tcgSupportedFeatures } from './cpu-model.js';
import { PROBE_LEAVES } from './guest/probe-asm.js';
import { qemuBinary } from './tools.js';

afterAll(removeProbeBuilds);

/**
 * What a guest is predicted to see for a `-cpu` string. The cases of the first block use QEMU's
 * own model expansion (they boot unversioned names and `max`, whose meaning only QEMU knows);
 * the `qemu` exporter's cases below use openevc's own prediction ({@link openevcPredict}).
 */
const predict: GuestPredictor = predictWithQemu;
/** openevc's prediction: its model data (`expandModel`) and the string's flags, nothing asked of QEMU. */
const openevcPredict: GuestPredictor = predictWithOpenevc;

describe('QEMU warnings', () => {
  it('recognizes features the accelerator dropped, by their QEMU names', () => {
    const stderr = [
      "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.01H:ECX.pcid [bit 17]",
      "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.07H:ECX.avx512-vpopcntdq [bit 14]",
      "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.01H:ECX.sse4.1 [bit 19]",
      'qemu-system-x86_64: warning: host doesnt support requested feature: CPUID.80000001H:ECX.frobnicate [bit 30]',
      'qemu-system-x86_64: -cpu foo: something else entirely',
    ].join('\n');
    const r = qemuWarnings(stderr);
    expect(r.warnings).toHaveLength(4);
    expect(r.filtered.map((f) => f.id)).toEqual(['pcid', 'avx512_vpopcntdq', 'sse4_1']);
  });
});

describe.skipIf(skipQemu)('the guest CPUID probe in real QEMU guests (needs qemu-system-x86_64 and nasm)', () => {
  it('boots in well under a second and reads Westmere as facts §5 recorded it', async () => {
    const r = await bootProbe({ cpu: 'Westmere' });
    const leaf1 = r.dump.get(1)!;
    expect(leaf1.ecx).toBe(0x8298_2203);
    expect(r.dump.get(1)!.eax & 0x0fff_3fff).toBe(0x0002_06c1);
    expect(r.dump.source).toMatchObject({ format: 'probe', label: 'Westmere', lossy: false });
    // Every pair the probe asks is in the dump.
    for (const [leaf, sub] of PROBE_LEAVES) expect(r.dump.has(leaf, sub), `0x${leaf.toString(16)}.${sub}`).toBe(true);
    expect(r.elapsedMs).toBeLessThan(5_000);
    expect(r.warnings).toEqual([]);
  });

  it('shows the guest exactly what QEMU says the -cpu string means, within TCG scope', async () => {
    const tcg = await tcgSupportedFeatures();
    const scope = probeScope(tcg);
    // The scope is derived from QEMU, not listed; it must hold the bits the cases below turn off.
    for (const id of ['aes', 'pclmulqdq', 'sse4_2', 'avx', 'avx2', 'bmi2', 'movbe', 'lm', 'nx']) expect(scope.has(id), id).toBe(true);
    for (const id of ['pcid', 'avx512f', 'rtm', 'osxsave']) expect(scope.has(id), id).toBe(false);

    // Leaf-1 ECX as facts §5 recorded it, to cross-check the comparison with raw register values.
    const leaf1Ecx: Record<string, number> = { Westmere: 0x8298_2203, 'Westmere,-aes': 0x8098_2203, max: 0xf6d8_320b, 'max,-avx': 0xe6d8_320b };
    for (const cpu of ['Westmere', 'Westmere,-aes', 'Haswell-noTSX,-avx2', 'Nehalem', 'max', 'max,-avx']) {
      const [guest, prediction] = await Promise.all([bootProbe({ cpu }), predict(cpu)]);
      const c = compareGuest(guest.dump, prediction.features, scope, prediction.identity);
      expect(c.ok, formatGuestComparison(c, cpu)).toBe(true);
      expect(c.checks.length).toBe(scope.size);
      if (leaf1Ecx[cpu] !== undefined) expect(guest.dump.get(1)!.ecx, cpu).toBe(leaf1Ecx[cpu]);
    }
  });

  it('catches a wrong prediction, naming the feature', async () => {
    const scope = probeScope(await tcgSupportedFeatures());
    const [guest, wrong] = await Promise.all([bootProbe({ cpu: 'Westmere,-aes' }), predict('Westmere')]);
    const c = compareGuest(guest.dump, wrong.features, scope, { ...wrong.identity, vendor: 'AuthenticAMD' });
    expect(c.ok).toBe(false);
    expect(c.mismatches.map((m) => [m.feature.id, m.predicted, m.seen])).toEqual([['aes', true, false]]);
    expect(c.identityMismatches).toEqual([{ field: 'vendor', expected: 'AuthenticAMD', seen: 'GenuineIntel' }]);
    expect(formatGuestComparison(c, 'Westmere,-aes')).toContain('aes (AES-NI, 0x1:ECX[25]): predicted on, guest sees it off');
  });

  it('turning a feature off clears it and the guest sees the difference', async () => {
    const [on, off] = await Promise.all([bootProbe({ cpu: 'Haswell-noTSX' }), bootProbe({ cpu: 'Haswell-noTSX,-avx2' })]);
    const seenOn = catalog.decode(on.dump);
    const seenOff = catalog.decode(off.dump);
    expect(seenOn.minus(seenOff).ids()).toEqual(['avx2']);
    expect(seenOff.minus(seenOn).ids()).toEqual([]);
  });

  it('reports what TCG dropped, from QEMU warnings', async () => {
    const r = await bootProbe({ cpu: 'Haswell' });
    const dropped = r.filtered.map((f) => f.id);
    expect(dropped).toEqual(expect.arrayContaining(['pcid', 'hle', 'rtm', 'invpcid']));
    expect(catalog.decode(r.dump).has('pcid')).toBe(false);
    const tcg = await tcgSupportedFeatures();
    for (const f of r.filtered) expect(tcg.has(f), f.id).toBe(false);
  });

  it('boots once more when the serial port lost the output, then reports what it carried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-fakeqemu-'));
    const fake = join(dir, 'qemu-system-x86_64');
    const count = join(dir, 'count');
    // Exits as the probe does (status 33), having printed only firmware noise: the first time, and,
    // for the second test, every time.
    writeFileSync(fake, `#!/bin/sh\necho x >> '${count}'\nprintf 'SeaBIOS noise\\n'\nexit 33\n`, { mode: 0o755 });
    const saved = process.env.OPENEVC_QEMU;
    process.env.OPENEVC_QEMU = fake;
    try {
      const e = await bootProbe({ cpu: 'Westmere' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(OpenevcError);
      expect((e as Error).message).toBe(`${fake} -cpu Westmere: expected one round of probe output on the serial port, found 0 (14 bytes: "SeaBIOS noise\\n")`);
      expect(readFileSync(count, 'utf8')).toBe('x\nx\n');
    } finally {
      if (saved === undefined) delete process.env.OPENEVC_QEMU;
      else process.env.OPENEVC_QEMU = saved;
      rmSync(dir, { recursive: true, force: true });
    }
    const ok = await bootProbe({ cpu: 'Westmere' });
    expect(ok.retried).toBe(false);
  });

  it('fails cleanly on a model QEMU does not know, and on a timeout', async () => {
    const bad = await bootProbe({ cpu: 'NoSuchCpu' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenevcError);
    expect((bad as Error).message).toMatch(/^qemu-system-x86_64 -cpu NoSuchCpu: QEMU exited with status 1 instead of the probe's 33: .*NoSuchCpu/);
    const slow = await bootProbe({ cpu: 'Westmere', timeoutMs: 1 }).catch((e: unknown) => e);
    expect((slow as Error).message).toBe('qemu-system-x86_64 -cpu Westmere: the guest probe did not finish within 0.001 s (QEMU killed)');
    const saved = process.env.OPENEVC_QEMU;
    process.env.OPENEVC_QEMU = '/nonexistent/qemu-system-x86_64';
    try {
      const none = await bootProbe({ cpu: 'Westmere' }).catch((e: unknown) => e);
      expect((none as Error).message).toBe('/nonexistent/qemu-system-x86_64 -cpu Westmere: QEMU could not start: not found (apt-get install qemu-system-x86, or set OPENEVC_QEMU)');
    } finally {
      if (saved === undefined) delete process.env.OPENEVC_QEMU;
      else process.env.OPENEVC_QEMU = saved;
    }
  });
});

describe.skipIf(skipQemu)("the qemu exporter's -cpu strings in real guests, against openevc's own prediction (needs qemu-system-x86_64 and nasm)", () => {
  /** The exporter's `-cpu` argument without `enforce`: TCG lacks features of every target here (PCID, x2APIC...), and enforce would stop the boot. */
  function exported(name: string): string {
    const t = kvmTargets().find((x) => x.name === name)!;
    const text = qemuExporter.render(t.target).text;
    expect(text, name).toMatch(/,enforce\n$/);
    return text.replace(/^-cpu /, '').replace(/,enforce\n$/, '');
  }

  /** Example host sets and synthetic ones: Haswell-EP..Cascade Lake, the two Skylake-SP, Atom + Ivy Bridge, two Core 2, two EPYC. */
  const CASES = ['cluster', 'cluster-skylake', 'seed-002', 'seed-000', 'amd', 'synthetic-drift'];

  it('the guest sees exactly what openevc predicts for the target (features TCG emulates), with the identity of openevc\u2019s model data; well under a second per boot', async () => {
    const scope = probeScope(await tcgSupportedFeatures());
    const hypervisor = catalog.emptySet().add('hypervisor');
    const elapsed: number[] = [];
    for (const name of CASES) {
      const cpu = exported(name);
      const prediction = await openevcPredict(cpu);
      const guest = await bootProbe({ cpu });
      const c = compareGuest(guest.dump, prediction.features, scope, prediction.identity);
      expect(c.ok, formatGuestComparison(c, `${name}: ${cpu}`)).toBe(true);
      expect(c.checks.length).toBe(scope.size);
      // The prediction names vendor, family and model for every model here (stepping only where the data pins one).
      expect(Object.keys(prediction.identity!).sort(), name).toEqual(expect.arrayContaining(['family', 'model', 'vendor']));
      // And that is the migration target itself, as the guest sees it.
      const target = kvmTargets().find((x) => x.name === name)!.target;
      const onTarget = compareGuest(guest.dump, target.features.union(hypervisor), scope);
      expect(onTarget.mismatches.map((m) => m.feature.id), name).toEqual([]);
      elapsed.push(guest.elapsedMs);
    }
    // Per boot: the median of the six boots, so that one boot slowed by a loaded CI machine does not
    // decide (idle, each takes about 0.2 s).
    elapsed.sort((a, b) => a - b);
    expect(elapsed[elapsed.length >> 1]!, elapsed.map((ms) => ms.toFixed(0)).join(' ')).toBeLessThan(1000);
  });

  it('with enforce, QEMU under TCG refuses to start, naming only features TCG cannot emulate', async () => {
    const tcg = await tcgSupportedFeatures();
    const cpu = `${exported('cluster')},enforce`;
    expect(parseCpuOption(cpu).props.enforce).toBe(true);
    // The CPU is checked when the machine is built, before any guest runs: no kernel is needed to see the refusal.
    const run = spawnSync(qemuBinary(), ['-nodefaults', '-machine', 'pc', '-m', '32', '-display', 'none', '-accel', 'tcg', '-cpu', cpu, '-S'], { encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/: TCG doesn't support requested features$/);
    const named = qemuWarnings(run.stderr).filtered;
    expect(named.length).toBeGreaterThan(0);
    for (const f of named) expect(tcg.has(f), f.id).toBe(false);
  });

  it("the bare models disagree with openevc's prediction exactly where the drift data says (what the exporter's extra flags correct)", async () => {
    const scope = probeScope(await tcgSupportedFeatures());
    for (const model of ['Haswell-v2', 'Skylake-Server-v1', 'Westmere-v1', 'EPYC-v1']) {
      const [guest, prediction] = await Promise.all([bootProbe({ cpu: model }), openevcPredict(model)]);
      const c = compareGuest(guest.dump, prediction.features, scope, prediction.identity);
      const drift = QEMU_MODEL_DRIFT[model] ?? {};
      const expected = [...(drift.extra ?? []).map((id) => [id, false, true]), ...(drift.missing ?? []).map((id) => [id, true, false])]
        .filter(([id]) => scope.has(id as string))
        .sort((a, b) => catalog.require(a[0] as string).index - catalog.require(b[0] as string).index);
      expect(c.mismatches.map((m) => [m.feature.id, m.predicted, m.seen]), model).toEqual(expected);
      expect(c.identityMismatches, model).toEqual([]);
    }
  });
});
