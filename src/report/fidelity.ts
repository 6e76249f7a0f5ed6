/**
 * How answers say what they rest on: each host's fidelity (raw CPUID, feature flags only, or an
 * EVC mode key only), and the caveat an answer carries when any of its hosts is below raw CPUID.
 */
import type { DumpSource, Fidelity } from '../core/cpuid.js';
import { fidelityOf } from '../core/cpuid.js';

export { fidelityOf } from '../core/cpuid.js';
export type { Fidelity } from '../core/cpuid.js';

/** Short words for tables: `raw CPUID`, `flags only`, `EVC key only`. */
export function fidelityShort(f: Fidelity): string {
  return f === 'cpuid' ? 'raw CPUID' : f === 'flags' ? 'flags only' : 'EVC key only';
}

/** One host's fidelity in a sentence. */
export function fidelityLine(source: DumpSource): string {
  const f = fidelityOf(source);
  if (f === 'cpuid') return source.lossy ? 'raw CPUID, partial (some registers were not in the input)' : 'raw CPUID';
  if (f === 'flags') return 'feature flags only: bits the input does not name are unknown, not known absent';
  return `EVC mode key only (${source.evcKey ?? '?'}): taken to have exactly that mode's features; the CPU may have more`;
}

/** The weakest fidelity among hosts: what an answer about all of them rests on. */
export function weakest(sources: readonly DumpSource[]): Fidelity {
  const order: Fidelity[] = ['evc-key', 'flags', 'cpuid'];
  let best = 2;
  for (const s of sources) best = Math.min(best, order.indexOf(fidelityOf(s)));
  return order[best]!;
}

/** The caveat for an answer about these hosts, or undefined when all rest on raw CPUID. */
export function fidelityCaveat(sources: readonly DumpSource[], names: readonly string[]): string | undefined {
  const flags = names.filter((_, i) => fidelityOf(sources[i]!) === 'flags');
  const keys = names.filter((_, i) => fidelityOf(sources[i]!) === 'evc-key');
  if (flags.length + keys.length === 0) return undefined;
  const parts: string[] = [];
  if (keys.length > 0) parts.push(`${keys.length === 1 ? 'host' : 'hosts'} ${keys.join(', ')} known by EVC mode key only (taken to have exactly the mode's features)`);
  if (flags.length > 0) parts.push(`${flags.length === 1 ? 'host' : 'hosts'} ${flags.join(', ')} known by feature flags only`);
  return `this answer rests on ${weakest(sources) === 'evc-key' ? 'EVC mode keys' : 'feature flags'} for some hosts: ${parts.join('; ')}. What they lose or lack may be understated or overstated; raw CPUID (openevc probe, cpuid -r) settles it.`;
}
