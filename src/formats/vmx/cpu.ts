/**
 * The CPU side of a `.vmx`: register masks (`cpuid.1.ecx`), per-VM EVC feature settings
 * (`featMask.vm.cpuid.AVX`), and the CPU-related keys that are not masks (`cpuid.coresPerSocket`,
 * `cpuid.brandstring`, `monitor_control.enable_fullcpuid`, ...), kept apart so that none of them is
 * ever read as a mask. `openevc check --vm` and `openevc vmx show|apply` start here.
 */
import type { CpuidDump } from '../../core/cpuid.js';
import type { Diagnostic } from '../../core/errors.js';
import { catalog } from '../../core/catalog.js';
import { VMX_CPU_KEYS } from './keys.js';
import { CpuidMask, applyMask, maskRequirements, mergeMasks } from '../../core/masks/engine.js';
import type { ApplyOptions, MaskTarget, MergeResult, RequirementOptions, Requirements } from '../../core/masks/engine.js';
import { featIdentityRequirements, featMaskKey, featMaskToCpuidMask, readFeatMask } from '../featmask/syntax.js';
import type { FeatMaskEntry } from '../featmask/syntax.js';
import { parseCpuidKey, parseMaskValue } from './register-masks.js';
import type { MaskStyle } from './register-masks.js';
import type { VmxDocument, VmxEntry } from './document.js';

/** A `cpuid.<leaf>.<reg>` line in force. */
export interface VmxMaskLine {
  readonly key: string;
  readonly target: MaskTarget;
  readonly bits: string;
  readonly style: MaskStyle;
  readonly line: number;
}

/** A `featMask.vm.<key>` line in force. */
export interface VmxFeatMaskLine {
  readonly key: string;
  readonly entry: FeatMaskEntry;
  readonly line: number;
}

/** A CPU-related key that is not a mask openevc applies. */
export interface VmxCpuSetting {
  readonly key: string;
  readonly value: string;
  readonly line: number;
  /** What it does, in openevc's words. */
  readonly meaning: string;
  readonly unconfirmed: boolean;
}

export interface VmxCpu {
  readonly file: string;
  readonly maskLines: readonly VmxMaskLine[];
  /** The register masks in force. */
  readonly mask: CpuidMask;
  readonly featMasks: readonly VmxFeatMaskLine[];
  readonly settings: readonly VmxCpuSetting[];
  readonly diagnostics: readonly Diagnostic[];
}

const KNOWN = new Map(VMX_CPU_KEYS.map((r) => [r.key.toLowerCase(), r]));

/**
 * Reads the CPU settings of a `.vmx`. Where a key is set more than once the last line counts
 * (see vmx.ts). A malformed mask or featMask value is an InputError naming file, line and column;
 * keys openevc cannot apply are kept in `settings` with a diagnostic.
 */
export function readVmxCpu(doc: VmxDocument): VmxCpu {
  const file = doc.file;
  const inForce = new Map<string, VmxEntry>();
  for (const e of doc.entries()) inForce.set(e.key.toLowerCase(), e);
  const maskLines: VmxMaskLine[] = [];
  const featMasks: VmxFeatMaskLine[] = [];
  const settings: VmxCpuSetting[] = [];
  const diagnostics: Diagnostic[] = [];
  const setting = (e: VmxEntry, meaning: string, unconfirmed: boolean) => settings.push({ key: e.key, value: e.value, line: e.line, meaning, unconfirmed });

  for (const e of [...inForce.values()].sort((a, b) => a.line - b.line)) {
    const where = { file, line: e.line, column: e.column };
    const shape = parseCpuidKey(e.key);
    if (shape?.kind === 'register') {
      const { bits, style } = parseMaskValue(e.value, where);
      maskLines.push({ key: e.key, target: shape.target, bits, style, line: e.line });
      continue;
    }
    if (shape?.kind === 'subleaf') {
      const message =
        `'${e.key}' names subleaf ${shape.subleaf}: VMware is not known to read this form, so openevc does not apply it ` +
        `(write cpuid.${shape.leaf.toString(16)}.${shape.reg} for subleaf 0, featMask.vm.cpuid.<NAME> for other subleaves)`;
      diagnostics.push({ level: 'warning', message, where: { file, line: e.line } });
      setting(e, 'register mask with a subleaf: not applied', true);
      continue;
    }
    const fk = featMaskKey(e.key);
    if (fk !== undefined) {
      const r = readFeatMask(fk, e.value, where);
      featMasks.push({ key: e.key, entry: r.entry, line: e.line });
      diagnostics.push(...r.diagnostics);
      continue;
    }
    const lower = e.key.toLowerCase();
    const known = KNOWN.get(lower);
    if (known) setting(e, known.meaning, known.unconfirmed ?? false);
    else if (lower.startsWith('featmask.')) setting(e, 'feature mask key openevc does not read', true);
    else if (lower.startsWith('cpuid.')) {
      const f = catalog.resolve(e.key.slice('cpuid.'.length), 'vmware');
      const meaning = f ? `feature key for ${f.name} outside featMask (its effect is not documented); not applied` : 'CPU setting openevc does not know; not applied';
      setting(e, meaning, true);
    }
  }
  // The document's own notes (a CPU key set twice) that concern the lines read here.
  const cpuLines = new Set([...maskLines, ...featMasks, ...settings].map((x) => x.line));
  diagnostics.unshift(...doc.diagnostics.filter((d) => d.where?.line !== undefined && cpuLines.has(d.where.line)));
  const mask = CpuidMask.of(maskLines.map((m) => ({ ...m.target, bits: m.bits })));
  return { file, maskLines, mask, featMasks, settings, diagnostics };
}

/**
 * The mask a VM's `.vmx` puts in force: its register masks merged with its featMask settings.
 * How VMware combines the two is not documented; merging keeps both (a bit hidden by either is
 * hidden) and lists the bits where they disagree.
 */
export function vmxEffectiveMask(cpu: VmxCpu): MergeResult {
  return mergeMasks(cpu.mask, featMaskToCpuidMask(cpu.featMasks.map((f) => f.entry)));
}

/** What the VM's guest is shown of a host. */
export function applyVmxCpu(cpu: VmxCpu, host: CpuidDump, opts: ApplyOptions = {}): CpuidDump {
  return applyMask(vmxEffectiveMask(cpu).mask, host, opts);
}

/** What the VM, powered on (or running) on `source`, needs from a host, identity settings included. */
export function vmxRequirements(cpu: VmxCpu, source: CpuidDump, opts: RequirementOptions = {}): Requirements {
  const { bits } = maskRequirements(vmxEffectiveMask(cpu).mask, source, opts);
  return { bits, identity: featIdentityRequirements(cpu.featMasks.map((f) => f.entry)) };
}
