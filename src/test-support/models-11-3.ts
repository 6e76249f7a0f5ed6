/**
 * The model table as libvirt v11.3.0 had it (the cpu_map copy in ../shared), cut out of the built-in
 * table, which follows a newer cpu_map. Tests that compare openevc with libvirt 11.3's recorded
 * answers (cputestdata) decide with the models 11.3 had, and mention only the features 11.3 named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../core/catalog.js';
import { ModelTable, libvirtUnmigratable } from '../core/models.js';
import type { ModelFamilyDef } from '../core/models.js';
import { QEMU_MODEL_FAMILIES } from '../data/qemu-models.js';
import { shared } from './shared.js';

export const CPU_MAP_11_3 = shared('oracle', 'libvirt-cputestdata', 'cpu_map');

/** The model names of libvirt 11.3's index.xml (x86), in order. */
export function modelNames11_3(): string[] {
  const index = readFileSync(join(CPU_MAP_11_3, 'index.xml'), 'utf8');
  const x86 = index.slice(index.indexOf("<arch name='x86'>"), index.indexOf('</arch>', index.indexOf("<arch name='x86'>")));
  return [...x86.matchAll(/<include filename='x86_([^']+)\.xml'\/>/g)].map((m) => m[1]!).filter((n) => n !== 'vendors' && n !== 'features');
}

/** The families of the built-in table limited to the names libvirt 11.3 had. */
export function families11_3(): ModelFamilyDef[] {
  const names = new Set(modelNames11_3());
  const out: ModelFamilyDef[] = [];
  for (const fam of QEMU_MODEL_FAMILIES) {
    const aliases = fam.aliases.filter((a) => names.has(a.name));
    const versioned = fam.versioned !== false;
    let count = 0;
    fam.versions.forEach((_, i) => {
      const n = i + 1;
      if ((versioned && names.has(`${fam.family}-v${n}`)) || aliases.some((a) => a.version === n)) count = n;
    });
    if (count === 0) continue;
    out.push({ ...fam, aliases, versions: fam.versions.slice(0, count) });
  }
  return out;
}

let table: ModelTable | undefined;

/** libvirt 11.3's model table. */
export function modelTable11_3(): ModelTable {
  return (table ??= new ModelTable(families11_3(), libvirtUnmigratable()));
}

/** The libvirt feature names of 11.3's x86_features.xml. */
export function libvirtNames11_3(): Set<string> {
  const xml = readFileSync(join(CPU_MAP_11_3, 'x86_features.xml'), 'utf8');
  return new Set([...xml.matchAll(/<feature name='([^']+)'/g)].map((m) => m[1]!));
}

/** Catalog ids whose libvirt name 11.3 did not have. */
export function newerThan11_3(): Set<string> {
  const known = libvirtNames11_3();
  return new Set(catalog.features.filter((f) => typeof f.libvirt === 'string' && !known.has(f.libvirt)).map((f) => f.id));
}
