/** What `openevc vmx` prints (text and JSON), as pure functions the CLI and the library share. */
import type { FeatureSet } from '../core/catalog.js';
import { catalog, describeLocation } from '../core/catalog.js';
import { charAt, describeTarget } from '../core/masks/engine.js';
import type { CpuidMask } from '../core/masks/engine.js';
import { formatFeatValue } from '../formats/featmask/syntax.js';
import { formatMaskValue } from '../formats/vmx/register-masks.js';
import { vmxEffectiveMask } from '../formats/vmx/cpu.js';
import type { VmxCpu } from '../formats/vmx/cpu.js';
import { plural } from './text.js';

function hidesOf(mask: CpuidMask): FeatureSet {
  const out = catalog.emptySet();
  for (const r of mask.list()) {
    for (let bit = 0; bit < 32; bit++) {
      const c = charAt(r.bits, bit);
      const f = catalog.at(r.leaf, r.subleaf, r.reg, bit);
      if (f && (c === '0' || c === 'R' || c === 'r')) out.add(f);
    }
  }
  return out;
}

const CHAR_WORDS: Readonly<Record<string, string>> = {
  '0': 'hides',
  R: 'hides (value must match on the destination)',
  r: 'hides (value must match on the destination)',
  '1': 'forces',
  T: 'requires',
  F: 'requires absent',
  H: 'must match on the destination',
  h: 'must match on the destination',
  x: 'marks unused',
};

/** What each register mask says, bit by bit, in words. */
function describeMaskLine(target: { leaf: number; subleaf: number; reg: 'eax' | 'ebx' | 'ecx' | 'edx' }, bits: string): string[] {
  const byWord = new Map<string, string[]>();
  for (let bit = 31; bit >= 0; bit--) {
    const c = charAt(bits, bit);
    if (c === '-') continue;
    const f = catalog.at(target.leaf, target.subleaf, target.reg, bit);
    const word = CHAR_WORDS[c]!;
    byWord.set(word, [...(byWord.get(word) ?? []), f ? `${f.name} (${f.id})` : `bit ${bit}`]);
  }
  return [...byWord].map(([word, what]) => `      ${word}: ${what.join(', ')}`);
}

/** The human output of `openevc vmx show`. */
export function renderVmxShow(cpu: VmxCpu): string {
  const out: string[] = [];
  out.push(`${cpu.file}: ${plural(cpu.maskLines.length, 'register mask')}, ${plural(cpu.featMasks.length, 'featMask line')}, ${plural(cpu.settings.length, 'other CPU setting')}`);
  if (cpu.maskLines.length > 0) {
    out.push('', 'Register masks (cpuid.<leaf>.<reg>, bit 31 first):');
    for (const m of cpu.maskLines) {
      out.push(`  line ${m.line}  ${m.key} = "${formatMaskValue(m.bits, m.style)}"  (${describeTarget(m.target)})`);
      const words = describeMaskLine(m.target, m.bits);
      out.push(...(words.length > 0 ? words : ['      says nothing (every bit -)']));
    }
  }
  if (cpu.featMasks.length > 0) {
    out.push('', 'Per-VM EVC / feature settings (featMask.vm.*):');
    for (const f of cpu.featMasks) {
      const e = f.entry;
      const what =
        e.target.kind === 'feature'
          ? `${e.target.feature.name} (${e.target.feature.id}, ${describeLocation(e.target.feature.loc)})`
          : e.target.kind === 'identity'
            ? `identity: ${e.target.field}`
            : 'not applied by openevc';
      out.push(`  line ${f.line}  ${f.key} = "${formatFeatValue(e)}"  ${what}`);
    }
  }
  if (cpu.settings.length > 0) {
    out.push('', 'Other CPU settings (not masks):');
    for (const s of cpu.settings) out.push(`  line ${s.line}  ${s.key} = "${s.value}"  ${s.meaning}${s.unconfirmed ? ' (unconfirmed)' : ''}`);
  }
  const eff = vmxEffectiveMask(cpu);
  const hidden = hidesOf(eff.mask);
  out.push('', hidden.isEmpty ? 'Hides nothing.' : `Hides ${plural(hidden.size, 'feature')}: ${[...hidden].map((f) => f.id).join(', ')}`);
  for (const c of eff.conflicts) {
    out.push(`  conflict at ${describeTarget(c)} bit ${c.bit}${c.feature ? ` (${c.feature.id})` : ''}: the register mask says ${c.a}, featMask says ${c.b}; in force: ${c.result}`);
  }
  if (cpu.diagnostics.length > 0) {
    out.push('', 'Diagnostics:');
    for (const d of cpu.diagnostics) out.push(`  ${d.level}: ${d.where?.line !== undefined ? `line ${d.where.line}: ` : ''}${d.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** `openevc vmx show --json`: the same content as {@link renderVmxShow}, as data. */
export function vmxShowToJson(cpu: VmxCpu) {
  const eff = vmxEffectiveMask(cpu);
  return {
    file: cpu.file,
    masks: cpu.maskLines.map((m) => ({ line: m.line, key: m.key, value: formatMaskValue(m.bits, m.style), bits: m.bits, target: describeTarget(m.target) })),
    feat_masks: cpu.featMasks.map((f) => ({
      line: f.line,
      key: f.key,
      value: formatFeatValue(f.entry),
      feature: f.entry.target.kind === 'feature' ? f.entry.target.feature.id : null,
      identity: f.entry.target.kind === 'identity' ? f.entry.target.field : null,
    })),
    settings: cpu.settings.map((s) => ({ line: s.line, key: s.key, value: s.value, meaning: s.meaning, unconfirmed: s.unconfirmed })),
    hides: [...hidesOf(eff.mask)].map((f) => f.id),
    diagnostics: cpu.diagnostics.map((d) => ({ level: d.level, message: d.message, line: d.where?.line ?? null })),
  };
}
