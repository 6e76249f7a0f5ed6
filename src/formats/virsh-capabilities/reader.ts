/**
 * `virsh capabilities`: the host's own description, of which openevc reads the host CPU
 * (`<capabilities><host><cpu>`: `<model>`, `<vendor>`, `<signature>`, `<feature name>`). The
 * `<guest>` sections (emulators, machine types) say nothing about the CPU and are passed over.
 *
 * The CPU is a named model plus features, not registers: it is rebuilt with the `libvirt-cpu`
 * machinery (src/importers/libvirt-cpu.ts) and is lossy, which every answer resting on it says.
 */
import { InputError } from '../../core/errors.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { libvirtCpusResult, readLibvirtCpuDefinitions, resolveLibvirtCpu } from '../libvirt/cpu-reader.js';
import { withoutBom } from '../common/text-position.js';

/** The first element name of an XML text, comments, declarations and a BOM skipped; undefined when there is none. */
export function xmlRootName(text: string): string | undefined {
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<([A-Za-z_][\w.:-]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) return m[1];
    if (m.index > 4096) return undefined;
  }
  return undefined;
}

function parseCapabilities(text: string, ctx: ImportContext): ImportResult {
  const src = withoutBom(text);
  const root = xmlRootName(src);
  const defs = readLibvirtCpuDefinitions(src, ctx.file);
  if (root !== 'capabilities') {
    throw new InputError({ file: ctx.file, line: 1 }, "the output of 'virsh capabilities' (a <capabilities> document)", root ? `<${root}>` : src.trim().slice(0, 40));
  }
  const host = defs.filter((d) => d.kind === 'cpu');
  if (host.length !== 1) {
    throw new InputError({ file: ctx.file, line: host[1]?.line ?? 1 }, 'one host <cpu> inside <capabilities><host>', `${host.length} CPU definitions`);
  }
  return libvirtCpusResult([resolveLibvirtCpu(host[0]!, ctx.file)], ctx.file, 'virsh-capabilities');
}

export const virshCapabilitiesImporter: Importer = {
  format: 'virsh-capabilities',
  description: "virsh capabilities XML: the host <cpu> (model, vendor, signature, features); lossy",
  sniff(head: string): number {
    const root = xmlRootName(withoutBom(head));
    if (root !== 'capabilities') return 0;
    return /<host[\s>]/.test(head) ? 0.98 : 0.7;
  },
  parse: parseCapabilities,
};
