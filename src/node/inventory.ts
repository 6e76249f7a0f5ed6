/** Reads an inventory file and every file it names (paths relative to the inventory). */
import { dirname, isAbsolute, join, relative } from 'node:path';
import { InputError } from '../core/errors.js';
import { buildFleet } from '../plan/fleet.js';
import type { Fleet, FileTexts } from '../plan/fleet.js';
import { inventoryFiles, parseInventory } from '../plan/inventory.js';
import { readInput } from './read.js';

export async function loadInventory(path: string): Promise<Fleet> {
  const { text } = await readInput(path);
  const inv = parseInventory(text, path);
  const dir = dirname(path);
  const files = new Map<string, { text: string; label: string }>();
  // Each file once, in the order named (a Set: an inventory of 20,000 VMs names 20,000 .vmx files).
  const named = new Set<string>();
  const refs = inventoryFiles(inv.doc).filter((r) => !named.has(r.ref) && named.add(r.ref));
  let next = 0;
  const worker = async () => {
    while (next < refs.length) {
      const r = refs[next++]!;
      const full = isAbsolute(r.ref) ? r.ref : join(dir, r.ref);
      const label = relative(process.cwd(), full) || full;
      try {
        files.set(r.ref, { text: (await readInput(full)).text, label });
      } catch (e) {
        if (e instanceof InputError) throw new InputError({ file: path }, `every file the inventory names to be readable (${e.message})`, r.ref);
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, refs.length) }, worker));
  return buildFleet(inv, files as FileTexts);
}
