/** Acceptance: the two seed stories end to end from the bundled inventories, through the CLI. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';

const SEED000 = 'examples/inventory/seed-000.yaml';
const SEED002 = 'examples/inventory/seed-002.yaml';

describe('seed 000 end to end (bundled inventory)', () => {
  it('adding the E5420 host to the E5310 cluster without EVC blocks vMotion to it, SSE4.1 named', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'add host esx-04 to prod', '--json');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.steps[0]).toMatchObject({ step: 'add host esx-04 to prod', ok: true });
    const g = p.migrationMap.find((x: { vms: string[] }) => x.vms.includes('mail-01'));
    expect(g.canMoveTo).toEqual(['esx-01', 'esx-02', 'esx-03']);
    expect(g.blocked).toEqual([expect.objectContaining({ hosts: ['esx-04'], fault: 'CpuIncompatible', features: ['SSE4.1'] })]);
  });

  it('the plan enables intel-merom (running VMs to power off listed), admits the host, and after the E5310s retire offers intel-penryn, naming the VMs to power-cycle for SSE4.1', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'add host esx-04 to prod', '--json');
    const prod = JSON.parse(r.stdout).clusters[0];
    expect(prod.highestMode).toBe('intel-merom');
    const [enable, admit, retire, raise] = prod.sequence;
    expect(enable).toMatchObject({ action: 'enable', mode: 'intel-merom' });
    expect(enable.powerOff.map((x: { vm: string }) => x.vm).sort()).toEqual(['app-01', 'db-01', 'file-01', 'mail-01', 'web-01']);
    expect(admit).toMatchObject({ action: 'admit', host: 'esx-04', mode: 'intel-merom' });
    expect(admit.fault).toBeUndefined();
    expect(retire).toMatchObject({ action: 'retire', hosts: ['esx-01', 'esx-02', 'esx-03'], stranded: [] });
    expect(raise).toMatchObject({ action: 'raise', mode: 'intel-penryn' });
    expect(raise.powerCycle.map((x: { vm: string; gains: string[] }) => [x.vm, x.gains]).sort()).toEqual([
      ['app-01', ['SSE4.1']],
      ['db-01', ['SSE4.1']],
      ['file-01', ['SSE4.1']],
      ['mail-01', ['SSE4.1']],
      ['web-01', ['SSE4.1']],
    ]);
  });

  it('the same steps as what-ifs: enabling with VMs running is refused by ActiveVMsBlockingEVC, and raising names the power-cycle list', async () => {
    const refused = JSON.parse((await runCli('plan', SEED000, '--what-if', 'enable intel-merom', '--json')).stdout).steps[0];
    expect(refused.fault.name).toBe('ActiveVMsBlockingEVC');
    const steps = ['power-off mail-01', 'power-off web-01', 'power-off db-01', 'power-off app-01', 'power-off file-01', 'enable intel-merom', 'add host esx-04 to prod', 'power-on mail-01', 'retire esx-01,esx-02,esx-03', 'raise intel-penryn'];
    const r = await runCli('plan', SEED000, ...steps.flatMap((s) => ['--what-if', s]), '--json');
    const out = JSON.parse(r.stdout).steps;
    expect(out.every((s: { ok: boolean }) => s.ok)).toBe(true);
    expect(out[8].moved).toEqual([{ vm: 'mail-01', to: 'esx-04' }]);
    expect(out[9].powerCycle).toEqual([{ vm: 'mail-01', host: 'esx-04', gains: ['SSE4.1'] }]);
  });

  it('retiring several hosts at once registers each powered-off VM once, on a host that stays, and says so after the VMs it had to power off', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'add host esx-04 to prod', '--what-if', 'retire esx-01,esx-02,esx-03', '--json');
    expect(r.code, r.stderr).toBe(0);
    const step = JSON.parse(r.stdout).steps[1];
    expect(step.ok).toBe(true);
    // Before, each VM was registered on esx-02, then esx-03 (leaving in the same step), then esx-04, said three times.
    expect(step.notes).toEqual([
      `no remaining host could take ${step.stranded.join(', ')} live: powered off (start them again on another host)`,
      'powered-off VMs mail-01, web-01, db-01, app-01, file-01, test-01 re-registered on other hosts (cold, no CPU check)',
    ]);
  });

  it('prints the plan as text and Markdown', async () => {
    const t = await runCli('plan', SEED000, '--what-if', 'add host esx-04 to prod');
    expect(t.stdout).toContain('enable EVC mode intel-merom on prod');
    expect(t.stdout).toContain('need a full power cycle to gain SSE4.1: mail-01, web-01, db-01, app-01, file-01');
    const md = await runCli('plan', SEED000, '--md');
    expect(md.stdout.startsWith('# Plan for')).toBe(true);
  });
});

describe('seed 002 end to end (bundled inventory)', () => {
  it('two hosts outside a cluster, per-VM masks, and a VM powered on at B that reaches A only after a power cycle with the merged mask', async () => {
    const p = JSON.parse((await runCli('plan', SEED002, '--json')).stdout);
    expect(p.clusters).toEqual([]);
    expect(p.standalone).toEqual(['host-a', 'host-b']);
    const group = (vm: string) => p.migrationMap.find((g: { vms: string[] }) => g.vms.includes(vm));
    expect(group('lab-merged').canMoveTo).toEqual(['host-a', 'host-b']);
    expect(group('lab-a-to-b').canMoveTo).toEqual(['host-a', 'host-b']);
    expect(group('lab-plain').blocked[0].features).toEqual(['MOVBE', '3DNow! PREFETCH and PREFETCHW']);
    const vm = group('lab-vm');
    expect(vm.canMoveTo).toEqual(['host-b']);
    expect(vm.blocked[0].features).toEqual(expect.arrayContaining(['PCID', 'XSAVE', 'Advanced Vector Extensions (AVX)', 'Half-precision conversion instructions (F16C)', 'Instructions to read and write FS and GS base registers', 'XSAVE SSE State', 'XSAVE YMM State']));
    const blocked = JSON.parse((await runCli('plan', SEED002, '--what-if', 'vmotion lab-vm host-a', '--json')).stdout).steps[0];
    expect(blocked.fault.name).toBe('FeatureRequirementsNotMet');
    const after = JSON.parse((await runCli('plan', SEED002, '--what-if', 'power-cycle lab-vm', '--what-if', 'vmotion lab-vm host-a', '--json')).stdout).steps;
    expect(after.map((s: { ok: boolean }) => s.ok)).toEqual([true, true]);
    // A reboot is not a power cycle.
    const reboot = JSON.parse((await runCli('plan', SEED002, '--what-if', 'reboot lab-vm', '--what-if', 'vmotion lab-vm host-a', '--json')).stdout).steps;
    expect(reboot.map((s: { ok: boolean }) => s.ok)).toEqual([true, false]);
  });
});

describe('plan: bad input', () => {
  it('a bad what-if step is a usage error (exit 2)', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'frobnicate esx-01');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--what-if 'frobnicate esx-01': expected one of");
  });
  it('an unknown VM in a step is a usage error', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'power-off nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no VM 'nope'");
  });
});
