/**
 * `openevc qemu ...`: commands that talk to running QEMU processes over QMP.
 *
 * `openevc qemu migrate --from SOCK --to SOCK --uri URI [--dry-run] [--json]` reads the vCPU
 * of both QEMUs, refuses (exit 1, nothing touched) when the destination lacks a feature the
 * running guest has, and otherwise migrates and waits for completion (exit 0). QEMU itself
 * does not check: see src/node/qemu/migrate.ts.
 */
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { withExamples } from '../options.js';
import { describeLocation } from '../../core/catalog.js';
import type { Feature } from '../../core/catalog.js';
import { UsageError } from '../../core/errors.js';
import type { GuardedMigrationResult, IdentityChange, RunningCpu } from '../../node/qemu/migrate.js';
import { guardedMigrate, qemuSpelling } from '../../node/qemu/migrate.js';
import { plural, table } from '../text.js';

interface MigrateOptions {
  from: string;
  to: string;
  uri?: string;
  dryRun?: boolean;
  json?: boolean;
  timeout?: string;
}

export function register(program: Command): void {
  const qemu = program.command('qemu').description(summary('qemu'));
  withExamples(qemu, [
    ['openevc qemu migrate --dry-run --from /run/qemu/src.qmp --to /run/qemu/dst.qmp', 'compare the two vCPUs and say whether the guest can move; migrate nothing'],
    ['openevc qemu migrate --from src.qmp --to tcp:10.0.0.2:4444 --uri tcp:10.0.0.2:4445', 'migrate only when the destination offers every CPU feature the guest has'],
  ]);
  const migrate = qemu
    .command('migrate')
    .description('live-migrate a QEMU guest only when the destination offers every CPU feature the guest has')
    .requiredOption('--from <qmp>', 'QMP socket of the running source: PATH, unix:PATH or tcp:HOST:PORT')
    .requiredOption('--to <qmp>', 'QMP socket of the destination (started with -incoming URI)')
    .option('--uri <uri>', 'migration URI the destination listens on, e.g. tcp:127.0.0.1:4444 (not needed with --dry-run)')
    .option('--dry-run', 'only compare the two vCPUs; never start a migration')
    .option('--json', 'print the result as JSON')
    .option('--timeout <seconds>', 'cancel the migration if it has not completed after this long', '600')
    .addHelpText(
      'after',
      [
        '',
        'Blocks on: any CPU capability (catalog kind "feature") the source vCPU has and the destination',
        "lacks, and a vendor change. Family/model/stepping/brand differences are reported, not blocking.",
        '',
        'Exit status: 0 compatible (migrated, or --dry-run), 1 refused (nothing was started),',
        '2 the check or the migration could not be done (socket missing, QEMU error, migration failed).',
      ].join('\n'),
    )
    .action(async (opts: MigrateOptions) => {
      if (!opts.dryRun && !opts.uri) {
        throw new UsageError('qemu migrate: --uri is required (the address the destination listens on, as in its -incoming option), unless --dry-run');
      }
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`qemu migrate: --timeout expects a number of seconds, got '${opts.timeout}'`);
      const result = await guardedMigrate({ from: opts.from, to: opts.to, uri: opts.uri ?? '', dryRun: opts.dryRun, timeoutMs: timeout * 1000 });
      process.stdout.write(opts.json ? `${JSON.stringify(migrationJson(result, opts), null, 2)}\n` : `${renderMigration(result, opts)}\n`);
      if (!result.check.safe) process.exitCode = 1;
    });
  withExamples(migrate, [
    ['openevc qemu migrate --dry-run --json --from src.qmp --to dst.qmp', 'the vCPU comparison as JSON'],
    ['openevc qemu migrate --from unix:/run/qemu/src.qmp --to dst.qmp --uri tcp:127.0.0.1:4444 --timeout 120', 'migrate, cancelling after two minutes'],
  ]);
}

