/** Test helper: a fleet from inline inventory YAML whose cpuid/vmx/log paths are relative to examples/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';
import { buildFleet } from '../plan/fleet.js';
import type { Fleet } from '../plan/fleet.js';
import { inventoryFiles, parseInventory } from '../plan/inventory.js';

export function fleetOf(yaml: string, file = 'test.yaml'): Fleet {
  const inv = parseInventory(yaml, file);
  const files = new Map<string, { text: string; label: string }>();
  for (const r of inventoryFiles(inv.doc)) files.set(r.ref, { text: readFileSync(join(REPO_ROOT, 'examples', r.ref), 'utf8'), label: r.ref });
  return buildFleet(inv, files);
}

export const E5310 = 'seed-000/esx-01-xeon-e5310.json';
export const E5420 = 'seed-000/esx-04-xeon-e5420.json';
export const ATOM = 'seed-002/host-a-atom-c2750.json';
export const IVY = 'seed-002/host-b-core-i7-3770.json';
export const EPYC = 'amd/kvm-21-epyc-7601.json';
export const HASWELL = 'cluster/esx-11-xeon-e5-2650v3.json';
