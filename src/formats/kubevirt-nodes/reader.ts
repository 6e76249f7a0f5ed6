/**
 * KubeVirt nodes: `kubectl get nodes -o json` (a `List` of `Node`s, or one `Node`). virt-handler's
 * node labeller writes what libvirt says of each node's CPU as labels:
 * - `host-model-cpu.node.kubevirt.io/<Model>`: the node's host-model (libvirt's name for it);
 * - `host-model-required-features.node.kubevirt.io/<feature>`: features on top of that model;
 * - `cpu-feature.node.kubevirt.io/<feature>`: features the node can give VMs;
 * - `cpu-model.node.kubevirt.io/<Model>`: models the node can run;
 * - `cpu-vendor.node.kubevirt.io/<Intel|AMD>`.
 * One host per node that carries such labels; its features are the host-model's (openevc's libvirt
 * model table) plus both feature lists, in libvirt's spelling: feature flags, no registers. A node
 * without host-model labels is known by its usable models and feature labels only, and says so.
 */
import type { Vendor } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { Diagnostic } from '../../core/errors.js';
import { builtinModels } from '../../core/models.js';
import type { FleetHost, ImportContext, ImportResult, Importer } from '../reader-types.js';
import { definedFor, featureDump, fleetResult, listNames } from '../common/fleet.js';
import { JsonInput, fieldName, isObject, walk } from '../common/json-docs.js';
import type { Located } from '../common/json-docs.js';

const PREFIX = {
  feature: 'cpu-feature.node.kubevirt.io/',
  model: 'cpu-model.node.kubevirt.io/',
  hostModel: 'host-model-cpu.node.kubevirt.io/',
  required: 'host-model-required-features.node.kubevirt.io/',
  vendor: 'cpu-vendor.node.kubevirt.io/',
} as const;

function isTrue(v: unknown): boolean {
  return v === 'true' || v === true;
}

function readNode(input: JsonInput, at: Located, index: number, diagnostics: Diagnostic[]): FleetHost | undefined {
  if (!isObject(at.value)) input.fail(at, 'a Node object { kind, metadata: { name, labels } }', at.value);
  const nameAt = walk(at, ['metadata', 'name']);
  if (nameAt && typeof nameAt.value !== 'string') input.fail(nameAt, 'the node name (a string)', nameAt.value);
  const name = (nameAt?.value as string | undefined) ?? `node ${index + 1}`;
  const labelsAt = walk(at, ['metadata', 'labels']);
  if (labelsAt && !isObject(labelsAt.value)) input.fail(labelsAt, 'a map of labels', labelsAt.value);
  const labels = (labelsAt?.value ?? {}) as Record<string, unknown>;
  const where = { file: input.file, line: input.lineOf(at.doc, at.path).line };

  const features: string[] = [];
  const required: string[] = [];
  const models: string[] = [];
  let hostModel: string | undefined;
  let vendorName: string | undefined;
  for (const [k, v] of Object.entries(labels)) {
    if (!isTrue(v)) continue;
    if (k.startsWith(PREFIX.feature)) features.push(k.slice(PREFIX.feature.length));
    else if (k.startsWith(PREFIX.required)) required.push(k.slice(PREFIX.required.length));
    else if (k.startsWith(PREFIX.hostModel)) hostModel = k.slice(PREFIX.hostModel.length);
    else if (k.startsWith(PREFIX.model)) models.push(k.slice(PREFIX.model.length));
    else if (k.startsWith(PREFIX.vendor)) vendorName = k.slice(PREFIX.vendor.length);
  }
  if (features.length + required.length + models.length === 0 && hostModel === undefined) {
    diagnostics.push({ level: 'info', message: `node ${name} has no KubeVirt CPU labels (not a KubeVirt node, or the node labeller has not run): passed over`, where });
    return undefined;
  }
  const table = builtinModels();
  const set = catalog.emptySet();
  const unknown: string[] = [];
  let vendor: Vendor | undefined = vendorName ? (vendorName.toLowerCase() as Vendor) : undefined;
  const basis: string[] = [];
  // Every usable model (cpu-model label: libvirt said usable='yes') runs here: its features are the node's.
  let usable = 0;
  for (const n of models) {
    const m = table.get(n);
    if (!m) {
      unknown.push(`cpu-model ${n}`);
      continue;
    }
    set.unionWith(m.features);
    vendor ??= m.vendor;
    usable++;
  }
  if (usable > 0) basis.push(`${usable} usable models`);
  for (const n of [...required, ...features]) {
    const f = catalog.resolve(n, 'libvirt') ?? catalog.resolve(n);
    if (f) set.add(f);
    else unknown.push(n);
  }
  // The host-model's own features count only where a usable model or a label confirms them: the labels
  // do not say which of its features libvirt disabled (TSX switched off, for instance).
  let unconfirmed: string[] = [];
  if (hostModel !== undefined) {
    const m = table.get(hostModel);
    if (!m) unknown.push(`host-model ${hostModel}`);
    else {
      vendor ??= m.vendor;
      if (models.some((n) => table.get(n) === m)) set.unionWith(m.features);
      else unconfirmed = m.features.minus(set).ids();
      basis.push(`host-model ${m.name}`);
    }
  }
  if (unconfirmed.length > 0) {
    diagnostics.push({
      level: 'info',
      message: `node ${name}: host-model ${hostModel} features no usable model or label confirms are left out (libvirt may have disabled them): ${listNames(unconfirmed)}`,
      where,
    });
  }
  if (required.length + features.length > 0) basis.push(`${required.length + features.length} feature labels`);
  if (unknown.length > 0) diagnostics.push({ level: 'info', message: `node ${name}: labels openevc cannot place ignored: ${listNames(unknown)}`, where });
  const own = set.filter((f) => definedFor(f, vendor));
  const dump = featureDump(own, vendor, { format: 'kubevirt-nodes', path: input.file, label: `${name}: ${basis.join(' + ')}`, ...(hostModel ? { model: hostModel } : {}) });
  return { name, dump };
}

