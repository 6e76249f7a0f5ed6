/**
 * The live-migration guard: QEMU migrates a running guest to any destination that accepts
 * the stream, even one whose CPU model lacks features the guest already uses (facts §6: a
 * Westmere guest lands on a Nehalem destination and loses AES and PCLMULQDQ mid-run). This
 * module asks both QEMUs over QMP what vCPU they really run, refuses a migration that would
 * take features away, and otherwise drives it to completion.
 *
 * How a running QEMU is asked (verified on QEMU 7.2): `query-cpus-fast` gives each vCPU's QOM
 * path; on that object every CPUID feature is a boolean property holding the value in effect
 * (after `-cpu` overrides and after the accelerator filtered what it cannot provide), read
 * with `qom-get` (batched); `type` names the model class, `query-cpu-definitions` maps it to
 * the model name. The `feature-words` property adds the CPUID bits QEMU has no property for
 * (e.g. XSAVE state components). `query-cpu-model-expansion` is not enough here: it expands a
 * model *name*, and a running vCPU is a name plus whatever the command line changed.
 *
 * Identity: a vendor change blocks (a guest kernel picks vendor-specific code paths once, at
 * boot: system-call entry, MSRs, errata). Family, model, stepping and brand changes are
 * reported but do not block: guests read them for errata and microcode matching, which a
 * virtual CPU does not have, and models of one vendor routinely differ in them.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { catalog, normalizeName } from '../../core/catalog.js';
import type { Register } from '../../core/cpuid.js';
import { OpenevcError } from '../../core/errors.js';
import type { QemuCpu } from './cpu-model.js';
import { describeProps, qemuFeature } from './cpu-model.js';
import { QmpClient, QmpError } from './qmp.js';
import type { QmpOptions } from './qmp.js';

/** The vCPU a running QEMU is executing, on catalog terms. */
export interface RunningCpu extends QemuCpu {
  /** The QMP endpoint it was read from. */
  readonly endpoint: string;
  /** `query-status`: `running`, `paused`, `inmigrate`, `postmigrate`... */
  readonly status: string;
  readonly vcpus: number;
  /** QOM class of the vCPU (`Westmere-x86_64-cpu`). */
  readonly typename: string;
  /** Features whose QEMU property and CPUID word disagree (should never happen; reported, not hidden). */
  readonly inconsistent: readonly Feature[];
}

interface QomProperty {
  readonly name: string;
  readonly type: string;
}

interface FeatureWord {
  readonly 'cpuid-input-eax': number;
  readonly 'cpuid-input-ecx'?: number;
  readonly 'cpuid-register': string;
  readonly features: number;
}

const IDENTITY_PROPS = ['vendor', 'family', 'model', 'stepping', 'model-id'];

/** Reads the vCPU of a running (or incoming) QEMU. Only vCPU 0 is read: QEMU gives every vCPU of a VM the same model. */
export async function readRunningCpu(qmp: QmpClient): Promise<RunningCpu> {
  const [status, cpus] = await Promise.all([
    qmp.execute<{ status?: string }>('query-status'),
    qmp.execute<{ 'qom-path'?: string; target?: string }[]>('query-cpus-fast'),
  ]);
  const first = Array.isArray(cpus) ? cpus[0] : undefined;
  const path = first?.['qom-path'];
  if (!path) throw new OpenevcError(`${qmp.endpoint}: this QEMU has no vCPU to read (query-cpus-fast returned none; is it running with -machine none?)`);
  if (first.target !== undefined && first.target !== 'x86_64' && first.target !== 'i386') {
    throw new OpenevcError(`${qmp.endpoint}: the guest's CPUs are ${first.target}, not x86`);
  }
  const listing = await qmp.execute<QomProperty[]>('qom-list', { path });
  const wanted = listing.filter((p) => p.type === 'bool' || IDENTITY_PROPS.includes(p.name)).map((p) => p.name);
  const hasWords = listing.some((p) => p.name === 'feature-words');
  const [typename, definitions, words, ...values] = await Promise.all([
    qmp.execute<string>('qom-get', { path, property: 'type' }),
    qmp.execute<{ name: string; typename?: string }[]>('query-cpu-definitions'),
    hasWords ? qmp.execute<FeatureWord[]>('qom-get', { path, property: 'feature-words' }) : Promise.resolve([] as FeatureWord[]),
    // A property QEMU cannot read is left out (reported as absent); a lost connection still fails the whole read.
    ...wanted.map((property) => qmp.execute('qom-get', { path, property }).catch((e: unknown) => {
      if (e instanceof QmpError) return undefined;
      throw e;
    })),
  ]);
  const props: Record<string, unknown> = {};
  wanted.forEach((name, i) => (props[name] = values[i]));
  const name = definitions.find((d) => d.typename === typename)?.name ?? typename.replace(/-(x86_64|i386)-cpu$/, '');
  const described = describeProps(name, props);
  // CPUID bits QEMU names no property for come from the feature words; named bits must agree.
  const fromWords = featuresFromWords(words);
  const features = described.features.clone();
  const inconsistent: Feature[] = [];
  const boolProps = new Set(Object.keys(props).filter((k) => typeof props[k] === 'boolean').map(normalizeName));
  for (const f of catalog.features) {
    if (f.loc.type !== 'cpuid' || !isReported(words, f.loc.leaf, f.loc.subleaf, f.loc.reg)) continue;
    const named = f.qemu !== undefined && boolProps.has(normalizeName(f.qemu));
    if (!named && fromWords.has(f)) features.add(f);
    else if (named && fromWords.has(f) !== described.features.has(f)) inconsistent.push(f);
  }
  return { ...described, features, endpoint: qmp.endpoint, status: status.status ?? 'unknown', vcpus: cpus.length, typename, inconsistent };
}

