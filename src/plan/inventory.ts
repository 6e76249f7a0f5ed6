/**
 * The inventory document: clusters, hosts and VMs, read from YAML or JSON and validated against
 * the published JSON Schema (src/plan/schema.ts = schema/inventory.schema.json), then checked for
 * what a schema cannot say (unique names, references that resolve, EVC keys openevc knows).
 * Every error names the file, the line and column of the bad field, and what was expected.
 */
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from '../core/errors.js';
import { INVENTORY_SCHEMA } from './schema.js';

export type PowerState = 'on' | 'off' | 'suspended';
export type Platform = 'vsphere' | 'proxmox' | 'nova' | 'kubevirt' | 'libvirt';

export interface ClusterDoc {
  readonly name: string;
  readonly platform?: Platform;
  readonly evc?: string | null;
  readonly graphics?: string;
  readonly cpuModel?: string;
  readonly vcenter?: string;
}

export interface HostDoc {
  readonly name: string;
  readonly cluster?: string | null;
  readonly cpuid?: string | Record<string, unknown>;
  readonly format?: string;
  readonly maxEvc?: string;
  readonly bios?: string;
  readonly microcode?: string;
  readonly hypervisor?: string;
  readonly vendorModel?: string;
}

export interface VmDoc {
  readonly name: string;
  readonly host: string;
  readonly power?: 'on' | 'off' | 'suspended' | 'poweredOn' | 'poweredOff';
  readonly hardware?: number | string;
  readonly evc?: string;
  readonly vmx?: string;
  readonly masks?: Readonly<Record<string, string>>;
  readonly poweredOnAt?: string;
  readonly seen?: { readonly log?: string; readonly evcModeKey?: string; readonly features?: readonly string[] };
  readonly guestOs?: string;
}

export interface InventoryDoc {
  readonly openevc: 'inventory';
  readonly version: 1;
  readonly description?: string;
  readonly clusters?: readonly ClusterDoc[];
  readonly hosts: readonly HostDoc[];
  readonly vms?: readonly VmDoc[];
}

/** A path into the document: keys and indexes. */
export type DocPath = readonly (string | number)[];

/** A parsed inventory and a way to point at any of its fields. */
export interface ParsedInventory {
  readonly file: string;
  readonly doc: InventoryDoc;
  /** Line and column (1-based) of the value at a path (or its nearest existing parent). */
  locate(path: DocPath, key?: boolean): { line: number; column: number };
  /** An InputError at a field: `file:line:col: expected …, found …`. */
  error(path: DocPath, expected: string, found?: string, key?: boolean): InputError;
}

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (!validator) {
    // ajv is CommonJS: its default export is the module object under Node's ESM interop.
    const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as new (opts: object) => { compile(s: object): ValidateFunction };
    validator = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(INVENTORY_SCHEMA);
  }
  return validator;
}

/** `/hosts/0/name` to ['hosts', 0, 'name']. */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function formatPath(path: DocPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out || '(document)';
}

function getAt(root: unknown, path: DocPath): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** What an ajv error expected, in words. */
function expectation(e: ErrorObject, path: DocPath): { path: DocPath; expected: string; key: boolean } {
  const at = formatPath(path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, expected: `${at} to have the field '${String(p.missingProperty)}'`, key: false };
    case 'additionalProperties':
      return { path: [...path, String(p.additionalProperty)], expected: `no field '${String(p.additionalProperty)}' in ${at} (known fields: ${knownFields(e)})`, key: true };
    case 'enum':
      return { path, expected: `${at} to be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`, key: false };
    case 'const':
      return { path, expected: `${at} to be ${JSON.stringify(p.allowedValue)}`, key: false };
    case 'type':
      return { path, expected: `${at} to be ${String(p.type)}`, key: false };
    case 'pattern':
      return { path, expected: `${at} to be ${(e.parentSchema as { description?: string } | undefined)?.description ?? `text matching ${String(p.pattern)}`}`, key: false };
    case 'propertyNames':
      return { path: [...path, String(p.propertyName)], expected: `a key of ${at} that starts with cpuid. or featMask.`, key: true };
    default:
      return { path, expected: `${at} ${e.message ?? 'to be valid'}`, key: false };
  }
}

