/** Text in any input format to decoded hosts (docs/api.md: decodeHostText, decodeHostsText). Pure: runs in the browser as in Node. */
import type { Fidelity, FormatId } from '../../core/cpuid.js';
import { fidelityOf } from '../../core/cpuid.js';
import { decodeHost } from '../../core/host.js';
import type { Host } from '../../core/host.js';
import type { EvcMode } from '../../core/evc.js';
import { importText } from '../../formats/readers.js';
import type { FleetCluster, FleetVm } from '../../formats/reader-types.js';
import { allHosts, selectHost } from '../../formats/select-host.js';
import type { HostInput, SelectOptions } from '../../formats/select-host.js';


/** One host of an input, decoded: where it came from, what the reader noted, what it rests on. */
export interface DecodedInput extends HostInput {
  /** The decoded host every analysis starts from. */
  readonly decoded: Host;
  /** What the host's features rest on: raw CPUID, feature flags only, or an EVC mode key only. */
  readonly fidelity: Fidelity;
}

export interface DecodeOptions extends Partial<SelectOptions> {
  /** Read the text as this format instead of detecting it (the CLI's `--format`). */
  readonly format?: FormatId | string;
}

/** A host input read elsewhere (the CLI reads files), decoded. */
export function decodeInput(input: HostInput): DecodedInput {
  return { ...input, decoded: decodeHost(input.dump), fidelity: fidelityOf(input.dump.source) };
}

/**
 * Text in any supported format to a decoded host: detects the format (or reads it as `format`),
 * picks the host `host`/`cpu`/`guest` name, and keeps the reader's diagnostics. Bad input throws
 * InputError naming file and line; `file` (default `(text)`) labels the input in messages.
 */
export function decodeHostText(text: string, opts: DecodeOptions = {}): DecodedInput {
  const file = opts.file ?? '(text)';
  const result = importText(text, { file, ...(opts.format !== undefined ? { format: opts.format } : {}) });
  return decodeInput(selectHost(result, { ...opts, file }));
}

/** Every host an input holds (a fleet export holds many), and what else a fleet export holds. */
export interface DecodedInputs {
  readonly hosts: readonly DecodedInput[];
  readonly clusters: readonly FleetCluster[];
  readonly vms: readonly FleetVm[];
  /** vCenter EVC mode definitions the input holds (pass them to baselineReport/maskReport as `loadedModes`). */
  readonly evcModes: readonly EvcMode[];
}

/** Like decodeHostText, but every host of a fleet export (govc, PowerCLI, RVTools CSV, kubectl…), each named `FILE#HOST`. */
export function decodeHostsText(text: string, opts: Omit<DecodeOptions, 'host'> = {}): DecodedInputs {
  const file = opts.file ?? '(text)';
  const result = importText(text, { file, ...(opts.format !== undefined ? { format: opts.format } : {}) });
  const f = result.fleet;
  return { hosts: allHosts(result, { ...opts, file }).map(decodeInput), clusters: f?.clusters ?? [], vms: f?.vms ?? [], evcModes: f?.evcModes ?? [] };
}
