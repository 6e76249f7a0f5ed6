/**
 * QEMU QMP replies saved as JSON: what `query-cpu-model-expansion` (type `full`, model `host`)
 * says the host CPU offers a VM, and what `query-cpu-definitions` says about each named model
 * (`unavailable-features`: why it cannot run here).
 *
 * Accepted: one reply (`{"return": …, "id": …}`), several replies one after another (the way a QMP
 * session or libvirt's cputestdata `.json` files hold them), a JSON array of replies, or the bare
 * return values. The greeting (`{"QMP": …}`), commands (`{"execute": …}`) and events are passed
 * over; an `{"error": …}` reply is reported.
 *
 * The host is rebuilt from the expansion's boolean properties (QEMU's feature names, resolved
 * through the catalog) and its `vendor`, `family`, `model`, `stepping`, `model-id`, `level`; it is
 * lossy (feature bits only). A file with only `query-cpu-definitions` gives a lower bound: the
 * features of every model QEMU calls usable, which openevc says.
 */
import type { Feature } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { CpuidDump } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import { dumpFromFeatures, impliedXsaveState, signatureEax } from '../../core/feature-dump.js';
import { builtinModels } from '../../core/models.js';
import { describeJsonValue, findJsonSyntaxError, formatJsonPath, locateJsonPath } from '../common/json-scan.js';
import type { JsonPath } from '../common/json-scan.js';
import { LineIndex, withoutBom } from '../common/text-position.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';

/** `query-cpu-model-expansion`'s model: its name and properties. */
export interface QmpExpansion {
  readonly name: string;
  readonly props: Readonly<Record<string, unknown>>;
  readonly line: number;
}

/** One entry of `query-cpu-definitions`. */
export interface QmpDefinition {
  readonly name: string;
  /** QEMU's names of the features the host cannot give this model; empty = usable. */
  readonly unavailable: readonly string[];
  readonly aliasOf: string | undefined;
  readonly migrationSafe: boolean | undefined;
  readonly deprecated: boolean;
  readonly line: number;
}

export interface QmpReplies {
  readonly expansion: QmpExpansion | undefined;
  readonly definitions: readonly QmpDefinition[] | undefined;
}

interface Segment {
  readonly start: number;
  readonly text: string;
}

/** Splits text holding one or more JSON values one after another (strings respected, iteratively). */
function splitValues(text: string): Segment[] {
  const out: Segment[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (start < 0) start = i;
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth <= 0) {
        out.push({ start, text: text.slice(start, i + 1) });
        start = -1;
        depth = 0;
      }
    } else if (depth === 0) {
      // A scalar at the top: let JSON.parse say what is wrong with the rest.
      out.push({ start, text: text.slice(start) });
      return out;
    }
  }
  if (start >= 0) out.push({ start, text: text.slice(start) });
  return out;
}

