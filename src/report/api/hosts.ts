/** What the API calls accept as hosts, and the small helpers they share. Pure: runs in the browser as in Node. */
import type { CpuidDump } from '../../core/cpuid.js';
import { decodeHost } from '../../core/host.js';
import type { Host } from '../../core/host.js';
import { getProfile } from '../../core/profiles.js';
import type { ProfileDef } from '../../core/profiles.js';
import type { HostInput } from '../../formats/select-host.js';
import type { DecodedInput } from './decode.js';

/** What the API calls accept as a host: a decoded input, or a Host built with `decodeHost`. */
export type HostArg = DecodedInput | Host;

export function hostOf(h: HostArg): Host {
  return 'decoded' in h ? h.decoded : h;
}

/** The name an input goes by: the file it was read from, else the dump's own path or label. */
export function nameOf(h: HostArg, i: number): string {
  if ('decoded' in h) return h.file;
  return h.dump.source.path ?? h.dump.source.label ?? `host ${i + 1}`;
}

/**
 * A decoded input as a host whose dump is named by the input's file (what mask targets and their
 * explanations call each host); openevc JSON keeps its own source path otherwise.
 */
export function hostNamed(input: HostInput): Host {
  const p = input.file;
  const dump: CpuidDump = input.dump.source.path === p ? input.dump : input.dump.clone({ ...input.dump.source, path: p });
  return decodeHost(dump);
}

/** A profile by id or definition (`fallback`: the id used when none is given). */
export function profileOf(p: string | ProfileDef | undefined, fallback?: string): ProfileDef | undefined {
  if (p === undefined) return fallback === undefined ? undefined : getProfile(fallback);
  return typeof p === 'string' ? getProfile(p) : p;
}
