/**
 * The plan view's model against the CLI: the same inventory gives the same plan JSON as
 * `openevc plan --json --risk`, what-if steps included; and the validator the web build
 * precompiles (the page's CSP forbids eval) answers exactly as ajv compiling at run time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { INVENTORY_SCHEMA } from '../../src/plan/schema.js';
import { runCli } from '../../src/test-support/cli.js';
import { REPO_ROOT } from '../../src/test-support/shared.js';
import { AJV_OPTIONS, precompiledAjvModule } from '../ajv-precompiled.js';
import { inventoryFleet, looksLikeInventory, outcomeJson, referencedNames, runPlan } from './plan-model.js';
import type { InventorySource } from './plan-model.js';

const SEED0 = join(REPO_ROOT, 'examples/inventory/seed-000.yaml');
const SEED2 = join(REPO_ROOT, 'examples/inventory/seed-002.yaml');

function source(path: string): InventorySource {
  return { name: path, text: readFileSync(path, 'utf8'), file: (ref) => ({ text: readFileSync(join(dirname(path), ref), 'utf8') }) };
}

describe('plan view model', () => {
  for (const [path, steps] of [
    [SEED0, []],
    [SEED0, ['add host esx-04 to prod', 'enable intel-merom', 'retire esx-01,esx-02,esx-03']],
    [SEED2, ['power-cycle lab-vm', 'vmotion lab-vm host-a']],
  ] as const) {
    it(`equals openevc plan --json --risk: ${path.split('/').pop()} ${steps.join('; ')}`, async () => {
      const cli = await runCli('plan', path, '--json', '--risk', ...steps.flatMap((s) => ['--what-if', s]));
      expect(cli.code, cli.stderr).toBe(0);
      const page = JSON.parse(JSON.stringify(outcomeJson(runPlan(inventoryFleet(source(path)), steps))));
      expect(page).toEqual(JSON.parse(cli.stdout));
    });
  }

  it('names the files a dropped inventory still needs, and what it refers to', () => {
    const src = source(SEED2);
    expect(referencedNames(src)).toEqual(expect.arrayContaining(['host-a-atom-c2750.json', 'lab-merged.vmx', 'lab-vm-vmware.log']));
    expect(() => inventoryFleet({ ...src, file: () => undefined })).toThrow(/seed-002\.yaml: expected every file the inventory names \(drop them on the page with it\); missing: \.\.\/seed-002\/host-a-atom-c2750\.json/);
    expect(() => inventoryFleet({ ...src, file: () => ({ error: 'x: not served' }) })).toThrow(/to be readable \(x: not served\)/);
  });

  it('tells an inventory by its first lines', () => {
    expect(looksLikeInventory(readFileSync(SEED0, 'utf8').slice(0, 2048))).toBe(true);
    expect(looksLikeInventory('{ "version": 1, "openevc": "inventory" }')).toBe(true);
    expect(looksLikeInventory('{"leaves": [], "note": "openevc: inventory"}')).toBe(false);
    expect(looksLikeInventory('cpuid dump\nopenevc: inventoryx')).toBe(false);
  });
});

describe('the inventory validator precompiled for the page', () => {
  it('answers every document as ajv compiling at run time does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openevc-ajv-'));
    const file = join(dir, 'validator.mjs');
    writeFileSync(file, precompiledAjvModule());
    const Pre = ((await import(pathToFileURL(file).href)) as { default: new () => { compile(s: object): (d: unknown) => boolean } }).default;
    rmSync(dir, { recursive: true, force: true });
    const pre = new Pre().compile(INVENTORY_SCHEMA) as ((d: unknown) => boolean) & { errors?: unknown };
    const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
    const live = new Ajv(AJV_OPTIONS).compile(INVENTORY_SCHEMA);
    const docs: unknown[] = [
      { openevc: 'inventory', version: 1, hosts: [], vms: [] },
      { openevc: 'inventory', version: 1, hosts: [{ name: 'a', cpuid: 'x.json' }], vms: [{ name: 'v', host: 'a', power: 'sideways' }] },
      { openevc: 'inventory', version: 2 },
      { openevc: 'inventory', version: 1, hosts: [{ name: ' leading space' }], vms: [], extra: true },
      { openevc: 'inventory', version: 1, clusters: [{ name: 'c', evc: 3 }], hosts: [{ name: '😀'.repeat(201), maxEvc: 'intel-merom' }], vms: [] },
      'not an object',
    ];
    for (const d of docs) {
      expect(pre(d), JSON.stringify(d)).toBe(live(d));
      expect(JSON.parse(JSON.stringify(pre.errors ?? null))).toEqual(JSON.parse(JSON.stringify(live.errors ?? null)));
    }
    expect(() => new Pre().compile({ $id: 'another' })).toThrow(/precompiles the inventory schema only/);
  });
});
