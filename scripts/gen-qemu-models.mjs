#!/usr/bin/env node
/**
 * Writes src/data/qemu-models.ts from libvirt's cpu_map: the x86 CPU models QEMU defines, as
 * openevc data. Run by hand when the reference cpu_map changes:
 *
 *   npm run build && node scripts/gen-qemu-models.mjs [path/to/cpu_map] [--libvirt 'what it is']
 *
 * `--libvirt` names the libvirt version or commit the cpu_map comes from; it is recorded in the
 * generated file (header and QEMU_MODELS_SOURCE) and must match what docs/models.md says (a test
 * checks it). Without a path, ../shared's copy (libvirt v11.3.0) is read.
 *
 * It needs the built catalog (dist/) to turn libvirt's feature names into catalog ids.
 *
 * How cpu_map becomes openevc's representation:
 * - A model family is QEMU's base name (`Cascadelake-Server`). Its versions follow QEMU: v1 holds
 *   the whole feature list, each later version only what it adds and removes.
 * - libvirt's `X-vN` files are the versions. An `X-vN` file that only points at another model
 *   (`<model name='Cascadelake-Server-noTSX'/>`) makes that model's name an alias of version N.
 * - Unversioned models no `-vN` file points at (libvirt keeps them, QEMU no longer versions them:
 *   pentiumpro, cpu64-rhel5/6, Icelake-Client...) form families without versioned names.
 * - What libvirt needs beyond the features is kept per entry: vendor, signatures, the decode
 *   flags, the `added`/`removed` marks and index.xml's order (families, and inside a family the
 *   aliases before the versions, exactly as index.xml lists them; the script checks it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { catalog } from '../dist/core/catalog.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = args.indexOf('--libvirt');
const LIBVIRT = flag >= 0 ? args.splice(flag, 2)[1] : undefined;
const MAP_DIR = args[0] ?? join(ROOT, '..', 'shared', 'oracle', 'libvirt-cputestdata', 'cpu_map');
if (args[0] !== undefined && !LIBVIRT) {
  console.error('gen-qemu-models: name the libvirt version or commit of this cpu_map with --libvirt');
  process.exit(2);
}
const SOURCE = LIBVIRT ?? 'v11.3.0';
const OUT = join(ROOT, 'src', 'data', 'qemu-models.ts');
// libvirt names Zhaoxin's vendor 'Zhaoxin CentaurHauls' (its vendor string is CentaurHauls).
const VENDORS = { Intel: 'intel', AMD: 'amd', Hygon: 'hygon', 'Zhaoxin CentaurHauls': 'zhaoxin', Zhaoxin: 'zhaoxin' };

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['model', 'feature', 'signature', 'include', 'group'].includes(name) });

function fail(message) {
  throw new Error(`gen-qemu-models: ${message}`);
}

/** Index order of the x86 model files. */
function modelFiles() {
  const index = xml.parse(readFileSync(join(MAP_DIR, 'index.xml'), 'utf8'));
  const arch = [index.cpus.arch].flat().find((a) => a.name === 'x86') ?? fail('index.xml has no x86 arch');
  return arch.group.flatMap((g) => g.include.map((i) => i.filename));
}

