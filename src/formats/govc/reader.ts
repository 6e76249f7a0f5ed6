/**
 * govc JSON (vmware/govmomi's CLI): HostSystem, ClusterComputeResource and VirtualMachine objects,
 * as any of
 * - `govc object.collect -json PATH PROPS…`: the property change set, `[{"name","op","val"}]`, one
 *   JSON array per object (several objects: several arrays one after another);
 * - `govc object.collect -json -type h|c|m / PROPS…`: one ObjectUpdate per object,
 *   `{"kind","obj":{"type","value"},"changeSet":[…]}`;
 * - `govc object.collect -o -json PATH`: the whole managed object (`{"self":{…},"name",…}`);
 * - `govc host.info -json [-a]` / `govc vm.info -json`: `{"hostSystems":[…]}` / `{"virtualMachines":[…]}`.
 * Keys are lowerCamel since govc 0.31 and Go field names before (`"MaxEVCModeKey"`); both are read.
 * What each object yields is in ../common/vsphere.ts.
 */
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { JsonInput, fieldName, isObject } from '../common/json-docs.js';
import type { Located } from '../common/json-docs.js';
import { kindOf, moRef, readVsphereFleet } from '../common/vsphere.js';
import type { VsObject } from '../common/vsphere.js';

function isChange(v: unknown): boolean {
  return isObject(v) && fieldName(v, 'name') !== undefined && fieldName(v, 'op') !== undefined;
}

function changeSet(input: JsonInput, at: Located, kind: VsObject['kind'], ref: string | undefined): VsObject {
  const items = at.value as unknown[];
  const props = items.map((item, i) => {
    const c: Located = { value: item, doc: at.doc, path: [...at.path, i] };
    if (!isChange(item)) input.fail(c, 'a property change { "name", "op", "val" }', item);
    const o = item as Record<string, unknown>;
    const name = o[fieldName(o, 'name')!];
    if (typeof name !== 'string') input.fail({ ...c, path: [...c.path, fieldName(o, 'name')!] }, 'a property path such as "summary.maxEVCModeKey"', name);
    const vk = fieldName(o, 'val');
    return { name: name as string, at: { value: vk === undefined ? undefined : o[vk], doc: at.doc, path: [...c.path, vk ?? 'val'] } };
  });
  return { at, kind, ref, props };
}

function whole(at: Located, kindHint?: VsObject['kind']): VsObject {
  const o = at.value as Record<string, unknown>;
  const selfKey = fieldName(o, 'self') ?? fieldName(o, 'moRef');
  const ref = selfKey === undefined ? undefined : moRef(o[selfKey]);
  const typeName = fieldName(o, '_typeName');
  const kind = kindOf(ref?.split(':')[0]) ?? kindOf(typeName === undefined ? undefined : String(o[typeName])) ?? kindHint;
  return { at, kind, ref, props: [{ name: '', at }] };
}

/** The objects of a govc document. */
export function govcObjects(input: JsonInput): VsObject[] {
  const out: VsObject[] = [];
  input.docs.forEach((d, doc) => {
    const at: Located = { value: d.value, doc, path: [] };
    const v = d.value;
    if (Array.isArray(v)) {
      if (v.length > 0 && isChange(v[0])) out.push(changeSet(input, at, undefined, undefined));
      else if (v.length > 0) v.forEach((item, i) => (isObject(item) ? out.push(whole({ value: item, doc, path: [i] })) : input.fail({ value: item, doc, path: [i] }, 'a managed object', item)));
      return;
    }
    if (!isObject(v)) input.fail(at, 'govc JSON: a property change set, an object update or a managed object', v);
    const o = v as Record<string, unknown>;
    const cs = fieldName(o, 'changeSet');
    if (cs !== undefined && Array.isArray(o[cs])) {
      const ok = fieldName(o, 'obj');
      const ref = ok === undefined ? undefined : moRef(o[ok]);
      out.push(changeSet(input, { value: o[cs], doc, path: [cs] }, kindOf(ref?.split(':')[0]), ref));
      return;
    }
    for (const [key, kind] of [['hostSystems', 'HostSystem'], ['virtualMachines', 'VirtualMachine'], ['clusterComputeResources', 'ClusterComputeResource']] as const) {
      const k = fieldName(o, key);
      if (k === undefined) continue;
      const list = o[k];
      if (!Array.isArray(list)) input.fail({ value: list, doc, path: [k] }, `a list of ${kind} objects`, list);
      (list as unknown[]).forEach((item, i) => {
        const a: Located = { value: item, doc, path: [k, i] };
        if (!isObject(item)) input.fail(a, `a ${kind} object`, item);
        out.push(whole(a, kind));
      });
      return;
    }
    out.push(whole(at));
  });
  return out;
}

function parseGovc(text: string, ctx: ImportContext): ImportResult {
  const input = new JsonInput(text, ctx.file);
  return readVsphereFleet(input, govcObjects(input), 'govc', 'govc JSON');
}

const CHANGE = /^\s*\[\s*\{\s*"(?:name|Name)"\s*:\s*"[^"]*"\s*,\s*"(?:op|Op)"\s*:/;
const UPDATE = /"(?:changeSet|ChangeSet)"\s*:\s*\[/;
const SELF = /"(?:self|Self)"\s*:\s*\{\s*"(?:type|Type)"\s*:\s*"(?:HostSystem|ClusterComputeResource|VirtualMachine)"/;
const INFO = /^\s*\{\s*"(?:hostSystems|HostSystems|virtualMachines|VirtualMachines)"\s*:/;

export const govcImporter: Importer = {
  format: 'govc',
  description: 'govc JSON: object.collect -json change sets or -o whole objects, host.info -json (HostSystem cpuFeature, featureCapability, EVC keys; clusters; VMs)',
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    if (!/^\s*[[{]/.test(t)) return 0;
    if (/"MoRef"\s*:/.test(t)) return 0; // PowerCLI
    if (/"(?:name|Name)"\s*:\s*"capability\.supportedEVCMode"/.test(t)) return 0; // vCenter EVC definitions (vcenter-evc)
    if (CHANGE.test(t) || INFO.test(t) || SELF.test(t)) return 0.9;
    if (UPDATE.test(t) && /"(?:obj|Obj)"\s*:/.test(t)) return 0.9;
    return 0;
  },
  parse: parseGovc,
};
