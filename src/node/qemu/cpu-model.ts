/**
 * QEMU CPU models as QEMU itself states them: `-cpu` strings, `query-cpu-model-expansion`
 * results, and what an accelerator (TCG) can emulate, all mapped onto the feature catalog
 * through its `qemu` column. This is the "ask QEMU" side; openevc's own model data is the
 * prediction compared against it.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { catalog, normalizeName } from '../../core/catalog.js';
import { InputError, OpenevcError } from '../../core/errors.js';
import { withQmpMachine } from './process.js';
import type { QmpClient } from './qmp.js';

/**
 * The catalog feature QEMU calls `name`, matched on the `qemu` column only (QEMU's `-`/`_`/`.`
 * variants fold together: `sse4_1` = `sse4.1`). Other QEMU properties (`migratable`, `check`,
 * `kvm`, `hv-*`, and legacy aliases such as `i64` or `xd` that always mirror a canonical
 * property) map to nothing rather than to a look-alike spelling from another ecosystem.
 */
export function qemuFeature(name: string): Feature | undefined {
  const f = catalog.resolve(name, 'qemu');
  return f?.qemu !== undefined && normalizeName(f.qemu) === normalizeName(name) ? f : undefined;
}

export type QemuPropValue = boolean | number | string;

/** A `-cpu` option taken apart: the model and the property changes, in the order QEMU applies them. */
export interface CpuOption {
  /** The `-cpu` string as given. */
  readonly text: string;
  readonly model: string;
  /** The resulting property values (`name=value` first, then `+name`, then `-name`, as QEMU does). */
  readonly props: Readonly<Record<string, QemuPropValue>>;
}

/**
 * Parses `Model[,+feat|-feat|feat=value|feat]...`. QEMU applies `name=value` settings in order,
 * then every `+feat`, then every `-feat` (so `-feat` wins whatever the order); the resulting
 * props mirror that. Values `on/off/true/false/yes/no` become booleans, integers numbers.
 */
export function parseCpuOption(text: string): CpuOption {
  const where = { file: `-cpu ${text}` };
  const parts = text.split(',');
  const model = parts[0]!.trim();
  if (model.length === 0 || /[=+\s]/.test(model) || model.startsWith('-')) throw new InputError(where, 'a CPU model name first (e.g. Westmere)', parts[0]);
  const settings: Record<string, QemuPropValue> = {};
  const plus: string[] = [];
  const minus: string[] = [];
  for (const raw of parts.slice(1)) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (part.startsWith('+') || part.startsWith('-')) {
      const name = part.slice(1);
      if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) throw new InputError(where, 'a property name after + or -', part);
      (part.startsWith('+') ? plus : minus).push(name);
    } else if (eq > 0) {
      const name = part.slice(0, eq);
      if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) throw new InputError(where, 'a property name before =', part);
      settings[name] = propValue(part.slice(eq + 1));
    } else if (/^[A-Za-z0-9][\w.-]*$/.test(part)) {
      settings[part] = true;
    } else {
      throw new InputError(where, 'a property as +name, -name, name=value or name', part);
    }
  }
  const props: Record<string, QemuPropValue> = { ...settings };
  for (const n of plus) props[n] = true;
  for (const n of minus) props[n] = false;
  return { text, model, props };
}

function propValue(v: string): QemuPropValue {
  const lower = v.toLowerCase();
  if (lower === 'on' || lower === 'true' || lower === 'yes') return true;
  if (lower === 'off' || lower === 'false' || lower === 'no') return false;
  if (/^-?\d+$/.test(v)) return Number(v);
  if (/^0x[0-9a-f]+$/i.test(v)) return parseInt(v, 16);
  return v;
}

/** What a CPU model or a running vCPU says about itself: vendor and signature as QEMU's properties state them. */
export interface QemuIdentity {
  readonly vendor?: string;
  readonly family?: number;
  readonly model?: number;
  readonly stepping?: number;
  /** The brand string QEMU reports (`model-id`). */
  readonly modelId?: string;
}

/** A QEMU CPU described on catalog terms. */
export interface QemuCpu {
  /** The model name QEMU reported (for a static expansion: `base`). */
  readonly name: string;
  /** Every catalog feature whose QEMU property is on. */
  readonly features: FeatureSet;
  readonly identity: QemuIdentity;
  /** Boolean properties that are on and that the catalog has no row for (`kvm`, `pmu`, `l3-cache`...). */
  readonly otherProps: readonly string[];
  /** Every property as QEMU gave it. */
  readonly props: Readonly<Record<string, unknown>>;
}

/** Reads a property dictionary (an expansion's `props`, or a running vCPU's properties) on catalog terms. */
export function describeProps(name: string, props: Readonly<Record<string, unknown>>): QemuCpu {
  const features = catalog.emptySet();
  const other = new Set<string>();
  for (const [key, value] of Object.entries(props)) {
    if (value !== true) continue;
    const f = qemuFeature(key);
    if (f) features.add(f);
    else if (!catalog.resolve(key, 'qemu')) other.add(key);
  }
  const num = (k: string) => (typeof props[k] === 'number' ? (props[k] as number) : undefined);
  const str = (k: string) => (typeof props[k] === 'string' ? (props[k] as string) : undefined);
  const identity: QemuIdentity = { vendor: str('vendor'), family: num('family'), model: num('model'), stepping: num('stepping'), modelId: str('model-id') };
  return { name, features, identity, otherProps: [...other].sort(), props };
}

/**
 * QEMU's own expansion of a `-cpu` string (`query-cpu-model-expansion`). `full` keeps the
 * model name and lists every property; `static` rewrites it onto the `base` model.
 */
export async function expandCpu(qmp: QmpClient, cpu: string | CpuOption, type: 'full' | 'static' = 'full'): Promise<QemuCpu> {
  const option = typeof cpu === 'string' ? parseCpuOption(cpu) : cpu;
  const model: Record<string, unknown> = { name: option.model };
  if (Object.keys(option.props).length > 0) model.props = option.props;
  const reply = await qmp.execute<{ model?: { name?: string; props?: Record<string, unknown> } }>('query-cpu-model-expansion', { type, model });
  const props = reply.model?.props;
  if (typeof props !== 'object' || props === null) throw new OpenevcError(`${qmp.endpoint}: query-cpu-model-expansion of '${option.text}' returned no properties`);
  return describeProps(reply.model?.name ?? option.model, props);
}

/** Expands `-cpu` strings with a throw-away `qemu -machine none` (TCG). */
export function expandWithQemu(cpus: readonly string[], type: 'full' | 'static' = 'full'): Promise<QemuCpu[]> {
  return withQmpMachine(async (qmp) => {
    const out: QemuCpu[] = [];
    for (const c of cpus) out.push(await expandCpu(qmp, c, type));
    return out;
  });
}

let tcgCache: Promise<FeatureSet> | undefined;

/**
 * The catalog features QEMU's TCG can show a guest, derived from QEMU rather than listed:
 * the full expansion of model `max` under `-accel tcg` (the `max` model is, by definition,
 * everything the accelerator supports). Asked once per process.
 */
export function tcgSupportedFeatures(): Promise<FeatureSet> {
  tcgCache ??= withQmpMachine(async (qmp) => (await expandCpu(qmp, 'max', 'full')).features).catch((e: unknown) => {
    tcgCache = undefined;
    throw e;
  });
  return tcgCache.then((s) => s.clone());
}