function parseSteppings(text, where) {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) fail(`${where}: stepping '${text}' is not N or N-M`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

/** One model file, as written (references not followed). */
function readModel(file) {
  const doc = xml.parse(readFileSync(join(MAP_DIR, file), 'utf8'));
  const models = doc.cpus.model ?? [];
  if (models.length !== 1) fail(`${file}: expected one <model>`);
  const m = models[0];
  const ids = (pred) =>
    (m.feature ?? []).filter(pred).map((f) => {
      const feature = catalog.resolve(f.name, 'libvirt');
      if (!feature || feature.libvirt !== f.name) fail(`${file}: feature '${f.name}' has no catalog row with that libvirt name`);
      return feature.id;
    });
  const signatures = (m.signature ?? []).map((s) => ({
    family: Number(s.family),
    model: Number(s.model),
    ...(s.stepping !== undefined ? { steppings: parseSteppings(String(s.stepping), file) } : {}),
  }));
  const parent = m.model?.[0]?.name;
  if ((m.model ?? []).length > 1) fail(`${file}: more than one parent model`);
  return {
    name: m.name,
    file,
    decode: { host: m.decode?.host === 'on', guest: m.decode?.guest === 'on' },
    vendor: m.vendor ? (VENDORS[m.vendor.name] ?? fail(`${file}: unknown vendor ${m.vendor.name}`)) : undefined,
    signatures,
    parent,
    features: ids(() => true),
    added: ids((f) => f.added === 'yes'),
    removed: ids((f) => f.removed === 'yes'),
  };
}

const byId = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (list) => [...new Set(list)].sort(byId);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function build() {
  const files = modelFiles().filter((f) => f.startsWith('x86_') && f !== 'x86_vendors.xml' && f !== 'x86_features.xml');
  const models = files.map(readModel);
  const byName = new Map(models.map((m) => [m.name, m]));
  const versioned = (name) => /^(.+)-v(\d+)$/.exec(name);

  // Which unversioned model each X-vN stands for.
  const aliasOf = new Map(); // unversioned name -> { family, version }
  for (const m of models) {
    const v = versioned(m.name);
    if (!v) continue;
    if (!same(m.decode, { host: true, guest: false })) fail(`${m.name}: versioned models are expected to decode host='on' guest='off'`);
    if (m.parent) {
      if (m.features.length > 0) fail(`${m.name}: a version pointing at ${m.parent} adds features, which this script does not represent`);
      const target = byName.get(m.parent) ?? fail(`${m.name}: unknown parent ${m.parent}`);
      if (versioned(target.name)) fail(`${m.name}: points at another version`);
      if (aliasOf.has(target.name)) fail(`${target.name}: two versions point at it`);
      aliasOf.set(target.name, { family: v[1], version: Number(v[2]) });
    }
  }

  // Families in index order, each with its aliases and versions in index order.
  const families = new Map();
  const familyOf = (name) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { family: name, aliases: [], versions: new Map(), versioned: true }));
    return f;
  };
  const unreferenced = [];
  for (const m of models) {
    const v = versioned(m.name);
    if (v) {
      familyOf(v[1]).versions.set(Number(v[2]), m);
      continue;
    }
    const target = aliasOf.get(m.name);
    if (target) {
      familyOf(target.family).aliases.push({ model: m, version: target.version });
      continue;
    }
    // No version points at it: libvirt-only. `Icelake-Client-noTSX` joins `Icelake-Client`.
    const owner = unreferenced.find((u) => m.name.startsWith(`${u.family}-`));
    const fam = owner ?? familyOf(m.name);
    fam.versioned = false;
    if (!owner) unreferenced.push(fam);
    fam.aliases.push({ model: m, version: fam.versions.size + 1 });
    fam.versions.set(fam.versions.size + 1, m);
  }

  const out = [];
  for (const fam of families.values()) {
    const numbers = [...fam.versions.keys()].sort((a, b) => a - b);
    if (!same(numbers, numbers.map((_, i) => i + 1))) fail(`${fam.family}: versions ${numbers.join(',')} are not 1..N`);
    // A version's definition: its own file, or the model its file points at.
    const def = (n) => {
      const m = fam.versions.get(n);
      return m.parent ? byName.get(m.parent) : m;
    };
    const first = def(1);
    for (const n of numbers) {
      if (def(n).vendor !== first.vendor) fail(`${fam.family}-v${n}: vendor differs from v1`);
    }
    const versions = numbers.map((n) => {
      const d = def(n);
      const entry = {};
      if (n === 1) entry.features = sorted(d.features);
      else {
        const prev = new Set(def(n - 1).features);
        const now = new Set(d.features);
        const add = sorted(d.features.filter((f) => !prev.has(f)));
        const remove = sorted([...prev].filter((f) => !now.has(f)));
        if (add.length > 0) entry.add = add;
        if (remove.length > 0) entry.remove = remove;
      }
      if (n > 1 && !same(d.signatures, first.signatures)) entry.signatures = d.signatures;
      if (d.added.length > 0) entry.libvirtAdded = sorted(d.added);
      if (d.removed.length > 0) entry.libvirtRemoved = sorted(d.removed);
      return entry;
    });
    const aliases = fam.aliases.map(({ model, version }) => {
      const a = { name: model.name, version };
      if (!model.decode.host) a.host = false;
      if (!model.decode.guest) a.guest = false;
      return a;
    });
    const family = { family: fam.family };
    if (first.vendor) family.vendor = first.vendor;
    if (first.signatures.length > 0) family.signatures = first.signatures;
    if (!fam.versioned) family.versioned = false;
    family.aliases = aliases;
    family.versions = versions;
    out.push(family);
  }

  // The order the data implies (per family: aliases, then versioned names) must be index.xml's.
  const implied = out.flatMap((f) => [...f.aliases.map((a) => a.name), ...(f.versioned === false ? [] : f.versions.map((_, i) => `${f.family}-v${i + 1}`))]);
  const actual = models.map((m) => m.name);
  if (!same(implied, actual)) {
    const i = implied.findIndex((n, k) => n !== actual[k]);
    fail(`the data's order differs from index.xml at position ${i}: ${implied[i]} vs ${actual[i]}`);
  }

  const features = xml.parse(readFileSync(join(MAP_DIR, 'x86_features.xml'), 'utf8')).cpus.feature;
  // libvirt's migratable='no' marks are a catalog fact (the migratable and libvirtMigratable
  // columns); the generator only checks that the catalog still agrees with this cpu_map.
  const marked = sorted(features.filter((f) => f.migratable === 'no').map((f) => catalog.resolve(f.name, 'libvirt').id));
  const derived = sorted(catalog.features.filter((f) => !(f.libvirtMigratable ?? f.migratable)).map((f) => f.id));
  if (!same(marked, derived)) fail(`libvirt marks migratable='no' on [${marked}] but the catalog derives [${derived}]: update the migratable/libvirtMigratable columns of src/data/features.ts`);
  return { families: out, count: models.length };
}