function parseNodes(text: string, ctx: ImportContext): ImportResult {
  const input = new JsonInput(text, ctx.file);
  if (input.docs.length !== 1) input.fail({ doc: 1, path: [] }, 'one JSON document (kubectl get nodes -o json)', input.docs[1]?.value);
  const root: Located = { value: input.docs[0]!.value, doc: 0, path: [] };
  if (!isObject(root.value)) input.fail(root, 'a Node or a List of Nodes (kubectl get nodes -o json)', root.value);
  const o = root.value as Record<string, unknown>;
  const ik = fieldName(o, 'items');
  const nodes: Located[] = [];
  if (ik !== undefined) {
    const items = o[ik];
    if (!Array.isArray(items)) input.fail({ value: items, doc: 0, path: [ik] }, 'a list of Node objects', items);
    (items as unknown[]).forEach((v, i) => nodes.push({ value: v, doc: 0, path: [ik, i] }));
  } else if (o.kind === 'Node') nodes.push(root);
  else input.fail(root, 'a Node or a List of Nodes (kubectl get nodes -o json)', root.value);
  const diagnostics: Diagnostic[] = [];
  const hosts = nodes.map((n, i) => readNode(input, n, i, diagnostics)).filter((h): h is FleetHost => h !== undefined);
  if (hosts.length === 0) input.fail(root, 'at least one node with KubeVirt CPU labels (cpu-feature.node.kubevirt.io/…, host-model-cpu.node.kubevirt.io/…)', `${nodes.length} nodes without them`);
  diagnostics.push({
    level: 'info',
    message: 'KubeVirt node labels name CPU models and features, not CPUID registers: each node is rebuilt from them (fidelity: feature flags; bits no label names are unknown)',
    where: { file: ctx.file },
  });
  return fleetResult('kubevirt-nodes', ctx.file, { hosts, clusters: [], vms: [] }, diagnostics);
}

export const kubevirtNodesImporter: Importer = {
  format: 'kubevirt-nodes',
  description: 'kubectl get nodes -o json: KubeVirt node labels (host-model-cpu, host-model-required-features, cpu-feature, cpu-model); feature flags',
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    if (!/^\s*\{/.test(t)) return 0;
    if (/node\.kubevirt\.io\//.test(t) && /"kind"\s*:\s*"(?:List|NodeList|Node)"/.test(t)) return 0.95;
    if (/"kind"\s*:\s*"Node"/.test(t) && /"apiVersion"\s*:\s*"v1"/.test(t)) return 0.6;
    return 0;
  },
  parse: parseNodes,
};
