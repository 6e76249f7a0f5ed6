/** `openevc modes` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import { builtinEvcModes } from '../../core/evc.js';
import type { EvcMode, EvcModeSet, EvcVendor } from '../../core/evc.js';
import { modeJson, renderModes } from '../modes.js';
import { DEFAULT_WIDTH } from '../text.js';


export interface ModesOptions {
  readonly vendor?: EvcVendor;
  /** The modes (default: the built-in ones; see evcModesFromText). */
  readonly evcModes?: EvcModeSet;
  readonly width?: number;
}

export interface ModesReport {
  readonly modes: readonly EvcMode[];
  /** What `modes --json` prints. */
  readonly json: Record<string, unknown>[];
  /** What `modes` prints (without the final newline). */
  readonly text: string;
}

/** `openevc modes`: the EVC modes in ladder order, what each adds and how sure the facts are. */
export function modesReport(opts: ModesOptions = {}): ModesReport {
  const set = opts.evcModes ?? builtinEvcModes();
  const modes = set.list(opts.vendor);
  return { modes, json: modes.map(modeJson), text: renderModes(set, opts.vendor, opts.width ?? DEFAULT_WIDTH) };
}