function featuresFromWords(words: readonly FeatureWord[]): FeatureSet {
  const set = catalog.emptySet();
  for (const w of words) {
    const reg = w['cpuid-register'].toLowerCase() as Register;
    for (let bit = 0; bit < 32; bit++) {
      if (((w.features >>> bit) & 1) === 0) continue;
      const f = catalog.at(w['cpuid-input-eax'] >>> 0, w['cpuid-input-ecx'] ?? 0, reg, bit);
      if (f) set.add(f);
    }
  }
  return set;
}

function isReported(words: readonly FeatureWord[], leaf: number, subleaf: number, reg: Register): boolean {
  return words.some((w) => w['cpuid-input-eax'] >>> 0 === leaf && (w['cpuid-input-ecx'] ?? 0) === subleaf && w['cpuid-register'].toLowerCase() === reg);
}

export interface IdentityChange {
  readonly field: 'vendor' | 'family' | 'model' | 'stepping' | 'model-id';
  readonly source: string | number | undefined;
  readonly destination: string | number | undefined;
  /** Only a vendor change blocks (see the module comment). */
  readonly blocks: boolean;
}

export interface MigrationCheck {
  readonly source: RunningCpu;
  readonly destination: RunningCpu;
  /** Capabilities the guest has on the source that the destination lacks: each blocks. */
  readonly missing: readonly Feature[];
  /** Capabilities only the destination has (harmless: the guest did not see them at boot). */
  readonly gained: readonly Feature[];
  readonly identity: readonly IdentityChange[];
  /** Boolean vCPU properties outside the catalog (`kvm-pv-eoi`, `pmu`...) on at the source and off at the destination: reported, not judged. */
  readonly otherProps: readonly string[];
  /** How many capabilities the source has (what was compared). */
  readonly compared: number;
  readonly safe: boolean;
}

/** Compares two running vCPUs: may a guest running on `source` continue on `destination`? */
export function checkMigration(source: RunningCpu, destination: RunningCpu): MigrationCheck {
  const capability = (f: Feature) => f.kind === 'feature';
  const src = source.features.filter(capability);
  const dst = destination.features.filter(capability);
  const missing = [...src.minus(dst)];
  const gained = [...dst.minus(src)];
  const identity: IdentityChange[] = [];
  const pairs: [IdentityChange['field'], string | number | undefined, string | number | undefined][] = [
    ['vendor', source.identity.vendor, destination.identity.vendor],
    ['family', source.identity.family, destination.identity.family],
    ['model', source.identity.model, destination.identity.model],
    ['stepping', source.identity.stepping, destination.identity.stepping],
    ['model-id', source.identity.modelId, destination.identity.modelId],
  ];
  for (const [field, s, d] of pairs) if (s !== d) identity.push({ field, source: s, destination: d, blocks: field === 'vendor' });
  const dstOther = new Set(destination.otherProps);
  const otherProps = source.otherProps.filter((p) => !dstOther.has(p));
  return { source, destination, missing, gained, identity, otherProps, compared: src.size, safe: missing.length === 0 && !identity.some((c) => c.blocks) };
}

export interface MigrationProgress {
  /** `query-migrate` status: `completed`, `failed`, `cancelled`... */
  readonly status: string;
  readonly totalTimeMs?: number;
  readonly downtimeMs?: number;
  readonly setupTimeMs?: number;
  readonly transferredBytes?: number;
  /** Wall time from issuing `migrate` to seeing `completed`. */
  readonly wallMs: number;
}

