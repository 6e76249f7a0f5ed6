/**
 * Which named CPU models can this host run, and what blocks the others: openevc's own answer,
 * from the host's features and openevc's model table (libvirt cpu_map, src/core/models.ts), and
 * its comparison with libvirt's answer in a domcapabilities document (`usable`, `<blockers>`).
 *
 * A model is usable when the host has every feature the model lists that libvirt can name; the
 * features it lacks are the blockers. Vendor does not matter (libvirt lets an AMD host run an
 * Intel model it has the features for), and neither do features libvirt has no name for.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { catalog } from '../../core/catalog.js';
import { builtinModels } from '../../core/models.js';
import type { ModelTable } from '../../core/models.js';
import { resolveLibvirtCpu } from '../libvirt/cpu-reader.js';
import type { DomainCapabilities, Usable } from './reader.js';

export interface ModelVerdict {
  readonly model: string;
  /** Undefined when openevc's model table does not have the model. */
  readonly usable: boolean | undefined;
  /** The model's features the host lacks, in catalog order. */
  readonly blockers: readonly Feature[];
}

/**
 * Features a model lists that do not make it unusable: QEMU drops them from a model the host cannot
 * back instead of counting them unavailable (observed on libvirt's domcapabilities test data):
 * nested virtualization (VMX, SVM and their capability bits: a guest gets them only when asked for
 * nesting) and MONITOR/MWAIT (KVM gives it to guests only with cpu-pm=on).
 */
export function heldAgainstModel(f: Feature, accel: Accelerator = 'kvm'): boolean {
  if (f.cat === 'virtualization' || f.id === 'monitor') return false;
  // Under TCG, QEMU 4.2 to 9.1 report 486, pentium... usable while TCG's own 'max' CPU has vme=false
  // (libvirt's qemucapabilitiesdata replies): VME is not held against a model there.
  return !(accel === 'tcg' && f.id === 'vme');
}

/** The hypervisor a domcapabilities document describes: KVM (`<domain>kvm</domain>`) or QEMU's TCG (`qemu`). */
export type Accelerator = 'kvm' | 'tcg';

/** The accelerator of a domcapabilities `<domain>` value (`qemu` is TCG; anything else is treated as KVM). */
export function acceleratorOf(domain: string | undefined): Accelerator {
  return domain === 'qemu' ? 'tcg' : 'kvm';
}

/** openevc's verdict for each named model on a host with these features. */
export function usableModels(host: FeatureSet, names: readonly string[], models: ModelTable = builtinModels(), accel: Accelerator = 'kvm'): ModelVerdict[] {
  return names.map((name) => {
    const m = models.get(name);
    if (!m) return { model: name, usable: undefined, blockers: [] };
    const blockers = [...m.listed.intersection(models.known).minus(host)].filter((f) => heldAgainstModel(f, accel));
    return { model: name, usable: blockers.length === 0, blockers };
  });
}

/** Why openevc and libvirt disagree on a model (see {@link compareUsable}). */
export type DisagreementKind =
  /** openevc's model table (libvirt cpu_map v11.3.0) has no model of that name. */
  | 'unknown-model'
  /** libvirt blocks the model on features openevc's definition of the model does not list (QEMU's definition differs). */
  | 'libvirt-blocks-more'
  /** openevc blocks the model on features libvirt does not hold against it. */
  | 'openevc-blocks-more'
  /** libvirt's usable is 'unknown'. */
  | 'libvirt-unknown'
  /** The host-model names a model openevc's table does not have: openevc cannot say what the host has. */
  | 'unknown-host-model';

export interface UsableComparison {
  readonly model: string;
  readonly libvirt: Usable;
  /** libvirt's blockers (its spellings), when the file has them. */
  readonly libvirtBlockers: readonly string[] | undefined;
  readonly openevc: ModelVerdict;
  /** Both say usable, or both say not usable. */
  readonly agrees: boolean;
  /** When libvirt lists blockers: the same features (by catalog identity); undefined otherwise. */
  readonly sameBlockers: boolean | undefined;
  readonly kind: DisagreementKind | undefined;
  /** Features in libvirt's blockers only / in openevc's only (catalog ids, or libvirt's spelling when the catalog lacks it). */
  readonly onlyLibvirt: readonly string[];
  readonly onlyOpenevc: readonly string[];
}

