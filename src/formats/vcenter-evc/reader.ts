/**
 * vCenter's `capability.supportedEVCMode` (`govc object.collect -json -s - capability.supportedEVCMode`,
 * `(Get-View ServiceInstance).Capability.SupportedEvcMode | ConvertTo-Json -Depth 6`): the EVC modes a
 * vCenter defines, read into openevc's EvcMode so that real definitions replace the built-in ones by
 * key (`--evc-modes FILE`, or such a file in a fleet folder). This is the reader core's
 * `loadEvcModes` (src/core/evc.ts) moves to; the two are the same code until the lead switches.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import type { Register } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import type { EvcMode, EvcVendor } from '../../core/evc.js';
import { describeJsonValue, findJsonSyntaxError, formatJsonPath, locateJsonPath } from '../common/json-scan.js';
import type { JsonPath } from '../common/json-scan.js';
import { LineIndex, withoutBom } from '../common/text-position.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';
import { fleetResult } from '../common/fleet.js';


export interface LoadedEvcModes {
  readonly modes: EvcMode[];
  readonly diagnostics: Diagnostic[];
}

/** Characters of a CpuIdInfo mask (host vectors use 1/0/-, requirement masks the others). Only `1` guarantees a bit. */
const MASK_CHARS = /^[01\-xXtTfFrRhH]{32}$/;

/**
 * Reads a vCenter `supportedEVCMode` list (JSON): an array of EVCMode objects, or an object holding
 * one under `supportedEVCMode`. Field names may be lower camel case (vSphere API, pyVmomi) or
 * capitalised (govc). A mode's set comes from `guaranteedCPUFeatures` (CpuIdInfo masks: `level`, negative
 * for 0x8000xxxx leaves, registers as 32 characters, MSB first, optionally grouped by colons) and
 * from `featureMask` keys (`cpuid.SSE41` = `Val:1`), both resolved through the catalog.
 * Bad input throws an InputError naming file, line and what was expected.
 */
