/**
 * Xen xl.cfg `cpuid=` settings. The main line uses the xend (legacy) list syntax, which can clear
 * any bit of any leaf and subleaf: `cpuid = [ "1:ecx=xx00x0…", "7,0:ebx=…" ]`, `0` for each hidden
 * bit and `x` (Xen's default for the bit) everywhere else. When every hidden feature has a Xen
 * name, the libxl form `cpuid = "host,avx=0,…"` follows as a comment: the same bits cleared,
 * written by name, for xl versions that prefer it.
 *
 * Xen has no view in openevc: the default profile is `raw`, which hides every difference between
 * the hosts (XenServer/XCP-ng pools level their own feature set; these lines are for plain xl).
 * Both lines are read back by openevc's own parser before they are printed.
 */
import type { Feature, FeatureSet } from '../../core/catalog.js';
import { SUBLEAF_LEAVES } from '../../core/catalog.js';
import type { Register } from '../../core/cpuid.js';
import { REGISTERS } from '../../core/cpuid.js';
import type { Diagnostic } from '../../core/errors.js';
import { parseXenCpuid, printXenCpuid, xenToCpuidMask } from './syntax.js';
import type { XenCpuid, XenLegacyLeaf } from './syntax.js';
import { MaskBuilder } from '../../core/masks/engine.js';
import type { MigrationTarget } from '../../core/target.js';
import { hidePlan, targetHeading, unmaskableDiagnostics } from '../common/hide.js';
import type { ExportResult, Exporter } from '../writer-types.js';
import { nothingToHide } from '../vmx/writer.js';

export interface XenSettings {
  /** The legacy list, or undefined when nothing is hidden. */
  readonly legacy: XenCpuid | undefined;
  /** The libxl string, when every hidden feature has a Xen name. */
  readonly libxl: XenCpuid | undefined;
  readonly lines: { readonly legacy?: string; readonly libxl?: string };
  readonly diagnostics: readonly Diagnostic[];
}

function legacyOf(hide: FeatureSet): XenCpuid | undefined {
  const byLeaf = new Map<string, { leaf: number; subleaf: number; regs: Map<Register, string[]> }>();
  for (const f of hide) {
    if (f.loc.type !== 'cpuid') continue;
    const k = `${f.loc.leaf}.${f.loc.subleaf}`;
    let e = byLeaf.get(k);
    if (!e) byLeaf.set(k, (e = { leaf: f.loc.leaf, subleaf: f.loc.subleaf, regs: new Map() }));
    let bits = e.regs.get(f.loc.reg);
    if (!bits) e.regs.set(f.loc.reg, (bits = [...'x'.repeat(32)]));
    bits[31 - f.loc.bit] = '0';
  }
  if (byLeaf.size === 0) return undefined;
  const leaves: XenLegacyLeaf[] = [...byLeaf.values()]
    .sort((a, b) => a.leaf - b.leaf || a.subleaf - b.subleaf)
    .map((e) => {
      const regs = REGISTERS.filter((r) => e.regs.has(r)).map((reg) => ({ reg, bits: e.regs.get(reg)!.join('') }));
      // Leaves without subleaves are written without one, as xl.cfg(5) shows them.
      return SUBLEAF_LEAVES.has(e.leaf) ? { leaf: e.leaf, subleaf: e.subleaf, regs } : { leaf: e.leaf, regs };
    });
  return { syntax: 'legacy', leaves };
}

function hideMask(hide: FeatureSet) {
  const b = new MaskBuilder();
  for (const f of hide) if (f.loc.type === 'cpuid') b.set(f.loc, '0');
  return b.build();
}

export function xenSettings(target: MigrationTarget): XenSettings {
  const plan = hidePlan(target);
  const diagnostics: Diagnostic[] = [...unmaskableDiagnostics(plan)];
  if (target.vendor === undefined) {
    diagnostics.push({ level: 'warning', message: 'these hosts mix CPU vendors: Xen does not support live migration between Intel and AMD hosts, whatever the mask' });
  }
  const legacy = legacyOf(plan.hide);
  if (!legacy) return { legacy, libxl: undefined, lines: {}, diagnostics };
  const expected = hideMask(plan.hide);
  const legacyLine = printXenCpuid(legacy);
  if (!xenToCpuidMask(parseXenCpuid(legacyLine, 'xen')).equals(expected)) throw new Error('xen exporter: the legacy line does not read back as written');

  const unnamed: Feature[] = [...plan.hide].filter((f) => typeof f.xen !== 'string');
  let libxl: XenCpuid | undefined;
  let libxlLine: string | undefined;
  if (unnamed.length === 0) {
    const candidate: XenCpuid = { syntax: 'libxl', settings: [...plan.hide].map((f) => ({ key: f.xen!, value: '0', feature: f })) };
    const line = printXenCpuid(candidate);
    // A name libxl reads as something else (clflush is also a numeric key) makes the form unusable.
    let same: boolean;
    try {
      same = xenToCpuidMask(parseXenCpuid(line, 'xen')).equals(expected);
    } catch {
      same = false;
    }
    if (same) {
      libxl = candidate;
      libxlLine = line;
    } else diagnostics.push({ level: 'info', message: 'the libxl form is left out: a Xen name among the hidden features is read by libxl as something else' });
  } else {
    diagnostics.push({
      level: 'info',
      message: `the libxl form ("host,name=0,…") is left out: Xen has no name for ${unnamed.map((f) => f.id).join(', ')}; the list form clears them by position`,
    });
  }
  return { legacy, libxl, lines: { legacy: legacyLine, ...(libxlLine ? { libxl: libxlLine } : {}) }, diagnostics };
}

function render(target: MigrationTarget): ExportResult {
  const s = xenSettings(target);
  if (!s.lines.legacy) return { text: nothingToHide(target, '#'), diagnostics: s.diagnostics };
  const out = [
    `# openevc: CPUID for ${targetHeading(target)}; 0 = hidden, x = Xen's default`,
    s.lines.legacy,
  ];
  if (s.lines.libxl) out.push(`# or, in libxl syntax: ${s.lines.libxl}`);
  return { text: `${out.join('\n')}\n`, diagnostics: s.diagnostics };
}

export const xenExporter: Exporter = {
  format: 'xen',
  description: 'xl.cfg cpuid= in the list syntax (any bit), with the libxl "host,name=0" form when every feature has a Xen name',
  defaultProfile: 'raw',
  render,
};

