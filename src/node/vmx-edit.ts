/**
 * Safe `.vmx` edits: set CPUID mask lines in a VM's configuration without disturbing anything else.
 *
 * - Every line the edit does not own stays byte-identical: order, comments, quoting, spacing, line
 *   endings, encoding, byte-order mark, a missing final line break (VmxDocument keeps them).
 * - The file is replaced atomically (temporary file, fsync, rename) after a timestamped backup
 *   (`<file>.<UTC timestamp>.bak`), so a crash leaves the old file or the new one, never a mix.
 * - A VM that runs holds `<file>.lck` (a file or a directory) next to its `.vmx`: the edit is refused,
 *   because ESXi reads masks at power-on and rewrites the file itself while the VM runs.
 * - Applying the same lines twice changes nothing the second time.
 *
 * What an edit owns. The lines given are set (an existing key keeps its line, spelling and value
 * style; a new key goes after the CPU lines already there, else at the end). Beyond that, apply
 * manages *hiding* of the features a VMware guest can be shown (the ESXi view): a `0` in a
 * register mask, or a featMask line that hides (`Val:0`, `Max:0`), for such a feature and not in the
 * lines given is stale and goes (a `0` becomes `-`, the featMask line is removed), so re-applying
 * after the hosts change never leaves an old hide behind. Everything else stays: `H`, `R`, `T`, `F`,
 * `1`, `x` characters, `featMask` lines that force or require, identity and unknown keys, and hides
 * of what ESXi never shows anyway (MWAIT hidden for vCLS VMs on nested ESXi) or openevc has no
 * name for. Where a line given overrides such a setting, or a stale hide goes, the edit says so.
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import type { FeatureSet, Vendor } from '../core/catalog.js';
import { catalog, describeLocation } from '../core/catalog.js';
import type { Diagnostic } from '../core/errors.js';
import { InputError, OpenevcError } from '../core/errors.js';
import { CpuidMask, charAt, mergeMasks } from '../core/masks/engine.js';
import type { MaskChar, MaskTarget } from '../core/masks/engine.js';
import { featChar, featMaskToCpuidMask, formatFeatValue } from '../formats/featmask/syntax.js';
import type { FeatMaskEntry } from '../formats/featmask/syntax.js';
import { cpuidKey, formatMaskValue, parseCpuidKey } from '../formats/vmx/register-masks.js';
import { VmxDocument, refuseCrOnly } from '../formats/vmx/document.js';
import { readVmxCpu, vmxEffectiveMask } from '../formats/vmx/cpu.js';
import { unifiedDiff } from '../core/unified-diff.js';
import { evcProfile, profileUniverse } from '../core/profiles.js';
import { VMX_CPU_KEYS } from '../formats/vmx/keys.js';
import { resolveTarget, writeFileAtomic } from './atomic.js';
import type { Writer } from './atomic.js';
import { MAX_INPUT_BYTES, formatSize } from './read.js';

/** The lines an edit sets: register masks and featMask settings. */
export interface MaskLines {
  readonly mask: CpuidMask;
  readonly featMasks: readonly FeatMaskEntry[];
}

const LINE_SHAPE = 'a mask line: cpuid.<leaf hex>.<eax|ebx|ecx|edx> = "<32 mask characters>" or featMask.vm.cpuid.<NAME> = "<Val|Min|Max>:<n>"';

/**
 * Reads a file of mask lines (what `openevc mask --format vmx` or `featmask` prints, or lines
 * written by hand): `cpuid.<leaf>.<reg>[.amd|.intel] = "…"` and `featMask.vm.<key> = "…"` in `.vmx`
 * syntax, plus comments and blank lines. Anything else is an error naming file and line, so a
 * wrong file (a whole .vmx, a host dump) is refused rather than half-applied.
 */