/** Id lists wrapped at ~140 characters, the repository's line length. */
function idList(ids, indent) {
  const items = ids.map((id) => `'${id}'`);
  const one = `[${items.join(', ')}]`;
  if (indent.length + one.length < 120) return one;
  const lines = [];
  let line = '';
  for (const item of items) {
    if (line && indent.length + 2 + line.length + item.length + 2 > 140) {
      lines.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + `${item},`;
  }
  if (line) lines.push(line);
  return `[\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}]`;
}

function sigList(sigs) {
  const one = (s) => `{ family: ${s.family}, model: ${s.model}${s.steppings ? `, steppings: [${s.steppings[0]}, ${s.steppings[1]}]` : ''} }`;
  return `[${sigs.map(one).join(', ')}]`;
}

function render({ families, count }) {
  const out = [];
  out.push(`/**
 * QEMU's x86 CPU models as openevc data. GENERATED by scripts/gen-qemu-models.mjs: do not edit by
 * hand; regenerate from a newer cpu_map instead.
 *
 * Source: libvirt cpu_map ${SOURCE}.
 * Its src/cpu_map/x86_*.xml and index.xml mirror QEMU's builtin_x86_defs (target/i386/cpu.c) model
 * by model and version by version. ${count} models in ${families.length} families. Only facts are taken
 * (names, vendors, signatures, feature lists, libvirt's marks and order); features are catalog ids.
 *
 * Shape (see ModelFamilyDef in src/data/schema.ts): a family is QEMU's base name; \`versions[0]\` is
 * v1 with its whole feature list, every later version lists only what it adds to and removes from
 * the version before it, so an old name keeps meaning what it meant. \`aliases\` are the names that
 * stand for one version (the unversioned name, \`-noTSX\`, \`-IBRS\`...), in libvirt's index order;
 * the versioned names \`<family>-v<N>\` follow them. Families with \`versioned: false\` are kept by
 * libvirt but have no versioned names. \`libvirtAdded\`/\`libvirtRemoved\` are the features libvirt
 * marks \`added='yes'\`/\`removed='yes'\` in that version's definition.
 */
import type { ModelFamilyDef } from './schema.js';

/** Where these models come from (shown in reports). */
export const QEMU_MODELS_SOURCE = '${`libvirt cpu_map ${SOURCE} (mirroring QEMU builtin_x86_defs)`.replace(/['\\]/g, '\\$&')}';

export const QEMU_MODEL_FAMILIES: readonly ModelFamilyDef[] = [`);
  for (const f of families) {
    out.push('  {');
    out.push(`    family: '${f.family}',`);
    if (f.vendor) out.push(`    vendor: '${f.vendor}',`);
    if (f.signatures) out.push(`    signatures: ${sigList(f.signatures)},`);
    if (f.versioned === false) out.push('    versioned: false,');
    const alias = (a) => `{ name: '${a.name}', version: ${a.version}${a.host === false ? ', host: false' : ''}${a.guest === false ? ', guest: false' : ''} }`;
    out.push(`    aliases: [${f.aliases.map(alias).join(', ')}],`);
    out.push('    versions: [');
    f.versions.forEach((v, i) => {
      out.push(`      // v${i + 1}`);
      out.push('      {');
      for (const key of ['features', 'add', 'remove', 'libvirtAdded', 'libvirtRemoved']) {
        if (v[key]) out.push(`        ${key}: ${idList(v[key], '        ')},`);
      }
      if (v.signatures) out.push(`        signatures: ${sigList(v.signatures)},`);
      out.push('      },');
    });
    out.push('    ],');
    out.push('  },');
  }
  out.push('];');
  return `${out.join('\n')}\n`;
}

const data = build();
writeFileSync(OUT, render(data));
console.log(`wrote ${OUT}: ${data.count} models in ${data.families.length} families`);
