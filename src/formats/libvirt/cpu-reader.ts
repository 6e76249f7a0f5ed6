/**
 * libvirt CPU definitions: the `<cpu>` element operators already hold for their hosts and VMs.
 *
 * - `virsh capabilities`: the host's `<cpu>` (model, vendor, signature, extra features);
 * - `virsh domcapabilities`: `<mode name='host-model'>` (model, features required or disabled);
 * - a domain's `<cpu mode='custom'>` with `<model>` and `<feature policy=…>`;
 * - libvirt's test data (`-host.xml`, `-guest.xml`, `-json.xml`, `<cpuTest>` wrappers of several);
 * - virsh cpu-baseline input: several `<cpu>` elements one after another.
 *
 * A definition names a model and features, not registers, so each one is rebuilt: the model is
 * expanded with openevc's QEMU/libvirt model data (src/core/models.ts), `force`/`require` (and
 * `optional`, and plain host-form) features are added, `disable`/`forbid` ones removed, and
 * {@link dumpFromFeatures} writes the bits where the catalog places them, with the vendor and
 * signature the definition states. The result is lossy (no caches, topology or values beyond
 * feature bits) and says so. Several definitions in one file become `cpus`, in file order.
 *
 * libvirt's raw CPUID dumps (`<cpudata>`) have their own importer (libvirt.ts); detection tells
 * them apart by the root element.
 */
import type { Feature, FeatureSet, Vendor } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { CpuidDump } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import { dumpFromFeatures, impliedXsaveState, signatureEax } from '../../core/feature-dump.js';
import { builtinModels, libvirtVendorName } from '../../core/models.js';
import type { BaselineCpu, CpuModel, CpuSignature, ModelTable } from '../../core/models.js';
import { LIBVIRT_VENDORS, POLICIES, SIGNATURE_MAX } from './cpu-definition.js';
import type { FeaturePolicy, LibvirtCpuDefinition, LibvirtFeatureRef } from './cpu-definition.js';
import { scanLibvirtCpuDefinitions } from './cpu-scan.js';
import { QEMU_MODELS_SOURCE } from '../../data/qemu-models.js';
import { withoutBom } from '../common/text-position.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { attr, childElements, children, parseXml, startOf, textOf } from '../common/xml.js';
import type { XmlDocument, XmlElement } from '../common/xml.js';

/** Capabilities and domain documents nest deeper than a `<cpu>` (devices, NUMA cells); 16 covers them with room. */
const MAX_DEPTH = 16;

export type { FeaturePolicy, LibvirtCpuDefinition, LibvirtFeatureRef } from './cpu-definition.js';

/** A definition resolved to catalog features: what the CPU it describes has. */
export interface LibvirtCpu extends BaselineCpu {
  readonly definition: LibvirtCpuDefinition;
  readonly features: FeatureSet;
  readonly vendor: Vendor | undefined;
  readonly signature: CpuSignature | undefined;
  /** The expanded model, when the definition names one. */
  readonly cpuModel: CpuModel | undefined;
}

function intAttr(r: XmlDocument, el: XmlElement, name: string, max: number, required: boolean): number | undefined {
  const raw = attr(el, name);
  if (raw === undefined) {
    if (!required) return undefined;
    throw new InputError(r.where(el), `<signature> to have ${name}='…' (a decimal number)`, r.tagAt(startOf(el)));
  }
  if (!/^\s*\d{1,4}\s*$/.test(raw) || Number(raw) > max) {
    throw new InputError(r.where(el), `<signature> ${name} as a decimal number up to ${max}`, `${name}='${raw}'`);
  }
  return Number(raw);
}