export interface GuardedMigrationOptions {
  /** QMP endpoint of the running source (`PATH`, `unix:PATH`, `tcp:HOST:PORT`). */
  readonly from: string;
  /** QMP endpoint of the destination, started with `-incoming`. */
  readonly to: string;
  /** Migration URI the destination listens on (`tcp:127.0.0.1:4444`). */
  readonly uri: string;
  /** Only check; never start a migration. */
  readonly dryRun?: boolean;
  /** Give up waiting for completion after this long (default 10 min); the migration is then cancelled. */
  readonly timeoutMs?: number;
  /** How often to ask `query-migrate` (default 50 ms). */
  readonly pollMs?: number;
  readonly qmp?: QmpOptions;
}

export interface GuardedMigrationResult {
  readonly check: MigrationCheck;
  /** Why nothing was started although the CPUs are compatible (dry run, destination not waiting...). */
  readonly notStarted?: string;
  /** Set when a migration ran to completion. */
  readonly migration?: MigrationProgress;
}

/**
 * Checks, then (when safe and not a dry run) migrates and waits for completion. Refusals are
 * results (`check.safe === false`, nothing touched); broken setups, QEMU errors and a failed
 * or cancelled migration are thrown as OpenevcError.
 */
export async function guardedMigrate(opts: GuardedMigrationOptions): Promise<GuardedMigrationResult> {
  if (opts.from === opts.to) throw new OpenevcError(`--from and --to are the same QMP endpoint (${opts.from}): the source cannot migrate onto itself`);
  // Both connections are attempted; whatever opened is closed again, whatever failed.
  const settled = await Promise.allSettled([QmpClient.connect(opts.from, opts.qmp), QmpClient.connect(opts.to, opts.qmp)]);
  const clients = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    const [src, dst] = clients;
    const [source, destination] = await Promise.all([readRunningCpu(src!), readRunningCpu(dst!)]);
    const check = checkMigration(source, destination);
    if (!check.safe) return { check };
    const notReady = readiness(source, destination);
    if (opts.dryRun) return { check, notStarted: notReady ?? 'dry run' };
    if (notReady) throw new OpenevcError(notReady);
    const migration = await runMigration(src!, opts);
    return { check, migration };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Why a migration between these two QEMUs cannot start now, or undefined when it can. */
function readiness(source: RunningCpu, destination: RunningCpu): string | undefined {
  if (destination.status !== 'inmigrate') {
    return `${destination.endpoint}: the destination is not waiting for a migration (status '${destination.status}'; start it with -incoming URI)`;
  }
  if (source.status === 'inmigrate') return `${source.endpoint}: the source is itself waiting for an incoming migration (are --from and --to swapped?)`;
  if (source.status === 'postmigrate') return `${source.endpoint}: the source has already migrated away (status 'postmigrate')`;
  return undefined;
}

interface QueryMigrate {
  status?: string;
  'error-desc'?: string;
  'total-time'?: number;
  downtime?: number;
  'setup-time'?: number;
  ram?: { transferred?: number };
}

async function runMigration(src: QmpClient, opts: GuardedMigrationOptions): Promise<MigrationProgress> {
  const before = await src.execute<QueryMigrate>('query-migrate');
  if (before.status === 'active' || before.status === 'setup' || before.status === 'device') {
    throw new OpenevcError(`${src.endpoint}: a migration is already in progress (status '${before.status}')`);
  }
  const started = performance.now();
  await src.execute('migrate', { uri: opts.uri });
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const pollMs = opts.pollMs ?? 50;
  for (;;) {
    const q = await src.execute<QueryMigrate>('query-migrate');
    const status = q.status ?? 'none';
    if (status === 'completed') {
      return {
        status,
        totalTimeMs: q['total-time'],
        downtimeMs: q.downtime,
        setupTimeMs: q['setup-time'],
        transferredBytes: q.ram?.transferred,
        wallMs: performance.now() - started,
      };
    }
    if (status === 'failed' || status === 'cancelled') {
      const why = q['error-desc'] ? `: ${q['error-desc']}` : '';
      throw new OpenevcError(`${src.endpoint}: migration to ${opts.uri} ${status}${why} (the guest keeps running on the source)`);
    }
    if (performance.now() - started > timeoutMs) {
      await src.execute('migrate_cancel').catch(() => undefined);
      throw new OpenevcError(`${src.endpoint}: migration to ${opts.uri} did not complete within ${timeoutMs / 1000} s (status '${status}'); cancelled`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** QEMU's spelling for a feature, for messages (`-cpu ...,+aes` fixes a missing one on the destination). */
export function qemuSpelling(f: Feature): string | undefined {
  return f.qemu !== undefined && qemuFeature(f.qemu) === f ? f.qemu : undefined;
}
