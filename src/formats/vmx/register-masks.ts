/**
 * VMware register masks as `.vmx` (and vSphere `extraConfig`) spell them:
 * `cpuid.<leaf hex>.<reg>[.<vendor>] = "<32 characters>"`, character 0 = bit 31.
 *
 * Keys. The plain form `cpuid.1.ecx`, `cpuid.80000001.edx`, `cpuid.7.ebx`, `cpuid.d.eax` addresses
 * subleaf 0: seed 002 hid FSGSBASE (leaf 7 subleaf 0, EBX bit 0) with `cpuid.7.ebx` and the XSAVE
 * SSE/YMM states (leaf 0xD subleaf 0, EAX) with `cpuid.d.eax`, and vCenter stopped reporting them.
 * Forms naming a subleaf (`cpuid.7.0.ebx`, `cpuid.d.1.eax`) were never seen in a public source,
 * so nobody knows whether VMware reads them; openevc does not treat them as masks (it would claim
 * a guest view VMware might not produce). It recognises them, says so, and never writes them: a
 * mask on another subleaf cannot be written as a register line (use `featMask` names instead).
 * The vendor suffix (`cpuid.80000001.edx.amd`) comes from a key whitelist, not from documentation:
 * openevc reads `.amd` and `.intel` and applies such a mask only on hosts of that vendor, over the
 * plain mask for the same register (an inference).
 *
 * Values: 32 characters from the legend in engine.ts, plain (`---0----…`), colon-grouped
 * (`----:0---:…`, as the vSphere API prints them) or space-grouped (`---- 0--- …`), each group of
 * four; quoted or not (the .vmx reader removes the quotes).
 */
import type { Register } from '../../core/cpuid.js';
import { REGISTERS } from '../../core/cpuid.js';
import { InputError, UsageError } from '../../core/errors.js';
import type { InputLocation } from '../../core/errors.js';
import { describeTarget, isMaskChar } from '../../core/masks/engine.js';
import type { CpuidMask, MaskTarget, MaskVendor } from '../../core/masks/engine.js';

/** How a mask value is written: `plain` 32 characters, or 8 groups of 4 joined by `:` or a space. */
export type MaskStyle = 'plain' | 'colon' | 'space';

const SEPARATOR: Readonly<Record<MaskStyle, string>> = { plain: '', colon: ':', space: ' ' };

/** What a `cpuid.…` key is, if it has the shape of a register mask. */
export type CpuidKeyShape =
  /** `cpuid.<leaf>.<reg>[.<vendor>]`: a register mask openevc reads. */
  | { readonly kind: 'register'; readonly target: MaskTarget }
  /** `cpuid.<leaf>.<subleaf>.<reg>[.<vendor>]`: a form VMware is not known to read (see above). */
  | { readonly kind: 'subleaf'; readonly leaf: number; readonly subleaf: number; readonly reg: Register; readonly vendor?: MaskVendor };

const HEX = /^[0-9a-f]{1,8}$/;

/**
 * Classifies a `.vmx` key (case-insensitive) as a register mask key; undefined for every other
 * key, including CPU settings such as `cpuid.coresPerSocket` or feature keys such as `cpuid.SS`.
 */
export function parseCpuidKey(key: string): CpuidKeyShape | undefined {
  const parts = key.toLowerCase().split('.');
  if (parts[0] !== 'cpuid' || parts.length < 3 || parts.length > 5) return undefined;
  let vendor: MaskVendor | undefined;
  const last = parts[parts.length - 1]!;
  if (last === 'amd' || last === 'intel') {
    vendor = last;
    parts.pop();
  }
  const reg = parts[parts.length - 1] as Register;
  if (!REGISTERS.includes(reg)) return undefined;
  const nums = parts.slice(1, -1);
  if (nums.length < 1 || nums.length > 2 || !nums.every((n) => HEX.test(n))) return undefined;
  const leaf = parseInt(nums[0]!, 16);
  const withVendor = vendor ? { vendor } : {};
  if (nums.length === 1) return { kind: 'register', target: { leaf, subleaf: 0, reg, ...withVendor } };
  return { kind: 'subleaf', leaf, subleaf: parseInt(nums[1]!, 16), reg, ...withVendor };
}

/**
 * The `.vmx` key of a register mask: `cpuid.1.ecx`, `cpuid.80000001.edx.amd`. Only subleaf 0 has
 * a known spelling; asking for another is a usage error that says what to do instead.
 */
export function cpuidKey(t: MaskTarget): string {
  if (t.subleaf !== 0) {
    throw new UsageError(
      `a VMware register mask cannot address ${describeTarget(t)}: no .vmx spelling for a subleaf other than 0 is known; ` +
        'express the bits with featMask.vm.cpuid.<NAME> lines instead',
    );
  }
  return `cpuid.${t.leaf.toString(16)}.${t.reg}${t.vendor ? `.${t.vendor}` : ''}`;
}

export interface ParsedMaskValue {
  /** 32 characters, MSB first, separators removed. */
  readonly bits: string;
  readonly style: MaskStyle;
}

const LEGEND = "one of 0 1 - x T F R H r h";

/**
 * Parses a mask value (without quotes). `where.column` is the column of the value's first
 * character, so errors point at the offending character: `vm.vmx:12:30: expected a mask
 * character (one of …), found "Q"`.
 */
export function parseMaskValue(value: string, where: InputLocation): ParsedMaskValue {
  const col = where.column ?? 1;
  const at = (i: number): InputLocation => ({ ...where, column: col + i });
  const expectedShape = '32 mask characters, plain or as 8 groups of 4 separated by ":" or " "';
  let style: MaskStyle;
  if (value.length === 32) style = 'plain';
  else if (value.length === 39) style = value[4] === ':' ? 'colon' : value[4] === ' ' ? 'space' : 'plain';
  else throw new InputError(where, `${expectedShape} (this value has ${value.length})`, value);
  if (style === 'plain' && value.length !== 32) throw new InputError(at(4), `":" or " " after the first group of 4 (${expectedShape})`, value[4]);
  const sep = SEPARATOR[style];
  let bits = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (sep !== '' && i % 5 === 4) {
      if (c !== sep) throw new InputError(at(i), `${JSON.stringify(sep)} between groups of 4 (the value starts with ${style}-grouping)`, c);
      continue;
    }
    if (!isMaskChar(c)) throw new InputError(at(i), `a mask character (${LEGEND})`, c);
    bits += c;
  }
  return { bits, style };
}

/** A mask value in the given style (default plain, as seed 002 and most guides write them). */
export function formatMaskValue(bits: string, style: MaskStyle = 'plain'): string {
  if (style === 'plain') return bits;
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(bits.slice(i, i + 4));
  return groups.join(SEPARATOR[style]);
}

export interface PrintOptions {
  readonly style?: MaskStyle;
}

/** One `.vmx` line per register that says anything (all-`-` registers are left out), in a stable order. */
export function printVmwareMask(mask: CpuidMask, opts: PrintOptions = {}): string[] {
  return mask.list().map((r) => `${cpuidKey(r)} = "${formatMaskValue(r.bits, opts.style)}"`);
}
