/** `openevc show <file|->`: what a host offers a VM, in words or as JSON. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Category, Feature } from '../../core/catalog.js';
import { describeLocation } from '../../core/catalog.js';
import { hexLeaf } from '../../core/cpuid.js';
import type { Host } from '../../core/host.js';
import { decodeHost, summarize } from '../../core/host.js';
import { hostModel, libvirtNames } from '../../core/models.js';
import { builtinEvcModes, hostMaxEvcMode } from '../../core/evc.js';
import { levelName, missingForLevel } from '../../core/levels.js';
import { getView, guestFeatures } from '../../core/views.js';
import type { Level } from '../../core/levels.js';
import { formatOption, parseCpuIndex, readHost } from '../inputs.js';
import type { HostInput } from '../inputs.js';
import { labelled, outputWidth, plural, table, wrapWords } from '../text.js';
import { fidelityLine, fidelityOf } from '../../report/fidelity.js';

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'openevc-json': 'openevc JSON',
  instlatx64: 'InstLatx64/AIDA64 text',
  'cpuid-r': 'cpuid -r',
  libvirt: 'libvirt cpudata XML',
  'vmware-log': 'vmware.log',
  'proc-cpuinfo': '/proc/cpuinfo (lossy)',
  probe: 'probe of this machine',
  'libvirt-cpu': 'libvirt <cpu> definition (lossy)',
  libcpuid: 'libcpuid raw dump',
  synthetic: 'authored by hand',
  govc: 'govc JSON',
  powercli: 'PowerCLI JSON',
  rvtools: 'RVTools export',
  'vcenter-evc': 'vCenter supportedEVCMode',
  'kubevirt-nodes': 'kubectl node list (KubeVirt labels)',
  'xen-cpuid': 'xen-cpuid -p policy',
};

const CATEGORY_ORDER: readonly Category[] = ['legacy', 'simd', 'bitmanip', 'crypto', 'xsave', 'memory', 'system', 'security', 'mitigation', 'tsx', 'virtualization', 'power', 'debug', 'info'];

export function register(program: Command): void {
  program
    .command('show')
    .description('summarize a host: identity, microarchitecture, x86-64 level, features by category')
    .argument('<file>', "CPUID input (any supported format), or '-' for standard input; FILE#HOST names one host of a fleet export")
    .addOption(formatOption())
    .option('--json', 'print the summary as JSON (see docs/json.md)')
    .option('-l, --long', 'one line per feature, with its CPUID location and enforcement')
    .addOption(new Option('--cpu <n>', 'logical CPU to use from a multi-CPU dump').argParser(parseCpuIndex))
    .option('--guest', "vmware.log: use what the guest was shown instead of the host's CPUID")
    .action(async (file: string, opts: { format?: string; json?: boolean; long?: boolean; cpu?: number; guest?: boolean }) => {
      const input = await readHost(file, opts);
      const host = decodeHost(input.dump);
      if (opts.json) {
        const summary = summarize(host, { file: input.file, format: input.format, cpus: input.cpus, diagnostics: input.diagnostics });
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderHost(host, input, { long: opts.long ?? false })}\n`);
      }
    });
}

export function renderHost(host: Host, input: HostInput, opts: { long: boolean }): string {
  const { id, dump } = host;
  const width = outputWidth();
  const out: string[] = [];
  const src = dump.source;
  const from = [FORMAT_NAMES[input.format] ?? input.format];
  if (src.format !== input.format) from.push(`originally ${FORMAT_NAMES[src.format] ?? src.format}`);
  if (input.cpus > 1) from.push(`CPU ${src.cpu ?? 0} of ${input.cpus}`);
  if (src.view) from.push(`${src.view} view`);
  out.push(`${input.file}  (${from.join(', ')})`);
  if (src.label) out.push(labelled('  Label', src.label));
  if (fidelityOf(src) !== 'cpuid') out.push(labelled('  Fidelity', wrapWords(fidelityLine(src).split(' '), width, 16)));
  out.push(labelled('  CPU', id.brand || '(no brand string)'));
  out.push(labelled('  Vendor', id.vendorString || '(unknown)'));
  out.push(labelled('  Signature', `0x${id.signature.toString(16).padStart(8, '0')}  family 0x${id.family.toString(16)}, model 0x${id.model.toString(16)}, stepping ${id.stepping}`));
  out.push(labelled('  Microarch', id.microarchitecture ?? 'unknown'));
  out.push(labelled('  Hypervisor', id.hypervisor ? `yes${id.hypervisorVendor ? ` (${id.hypervisorVendor})` : ''}: this is what a VM was shown, not the host's own CPUID` : 'none (bare-metal CPUID)'));
  const ranges: string[] = [];
  if (id.maxBasicLeaf !== undefined) ranges.push(`basic up to ${hexLeaf(id.maxBasicLeaf)}`);
  if (id.maxExtendedLeaf !== undefined) ranges.push(`extended up to ${hexLeaf(id.maxExtendedLeaf)}`);
  out.push(labelled('  Leaves', ranges.join(', ') || 'none'));
  out.push(labelled('  x86-64 level', levelLine(host)));
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
  if (max) return `${max.key}  (${max.label})`;
  const vendor = host.id.vendor;
  if (vendor !== 'intel' && vendor !== 'amd') return 'none (EVC modes exist for Intel and AMD CPUs only)';
  // The base mode of each track the CPU comes closest to, and what it lacks for it.
  const guest = guestFeatures(host, getView('esxi'));
  const gaps = [...builtinEvcModes().tracks(vendor).values()].map((modes) => builtinEvcModes().requirement(modes[0]!).minus(guest));
  const nearest = gaps.reduce((a, b) => (b.size < a.size ? b : a));
  const base = [...builtinEvcModes().tracks(vendor).values()][gaps.indexOf(nearest)]![0]!;
  return `none  (${base.key} also needs: ${nearest.ids().join(', ')})`;
}

function levelLine(host: Host): string {
  const level = host.level;
  const name = levelName(level);
  if (level >= 4) return name;
  const missing = missingForLevel(host.features, (level + 1) as Level).map((f) => f.id);
  return `${name}  (${levelName((level + 1) as Level)} also needs: ${missing.join(', ')})`;
}
