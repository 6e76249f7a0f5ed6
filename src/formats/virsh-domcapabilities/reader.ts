/**
 * `virsh domcapabilities`: what a hypervisor can give a VM. openevc reads the CPU part:
 *
 * - `<mode name='host-model'>`: the host CPU as libvirt describes it for VMs, a model with
 *   `<feature policy='require|disable' name>`: this is the host the importer returns (rebuilt
 *   with the `libvirt-cpu` machinery, lossy);
 * - `<mode name='custom'>`: every named model with `usable='yes|no|unknown'`, `vendor`,
 *   `canonical`, and in recent libvirt `<blockers model='X'><feature name/>…</blockers>`: why a
 *   model cannot run here. {@link readDomainCapabilities} returns them, and
 *   {@link compareUsable} sets openevc's own answer (src/formats/virsh-domcapabilities/usable.ts)
 *   beside libvirt's.
 */
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import type { LibvirtCpuDefinition } from '../libvirt/cpu-reader.js';
import { libvirtCpusResult, readLibvirtCpuDefinitions, resolveLibvirtCpu } from '../libvirt/cpu-reader.js';
import { withoutBom } from '../common/text-position.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { attr, children, parseXml, startOf, textOf } from '../common/xml.js';
import type { XmlDocument, XmlElement } from '../common/xml.js';
import { xmlRootName } from '../virsh-capabilities/reader.js';

export type Usable = 'yes' | 'no' | 'unknown';

/** One `<model>` of the custom mode, as libvirt wrote it. */
export interface DomcapsModel {
  readonly name: string;
  readonly usable: Usable;
  /** libvirt's vendor name (`Intel`, `AMD`, `Hygon`, `unknown`). */
  readonly vendor: string | undefined;
  /** The versioned name the alias resolves to (`Skylake-Client-v1`), when libvirt gives it. */
  readonly canonical: string | undefined;
  readonly deprecated: boolean;
  /** libvirt's `<blockers>` for the model: feature names as libvirt spells them; undefined when the file has none. */
  readonly blockers: readonly string[] | undefined;
  readonly line: number;
}

export interface DomainCapabilities {
  /** `kvm`, `qemu` (TCG), `hvf`... */
  readonly domain: string | undefined;
  readonly arch: string | undefined;
  readonly machine: string | undefined;
  /** The host-model CPU, undefined when the hypervisor does not support host-model (`supported='no'`). */
  readonly hostModel: LibvirtCpuDefinition | undefined;
  /** Every named model of the custom mode, in file order (empty when the mode is missing or unsupported). */
  readonly models: readonly DomcapsModel[];
}

const MAX_DEPTH = 16;
const USABLE: readonly Usable[] = ['yes', 'no', 'unknown'];

function cpuElement(r: XmlDocument): XmlElement {
  const roots = r.roots();
  const [name, root] = roots[0] ?? [];
  if (name !== 'domainCapabilities' || !root) {
    throw new InputError(r.where(root), "the output of 'virsh domcapabilities' (a <domainCapabilities> document)", name ? `<${name}>` : '');
  }
  const cpu = children(root, 'cpu')[0];
  if (!cpu) throw new InputError(r.where(root), 'a <cpu> element inside <domainCapabilities>', r.tagAt(startOf(root)));
  return cpu;
}

function readModels(r: XmlDocument, custom: XmlElement): DomcapsModel[] {
  // <blockers> follow their <model>; read them first, by model name.
  const blockers = new Map<string, string[]>();
  for (const b of children(custom, 'blockers')) {
    const model = attr(b, 'model');
    if (model === undefined || model.trim() === '') throw new InputError(r.where(b), "<blockers model='…'>", r.tagAt(startOf(b)));
    const names = children(b, 'feature').map((f) => {
      const n = attr(f, 'name');
      if (n === undefined || n.trim() === '') throw new InputError(r.where(f), "<feature name='…'> inside <blockers>", r.tagAt(startOf(f)));
      return n.trim();
    });
    blockers.set(model.trim(), names);
  }
  return children(custom, 'model').map((m): DomcapsModel => {
    const name = textOf(m);
    if (name === '') throw new InputError(r.where(m), 'a CPU model name inside <model>', r.tagAt(startOf(m)));
    const usable = attr(m, 'usable') ?? 'unknown';
    if (!USABLE.includes(usable as Usable)) throw new InputError(r.where(m), "usable='yes', 'no' or 'unknown'", `usable='${usable}'`);
    return {
      name,
      usable: usable as Usable,
      vendor: attr(m, 'vendor'),
      canonical: attr(m, 'canonical'),
      deprecated: attr(m, 'deprecated') === 'yes',
      blockers: blockers.get(name),
      line: r.where(m).line,
    };
  });
}