function readDefinition(r: XmlDocument, el: XmlElement, kind: 'cpu' | 'host-model'): LibvirtCpuDefinition {
  const arch = children(el, 'arch')[0];
  if (arch) {
    const a = textOf(arch);
    if (a !== 'x86_64' && a !== 'i686') throw new InputError(r.where(arch), 'an x86 CPU (<arch>x86_64</arch> or i686)', `<arch>${a}</arch>`);
  }
  const mode = kind === 'host-model' ? 'host-model' : attr(el, 'mode');
  const fromHost = mode === 'host-passthrough' || mode === 'host-model' || mode === 'maximum';
  const modelEl = children(el, 'model')[0];
  let model: string | undefined;
  if (modelEl) {
    model = textOf(modelEl);
    // A domain's host-model CPU may carry an empty <model fallback='allow'/>: nothing to read, explained below.
    if (model === '' && fromHost) model = undefined;
    else if (model === '') throw new InputError(r.where(modelEl), 'a CPU model name inside <model>', r.tagAt(startOf(modelEl)));
  }
  const vendorEl = children(el, 'vendor')[0];
  let vendor: string | undefined;
  if (vendorEl) {
    vendor = textOf(vendorEl);
    if (!Object.hasOwn(LIBVIRT_VENDORS, vendor)) {
      throw new InputError(r.where(vendorEl), `a CPU vendor libvirt knows (${Object.keys(LIBVIRT_VENDORS).join(', ')})`, vendor);
    }
  }
  const sigEl = children(el, 'signature')[0];
  const signature: CpuSignature | undefined = sigEl
    ? {
        family: intAttr(r, sigEl, 'family', SIGNATURE_MAX.family, true)!,
        model: intAttr(r, sigEl, 'model', SIGNATURE_MAX.model, true)!,
        stepping: intAttr(r, sigEl, 'stepping', SIGNATURE_MAX.stepping, false) ?? 0,
      }
    : undefined;
  const features = children(el, 'feature').map((f): LibvirtFeatureRef => {
    const name = attr(f, 'name');
    if (name === undefined || name.trim() === '') throw new InputError(r.where(f), "<feature name='…'>", r.tagAt(startOf(f)));
    const policy = attr(f, 'policy');
    if (policy !== undefined && !POLICIES.includes(policy as FeaturePolicy)) {
      throw new InputError(r.where(f), `a feature policy (${POLICIES.join(', ')})`, `policy='${policy}'`);
    }
    return { name: name.trim(), policy: policy as FeaturePolicy | undefined, line: r.where(f).line };
  });
  if (model === undefined && features.length === 0) {
    const why = fromHost ? ` (mode='${mode}' takes the CPU from whatever host the VM runs on, which this file does not describe)` : '';
    throw new InputError(r.where(el), `a CPU definition with a <model> or <feature> elements${why}`, r.tagAt(startOf(el)));
  }
  return {
    line: r.where(el).line,
    kind,
    mode,
    model,
    modelLine: modelEl ? r.where(modelEl).line : undefined,
    fallback: modelEl ? attr(modelEl, 'fallback') : undefined,
    vendor,
    signature,
    features,
  };
}

/** Whether an element is a CPU definition: a `<cpu>` (or host-model `<mode>`) naming a model, vendor or features. */
function definitionKind(name: string, el: XmlElement): 'cpu' | 'host-model' | undefined {
  const describes = el.model !== undefined || el.feature !== undefined || el.vendor !== undefined || el.signature !== undefined;
  if (name === 'cpu' && describes) return 'cpu';
  if (name === 'mode' && attr(el, 'name') === 'host-model' && describes) return 'host-model';
  return undefined;
}

function collect(r: XmlDocument, el: XmlElement, out: LibvirtCpuDefinition[], modeless: XmlElement[]): void {
  for (const [name, child] of childElements(el)) {
    const kind = definitionKind(name, child);
    if (kind) out.push(readDefinition(r, child, kind));
    else {
      if (name === 'cpu' && attr(child, 'mode') !== undefined) modeless.push(child);
      collect(r, child, out, modeless);
    }
  }
}

/** Every CPU definition of a document, in document order. Bad input throws InputError naming file and line. */
export function readLibvirtCpuDefinitions(text: string, file: string): LibvirtCpuDefinition[] {
  const src = documentText(text, file);
  // virsh's own layout (cpu-baseline input: one <cpu> after another) without the XML parser.
  return scanLibvirtCpuDefinitions(src, file) ?? definitionsFromXml(src, file);
}