function cpuLine(role: string, cpu: RunningCpu): string[] {
  const id = cpu.identity;
  const sig = [
    id.vendor ?? '?',
    id.family !== undefined ? `family 0x${id.family.toString(16)}` : '',
    id.model !== undefined ? `model 0x${id.model.toString(16)}` : '',
    id.stepping !== undefined ? `stepping ${id.stepping}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [role, cpu.endpoint, `${cpu.name} (${sig}), ${cpu.status}`];
}

function featureRow(f: Feature): string[] {
  const q = qemuSpelling(f);
  return [`  ${f.id}`, f.name, describeLocation(f.loc), q ? `qemu: ${q}` : ''];
}

function identityText(c: IdentityChange): string {
  const show = (v: string | number | undefined) => (v === undefined ? '(none)' : typeof v === 'number' && c.field !== 'stepping' ? `0x${v.toString(16)}` : JSON.stringify(v));
  return `${c.field} ${show(c.source)} -> ${show(c.destination)}`;
}

export function renderMigration(r: GuardedMigrationResult, opts: { uri?: string; dryRun?: boolean }): string {
  const { check } = r;
  const out: string[] = [table([cpuLine('source', check.source), cpuLine('destination', check.destination)])];
  out.push('');
  const vendor = check.identity.find((c) => c.blocks);
  if (!check.safe) {
    const n = check.missing.length;
    if (n > 0) {
      out.push(`Refused: the destination lacks ${plural(n, 'CPU feature')} the running guest has; the guest would lose ${n === 1 ? 'it' : 'them'} mid-run.`);
      out.push(table(check.missing.map(featureRow)));
    }
    if (vendor) out.push(`Refused: the CPU vendor would change under the running guest (${identityText(vendor)}).`);
  } else {
    out.push(`Compatible: the destination offers all ${plural(check.compared, 'CPU capability', 'CPU capabilities')} the guest has.`);
  }
  const soft = check.identity.filter((c) => !c.blocks);
  if (soft.length > 0) out.push(`Identity differences (not blocking): ${soft.map(identityText).join(', ')}`);
  if (check.otherProps.length > 0) out.push(`Other vCPU properties on at the source and off at the destination (not judged): ${check.otherProps.join(', ')}`);
  for (const cpu of [check.source, check.destination]) {
    if (cpu.inconsistent.length > 0) out.push(`warning: ${cpu.endpoint}: QEMU's properties and CPUID words disagree on ${cpu.inconsistent.map((f) => f.id).join(', ')}`);
  }
  if (!check.safe) {
    out.push('No migration was started; the guest keeps running on the source.');
  } else if (r.migration) {
    const m = r.migration;
    const parts = [
      m.downtimeMs !== undefined ? `downtime ${m.downtimeMs} ms` : '',
      m.transferredBytes !== undefined ? `${Math.round(m.transferredBytes / 1024)} KiB transferred` : '',
      `${Math.round(m.wallMs)} ms wall time`,
    ].filter(Boolean);
    out.push(`Migrated to ${opts.uri}: ${m.status}${m.totalTimeMs !== undefined ? ` in ${m.totalTimeMs} ms` : ''} (${parts.join(', ')}).`);
    out.push('The guest now runs on the destination; the source is paused (postmigrate).');
  } else if (opts.dryRun) {
    out.push(r.notStarted && r.notStarted !== 'dry run' ? `Dry run: no migration started. A real run would stop here: ${r.notStarted}` : 'Dry run: no migration started.');
  }
  return out.join('\n');
}

function cpuJson(cpu: RunningCpu) {
  return {
    qmp: cpu.endpoint,
    cpu_model: cpu.name,
    qom_type: cpu.typename,
    status: cpu.status,
    vcpus: cpu.vcpus,
    vendor: cpu.identity.vendor ?? null,
    family: cpu.identity.family ?? null,
    model: cpu.identity.model ?? null,
    stepping: cpu.identity.stepping ?? null,
    model_id: cpu.identity.modelId ?? null,
    capabilities: cpu.features.filter((f) => f.kind === 'feature').ids(),
  };
}

function featureJson(f: Feature) {
  return { id: f.id, name: f.name, location: describeLocation(f.loc), qemu: qemuSpelling(f) ?? null };
}

export function migrationJson(r: GuardedMigrationResult, opts: { uri?: string; dryRun?: boolean }) {
  const { check } = r;
  const m = r.migration;
  return {
    safe: check.safe,
    dry_run: Boolean(opts.dryRun),
    source: cpuJson(check.source),
    destination: cpuJson(check.destination),
    blockers: check.missing.map(featureJson),
    identity: check.identity.map((c) => ({ field: c.field, source: c.source ?? null, destination: c.destination ?? null, blocks: c.blocks })),
    gained: check.gained.map((f) => f.id),
    other_properties: check.otherProps,
    not_started: check.safe ? (r.notStarted ?? null) : 'refused',
    migration: m
      ? {
          uri: opts.uri,
          status: m.status,
          total_time_ms: m.totalTimeMs ?? null,
          downtime_ms: m.downtimeMs ?? null,
          setup_time_ms: m.setupTimeMs ?? null,
          transferred_bytes: m.transferredBytes ?? null,
          wall_ms: Math.round(m.wallMs),
        }
      : null,
  };
}
