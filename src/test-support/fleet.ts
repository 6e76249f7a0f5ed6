/**
 * Test support for fleet importers: a readable rendering of what a fleet export yields (golden
 * files), and the fixtures of every input format (detection tests).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fidelityOf } from '../core/cpuid.js';
import { hostMaxEvcMode } from '../core/evc.js';
import { decodeHost } from '../core/host.js';
import { identify } from '../core/identity.js';
import type { ImportResult } from '../formats/reader-types.js';
import { READER_IDS } from '../formats/registry.js';
import { readerFixtures } from './fixtures.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Hosts (fidelity, EVC keys, identity, features), clusters, VMs, EVC modes and diagnostics, one fact a line. */
export function renderFleetImport(r: ImportResult): string {
  const out: string[] = [`format: ${r.format}`];
  const f = r.fleet;
  if (!f) throw new Error('not a fleet result');
  for (const h of f.hosts) {
    const host = decodeHost(h.dump);
    const id = identify(h.dump);
    const src = h.dump.source;
    out.push(`== host ${h.name}`);
    if (h.ref) out.push(`ref: ${h.ref}`);
    if (h.cluster) out.push(`cluster: ${h.cluster}`);
    out.push(`fidelity: ${fidelityOf(src)}${src.evcKey ? ` (${src.evcKey})` : ''}; lossy: ${src.lossy}`);
    out.push(`stated EVC: max ${h.maxEvcModeKey ?? '-'}, current ${h.currentEvcModeKey ?? '-'}; computed max EVC: ${hostMaxEvcMode(host)?.key ?? 'none'}`);
    out.push(`label: ${src.label ?? '-'}`);
    out.push(`cpu: ${id.vendorString || '(no vendor)'}; brand ${JSON.stringify(id.brand)}; x86-64 level ${host.level}`);
    out.push(`features (${host.features.size}): ${host.features.ids().join(' ')}`);
  }
  for (const c of f.clusters) out.push(`== cluster ${c.name}${c.ref ? ` (${c.ref})` : ''}: EVC ${c.currentEvcModeKey ?? 'off'}`);
  for (const v of f.vms) {
    out.push(`== vm ${v.name}${v.ref ? ` (${v.ref})` : ''}: host ${v.host ?? '-'}, ${v.powerState ?? 'power state unknown'}, min EVC ${v.minRequiredEvcModeKey ?? '-'}`);
    if (v.requires) out.push(`requires: ${v.requires.join(' ')}`);
    if (v.masked) out.push(`masked: ${v.masked.join(' ')}`);
  }
  for (const m of f.evcModes ?? []) out.push(`== evc mode ${m.key} (${m.vendor}): ${m.features.size} features`);
  out.push('== diagnostics');
  for (const d of r.diagnostics) out.push(`${d.level}${d.where?.line !== undefined ? ` (line ${d.where.line})` : ''}: ${d.message}`);
  return `${out.join('\n')}\n`;
}

/** Every input fixture of every input format (its reader's fixture folder). */
export function inputFixtures(): { format: string; path: string; text: string }[] {
  const out: { format: string; path: string; text: string }[] = [];
  const add = (format: string, dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      if (/\.(golden|expected)\.|\.xlsx$|^bad-/.test(name) || statSync(join(dir, name)).isDirectory()) continue;
      out.push({ format, path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') });
    }
  };
  for (const format of READER_IDS) add(format, readerFixtures(format));
  return out;
}

/** A format's fixture directory. */
export function fixtureDir(format: string): string {
  return join(SRC, 'formats', format, 'fixtures');
}