/** The XML parser's path alone (no scanner): what the fast path must agree with. */
export function readLibvirtCpuDefinitionsXml(text: string, file: string): LibvirtCpuDefinition[] {
  return definitionsFromXml(documentText(text, file), file);
}

/** The text without its byte-order mark; refused when there is nothing else. */
function documentText(text: string, file: string): string {
  const src = withoutBom(text);
  if (src.trim() === '') throw new InputError({ file, line: 1 }, 'a libvirt <cpu> definition', '');
  return src;
}

function definitionsFromXml(src: string, file: string): LibvirtCpuDefinition[] {
  const r = parseXml(src, file, {
    maxDepth: MAX_DEPTH,
    depthNote: 'libvirt capabilities and domain documents are far shallower',
    namesNote: 'the element and attribute names of a libvirt <cpu> definition (cpu, model, vendor, feature, ...)',
    multipleRoots: true,
  });
  const roots = r.roots();
  if (roots.length === 0) throw new InputError({ file, line: 1 }, 'a libvirt <cpu> definition', '');
  const out: LibvirtCpuDefinition[] = [];
  const modeless: XmlElement[] = [];
  for (const [name, el] of roots) {
    const kind = definitionKind(name, el);
    if (kind) out.push(readDefinition(r, el, kind));
    else {
      if (name === 'cpu') modeless.push(el);
      collect(r, el, out, modeless);
    }
  }
  if (out.length === 0) {
    // Explain the one <cpu> there is (host-passthrough...), or say what was expected.
    if (modeless[0]) readDefinition(r, modeless[0], 'cpu');
    const [name, el] = roots[0]!;
    throw new InputError(r.where(el), 'a libvirt <cpu> definition with a <model> or <feature> elements (virsh capabilities, domcapabilities or a domain)', `<${name}>`);
  }
  return out;
}

/** A feature name as libvirt (or QEMU) spells it, resolved through the catalog. */
function resolveFeature(ref: LibvirtFeatureRef, file: string): Feature {
  const f = catalog.resolve(ref.name, 'libvirt');
  if (!f) throw new InputError({ file, line: ref.line }, "a CPU feature libvirt knows (such as 'avx2' or 'vmx-ept')", ref.name);
  return f;
}

/**
 * What a definition describes: the model's features (see CpuModel.features) with the listed
 * features added or removed by policy, the vendor and the signature it states.
 */
export function resolveLibvirtCpu(def: LibvirtCpuDefinition, file: string, models: ModelTable = builtinModels()): LibvirtCpu {
  let cpuModel: CpuModel | undefined;
  if (def.model !== undefined) {
    cpuModel = models.get(def.model);
    if (!cpuModel) {
      throw new InputError({ file, line: def.modelLine ?? def.line }, `a CPU model of ${QEMU_MODELS_SOURCE} (such as 'Skylake-Server-IBRS' or 'EPYC-Rome')`, def.model);
    }
  }
  const features = cpuModel ? cpuModel.features.clone() : catalog.emptySet();
  for (const ref of def.features) {
    const f = resolveFeature(ref, file);
    if (ref.policy === 'disable' || ref.policy === 'forbid') features.delete(f);
    else features.add(f);
  }
  return {
    definition: def,
    features,
    vendor: def.vendor !== undefined ? LIBVIRT_VENDORS[def.vendor]!.vendor : undefined,
    signature: def.signature,
    cpuModel,
    model: def.model,
  };
}

/** Every CPU definition of a document, resolved. */
export function readLibvirtCpus(text: string, file: string, models: ModelTable = builtinModels()): LibvirtCpu[] {
  return readLibvirtCpuDefinitions(text, file).map((d) => resolveLibvirtCpu(d, file, models));
}

function describe(cpu: LibvirtCpu): string {
  const d = cpu.definition;
  const parts = [d.model ?? '(no model)'];
  const added = d.features.filter((f) => f.policy !== 'disable' && f.policy !== 'forbid').length;
  const removed = d.features.length - added;
  if (added > 0) parts.push(`+${added}`);
  if (removed > 0) parts.push(`-${removed}`);
  return parts.join(' ');
}