function knownFields(e: ErrorObject): string {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).join(', ') : '?';
}

/** Picks the most useful of ajv's errors: the deepest, preferring concrete keywords over anyOf summaries. */
function bestError(errors: readonly ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) => (e.keyword === 'anyOf' || e.keyword === 'if' ? 0 : 1);
  return [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length || rank(b) - rank(a))[0]!;
}

/**
 * Reads an inventory. JSON is read with JSON.parse (fast for big fleets) and YAML with the yaml
 * package; either way errors point at line and column. Throws InputError.
 */
export function parseInventory(text: string, file: string): ParsedInventory {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  let yamlDoc: { doc: Document; lines: LineCounter } | undefined;
  const loadYaml = () => {
    if (!yamlDoc) {
      const lines = new LineCounter();
      const doc = parseDocument(src, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
      yamlDoc = { doc, lines };
    }
    return yamlDoc;
  };
  const trimmed = src.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      data = JSON.parse(src);
    } catch {
      data = undefined;
    }
  }
  if (data === undefined) {
    const { doc, lines } = loadYaml();
    const err = doc.errors[0];
    if (err) {
      const at = lines.linePos(err.pos[0]);
      throw new InputError({ file, line: at.line, column: at.col }, `valid YAML or JSON (${err.message.split('\n')[0]})`);
    }
    data = doc.toJS({ maxAliasCount: 100 });
  }

  const locate = (path: DocPath, key = false): { line: number; column: number } => {
    const { doc, lines } = loadYaml();
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      let node: YamlNode | undefined;
      if (key && n === path.length && n > 0) {
        const parent = doc.getIn(sub.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((it) => isScalar(it.key) && String(it.key.value) === String(sub[sub.length - 1]));
          if (pair && isScalar(pair.key)) node = pair.key;
        }
      }
      node ??= (n === 0 ? doc.contents : doc.getIn(sub, true)) as YamlNode | undefined;
      if (node && (node as { range?: [number, number, number] }).range) {
        const at = lines.linePos((node as { range: [number, number, number] }).range[0]);
        return { line: at.line, column: at.col };
      }
    }
    return { line: 1, column: 1 };
  };
  const error = (path: DocPath, expected: string, found?: string, key = false): InputError => {
    const at = locate(path, key);
    return new InputError({ file, line: at.line, column: at.column }, expected, found);
  };

  const v = validate();
  if (!v(data)) {
    const e = bestError(v.errors ?? []);
    const path = pointerPath(e.instancePath);
    const x = expectation(e, path);
    const found = x.key ? String(x.path[x.path.length - 1]) : describe(getAt(data, x.path));
    throw error(x.path, x.expected, found, x.key);
  }
  const doc = data as InventoryDoc;
  return { file, doc, locate, error };
}

/** Hardware version as a number (`vmx-14` or 14). */
export function hardwareVersion(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : Number(v.slice(4));
}

export function powerState(p: VmDoc['power']): PowerState {
  if (p === undefined || p === 'on' || p === 'poweredOn') return 'on';
  if (p === 'off' || p === 'poweredOff') return 'off';
  return 'suspended';
}

/** Every file an inventory refers to, as written (relative to the inventory): host CPUID files, .vmx files, vmware.logs. */
export function inventoryFiles(doc: InventoryDoc): { kind: 'cpuid' | 'vmx' | 'log'; ref: string; format?: string }[] {
  const out: { kind: 'cpuid' | 'vmx' | 'log'; ref: string; format?: string }[] = [];
  for (const h of doc.hosts) if (typeof h.cpuid === 'string') out.push({ kind: 'cpuid', ref: h.cpuid, ...(h.format ? { format: h.format } : {}) });
  for (const vm of doc.vms ?? []) {
    if (vm.vmx) out.push({ kind: 'vmx', ref: vm.vmx });
    if (vm.seen?.log) out.push({ kind: 'log', ref: vm.seen.log });
  }
  return out;
}
