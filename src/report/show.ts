/** What `openevc show` prints (text and JSON), as pure functions the CLI and the library share. */
import type { Category, Feature } from '../core/catalog.js';
import { describeLocation } from '../core/catalog.js';
import { hexLeaf } from '../core/cpuid.js';
import type { Diagnostic } from '../core/errors.js';
import type { Host } from '../core/host.js';
import { hostModel, libvirtNames } from '../core/models.js';
import { UNCONFIRMED_LEGEND, UNCONFIRMED_MARK, evcGaps, hostMaxEvcMode, modeConfidence } from '../core/evc.js';
import { unknownBits } from '../core/unknown-bits.js';
import { levelDeviations, levelName, missingForLevel } from '../core/levels.js';
import { evcProfile, guestFeatures } from '../core/profiles.js';
import type { Level } from '../core/levels.js';
import { labelled, plural, printable, table, wrapWords, DEFAULT_WIDTH } from './text.js';
import { formatLabel } from '../formats/registry.js';
import { fidelityLine, fidelityOf } from './fidelity.js';

const CATEGORY_ORDER: readonly Category[] = ['legacy', 'simd', 'bitmanip', 'crypto', 'xsave', 'memory', 'system', 'security', 'mitigation', 'tsx', 'virtualization', 'power', 'debug', 'info'];

/** What `show` says about where a host came from. */
export interface ShownInput {
  /** The path as the user gave it (`-` for standard input). */
  readonly file: string;
  /** The format the input was read as. */
  readonly format: string;
  /** How many logical CPUs the input held. */
  readonly cpus: number;
  readonly diagnostics: readonly Diagnostic[];
}

export function renderHost(host: Host, input: ShownInput, opts: { long: boolean; width?: number }): string {
  const { id, dump } = host;
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const src = dump.source;
  const from = [formatLabel(input.format)];
  if (src.format !== input.format) from.push(`originally ${formatLabel(src.format)}`);
  if (input.cpus > 1) from.push(`CPU ${src.cpu ?? 0} of ${input.cpus}`);
  if (src.view) from.push(`${src.view} view`);
  out.push(`${printable(input.file)}  (${from.join(', ')})`);
  if (src.label) out.push(labelled('  Label', printable(src.label)));
  if (fidelityOf(src) !== 'cpuid') out.push(labelled('  Fidelity', wrapWords(fidelityLine(src).split(' '), width, 16)));
  out.push(labelled('  CPU', printable(id.brand) || '(no brand string)'));
  out.push(labelled('  Vendor', printable(id.vendorString) || '(unknown)'));
  out.push(labelled('  Signature', `0x${id.signature.toString(16).padStart(8, '0')}  family 0x${id.family.toString(16)}, model 0x${id.model.toString(16)}, stepping ${id.stepping}`));
  out.push(labelled('  Microarch', id.microarchitecture ?? (src.model !== undefined ? `unknown (the input names CPU model ${src.model})` : 'unknown')));
  out.push(labelled('  Hypervisor', id.hypervisor ? `yes${id.hypervisorVendor ? ` (${id.hypervisorVendor})` : ''}: this is what a VM was shown, not the host's own CPUID` : 'none (bare-metal CPUID)'));
  const ranges: string[] = [];
  if (id.maxBasicLeaf !== undefined) ranges.push(`basic up to ${hexLeaf(id.maxBasicLeaf)}`);
  if (id.maxExtendedLeaf !== undefined) ranges.push(`extended up to ${hexLeaf(id.maxExtendedLeaf)}`);
  out.push(labelled('  Leaves', ranges.join(', ') || 'none'));
  out.push(labelled('  x86-64 level', levelLine(host)));
  const basis = levelDeviations(host.features, host.level);
  if (basis.length > 0) out.push(labelled('  Level basis', wrapWords(`${basis.map((d) => d.short).join('; ')}`.split(' '), width, 16)));
  out.push(labelled('  Max EVC mode', evcLine(host)));
  out.push(labelled('  QEMU model', wrapWords(qemuLine(host).split(' '), width, 16)));

  const capabilities = [...host.features];
  out.push('');
  out.push(`Features (${plural(capabilities.length, 'capability', 'capabilities')})`);
  if (opts.long) {
    out.push(table(capabilities.map((f) => ['  ' + f.id, describeLocation(f.loc), f.name, f.enforce === 'enforced' ? `enforced (${f.gate ?? ''})` : 'advisory'])));
  } else {
    const byCat = new Map<Category, Feature[]>();
    for (const f of capabilities) byCat.set(f.cat, [...(byCat.get(f.cat) ?? []), f]);
    for (const cat of CATEGORY_ORDER) {
      const list = byCat.get(cat);
      if (!list) continue;
      out.push(`  ${cat.padEnd(16)}${wrapWords(list.map((f) => f.id), width, 18)}`);
    }
  }
  const controlled = [...host.bits].filter((f) => f.kind === 'os' || f.kind === 'hypervisor');
  if (controlled.length > 0) {
    out.push('');
    out.push('Set by the OS or a hypervisor (never compared between hosts)');
    out.push(table(controlled.map((f) => ['  ' + f.id, f.name])));
  }
  const unknown = unknownBits(dump);
  if (unknown.length > 0) {
    out.push('');
    out.push(`Set bits openevc cannot name (${unknown.length}; compared only under --profile raw)`);
    out.push(`  ${wrapWords(unknown.map((u) => u.id), width, 2)}`);
  }
  const max = hostMaxEvcMode(host);
  if (max && !modeConfidence(max).confirmed) {
    out.push('');
    out.push(UNCONFIRMED_LEGEND);
  }
  if (fidelityOf(src) === 'evc-key') {
    out.push('');
    out.push(`Note: this host is known by its EVC mode key only: the features above are ${src.evcKey ?? 'the mode'}'s, not read from the CPU.`);
  } else if (dump.source.lossy) {
    out.push('');
    out.push('Note: the input cannot carry every CPUID bit; absent features may only be unknown.');
  }
  if (input.diagnostics.length > 0) {
    out.push('');
    for (const d of input.diagnostics) out.push(`${d.level}: ${d.message}`);
  }
  return out.join('\n');
}

/** libvirt's host-model: the model and what the host has beyond it (what `virsh capabilities` would say). */
function qemuLine(host: Host): string {
  const m = hostModel(host);
  if (!m) return 'none (no QEMU/libvirt model fits this CPU)';
  const extra = libvirtNames(m.require);
  return extra.length === 0 ? m.model.name : `${m.model.name} + ${extra.length} features: ${extra.join(' ')}`;
}

function evcLine(host: Host): string {
  const max = hostMaxEvcMode(host);
  if (max) return `${max.key}${modeConfidence(max).confirmed ? '' : UNCONFIRMED_MARK}  (${max.label})`;
  const vendor = host.id.vendor;
  if (vendor !== 'intel' && vendor !== 'amd') return 'none (EVC modes exist for Intel and AMD CPUs only)';
  // The nearest mode on every ladder of the vendor, and what the CPU lacks for it.
  const gaps = evcGaps(guestFeatures(host, evcProfile()), vendor);
  return `none  (${gaps.map((g) => `${g.mode.key} also needs: ${g.missing.ids().join(', ')}`).join('; ')})`;
}

function levelLine(host: Host): string {
  const level = host.level;
  const name = levelName(level);
  if (level >= 4) return name;
  const missing = missingForLevel(host.features, (level + 1) as Level).map((f) => f.id);
  return `${name}  (${levelName((level + 1) as Level)} also needs: ${missing.join(', ')})`;
}