function toDump(cpu: LibvirtCpu, index: number, count: number, file: string, diagnostics: Diagnostic[], format: 'libvirt-cpu' | 'virsh-capabilities' | 'virsh-domcapabilities' = 'libvirt-cpu'): CpuidDump {
  const d = cpu.definition;
  let vendor = d.vendor !== undefined ? LIBVIRT_VENDORS[d.vendor]!.cpuid : undefined;
  if (vendor === undefined && cpu.cpuModel?.vendor) {
    const name = libvirtVendorName(cpu.cpuModel.vendor)!;
    vendor = LIBVIRT_VENDORS[name]!.cpuid;
    diagnostics.push({ level: 'info', message: `CPU ${index} (line ${d.line}) states no <vendor>: ${name}, the vendor of model ${cpu.cpuModel.name}, is assumed`, where: { file, line: d.line } });
  }
  if (!d.signature) {
    diagnostics.push({ level: 'info', message: `CPU ${index} (line ${d.line}) states no <signature>: family, model and stepping read as 0`, where: { file, line: d.line } });
  }
  const optional = d.features.filter((f) => f.policy === 'optional').map((f) => f.name);
  if (optional.length > 0) {
    diagnostics.push({
      level: 'warning',
      message: `CPU ${index} (line ${d.line}): policy='optional' features are counted as present (a VM gets them only where its host has them): ${optional.join(', ')}`,
      where: { file, line: d.line },
    });
  }
  const sig = d.signature;
  // libvirt has no names for XSAVE state components: the features that need them prove them.
  const xsaveState = impliedXsaveState(cpu.features, (f) => typeof f.libvirt === 'string');
  return dumpFromFeatures(
    [...cpu.features, ...xsaveState],
    { ...(vendor !== undefined ? { vendor } : {}), ...(sig ? { signature: signatureEax(sig.family, sig.model, sig.stepping) } : {}) },
    { format, path: file, lossy: true, label: `libvirt CPU definition: ${describe(cpu)}`, ...(cpu.model !== undefined ? { model: cpu.model } : {}), ...(count > 1 ? { cpu: index } : {}) },
  );
}

function parseLibvirtCpu(text: string, ctx: ImportContext): ImportResult {
  return libvirtCpusResult(readLibvirtCpus(text, ctx.file), ctx.file, 'libvirt-cpu');
}

/**
 * The import result for resolved CPU definitions, as `format`: the virsh capabilities and
 * domcapabilities readers (src/formats/virsh-*) share this machinery with `libvirt-cpu`.
 */
export function libvirtCpusResult(cpus: readonly LibvirtCpu[], file: string, format: 'libvirt-cpu' | 'virsh-capabilities' | 'virsh-domcapabilities'): ImportResult {
  const ctx = { file };
  const diagnostics: Diagnostic[] = [
    {
      level: 'info',
      message:
        `libvirt CPU definitions name a model and features, not CPUID registers: each CPU is rebuilt from its model (as ${QEMU_MODELS_SOURCE} defines it) ` +
        'and its features, and is lossy (only feature bits, vendor and signature are known; XSAVE state components are inferred from the features that need them)',
      where: { file: ctx.file },
    },
  ];
  const dumps = cpus.map((c, i) => toDump(c, i, cpus.length, ctx.file, diagnostics, format));
  return { format, dump: dumps[0]!, cpus: dumps, diagnostics };
}

export const libvirtCpuImporter: Importer = {
  format: 'libvirt-cpu',
  description: "libvirt CPU definition XML: <cpu> with <model>, <vendor>, <feature> (virsh capabilities, domcapabilities host-model, domain <cpu>, cputest files); lossy",
  sniff(head: string): number {
    if (/<cpudata[\s>]/.test(head)) return 0;
    if (/<cpuTest[\s>]/.test(head)) return 0.9;
    // virsh capabilities and domcapabilities have their own readers (src/formats/virsh-*); --format libvirt-cpu still reads them.
    if (/<domainCapabilities[\s>]/.test(head) || /<capabilities[\s>]/.test(head)) return 0.5;
    if (/<cpu[\s>/]/.test(head)) return 0.85;
    return 0;
  },
  parse: parseLibvirtCpu,
};

