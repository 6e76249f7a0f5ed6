/**
 * PowerCLI: `Get-VMHost | Select -Expand ExtensionData | ConvertTo-Json -Depth 8` (and the same for
 * `Get-Cluster`, `Get-VM`): the vSphere managed objects with PascalCase keys and a `MoRef`
 * `{ "Type", "Value" }`. One object, or an array of them. Objects nested deeper than `-Depth` come
 * out as their type name (`"VMware.Vim.HostCpuIdInfo"`): the reader says to export with a larger depth.
 * What each object yields is in ../common/vsphere.ts.
 */
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { JsonInput, fieldName, isObject } from '../common/json-docs.js';
import type { Located } from '../common/json-docs.js';
import { kindOf, moRef, readVsphereFleet } from '../common/vsphere.js';
import type { VsObject } from '../common/vsphere.js';

function object(input: JsonInput, at: Located): VsObject {
  if (!isObject(at.value)) input.fail(at, 'a vSphere object as PowerCLI exports it (ExtensionData, with MoRef)', at.value);
  const o = at.value as Record<string, unknown>;
  const mk = fieldName(o, 'MoRef');
  const ref = mk === undefined ? undefined : moRef(o[mk]);
  return { at, kind: kindOf(ref?.split(':')[0]), ref, props: [{ name: '', at }] };
}

function parsePowercli(text: string, ctx: ImportContext): ImportResult {
  const input = new JsonInput(text, ctx.file);
  const objects: VsObject[] = [];
  input.docs.forEach((d, doc) => {
    if (Array.isArray(d.value)) d.value.forEach((item, i) => objects.push(object(input, { value: item, doc, path: [i] })));
    else objects.push(object(input, { value: d.value, doc, path: [] }));
  });
  return readVsphereFleet(input, objects, 'powercli', 'PowerCLI ConvertTo-Json output');
}

export const powercliImporter: Importer = {
  format: 'powercli',
  description: 'PowerCLI ExtensionData | ConvertTo-Json: VMHost, Cluster and VM objects (CpuFeature, FeatureCapability, EVC keys)',
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    if (!/^\s*[[{]/.test(t)) return 0;
    if (/"MoRef"\s*:\s*\{\s*"Type"\s*:/.test(t) || (/"MoRef"\s*:/.test(t) && /"(Summary|Hardware|Runtime|Config)"\s*:/.test(t))) return 0.9;
    return 0;
  },
  parse: parsePowercli,
};