class Reader {
  private readonly lines: LineIndex;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    this.lines = new LineIndex(text);
  }

  lineAt(offset: number): number {
    return this.lines.at(Math.min(Math.max(0, offset), this.text.length)).line;
  }

  parse(seg: Segment): unknown {
    try {
      return JSON.parse(seg.text);
    } catch {
      const p = findJsonSyntaxError(seg.text);
      const offset = seg.start + (p?.offset ?? 0);
      throw new InputError({ file: this.file, line: this.lineAt(offset) }, `a QMP reply in JSON (${p?.expected ?? 'valid JSON'})`, p?.found ?? '');
    }
  }

  fail(seg: Segment, path: JsonPath, expected: string, found: unknown): never {
    const at = locateJsonPath(seg.text, path);
    const line = this.lineAt(seg.start + (at ?? 0));
    throw new InputError({ file: this.file, line }, `${formatJsonPath(path)} to be ${expected}`, describeJsonValue(found));
  }

  line(seg: Segment, path: JsonPath): number {
    return this.lineAt(seg.start + (locateJsonPath(seg.text, path) ?? 0));
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readExpansion(r: Reader, seg: Segment, v: Record<string, unknown>, path: JsonPath): QmpExpansion {
  const model = v.model;
  if (!isObject(model)) r.fail(seg, [...path, 'model'], 'an object {"name", "props"}', model);
  const name = model.name;
  if (typeof name !== 'string') r.fail(seg, [...path, 'model', 'name'], 'a model name', name);
  const props = model.props ?? {};
  if (!isObject(props)) r.fail(seg, [...path, 'model', 'props'], 'an object of properties', props);
  return { name, props, line: r.line(seg, [...path, 'model']) };
}

function readDefinitions(r: Reader, seg: Segment, list: unknown[], path: JsonPath): QmpDefinition[] {
  return list.map((d, i): QmpDefinition => {
    const at = [...path, i];
    if (!isObject(d)) r.fail(seg, at, 'a CPU definition {"name", "unavailable-features", …}', d);
    if (typeof d.name !== 'string' || d.name === '') r.fail(seg, [...at, 'name'], 'a model name', d.name);
    const un = d['unavailable-features'] ?? [];
    if (!Array.isArray(un) || !un.every((x) => typeof x === 'string')) r.fail(seg, [...at, 'unavailable-features'], 'an array of feature names', un);
    return {
      name: d.name,
      unavailable: un as string[],
      aliasOf: typeof d['alias-of'] === 'string' ? d['alias-of'] : undefined,
      migrationSafe: typeof d['migration-safe'] === 'boolean' ? d['migration-safe'] : undefined,
      deprecated: d.deprecated === true,
      line: r.line(seg, at),
    };
  });
}

/** Reads the replies of a QMP file. Bad input throws InputError naming file, line and JSON path. */
export function readQmpReplies(text: string, file: string): QmpReplies {
  const src = withoutBom(text);
  const r = new Reader(src, file);
  const segments = splitValues(src);
  if (segments.length === 0) throw new InputError({ file, line: 1 }, 'QMP replies in JSON (query-cpu-model-expansion, query-cpu-definitions)', '');
  let expansion: QmpExpansion | undefined;
  let definitions: QmpDefinition[] | undefined;
  const take = (seg: Segment, v: unknown, path: JsonPath): void => {
    if (Array.isArray(v)) {
      // A JSON array: of replies, or the bare return value of query-cpu-definitions.
      if (v.length > 0 && v.every((x) => isObject(x) && 'name' in x && !('return' in x) && !('model' in x))) {
        definitions = [...(definitions ?? []), ...readDefinitions(r, seg, v, path)];
      } else v.forEach((x, i) => take(seg, x, [...path, i]));
      return;
    }
    if (!isObject(v)) return r.fail(seg, path, 'a QMP reply (an object with "return")', v);
    // The greeting, commands, events, and the empty return of qmp_capabilities say nothing about the CPU.
    if ('QMP' in v || 'execute' in v || 'event' in v || Object.keys(v).length === 0) return;
    if ('error' in v) {
      const e = v.error;
      const desc = isObject(e) ? `${String(e.class ?? 'error')}: ${String(e.desc ?? '')}` : describeJsonValue(e);
      r.fail(seg, [...path, 'error'], 'a successful reply (QEMU refused the command)', desc);
    }
    if ('return' in v) return take(seg, v.return, [...path, 'return']);
    if ('model' in v) {
      if (expansion) r.fail(seg, path, 'one query-cpu-model-expansion reply (this file has two)', 'a second expansion');
      expansion = readExpansion(r, seg, v, path);
      return;
    }
    r.fail(seg, path, 'a query-cpu-model-expansion or query-cpu-definitions reply ("return" with "model", or a list of definitions)', `an object with ${Object.keys(v).slice(0, 4).join(', ') || 'no keys'}`);
  };
  for (const seg of segments) take(seg, r.parse(seg), []);
  if (!expansion && !definitions) {
    throw new InputError({ file, line: 1 }, 'a query-cpu-model-expansion or query-cpu-definitions reply', 'only the greeting, commands or events');
  }
  return { expansion, definitions };
}

/** QEMU property names the catalog does not hold as features: identity and topology, not CPUID bits. */
const NOT_FEATURES = new Set(['migratable', 'pmu', 'check', 'enforce', 'kvm', 'full-cpuid-auto-level', 'host-phys-bits', 'host-cache-info', 'l3-cache', 'lmce', 'fill-mtrr-mask', 'tcg-cpuid', 'legacy-cache', 'cpuid-0xb', 'x-force-features', 'x-migrate-smi-count', 'vmware-cpuid-freq', 'kvm-no-smi-migration', 'start-powered-off', 'realized', 'hotplugged', 'hotpluggable', 'xen-vapic', 'x-intel-pt-auto-level', 'x-hv-synic-kvm-only', 'hv-passthrough', 'hv-enforce-cpuid', 'kvm-pv-enforce-cpuid']);

function numberProp(props: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const v = props[name];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function expansionDump(x: QmpExpansion, file: string, diagnostics: Diagnostic[]): CpuidDump {
  const features: Feature[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(x.props)) {
    if (typeof value !== 'boolean') continue;
    const f = catalog.resolve(name, 'qemu');
    if (!f) {
      if (value && !NOT_FEATURES.has(name) && !name.startsWith('hv-') && !name.startsWith('kvm-') && !name.startsWith('x-')) unknown.push(name);
      continue;
    }
    if (value) features.push(f);
  }
  const set = catalog.emptySet();
  for (const f of features) set.add(f);
  const vendor = typeof x.props.vendor === 'string' && x.props.vendor.length === 12 ? x.props.vendor : undefined;
  const family = numberProp(x.props, 'family');
  const model = numberProp(x.props, 'model');
  const stepping = numberProp(x.props, 'stepping');
  const brand = typeof x.props['model-id'] === 'string' ? x.props['model-id'] : undefined;
  const level = numberProp(x.props, 'level');
  if (unknown.length > 0) {
    diagnostics.push({ level: 'info', message: `${unknown.length} QEMU properties set to true have no catalog entry and are not counted: ${unknown.sort().join(', ')}`, where: { file, line: x.line } });
  }
  return dumpFromFeatures(
    [...set, ...impliedXsaveState(set, (f) => typeof f.qemu === 'string')],
    {
      ...(vendor !== undefined ? { vendor } : {}),
      ...(family !== undefined && model !== undefined ? { signature: signatureEax(family, model, stepping ?? 0) } : {}),
      ...(brand ? { brand } : {}),
      ...(level !== undefined && level <= 0xff ? { maxBasicLeaf: level } : {}),
    },
    { format: 'qmp', path: file, lossy: true, label: `QEMU query-cpu-model-expansion of ${x.name}${brand ? `: ${brand}` : ''}` },
  );
}

/** A lower bound from query-cpu-definitions alone: every feature of the models QEMU calls usable. */
function definitionsDump(defs: readonly QmpDefinition[], file: string, diagnostics: Diagnostic[]): CpuidDump {
  const models = builtinModels();
  const usable = defs.filter((d) => d.unavailable.length === 0);
  const known = usable.filter((d) => models.get(d.name));
  const union = known.reduce((acc, d) => acc.union(models.get(d.name)!.listed), catalog.emptySet());
  diagnostics.push({
    level: 'warning',
    message:
      `no query-cpu-model-expansion reply: the host is rebuilt as a lower bound, the features of the ${known.length} models QEMU calls usable ` +
      `(${known.map((d) => d.name).slice(0, 6).join(', ')}${known.length > 6 ? ', …' : ''}); it may have more`,
    where: { file },
  });
  const vendors = new Set(known.map((d) => models.get(d.name)!.vendor).filter((v) => v !== undefined));
  const vendor = vendors.size === 1 ? ({ intel: 'GenuineIntel', amd: 'AuthenticAMD', hygon: 'HygonGenuine', zhaoxin: '  Shanghai  ' } as const)[[...vendors][0]!] : undefined;
  return dumpFromFeatures([...union, ...impliedXsaveState(union, (f) => typeof f.qemu === 'string')], vendor ? { vendor } : {}, {
    format: 'qmp',
    path: file,
    lossy: true,
    label: 'QEMU query-cpu-definitions: features of the usable models (lower bound)',
  });
}

function parseQmp(text: string, ctx: ImportContext): ImportResult {
  const replies = readQmpReplies(text, ctx.file);
  const diagnostics: Diagnostic[] = [
    {
      level: 'info',
      message: 'QMP replies name features, not CPUID registers: the host is rebuilt from them and is lossy (only feature bits and identity are known)',
      where: { file: ctx.file },
    },
  ];
  const dump = replies.expansion ? expansionDump(replies.expansion, ctx.file, diagnostics) : definitionsDump(replies.definitions!, ctx.file, diagnostics);
  if (replies.expansion && replies.expansion.name !== 'host' && replies.expansion.name !== 'base' && replies.expansion.name !== 'max') {
    diagnostics.push({ level: 'warning', message: `the expansion is of model ${replies.expansion.name}, not of the host: it describes that model as this QEMU runs it`, where: { file: ctx.file, line: replies.expansion.line } });
  }
  if (replies.definitions) {
    const usable = replies.definitions.filter((d) => d.unavailable.length === 0).length;
    diagnostics.push({ level: 'info', message: `query-cpu-definitions: QEMU calls ${usable} of ${replies.definitions.length} models usable here`, where: { file: ctx.file } });
  }
  return { format: 'qmp', dump, cpus: [dump], diagnostics };
}

export const qmpImporter: Importer = {
  format: 'qmp',
  description: 'QEMU QMP replies as JSON: query-cpu-model-expansion (type full, model host) and/or query-cpu-definitions (unavailable-features); lossy',
  sniff(head: string): number {
    const t = withoutBom(head).trimStart();
    if (t[0] !== '{' && t[0] !== '[') return 0;
    if (/"unavailable-features"\s*:/.test(head)) return 0.95;
    if (/"model"\s*:\s*\{\s*"name"\s*:/.test(head) && /"props"\s*:/.test(head)) return 0.95;
    if (/"return"\s*:/.test(head) && /"(QMP|execute)"\s*:/.test(head)) return 0.6;
    return 0;
  },
  parse: parseQmp,
};
