/**
 * Dumps of every logical CPU: building the ImportResult and checking that the CPUs agree.
 *
 * openevc works with the first CPU of a multi-CPU dump. That is sound only when every CPU
 * offers the same features, so the importers compare them and say so when they differ.
 * Only bits the catalog names as features are compared: APIC IDs, topology, cache and
 * core-type leaves differ from CPU to CPU by design (P- and E-cores of hybrid parts
 * describe different caches), and OS-state bits are not capabilities.
 */
import type { Catalog, Feature } from '../../core/catalog.js';
import { catalog as defaultCatalog } from '../../core/catalog.js';
import type { CpuidDump, FormatId } from '../../core/cpuid.js';
import { bitIsSet } from '../../core/cpuid.js';
import type { Diagnostic } from '../../core/errors.js';
import type { CpuBuilder } from './cpu-builder.js';
import { formatRanges } from './scan.js';
import type { ImportResult } from '../reader-types.js';

/** Turns the collected CPUs into an ImportResult: the first CPU is the dump openevc uses. */
export function buildResult(format: FormatId, file: string, builders: readonly CpuBuilder[], diagnostics: Diagnostic[]): ImportResult {
  const multi = builders.length > 1;
  // Folded repeats share a builder (addCpu): finish each once; their CPUs share its dump.
  const n = builders.length;
  if (n >= 2 && builders[n - 1] !== builders[n - 2] && builders[n - 1]!.sameAs(builders[n - 2]!)) (builders as CpuBuilder[])[n - 1] = builders[n - 2]!;
  const finished = new Map<CpuBuilder, CpuidDump>();
  const cpus = builders.map((b, i) => {
    let d = finished.get(b);
    if (!d) {
      d = b.finish(diagnostics, multi ? `CPU ${i} (line ${b.firstLine})` : 'the dump');
      finished.set(b, d);
    }
    return d;
  });
  const disagreement = multi ? featureDisagreement(cpus) : undefined;
  if (disagreement) {
    const line = builders[disagreement.firstCpu]!.firstLine;
    diagnostics.push({ level: 'warning', message: disagreement.message, where: { file, line } });
  }
  return { format, dump: cpus[0]!, cpus, diagnostics };
}

interface FeatureRegister {
  readonly leaf: number;
  readonly subleaf: number;
  readonly reg: 'eax' | 'ebx' | 'ecx' | 'edx';
  /** Bits the catalog names with kind `feature`. */
  readonly mask: number;
  readonly bits: Int32Array;
}

const registerCache = new WeakMap<Catalog, readonly FeatureRegister[]>();

function featureRegisters(cat: Catalog): readonly FeatureRegister[] {
  let regs = registerCache.get(cat);
  if (regs) return regs;
  regs = cat
    .registers()
    .map((rm) => {
      let mask = 0;
      for (let bit = 0; bit < 32; bit++) {
        const i = rm.bits[bit]!;
        if (i >= 0 && cat.features[i]!.kind === 'feature') mask |= 1 << bit;
      }
      return { leaf: rm.leaf, subleaf: rm.subleaf, reg: rm.reg, mask: mask >>> 0, bits: rm.bits };
    })
    .filter((r) => r.mask !== 0);
  registerCache.set(cat, regs);
  return regs;
}

function valueOf(dump: CpuidDump, r: FeatureRegister): number {
  return dump.isValidLeaf(r.leaf, r.subleaf) ? (dump.reg(r.leaf, r.subleaf, r.reg) ?? 0) : 0;
}

/** Whether CPUID says this is a hybrid part (the catalog's `hybrid_cpu` bit, CPUID.7.0:EDX[15]). */
function isHybrid(dump: CpuidDump, cat: Catalog): boolean {
  const f = cat.resolve('hybrid_cpu');
  if (!f || f.loc.type !== 'cpuid') return false;
  const { leaf, subleaf, reg, bit } = f.loc;
  return dump.isValidLeaf(leaf, subleaf) && bitIsSet(dump.reg(leaf, subleaf, reg) ?? 0, bit);
}

export interface Disagreement {
  readonly message: string;
  /** The first CPU (file order, from 0) that differs from CPU 0. */
  readonly firstCpu: number;
}

/**
 * Describes how the CPUs of one dump differ from the first on catalog features, or returns
 * undefined when they agree. CPUs are numbered in file order from 0.
 */
export function featureDisagreement(cpus: readonly CpuidDump[], cat: Catalog = defaultCatalog): Disagreement | undefined {
  if (cpus.length < 2) return undefined;
  const first = cpus[0]!;
  /** Per feature: the CPUs lacking it while CPU 0 has it, and the CPUs having it while CPU 0 lacks it. */
  const diffs = new Map<Feature, { lacking: number[]; having: number[] }>();
  for (const r of featureRegisters(cat)) {
    const v0 = valueOf(first, r);
    for (let c = 1; c < cpus.length; c++) {
      if (cpus[c] === first) continue; // a folded repeat of CPU 0
      let d = ((v0 ^ valueOf(cpus[c]!, r)) & r.mask) >>> 0;
      while (d !== 0) {
        const bit = 31 - Math.clz32(d & -d);
        d = (d & (d - 1)) >>> 0;
        const f = cat.features[r.bits[bit]!]!;
        let e = diffs.get(f);
        if (!e) diffs.set(f, (e = { lacking: [], having: [] }));
        (bitIsSet(v0, bit) ? e.lacking : e.having).push(c);
      }
    }
  }
  if (diffs.size === 0) return undefined;
  let firstCpu = cpus.length;
  for (const e of diffs.values()) firstCpu = Math.min(firstCpu, e.lacking[0] ?? firstCpu, e.having[0] ?? firstCpu);

  // Group features that differ on the same CPUs, so 384-CPU dumps stay readable.
  const groups = new Map<string, { ids: string[]; cpus: number[]; lacking: boolean }>();
  for (const [f, e] of diffs) {
    for (const [lacking, list] of [[true, e.lacking], [false, e.having]] as const) {
      if (list.length === 0) continue;
      const key = `${lacking ? '-' : '+'}${list.join(',')}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ids: [], cpus: list, lacking }));
      g.ids.push(f.id);
    }
  }
  const parts = [...groups.values()].map((g) => {
    const where = g.cpus.length === 1 ? `CPU ${g.cpus[0]}` : `${g.cpus.length} CPUs (${formatRanges(g.cpus)})`;
    return `${g.lacking ? 'missing on' : 'present only on'} ${where}: ${g.ids.join(', ')}`;
  });
  const lead = isHybrid(first, cat)
    ? 'hybrid part: its performance and efficiency cores disagree on features'
    : 'logical CPUs disagree on features';
  return { message: `${lead}; openevc uses CPU 0. Compared with CPU 0, ${parts.join('; ')}`, firstCpu };
}