export function readMaskLines(text: string, file: string): { lines: MaskLines; diagnostics: Diagnostic[] } {
  const doc = VmxDocument.parse(text, file);
  doc.allLines.forEach((l, i) => {
    const where = { file, line: i + 1 };
    if (l.kind === 'other') throw new InputError(where, LINE_SHAPE, l.text);
    if (l.kind !== 'entry') return;
    const shape = parseCpuidKey(l.key!);
    if (shape?.kind === 'subleaf') {
      throw new InputError(where, `${LINE_SHAPE} (VMware is not known to read a key naming a subleaf; use featMask.vm.cpuid.<NAME>)`, l.key);
    }
    if (shape?.kind !== 'register' && !l.key!.toLowerCase().startsWith('featmask.vm.')) throw new InputError(where, LINE_SHAPE, l.text);
  });
  if (!doc.entries().length) throw new InputError({ file }, `at least one mask line (cpuid.<leaf hex>.<reg> = "…" or featMask.vm.cpuid.<NAME> = "…")`, 'no settings');
  const cpu = readVmxCpu(doc);
  return {
    lines: { mask: cpu.mask, featMasks: cpu.featMasks.map((f) => f.entry) },
    diagnostics: [...cpu.diagnostics],
  };
}

/** The lines of a rendered mask (`vmxSettings(target).lines`), read back through the same parser. */
export function maskLinesOf(lines: readonly string[]): MaskLines {
  if (lines.length === 0) return { mask: CpuidMask.EMPTY, featMasks: [] };
  return readMaskLines(`${lines.join('\n')}\n`, '(generated)').lines;
}

/** What an edit did, line by line, for the report. */
export interface VmxChange {
  readonly key: string;
  readonly kind: 'set' | 'added' | 'removed';
  readonly before?: string;
  readonly after?: string;
}

export interface VmxEdit {
  readonly before: VmxDocument;
  readonly after: VmxDocument;
  readonly changes: readonly VmxChange[];
  readonly notes: readonly Diagnostic[];
}

export interface EditOptions {
  /** The hosts' vendor: which features a guest can be shown (default: any vendor). */
  readonly vendor?: Vendor;
}

function managedSet(vendor: Vendor | undefined): FeatureSet {
  return profileUniverse(evcProfile(), vendor);
}

function keyOf(t: MaskTarget): string {
  return `${t.leaf}.${t.subleaf}.${t.reg}.${t.vendor ?? ''}`;
}

function bitName(t: MaskTarget, bit: number): string {
  const f = catalog.at(t.leaf, t.subleaf, t.reg, bit);
  return f ? `${f.name} (${f.id}, ${describeLocation(f.loc)})` : `bit ${bit}`;
}

const KEPT_MEANING: Readonly<Record<string, string>> = {
  '1': 'forced to 1',
  T: 'required',
  F: 'required absent',
  H: 'must match on the destination',
  h: 'must match on the destination',
  R: 'hidden and must match on the destination',
  r: 'hidden and must match on the destination',
  x: 'not used by guest software',
};

/** Both register masks, or both featMask lines. */
function sameKind(a: string, b: string): boolean {
  const kind = (k: string) => (parseCpuidKey(k)?.kind === 'register' ? 'register' : k.toLowerCase().startsWith('featmask.vm.') ? 'featmask' : 'other');
  return kind(a) !== 'other' && kind(a) === kind(b);
}

/** CPU-related keys: new mask lines go after the last of them. */
function isCpuKey(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith('cpuid.') || k.startsWith('featmask.') || VMX_CPU_KEYS.some((r) => r.key.toLowerCase() === k);
}

/**
 * Plans an edit of a `.vmx` held in memory (the document given is left as it is). Malformed mask
 * values already in the file are InputErrors naming file, line and column.
 */
