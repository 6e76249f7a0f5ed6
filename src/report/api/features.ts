/** `openevc features` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import { catalog } from '../../core/catalog.js';
import type { Feature } from '../../core/catalog.js';
import { NoMatchError, byLocation, featureJson, findFeatures, renderDetails, renderTable } from '../features.js';


export interface FeaturesReport {
  readonly features: readonly Feature[];
  /** What `features --json` prints (sorted by location). */
  readonly json: Record<string, unknown>[];
  /** What `features` prints: the table, and the details when one entry matched. */
  readonly text: string;
}

/**
 * `openevc features [QUERY]`: the whole catalog, or the entries matching a name in any spelling
 * (Linux, QEMU, libvirt, VMware, Xen), a CPUID location, a category or a display name. No match
 * throws NoMatchError.
 */
export function featuresReport(query?: string): FeaturesReport {
  const features = query === undefined ? [...catalog.features] : findFeatures(query);
  if (features.length === 0) throw new NoMatchError(query ?? '');
  const json = [...features].sort(byLocation).map(featureJson);
  const text = renderTable(features) + (features.length === 1 ? renderDetails(features[0]!) : '');
  return { features, json, text };
}