export function readSupportedEvcModes(text: string, file = '(input)'): LoadedEvcModes {
  const src = withoutBom(text);
  const lines = new LineIndex(src);
  let doc: unknown;
  try {
    doc = JSON.parse(src);
  } catch {
    const problem = findJsonSyntaxError(src);
    const at = lines.at(problem?.offset ?? 0);
    throw new InputError({ file, line: at.line, column: at.column }, `valid JSON${problem ? `: ${problem.expected}` : ''}`, problem?.found ?? '');
  }
  /** An InputError at the value at `path` (or its nearest existing parent): `expected <what>, found <found>`. */
  const failWith = (path: JsonPath, what: string, found: unknown): never => {
    let offset: number | undefined;
    for (let n = path.length; n >= 0 && offset === undefined; n--) offset = locateJsonPath(src, path.slice(0, n));
    const at = lines.at(offset ?? 0);
    throw new InputError({ file, line: at.line, column: at.column }, what, describeJsonValue(found));
  };
  const fail = (path: JsonPath, expected: string, found: unknown): never => failWith(path, `${formatJsonPath(path)} to be ${expected}`, found);

  let list: unknown = doc;
  let listPath: JsonPath = [];
  let single = false;
  if (isObject(doc)) {
    const k = fieldName(doc, 'supportedEVCMode');
    if (k !== undefined) {
      list = doc[k];
      listPath = [k];
    } else if (fieldName(doc, 'key') !== undefined) {
      list = [doc];
      single = true;
    }
  }
  // govc object.collect -json without -s: a change set whose one property is the list.
  if (Array.isArray(doc) && doc.length === 1 && isObject(doc[0])) {
    const c = doc[0];
    const nk = fieldName(c, 'name');
    const vk = fieldName(c, 'val');
    if (nk !== undefined && typeof c[nk] === 'string' && /supportedEVCMode$/i.test(c[nk] as string) && vk !== undefined) {
      list = c[vk];
      listPath = [0, vk];
    }
  }
  if (!Array.isArray(list)) fail(listPath, 'a list of EVCMode objects (vCenter supportedEVCMode)', list);
  const diagnostics: Diagnostic[] = [];
  const modes = (list as unknown[]).map((item, i) => readMode(item, single ? [] : [...listPath, i]));
  const seen = new Set<string>();
  modes.forEach((m, i) => {
    if (seen.has(m.key.toLowerCase())) fail([...listPath, i, 'key'], 'a key not used before in the list', m.key);
    seen.add(m.key.toLowerCase());
  });
  return { modes, diagnostics };

  function readMode(item: unknown, path: JsonPath): EvcMode {
    if (!isObject(item)) return fail(path, 'an EVCMode object { key, label, vendor, guaranteedCPUFeatures, ... }', item);
    const get = (name: string): { value: unknown; path: JsonPath } => {
      const k = fieldName(item, name);
      return { value: k === undefined ? undefined : item[k], path: [...path, k ?? name] };
    };
    const key = get('key');
    if (typeof key.value !== 'string' || key.value.trim() === '') fail(key.path, 'the mode key (a string such as "intel-broadwell")', key.value);
    const modeKey = (key.value as string).trim();
    const label = get('label');
    if (label.value !== undefined && typeof label.value !== 'string') fail(label.path, 'a string', label.value);
    const vendorField = get('vendor');
    let vendor: EvcVendor | undefined;
    if (vendorField.value !== undefined) {
      const v = typeof vendorField.value === 'string' ? vendorField.value.toLowerCase() : '';
      if (v !== 'intel' && v !== 'amd') fail(vendorField.path, '"intel" or "amd"', vendorField.value);
      vendor = v as EvcVendor;
    } else {
      const prefix = modeKey.toLowerCase().split('-')[0];
      if (prefix === 'intel' || prefix === 'amd') vendor = prefix;
      else fail(vendorField.path, '"intel" or "amd" (the key does not say which)', '');
    }
    const track = get('track');
    let tracks: string[] = [];
    if (track.value !== undefined) {
      if (!Array.isArray(track.value) || !track.value.every((t) => typeof t === 'string')) fail(track.path, 'a list of strings', track.value);
      tracks = track.value as string[];
    }
    const tier = get('vendorTier');
    if (tier.value !== undefined && !(typeof tier.value === 'number' && Number.isSafeInteger(tier.value))) fail(tier.path, 'an integer', tier.value);

    const features = catalog.emptySet();
    const foreign = new Set<string>();
    const take = (f: Feature): void => {
      if (f.vendors.includes(vendor!)) features.add(f);
      else foreign.add(f.id);
    };
    const cpuid = get('guaranteedCPUFeatures');
    let sawData = false;
    if (cpuid.value !== undefined) {
      if (!Array.isArray(cpuid.value)) fail(cpuid.path, 'a list of CpuIdInfo objects { level, eax, ebx, ecx, edx }', cpuid.value);
      (cpuid.value as unknown[]).forEach((entry, j) => readCpuIdInfo(entry, [...cpuid.path, j], vendor!, take));
      sawData = true;
    }
    const masks = get('featureMask');
    if (masks.value !== undefined) {
      if (!Array.isArray(masks.value)) fail(masks.path, 'a list of FeatureMask objects { key, value }', masks.value);
      (masks.value as unknown[]).forEach((entry, j) => readFeatureMask(entry, [...masks.path, j], take, features, modeKey));
      sawData = true;
    }
    if (!sawData) failWith(path, `${formatJsonPath(path)} to have guaranteedCPUFeatures or featureMask (the mode's feature set)`, `neither in mode ${modeKey}`);
    if (foreign.size > 0) {
      diagnostics.push({ level: 'info', message: `${file}: mode ${modeKey}: ignored ${[...foreign].join(', ')} (bits ${vendor} CPUs do not define)` });
    }
    const closed = catalog.requirements(features).filter((f) => f.vendors.includes(vendor!));
    return {
      key: modeKey,
      label: (label.value as string | undefined) ?? modeKey,
      vendor: vendor!,
      tracks: tracks.length > 0 ? tracks : [vendor!],
      level: tier.value === undefined ? '-' : `T${tier.value as number}`,
      tier: (tier.value as number | undefined) ?? 0,
      parent: undefined,
      features: closed,
      passes: catalog.emptySet(),
      adds: [],
      removes: [],
      passFacts: [],
      lacks: [],
      confirmed: true,
      keyConfirmed: true,
      labelConfirmed: label.value !== undefined,
      sources: {},
      evidence: undefined,
      origin: `loaded from ${file}`,
      vcenter: { track: tracks, vendorTier: tier.value as number | undefined },
    };
  }

  function readCpuIdInfo(entry: unknown, path: JsonPath, vendor: EvcVendor, take: (f: Feature) => void): void {
    if (!isObject(entry)) return fail(path, 'a CpuIdInfo object { level, eax, ebx, ecx, edx }', entry);
    const lk = fieldName(entry, 'level');
    const level = lk === undefined ? undefined : entry[lk];
    if (typeof level !== 'number' || !Number.isInteger(level) || level < -0x8000_0000 || level > 0xffff_ffff) {
      fail([...path, lk ?? 'level'], 'the CPUID leaf as an integer (negative for 0x8000xxxx leaves, as vSphere writes them)', level);
    }
    const leaf = (level as number) >>> 0;
    const vk = fieldName(entry, 'vendor');
    const only = vk === undefined ? undefined : entry[vk];
    if (typeof only === 'string' && only !== '' && only.toLowerCase() !== vendor) return;
    for (const reg of ['eax', 'ebx', 'ecx', 'edx'] as const) {
      const rk = fieldName(entry, reg);
      const v = rk === undefined ? undefined : entry[rk];
      if (v === undefined || v === null) continue;
      const bits = typeof v === 'string' ? v.replace(/[:\s]/g, '') : '';
      if (!MASK_CHARS.test(bits)) fail([...path, rk!], 'a 32-character mask such as "0000:0000:0000:0000:0000:0000:0000:0001" (bit 31 first)', v);
      for (let i = 0; i < 32; i++) {
        if (bits[i] !== '1') continue;
        const f = catalog.at(leaf, 0, reg as Register, 31 - i);
        if (f) take(f);
      }
    }
  }

  function readFeatureMask(entry: unknown, path: JsonPath, take: (f: Feature) => void, features: FeatureSet, modeKey: string): void {
    if (!isObject(entry)) return fail(path, 'a FeatureMask object { key, value }', entry);
    const kk = fieldName(entry, 'key');
    const vk = fieldName(entry, 'value');
    const key = kk === undefined ? undefined : entry[kk];
    const value = vk === undefined ? undefined : entry[vk];
    if (typeof key !== 'string') return fail([...path, kk ?? 'key'], 'a feature key such as "cpuid.SSE41"', key);
    if (typeof value !== 'string') return fail([...path, vk ?? 'value'], 'a mask value such as "Val:1"', value);
    const m = /^(Val|Min|Max):(0x[0-9a-f]+|\d+)$/i.exec(value.trim());
    if (!m) return fail([...path, vk!], 'a mask value Val:<n>, Min:<n> or Max:<n>', value);
    if (!/^cpuid\./i.test(key)) return; // MSR and other non-CPUID keys: not features of the catalog
    const n = Number(m[2]);
    const name = key.slice('cpuid.'.length);
    const f = catalog.resolve(name, 'vmware');
    const op = m[1]!.toLowerCase();
    if (!f) {
      // Identity keys (FAMILY, NUMLEVELS, the vendor keys Intel/AMD) are not features; say so only for other boolean-looking ones.
      if (n <= 1 && !/^(family|model|stepping|numlevels|num_ext_levels|intel|amd)$/i.test(name)) {
        diagnostics.push({ level: 'info', message: `${file}: mode ${modeKey}: feature key ${key} is not in the catalog; ignored` });
      }
      return;
    }
    if ((op === 'val' || op === 'min') && n >= 1) take(f);
    else if ((op === 'val' || op === 'max') && n === 0) features.delete(f);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key of `o` that spells `name` in any case (`key`, `Key`; `guaranteedCPUFeatures`, `GuaranteedCPUFeatures`). */
function fieldName(o: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(o, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

function parseVcenterEvc(text: string, ctx: ImportContext): ImportResult {
  const { modes, diagnostics } = readSupportedEvcModes(text, ctx.file);
  diagnostics.push({
    level: 'info',
    message: `vCenter EVC mode definitions (${modes.map((m) => m.key).join(', ')}), not hosts: they replace the built-in modes of the same keys`,
    where: { file: ctx.file },
  });
  return fleetResult('vcenter-evc', ctx.file, { hosts: [], clusters: [], vms: [], evcModes: modes }, diagnostics);
}

export const vcenterEvcImporter: Importer = {
  format: 'vcenter-evc',
  description: "vCenter capability.supportedEVCMode (EVCMode list): EVC mode definitions that replace the built-in ones by key",
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    if (!/^\s*[[{]/.test(t)) return 0;
    if (/"(?:supportedEVCMode|SupportedEVCMode|SupportedEvcMode)"\s*:/.test(t)) return 0.95;
    if (/"(?:name|Name)"\s*:\s*"capability\.supportedEVCMode"/.test(t)) return 0.95;
    if (/"(?:guaranteedCPUFeatures|GuaranteedCPUFeatures)"\s*:/.test(t) && /"(?:vendorTier|VendorTier|track|Track)"\s*:/.test(t)) return 0.9;
    return 0;
  },
  parse: parseVcenterEvc,
};
