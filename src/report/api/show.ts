/** `openevc show` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import { summarize } from '../host.js';
import type { HostSummary } from '../host.js';
import { renderHost } from '../show.js';
import { DEFAULT_WIDTH } from '../text.js';
import type { DecodedInput } from './decode.js';


export interface ShowOptions {
  /** One line per feature, with its CPUID location and enforcement (`show --long`). */
  readonly long?: boolean;
  /** Text width (default 100). */
  readonly width?: number;
}

export interface ShowReport {
  /** What `show --json` prints. */
  readonly json: HostSummary;
  /** What `show` prints (without the final newline). */
  readonly text: string;
}

/** `openevc show`: the host summary as JSON and as text. */
export function showReport(input: DecodedInput, opts: ShowOptions = {}): ShowReport {
  return { json: showJson(input), text: showText(input, opts) };
}

/** `openevc show --json` alone. */
export function showJson(input: DecodedInput): HostSummary {
  return summarize(input.decoded, { file: input.file, format: input.format, cpus: input.cpus, diagnostics: input.diagnostics });
}

/** `openevc show` text alone. */
export function showText(input: DecodedInput, opts: ShowOptions = {}): string {
  return renderHost(input.decoded, input, { long: opts.long ?? false, width: opts.width ?? DEFAULT_WIDTH });
}
