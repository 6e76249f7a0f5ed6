/**
 * Fleets as streams: hosts are folded in one at a time and dropped, keeping only one entry per
 * distinct CPU (hosts whose identity and feature set are identical share it) and, per host, the
 * index of its entry. A fleet of 100,000 hosts of a few dozen CPU types holds a few dozen Host
 * objects, and every pairwise or leave-one-out step scales with distinct CPUs, not hosts.
 *
 *   const fleet = new Fleet();
 *   for await (const dump of dumps) fleet.add(decodeHost(dump));
 *   const b = fleet.baseline({ profile });   // the same Baseline as computeBaseline(allHosts)
 *
 * Pure: no Node API.
 */
import type { Baseline, BaselineGroup, BaselineHost, BaselineOptions, LimitingHost } from './baseline.js';
import { computeBaseline } from './baseline.js';
import { CpuidDump, fidelityOf } from './cpuid.js';
import type { Host } from './host.js';
import { wordsKey } from './pairs.js';

interface Entry {
  /** The first host seen with this CPU: it stands for all of them. */
  readonly host: Host;
  /** Its position in the fleet. */
  readonly first: number;
  count: number;
}

/**
 * What makes two hosts interchangeable in every fleet answer: vendor, what they call themselves
 * (reports print it), the model a libvirt `<cpu>` input names, what the answer rests on (raw
 * CPUID, flags only, an EVC mode key: reports mark each host by it), and every catalog bit.
 */
function entryKey(h: Host): string {
  const s = h.dump.source;
  return `${h.id.vendor}\u0000${h.id.vendorString}\u0000${h.id.brand}\u0000${s.model ?? '\u0001'}\u0000${fidelityOf(s)}\u0000${s.evcKey ?? '\u0001'}\u0000${wordsKey(h.bits.words)}`;
}

export interface FleetOptions {
  /**
   * Keep each distinct CPU's register dump (default true). Fleet answers need only identity and
   * feature sets, so a command folding 100,000 files passes false: then `host.dump` of a
   * representative is an empty dump with the same source.
   */
  readonly keepDumps?: boolean;
}

export class Fleet {
  constructor(private readonly opts: FleetOptions = {}) {}

  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, number>();
  private entryOf = new Int32Array(1024);
  private n = 0;

  /** Number of hosts added. */
  get size(): number {
    return this.n;
  }

  /** Number of distinct CPUs among them. */
  get distinct(): number {
    return this.entries.length;
  }

  /** The host standing for each distinct CPU, in order of first appearance. */
  representatives(): Host[] {
    return this.entries.map((e) => e.host);
  }

  /** The host standing for distinct CPU `e`. */
  representative(e: number): Host {
    const entry = this.entries[e];
    if (entry === undefined) throw new RangeError(`CPU ${e} is not in the fleet (${this.entries.length} distinct)`);
    return entry.host;
  }

  /**
   * Adds a host and returns it light: its own dump's source (its name, what its data rests on) in
   * an empty dump, and the decoded identity and feature sets of the first host with the same CPU
   * (shared objects). What a command that names every host but needs no registers keeps per host:
   * a mask for 100,000 hosts of a few CPU models holds a few hundred bytes a host.
   */
  addLight(host: Host): Host {
    const rep = this.representative(this.add(host));
    return { dump: new CpuidDump(host.dump.source), id: rep.id, bits: rep.bits, features: rep.features, level: rep.level };
  }

  /** For host `i` (in the order added), the index of its distinct CPU. */
  entryIndex(i: number): number {
    if (i < 0 || i >= this.n) throw new RangeError(`host ${i} is not in the fleet (${this.n} hosts)`);
    return this.entryOf[i]!;
  }

  /** Adds a host; returns the index of its distinct CPU. The host object is kept only if its CPU is new. */
  add(host: Host): number {
    const key = entryKey(host);
    let e = this.byKey.get(key);
    if (e === undefined) {
      e = this.entries.length;
      this.byKey.set(key, e);
      const kept = this.opts.keepDumps === false ? { ...host, dump: new CpuidDump(host.dump.source) } : host;
      this.entries.push({ host: kept, first: this.n, count: 0 });
    }
    this.entries[e]!.count++;
    if (this.n === this.entryOf.length) {
      const grown = new Int32Array(this.entryOf.length * 2);
      grown.set(this.entryOf);
      this.entryOf = grown;
    }
    this.entryOf[this.n++] = e;
    return e;
  }

  /**
   * The baseline of every host added: equal to `computeBaseline(hosts, opts)` over the hosts
   * one by one, computed over the distinct CPUs. `hosts[i]` of the result is shared by every
   * host of one CPU (its `host` is that CPU's first host); limiting hosts carry fleet indexes.
   */
  baseline(opts: BaselineOptions = {}): Baseline {
    // Each CPU once, or twice when several hosts have it: leaving one host out then leaves the
    // other copy in, exactly as in the whole fleet, so only CPUs of a single host can limit.
    const list: Host[] = [];
    const listEntry: number[] = [];
    const firstInList: number[] = [];
    this.entries.forEach((e, k) => {
      firstInList.push(list.length);
      for (let c = 0; c < Math.min(2, e.count); c++) {
        list.push(e.host);
        listEntry.push(k);
      }
    });
    const b = computeBaseline(list, opts);
    const perEntry: BaselineHost[] = firstInList.map((at) => b.hosts[at]!);
    const hosts: BaselineHost[] = new Array<BaselineHost>(this.n);
    for (let i = 0; i < this.n; i++) hosts[i] = perEntry[this.entryOf[i]!]!;
    const limiting: LimitingHost[] = b.limiting.map((l) => ({ ...l, index: this.entries[listEntry[l.index]!]!.first }));
    let evcHeldByIndex: number[] = [];
    if (b.evc && !limiting.some((l) => l.evc)) {
      for (let i = 0; i < this.n; i++) if (hosts[i]!.maxEvc?.key === b.evc.key) evcHeldByIndex.push(i);
      if (!(evcHeldByIndex.length > 1 && evcHeldByIndex.length < this.n)) evcHeldByIndex = [];
    }
    // Mixed vendors: each vendor's hosts are a fleet of their own (positions are the fleet's).
    const groups: BaselineGroup[] = [];
    if (b.groups.length > 0) {
      const byVendor = new Map<string, { indices: number[]; fleet: Fleet }>();
      for (let i = 0; i < this.n; i++) {
        const h = this.entries[this.entryOf[i]!]!.host;
        const k = h.id.vendor ?? `?${h.id.vendorString}`;
        let g = byVendor.get(k);
        if (!g) byVendor.set(k, (g = { indices: [], fleet: new Fleet(this.opts) }));
        g.indices.push(i);
        g.fleet.add(h);
      }
      for (const g of byVendor.values()) {
        const first = this.entries[this.entryOf[g.indices[0]!]!]!.host;
        groups.push({ vendor: first.id.vendor, vendorString: first.id.vendorString, indices: g.indices, baseline: g.fleet.baseline(opts) });
      }
    }
    return { ...b, hosts, limiting, evcHeldBy: evcHeldByIndex.map((i) => hosts[i]!.host), evcHeldByIndex, groups };
  }
}

/** The baseline of a fleet given as any iterable of hosts, folded one at a time (see {@link Fleet}). */
export function fleetBaseline(hosts: Iterable<Host>, opts: BaselineOptions = {}): Baseline {
  const fleet = new Fleet();
  for (const h of hosts) fleet.add(h);
  return fleet.baseline(opts);
}