export function editVmx(doc: VmxDocument, lines: MaskLines, opts: EditOptions = {}): VmxEdit {
  const before = doc;
  const after = VmxDocument.parse(doc.toBytes(), doc.file);
  const cpu = readVmxCpu(after);
  const managed = managedSet(opts.vendor);
  const changes: VmxChange[] = [];
  const notes: Diagnostic[] = [];
  const note = (message: string, line?: number) => notes.push({ level: 'info', message, ...(line !== undefined ? { where: { file: doc.file, line } } : {}) });

  // What the lines hide, and what goes with it (a hide of XSAVEOPT is not stale while XSAVE is hidden).
  const hiddenByLines = featureHides(lines);
  const stillHidden = catalog.dependents(hiddenByLines);

  // ---- register masks ---------------------------------------------------------------------------
  const wanted = new Map(lines.mask.list().map((r) => [keyOf(r), r]));
  for (const m of cpu.maskLines) {
    const want = wanted.get(keyOf(m.target));
    wanted.delete(keyOf(m.target));
    let bits = '';
    for (let i = 0; i < 32; i++) {
      const bit = 31 - i;
      const old = m.bits[i] as MaskChar;
      const w = (want?.bits[i] ?? '-') as MaskChar;
      if (w !== '-') {
        if (w !== old && old !== '-' && old !== '0') note(`${m.key} ${bitName(m.target, bit)} was ${old} (${KEPT_MEANING[old]}), now ${w}`, m.line);
        bits += w;
        continue;
      }
      const f = catalog.at(m.target.leaf, m.target.subleaf, m.target.reg, bit);
      if (old === '0' && f && managed.has(f) && !stillHidden.has(f)) {
        note(`${m.key} no longer hides ${bitName(m.target, bit)} (a stale hide)`, m.line);
        bits += '-';
      } else bits += old;
    }
    if (bits !== m.bits) {
      const value = formatMaskValue(bits, m.style);
      const old = after.entry(m.key)!.value;
      after.set(m.key, value);
      changes.push({ key: m.key, kind: 'set', before: old, after: value });
    }
  }
  const newKeys: [string, string][] = [...wanted.values()].map((r) => [cpuidKey(r), formatMaskValue(r.bits)]);

  // ---- featMask lines ---------------------------------------------------------------------------
  const wantFeat = new Map(lines.featMasks.map((e) => [e.key.toLowerCase(), e]));
  for (const f of cpu.featMasks) {
    const e = f.entry;
    const want = wantFeat.get(e.key.toLowerCase());
    wantFeat.delete(e.key.toLowerCase());
    const old = after.entry(f.key)!.value;
    if (want) {
      const value = formatFeatValue(want);
      if (value !== old) {
        after.set(f.key, value);
        changes.push({ key: f.key, kind: 'set', before: old, after: value });
      }
      continue;
    }
    if (e.target.kind !== 'feature' || !managed.has(e.target.feature)) continue;
    const feature = e.target.feature;
    const c = featChar(e.op, e.value);
    if (c === '0' && !stillHidden.has(feature)) {
      after.remove(f.key);
      changes.push({ key: f.key, kind: 'removed', before: old });
      note(`${f.key} removed: ${feature.name} is no longer hidden (a stale hide)`, f.line);
    } else if (c !== '0' && c !== '-' && hiddenByLines.has(feature)) {
      after.set(f.key, 'Val:0');
      changes.push({ key: f.key, kind: 'set', before: old, after: 'Val:0' });
      note(`${f.key} was ${old}; the lines hide ${feature.name}, so it is now Val:0`, f.line);
    }
  }
  for (const e of wantFeat.values()) newKeys.push([`featMask.vm.${e.key}`, formatFeatValue(e)]);

  // ---- new lines: after the last line of their kind (register mask, featMask), else after the last
  // CPU-related line, else at the end ---------------------------------------------------------------
  for (const [key, value] of newKeys) {
    const entries = [...after.entries()].reverse();
    const anchor = entries.find((e) => sameKind(e.key, key)) ?? entries.find((e) => isCpuKey(e.key));
    after.set(key, value, anchor ? { after: anchor.line } : {});
    changes.push({ key, kind: 'added', after: value });
  }
  for (const s of cpu.settings) {
    if (parseCpuidKey(s.key)?.kind === 'subleaf') notes.push({ level: 'warning', message: `${s.key} is left as it is: VMware is not known to read a key naming a subleaf`, where: { file: doc.file, line: s.line } });
  }
  return { before, after, changes, notes };
}

/** Every catalog feature the lines hide (a `0`, `R` or `r` in a register mask, or a hiding featMask). */
function featureHides(lines: MaskLines): FeatureSet {
  const out = catalog.emptySet();
  const all = mergeMasks(lines.mask, featMaskToCpuidMask(lines.featMasks)).mask;
  for (const r of all.list()) {
    for (let bit = 0; bit < 32; bit++) {
      const c = charAt(r.bits, bit);
      if (c !== '0' && c !== 'R' && c !== 'r') continue;
      const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
      if (f) out.add(f);
    }
  }
  return out;
}

