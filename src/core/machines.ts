/**
 * Which logical CPUs of one input belong to the same machine. A multi-CPU dump is one machine
 * when every CPU block reports the same brand string, family and model (hybrid parts' performance
 * and efficiency cores share them; the stepping may differ between the sockets of one server).
 * Different values mean different machines concatenated in one file: openevc refuses to pick one
 * silently, or splits them (`--split`).
 */
import type { CpuidDump } from './cpuid.js';
import { identify } from './identity.js';

export interface MachineGroup {
  /** What tells the machine apart: `brand (family/model)`. */
  readonly label: string;
  /** Positions of its logical CPUs in the input. */
  readonly cpus: readonly number[];
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** The machines of a multi-CPU input, in order of first appearance. */
export function machineGroups(cpus: readonly CpuidDump[]): MachineGroup[] {
  const groups = new Map<string, number[]>();
  const labels = new Map<string, string>();
  // Folded inputs repeat one dump object for many CPUs: identify each object once.
  const keyOf = new Map<CpuidDump, string>();
  cpus.forEach((d, i) => {
    let key = keyOf.get(d);
    if (key === undefined) {
      const id = identify(d);
      key = `${id.vendorString}\0${id.brand}\0${id.family}\0${id.model}`;
      keyOf.set(d, key);
      if (!labels.has(key)) labels.set(key, `${id.brand || id.vendorString || 'no brand string'} (family ${hex(id.family)}, model ${hex(id.model)})`);
    }
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  return [...groups].map(([k, list]) => ({ label: labels.get(k)!, cpus: list }));
}

/** A key equal for two dumps exactly when their CPUID (and MSR) contents are identical. */
export function contentKey(dump: CpuidDump): string {
  const parts = dump
    .list()
    .map((e) => `${e.leaf}.${e.subleaf}:${e.eax},${e.ebx},${e.ecx},${e.edx}`)
    .sort();
  const msrs = [...dump.msrs].map(([k, v]) => `m${k}:${v}`).sort();
  return [...parts, ...msrs].join(';');
}