/** Reads a domcapabilities document: host-model and the custom models. Bad input throws InputError naming file and line. */
export function readDomainCapabilities(text: string, file: string): DomainCapabilities {
  const src = withoutBom(text);
  if (src.trim() === '') throw new InputError({ file, line: 1 }, "the output of 'virsh domcapabilities'", '');
  const r = parseXml(src, file, {
    maxDepth: MAX_DEPTH,
    depthNote: 'a domcapabilities document is 6 deep',
    namesNote: 'the element and attribute names of a domcapabilities document (domainCapabilities, cpu, mode, model, feature, ...)',
  });
  const cpu = cpuElement(r);
  const root = r.roots()[0]![1];
  const field = (name: string): string | undefined => {
    const el = children(root, name)[0];
    return el ? textOf(el) : undefined;
  };
  const arch = field('arch');
  if (arch !== undefined && arch !== 'x86_64' && arch !== 'i686') {
    throw new InputError(r.where(children(root, 'arch')[0]), 'an x86 hypervisor (<arch>x86_64</arch> or i686)', `<arch>${arch}</arch>`);
  }
  const modes = children(cpu, 'mode');
  const hm = modes.find((m) => attr(m, 'name') === 'host-model');
  let hostModel: LibvirtCpuDefinition | undefined;
  if (hm && attr(hm, 'supported') !== 'no') {
    const defs = readLibvirtCpuDefinitions(src, file).filter((d) => d.kind === 'host-model');
    hostModel = defs[0];
  }
  const custom = modes.find((m) => attr(m, 'name') === 'custom');
  const models = custom && attr(custom, 'supported') !== 'no' ? readModels(r, custom) : [];
  return { domain: field('domain'), arch, machine: field('machine'), hostModel, models };
}

function parseDomcaps(text: string, ctx: ImportContext): ImportResult {
  const caps = readDomainCapabilities(text, ctx.file);
  if (!caps.hostModel) {
    throw new InputError(
      { file: ctx.file, line: 1 },
      "a host-model CPU (<mode name='host-model' supported='yes'> with a <model>): this hypervisor does not describe its host CPU",
      `domain ${caps.domain ?? '(unknown)'}`,
    );
  }
  const result = libvirtCpusResult([resolveLibvirtCpu(caps.hostModel, ctx.file)], ctx.file, 'virsh-domcapabilities');
  const usable = caps.models.filter((m) => m.usable === 'yes').length;
  const extra: Diagnostic[] = [
    {
      level: 'info',
      message:
        `the host is libvirt's host-model for domain type ${caps.domain ?? '(unknown)'}: what this hypervisor can give a VM, not the bare CPU` +
        (caps.models.length > 0 ? `; libvirt marks ${usable} of ${caps.models.length} named models usable` : ''),
      where: { file: ctx.file },
    },
  ];
  return { ...result, diagnostics: [...result.diagnostics, ...extra] };
}

export const virshDomcapabilitiesImporter: Importer = {
  format: 'virsh-domcapabilities',
  description: "virsh domcapabilities XML: the host-model CPU (model, require/disable features); named models' usable and <blockers> are read too; lossy",
  sniff(head: string): number {
    return xmlRootName(withoutBom(head)) === 'domainCapabilities' ? 0.98 : 0;
  },
  parse: parseDomcaps,
};
