/**
 * Migration targets the KVM-family exporters are tested on: the example fleet (examples/), a few
 * synthetic host sets that exercise one rule each, and the golden-file rendering of an export.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureSet } from '../core/catalog.js';
import { catalog } from '../core/catalog.js';
import { expandModel } from '../core/models.js';
import { decodeHost } from '../core/host.js';
import type { Host } from '../core/host.js';
import { minimalTarget } from '../core/target.js';
import type { MigrationTarget } from '../core/target.js';
import { getProfile } from '../core/profiles.js';
import { closeOverNamed, namedFeatures } from '../formats/common/kvm-cpu.js';
import type { KvmSpelling } from '../formats/common/kvm-cpu.js';
import type { Exporter } from '../formats/writer-types.js';
import { openevcJsonImporter } from '../formats/openevc-json/reader.js';
import { expectGolden } from './expect-golden.js';
import { syntheticHost } from './hosts.js';
import { REPO_ROOT } from './shared.js';
import { writerFixtures } from './fixtures.js';

/** One example host (`cluster/esx-11-xeon-e5-2650v3.json`). */
export function exampleHost(rel: string): Host {
  const path = join(REPO_ROOT, 'examples', rel);
  return decodeHost(openevcJsonImporter.parse(readFileSync(path, 'utf8'), { file: rel }).dump);
}