/**
 * Sets openevc's answer for every named model of a domcapabilities document beside libvirt's.
 * The host is the document's host-model; without one there is nothing to compare (empty list).
 */
export function compareUsable(caps: DomainCapabilities, file: string, models: ModelTable = builtinModels()): UsableComparison[] {
  if (!caps.hostModel) return [];
  if (caps.hostModel.model !== undefined && !models.get(caps.hostModel.model)) {
    // Nothing to compare with: every model counts as a difference, so the agreement figure never hides the file.
    return caps.models.map((m) => ({
      model: m.name,
      libvirt: m.usable,
      libvirtBlockers: m.blockers,
      openevc: { model: m.name, usable: undefined, blockers: [] },
      agrees: false,
      sameBlockers: undefined,
      kind: 'unknown-host-model' as const,
      onlyLibvirt: [],
      onlyOpenevc: [],
    }));
  }
  // Features the catalog does not know (newer than openevc) cannot be in openevc's models either: leave them out.
  const known = { ...caps.hostModel, features: caps.hostModel.features.filter((f) => catalog.resolve(f.name, 'libvirt') !== undefined) };
  const host = resolveLibvirtCpu(known, file, models).features;
  const verdicts = usableModels(host, caps.models.map((m) => m.name), models, acceleratorOf(caps.domain));
  return caps.models.map((m, i) => {
    const v = verdicts[i]!;
    const ours = new Set(v.blockers.map((f) => f.id));
    // libvirt's blockers as catalog ids where the catalog knows the name.
    const theirs = m.blockers?.map((n) => catalog.resolve(n, 'libvirt')?.id ?? n);
    const theirSet = new Set(theirs ?? []);
    const onlyLibvirt = theirs ? theirs.filter((id) => !ours.has(id)) : [];
    const onlyOpenevc = theirs ? [...ours].filter((id) => !theirSet.has(id)) : [];
    const agrees = v.usable !== undefined && m.usable !== 'unknown' && v.usable === (m.usable === 'yes');
    let kind: DisagreementKind | undefined;
    if (v.usable === undefined) kind = 'unknown-model';
    else if (m.usable === 'unknown') kind = 'libvirt-unknown';
    else if (!agrees) kind = m.usable === 'no' ? 'libvirt-blocks-more' : 'openevc-blocks-more';
    return {
      model: m.name,
      libvirt: m.usable,
      libvirtBlockers: m.blockers,
      openevc: v,
      agrees,
      sameBlockers: theirs ? onlyLibvirt.length === 0 && onlyOpenevc.length === 0 : undefined,
      kind,
      onlyLibvirt,
      onlyOpenevc,
    };
  });
}

/** Agreement over comparisons: how many models both answer the same way, of how many compared. */
export function agreement(rows: readonly UsableComparison[]): { readonly agree: number; readonly total: number } {
  return { agree: rows.filter((r) => r.agrees).length, total: rows.length };
}

/** One line per model: libvirt's answer, openevc's, and where they differ. For golden files and reports. */
export function renderComparison(rows: readonly UsableComparison[]): string {
  const out = rows.map((r) => {
    const ours = r.openevc.usable === undefined ? 'unknown model' : r.openevc.usable ? 'usable' : `blocked by ${r.openevc.blockers.map((f) => f.id).join(', ')}`;
    const theirs = r.libvirt === 'yes' ? 'usable' : r.libvirt === 'no' ? `not usable${r.libvirtBlockers ? ` (blockers: ${r.libvirtBlockers.join(', ') || 'none listed'})` : ''}` : 'unknown';
    const diff: string[] = [];
    if (r.kind) diff.push(r.kind);
    if (r.sameBlockers === false) diff.push(`blockers differ: libvirt only [${r.onlyLibvirt.join(', ')}], openevc only [${r.onlyOpenevc.join(', ')}]`);
    return `${r.agrees ? '=' : '!'} ${r.model}: libvirt ${theirs}; openevc ${ours}${diff.length > 0 ? `  <- ${diff.join('; ')}` : ''}`;
  });
  const { agree, total } = agreement(rows);
  out.push(`${agree} of ${total} models agree`);
  return `${out.join('\n')}\n`;
}
