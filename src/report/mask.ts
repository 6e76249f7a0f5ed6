/**
 * What `openevc mask` tells people beside the configuration: what the target is, and what each
 * host's VMs stop seeing.
 */
import type { MigrationTarget } from '../core/target.js';
import { featureList, hidePlan } from '../formats/common/hide.js';
import { plural, printable } from './text.js';

/** The human explanation: what the target is, and what each host's VMs stop seeing. */
export function explainTarget(target: MigrationTarget): string {
  const out: string[] = [];
  const what = target.kind === 'evc' ? `EVC baseline ${target.mode?.key} (${target.mode?.label})` : 'Minimal migration target';
  out.push(`${what} for ${plural(target.hosts.length, 'host')}, ${target.profile.id} profile (${target.profile.name}): VMs are given ${plural(target.features.size, 'feature')} on every host.`);
  target.hosts.forEach((h, i) => {
    const lost = target.hiddenOn[i]!;
    const name = printable(`${h.dump.source.path ?? h.dump.source.label ?? '(host)'} (${h.id.brand || h.id.vendorString || 'no brand string'})`);
    out.push(`  ${name}: ${lost.isEmpty ? 'loses nothing' : `loses ${featureList(lost)}`}`);
  });
  if (target.kind === 'evc') {
    const extra = hidePlan(target).hide.minus(target.hidden);
    if (!extra.isEmpty) out.push(`  The lines also hide ${plural(extra.size, 'feature')} none of these hosts has, so that any host presents the same baseline.`);
    if (target.mode && !target.mode.confirmed) out.push(`  Note: the feature set of ${target.mode.key} is not confirmed by a source openevc holds (openevc modes says which parts are).`);
  }
  return `${out.join('\n')}\n`;
}