/** Every host of one examples/ folder, in file-name order. */
export function exampleHosts(dir: string): Host[] {
  return readdirSync(join(REPO_ROOT, 'examples', dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => exampleHost(`${dir}/${f}`));
}

/** Every example host. */
export function fleet(): Host[] {
  return ['amd', 'cluster', 'seed-000', 'seed-002'].flatMap(exampleHosts);
}

const kvm = getProfile('kvm');

/**
 * A synthetic Intel host with a model's features, less some and plus some (catalog ids), and what
 * they need that libvirt's models do not name (the XSAVE state components AVX needs...).
 */
function modelHost(model: string, signature: number, less: readonly string[] = [], more: readonly string[] = []): Host {
  const set = expandModel(model);
  for (const id of more) set.add(id);
  for (const id of less) set.delete(id);
  return syntheticHost({ vendor: 'GenuineIntel', signature, ids: catalog.requirements(set).ids() });
}

export interface NamedTarget {
  readonly name: string;
  /** What it exercises. */
  readonly about: string;
  readonly target: MigrationTarget;
}

let cached: NamedTarget[] | undefined;

/** The targets every KVM-family exporter has golden files for. */
export function kvmTargets(): NamedTarget[] {
  return (cached ??= [
    { name: 'cluster', about: 'examples/cluster: Haswell-EP, Broadwell-EP, Skylake-SP, Cascade Lake', target: minimalTarget(exampleHosts('cluster'), { profile: kvm }) },
    {
      name: 'cluster-skylake',
      about: 'the two Skylake-class hosts of examples/cluster: QEMU lacks MPX in Skylake-Server and adds PKU',
      target: minimalTarget([exampleHost('cluster/esx-13-xeon-gold-6148.json'), exampleHost('cluster/esx-14-xeon-platinum-8268.json')], { profile: kvm }),
    },
    { name: 'seed-002', about: 'examples/seed-002: Atom C2750 and Core i7-3770', target: minimalTarget(exampleHosts('seed-002'), { profile: kvm }) },
    { name: 'seed-000', about: 'examples/seed-000: two Core 2 Xeons', target: minimalTarget(exampleHosts('seed-000'), { profile: kvm }) },
    { name: 'amd', about: 'examples/amd: EPYC 7601 and 7502 (QEMU adds topoext, NPT, NRIP-save to EPYC)', target: minimalTarget(exampleHosts('amd'), { profile: kvm }) },
    {
      name: 'mixed-vendors',
      about: 'a Haswell Xeon and an EPYC: only a vendor-neutral model spans both',
      target: minimalTarget([exampleHost('cluster/esx-11-xeon-e5-2650v3.json'), exampleHost('amd/kvm-22-epyc-7502.json')], { profile: kvm }),
    },
    {
      name: 'synthetic-drift',
      about: 'Haswell-noTSX hosts without RDRAND and ABM: QEMU\u2019s Haswell-v2 has both (and F16C, XSAVEOPT), libvirt\u2019s does not',
      target: minimalTarget([modelHost('Haswell-noTSX', 0x306c3, ['rdrand', 'abm']), modelHost('Haswell-noTSX', 0x306c3, ['rdrand', 'abm'])], { profile: kvm }),
    },
    {
      name: 'synthetic-raw',
      about: 'the raw view (nothing added): a host without x2APIC gets -x2apic, which KVM would otherwise turn on',
      target: minimalTarget([modelHost('Westmere', 0x206c2), modelHost('Nehalem', 0x106a5)], { profile: getProfile('raw') }),
    },
    {
      name: 'synthetic-nested',
      about: 'nested virtualization on hosts that report VMX but no VMX capability MSRs: every VMX control QEMU\u2019s model has is disabled',
      target: minimalTarget([modelHost('IvyBridge', 0x306a9, [], ['vmx']), modelHost('IvyBridge', 0x306a9, [], ['vmx'])], { profile: kvm, nested: true }),
    },
  ]);
}

/** What an exporter produced, as one stable text for a golden file: the output, then the diagnostics. */
export function renderExport(exporter: Exporter, target: MigrationTarget): string {
  const r = exporter.render(target);
  const diags = r.diagnostics.map((d) => `${d.level}: ${d.message}`);
  return `${r.text}== diagnostics\n${diags.length > 0 ? `${diags.join('\n')}\n` : ''}`;
}

/**
 * The tests every KVM-family exporter owes: a golden file per target, and the same text whatever
 * the order of the hosts.
 */
export function describeKvmGoldens(exporter: Exporter): void {
  describe(`${exporter.format} exporter: golden files`, () => {
    for (const t of kvmTargets()) {
      it(`${t.name}: ${t.about}`, () => expectGolden(renderExport(exporter, t.target), exportGolden(exporter.format, t.name)));
    }

    it('writes the same text whatever the order of the hosts', () => {
      for (const t of kvmTargets()) {
        const reversed = minimalTarget([...t.target.hosts].reverse(), { profile: t.target.profile, ...t.target.viewOptions });
        expect(renderExport(exporter, reversed), t.name).toBe(renderExport(exporter, t.target));
      }
    });
  });
}

/** Where an exporter's golden file for a target lives. */
export function exportGolden(format: string, name: string): string {
  return writerFixtures(format, `${name}.txt`);
}

/**
 * What a CPU definition written as a model name plus features turned on and off means to openevc,
 * on the features the spelling names: the model's features (`expandModel`), each change applied,
 * closed over named prerequisites. A name the spelling does not have is an error (so a wrong
 * spelling cannot pass unnoticed).
 */
export function definitionMeaning(model: string, changes: readonly { readonly name: string; readonly on: boolean }[], eco: KvmSpelling): FeatureSet {
  const set = expandModel(model);
  for (const c of changes) {
    const f = catalog.resolve(c.name, eco);
    if (!f || f[eco] !== c.name) throw new Error(`'${c.name}' is not a ${eco} feature name`);
    if (c.on) set.add(f);
    else set.delete(f);
  }
  return closeOverNamed(set, eco);
}

/** The part of a target a format can express: its features the spelling names. */
export function expressible(target: MigrationTarget, eco: KvmSpelling): FeatureSet {
  return target.features.intersection(namedFeatures(eco));
}

/** `-cpu help`'s model names and its "Recognized CPUID flags". */
export interface QemuCpuHelp {
  readonly models: ReadonlySet<string>;
  readonly flags: ReadonlySet<string>;
}

export function parseCpuHelp(text: string): QemuCpuHelp {
  const models = new Set([...text.matchAll(/^x86 +(\S+)/gm)].map((m) => m[1]!));
  const at = text.indexOf('Recognized CPUID flags:');
  if (at < 0 || models.size === 0) throw new Error('qemu -cpu help: no model list or no "Recognized CPUID flags:" section');
  const flags = new Set(text.slice(at + 'Recognized CPUID flags:'.length).split(/\s+/).filter(Boolean));
  return { models, flags };
}
