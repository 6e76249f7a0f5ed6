/**
 * What `openevc mask` tells people beside the configuration: what the target is, and what each
 * host's VMs stop seeing.
 */
import type { MigrationTarget } from '../core/target.js';
import type { FeatureSet } from '../core/catalog.js';
import { featureList, hidePlan } from '../formats/common/hide.js';
import { DEFAULT_WIDTH, plural, printable, wrapWords } from './text.js';
import { fidelityCaveat, fidelityOf, fidelityShort } from './fidelity.js';
import { UNCONFIRMED_LEGEND, UNCONFIRMED_MARK, modeConfidence } from '../core/evc.js';

/**
 * The human explanation: what the target is, and what each host's VMs stop seeing. Lines are
 * wrapped to `width` columns (a host that loses forty features is a paragraph, not one line).
 */
export function explainTarget(target: MigrationTarget, width = DEFAULT_WIDTH): string {
  return [...explainTargetLines(target, width)].join('');
}

/**
 * {@link explainTarget} line by line (each with its newline): what a command writes as it goes, so
 * that 100,000 hosts are never one string. Hosts that lose the same set share its list.
 */
export function* explainTargetLines(target: MigrationTarget, width = DEFAULT_WIDTH): Generator<string> {
  const unsure = target.mode !== undefined && !modeConfidence(target.mode).confirmed;
  const what = target.kind === 'evc' ? `EVC baseline ${target.mode?.key}${unsure ? UNCONFIRMED_MARK : ''} (${target.mode?.label})` : 'Minimal migration target';
  const whom = target.hosts.length === 0 ? 'no host (generic lines)' : plural(target.hosts.length, 'host');
  yield `${wrapWords(`${what} for ${whom}, ${target.profile.id} profile (${target.profile.name}): VMs are given ${plural(target.features.size, 'feature')} on every host.`.split(' '), width, 4)}\n`;
  const losses = new Map<FeatureSet, string>();
  for (let i = 0; i < target.hosts.length; i++) {
    const h = target.hosts[i]!;
    const lost = target.hiddenOn[i]!;
    let loses = losses.get(lost);
    if (loses === undefined) losses.set(lost, (loses = lost.isEmpty ? 'loses nothing' : `loses ${plural(lost.size, 'feature')}: ${featureList(lost)}`));
    const name = printable(`${h.dump.source.path ?? h.dump.source.label ?? '(host)'} (${h.id.brand || h.id.vendorString || 'no brand string'})`);
    const f = fidelityOf(h.dump.source);
    const line = `${name}${f === 'cpuid' ? '' : ` [${fidelityShort(f)}]`}: ${loses}`;
    yield `  ${wrapWords(line.split(' '), width - 2, 6)}\n`;
  }
  const caveat = fidelityCaveat(
    target.hosts.map((h) => h.dump.source),
    target.hosts.map((h) => h.dump.source.path ?? h.dump.source.label ?? '(host)'),
  );
  if (caveat) yield `  ${wrapWords(`Note: ${caveat}`.split(' '), width - 2, 4)}\n`;
  if (target.kind === 'evc') {
    const extra = hidePlan(target).hide.minus(target.hidden);
    if (!extra.isEmpty && target.hosts.length > 0) yield `  ${wrapWords(`The lines also hide ${plural(extra.size, 'feature')} none of these hosts has, so that any host presents the same baseline.`.split(' '), width - 2, 4)}\n`;
    if (target.mode && unsure) {
      yield `  ${wrapWords(`Note: the feature set of ${target.mode.key} is not confirmed by a source openevc holds (sources of the unconfirmed parts: ${modeConfidence(target.mode).sources.join(', ')}; openevc modes says which parts are).`.split(' '), width - 2, 4)}\n`;
      yield `  ${UNCONFIRMED_LEGEND}\n`;
    }
  }
}