/** The unified diff of an edit (`patch -p0` applies it). */
export function editDiff(edit: VmxEdit): string {
  return unifiedDiff(edit.before.allLines, edit.after.allLines, { from: edit.before.file, to: edit.after.file });
}

/** The VM runs (or did not shut down cleanly): its `.vmx.lck` lock (file, directory or link) is there. */
export class VmRunningError extends OpenevcError {
  constructor(readonly file: string) {
    super(`${file}: the VM holds a lock (${file}.lck exists): it is running, or was not shut down cleanly. Power it off first; ESXi reads CPUID masks only at power-on`);
    this.name = 'VmRunningError';
  }
}

export interface ApplyVmxOptions extends EditOptions {
  /** Print the diff and write nothing. */
  readonly dryRun?: boolean;
  /** Clock for the backup name (tests). */
  readonly now?: Date;
  /** Test hook passed to writeFileAtomic: runs between writing the temporary file and the rename. */
  readonly beforeRename?: (tempPath: string) => void;
  /** Who writes (tests); default: this process's user. */
  readonly writer?: Writer;
}

export interface ApplyVmxResult {
  readonly file: string;
  readonly changes: readonly VmxChange[];
  readonly notes: readonly Diagnostic[];
  readonly diff: string;
  /** Whether the file was written (not for a dry run or an edit that changes nothing). */
  readonly written: boolean;
  readonly backup?: string;
  /** The file written when `file` is a symbolic link: the file it leads to. */
  readonly target?: string;
  /** Temporary files of earlier, killed runs that were removed. */
  readonly cleaned?: readonly string[];
}

/** Whether anything is at this path: a file, a directory, or a link (also one that leads nowhere). */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * A lock next to the `.vmx` as named, or next to the file a link leads to: a file, a directory or
 * a link, also a dangling one (ESXi's locks on VMFS and NFS are not always what `stat` follows).
 */
function refuseIfRunning(file: string): void {
  if (present(`${file}.lck`)) throw new VmRunningError(file);
  const target = resolveTarget(file);
  if (target !== file && present(`${target}.lck`)) throw new VmRunningError(target);
}

/** Reads a .vmx's bytes, refusing what is not a plausible .vmx with a clear error. */
export function readVmxBytes(file: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError({ file }, 'a .vmx file, not a directory');
    if (!st.isFile()) throw new InputError({ file }, 'a .vmx file, not a pipe, device or socket');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ file }, `an existing, readable .vmx file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError({ file }, `a .vmx file of at most ${formatSize(MAX_INPUT_BYTES)}, not ${formatSize(size)}`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new InputError({ file }, `an existing, readable .vmx file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  refuseCrOnly(bytes, file);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++;
    throw new InputError({ file, line }, `a .vmx text file, not binary data (a NUL byte at offset ${nul})`);
  }
  return bytes;
}

/**
 * Applies mask lines to a `.vmx` on disk (see the module comment). A dry run returns the diff and
 * writes nothing; so does an edit that changes nothing.
 */
export function applyVmxFile(file: string, lines: MaskLines, opts: ApplyVmxOptions = {}): ApplyVmxResult {
  refuseIfRunning(file);
  const edit = editVmx(VmxDocument.parse(readVmxBytes(file), file), lines, opts);
  const diff = editDiff(edit);
  const base = { file, changes: edit.changes, notes: [...edit.before.diagnostics, ...edit.notes], diff };
  if (opts.dryRun || diff === '') return { ...base, written: false };
  refuseIfRunning(file);
  try {
    const r = writeFileAtomic(file, edit.after.toBytes(), {
      backup: true,
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.beforeRename ? { beforeRename: opts.beforeRename } : {}),
      ...(opts.writer ? { writer: opts.writer } : {}),
    });
    return { ...base, written: true, target: r.target, cleaned: r.cleaned, ...(r.backup ? { backup: r.backup } : {}) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OpenevcError(`${file}: a backup with this second's timestamp already exists; run the command again in a second`);
    if (code !== undefined) throw new OpenevcError(`${file}: cannot write the edited file (${code}); the original is unchanged`);
    throw e;
  }
}

/** The effective mask a `.vmx` puts in force (register masks merged with featMask settings). */
export function effectiveMaskOf(doc: VmxDocument): CpuidMask {
  return vmxEffectiveMask(readVmxCpu(doc)).mask;
}
