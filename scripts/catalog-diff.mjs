#!/usr/bin/env node
/**
 * Lists the differences between openevc's feature catalog (src/data/features.ts, read from the
 * build in dist/) and one upstream file that names CPU feature bits. Run by hand when refreshing
 * the catalog, never in tests:
 *
 *   npm run build && node scripts/catalog-diff.mjs FILE [SCATTERED_C]
 *
 * FILE is detected from its content:
 * - Linux arch/x86/include/asm/cpufeatures.h: X86_FEATURE_* defines; words without a CPUID heading
 *   are placed through arch/x86/kernel/cpu/scattered.c (given as a second argument, or found at
 *   ../../kernel/cpu/scattered.c next to the header in a Linux tree). The /proc/cpuinfo name is the
 *   quoted string at the start of the define's comment; without one Linux hides the flag, and the
 *   catalog's `linux` is `null` and `linuxMacro` (default: the id) is the macro's lower-case name.
 * - Xen xen/include/public/arch-x86/cpufeatureset.h: XEN_CPUFEATURE(NAME, word*32+bit), compared
 *   with `xen` (lower case).
 * - QEMU target/i386/cpu.c: the feat_names of each CPUID and MSR word of feature_word_info,
 *   compared with `qemu`.
 * - libvirt src/cpu_map/x86_features.xml: every <feature> with its <cpuid> or <msr> mask, compared
 *   with `libvirt` (a qemu-source alias counts as the same spelling).
 *
 * Output: one line per difference, grouped as
 *   missing   upstream names a bit the catalog has no row for
 *   differs   the catalog row's spelling is not upstream's
 *   extra     the catalog gives this ecosystem a spelling upstream does not have at that bit
 * Differences that are deliberate are listed in EXPLAINED below with their reason; they are printed
 * as `explained` so that the output accounts for every difference. Exit code 0 when nothing is
 * unexplained, 1 otherwise, 2 on bad input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { catalog, formatLocation } from '../dist/core/catalog.js';

/**
 * Deliberate differences, keyed `<source>:<kind>:<location>`. Reasons are openevc's words.
 */
const EXPLAINED = {
  // Linux
  'linux:missing:80860001.edx.0': 'Transmeta LongRun leaf 0x80860001: no migration-relevant CPU has it; the catalog does not model the leaf',
  'linux:missing:80860001.edx.1': 'Transmeta LongRun leaf 0x80860001 (see bit 0)',
  'linux:missing:80860001.edx.3': 'Transmeta LongRun leaf 0x80860001 (see bit 0)',
  'linux:differs:10.0.ebx.3': "Linux sets one mba flag from Intel's RDT bit and AMD's CPUID.80000008H:EBX[6]; the catalog gives the name to the AMD row only, so that 'mba' resolves to one row",
  'linux:extra:80000007.edx.8': 'Linux sets its word-3 nonstop_tsc flag from this bit in its common CPU code, not through scattered.c',
  'linux:extra:80000007.edx.12': 'Linux sets its word-3 acc_power flag from this bit in its AMD CPU code, not through scattered.c',
  'linux:extra:80000007.edx.14': 'Linux sets its word-3 rapl flag from this bit in its AMD/Hygon CPU code, not through scattered.c',
  // QEMU
  'qemu:differs:msr.48c.41': 'QEMU gives this INVVPID bit the string of bit 25 (vmx-invept-single-context); the catalog records no QEMU name for it (row note)',
};

/**
 * libvirt names newer than the x86_features.xml at hand (the copy in ../shared is v11.3.0): the
 * 2026 cpu_map model files use them (the models named in the reason), or they follow QEMU's name
 * and stay marked unconfirmed in the catalog until an x86_features.xml that has them is compared.
 */
const LIBVIRT_NEWER = {
  'amx-int8-alias': 'DiamondRapids', 'amx-bf16-alias': 'DiamondRapids', 'amx-complex-alias': 'DiamondRapids',
  'amx-fp16-alias': 'DiamondRapids', 'amx-fp8': 'DiamondRapids', 'amx-tf32': 'DiamondRapids', 'amx-avx512': 'DiamondRapids',
  'amx-movrs': 'DiamondRapids', movrs: 'DiamondRapids', apxf: 'DiamondRapids', 'avx10-vnni-int': 'DiamondRapids',
  'apx-nci-ndd-nf': 'DiamondRapids', 'cet-ss': 'SapphireRapids-v5, GraniteRapids-v4, SierraForest-v4, ClearwaterForest-v2, DiamondRapids',
  'cet-ibt': 'SapphireRapids-v5, GraniteRapids-v4, SierraForest-v4, ClearwaterForest-v2, DiamondRapids',
  'vmx-entry-load-cet': 'SapphireRapids-v5, GraniteRapids-v4, SierraForest-v4, ClearwaterForest-v2, DiamondRapids',
  'vmx-exit-save-cet': 'SapphireRapids-v5, GraniteRapids-v4, SierraForest-v4, ClearwaterForest-v2, DiamondRapids',
  'its-no': 'SapphireRapids-v6, GraniteRapids-v5, SierraForest-v5, ClearwaterForest-v3', 'fs-gs-base-ns': 'EPYC-Genoa-v2, EPYC-Turin',
  prefetchi: 'EPYC-Turin', 'bhi-no': 'ClearwaterForest, DiamondRapids', xstore: 'YongFeng', 'xstore-en': 'YongFeng', xcrypt: 'YongFeng',
  'xcrypt-en': 'YongFeng', ace2: 'YongFeng', phe: 'YongFeng', 'phe-en': 'YongFeng', pmm: 'YongFeng', 'pmm-en': 'YongFeng',
  'verw-clear': null, 'tsa-sq-no': null, 'tsa-l1-no': null, 'ace2-en': null,
};

function explain(source, d) {
  const why = EXPLAINED[`${source}:${d.kind}:${d.at}`];
  if (why !== undefined || source !== 'libvirt' || d.kind !== 'extra') return why;
  const name = /libvirt '([^']+)'/.exec(d.text)?.[1];
  if (name === undefined || !(name in LIBVIRT_NEWER)) return undefined;
  const models = LIBVIRT_NEWER[name];
  return models
    ? `newer than libvirt v11.3.0: the 2026 cpu_map models ${models} use it`
    : "newer than libvirt v11.3.0 and used by no cpu_map model yet: QEMU's spelling, marked unconfirmed for libvirt in the catalog";
}

function fail(message) {
  process.stderr.write(`catalog-diff: ${message}\n`);
  process.exit(2);
}


/** The catalog row at a CPUID or MSR location, and the location in the catalog's notation. */
function rowAt(loc) {
  if (loc.msr !== undefined) {
    const f = catalog.msrBacked().find((m) => m.loc.index === loc.msr && m.loc.bit === loc.bit);
    return { at: formatLocation({ type: 'msr', index: loc.msr, bit: loc.bit }), feature: f };
  }
  const cpuid = { type: 'cpuid', leaf: loc.leaf, subleaf: loc.subleaf ?? 0, reg: loc.reg, bit: loc.bit };
  return { at: formatLocation(cpuid), feature: catalog.at(cpuid.leaf, cpuid.subleaf, cpuid.reg, cpuid.bit) };
}

const catalogAt = (f) => formatLocation(f.loc);

// ---- Linux ----------------------------------------------------------------------------------

function parseScattered(text) {
  const out = new Map();
  const re = /\{\s*X86_FEATURE_(\w+),\s*CPUID_(EAX|EBX|ECX|EDX),\s*(\d+),\s*(0x[0-9a-fA-F]+),\s*(\d+)\s*\}/g;
  for (const m of text.matchAll(re)) {
    const list = out.get(m[1]) ?? [];
    list.push({ leaf: Number(m[4]), subleaf: Number(m[5]), reg: m[2].toLowerCase(), bit: Number(m[3]) });
    out.set(m[1], list);
  }
  return out;
}

function parseLinux(text, scattered) {
  const entries = [];
  let word = new Map();
  for (const line of text.split('\n')) {
    const h = /CPUID level (0x[0-9a-fA-F]+)(?::(\d+))?[\s,(]*(EAX|EBX|ECX|EDX)?.*word (\d+)/i.exec(line);
    if (h && line.trimStart().startsWith('/*')) {
      word.set(Number(h[4]), { leaf: Number(h[1]), subleaf: h[2] !== undefined ? Number(h[2]) : undefined, reg: (h[3] ?? 'EDX').toLowerCase() });
      continue;
    }
    const d = /^#define X86_FEATURE_(\w+)\s*\(\s*(\d+)\s*\*\s*32\s*\+\s*(\d+)\s*\)\s*(?:\/\*\s*(?:"([^"]*)")?)?/.exec(line);
    if (!d) continue;
    const [, macro, w, b, proc] = d;
    const name = { macro: macro.toLowerCase(), proc: proc === undefined || proc === '' ? null : proc };
    const heading = word.get(Number(w));
    if (heading) entries.push({ ...name, loc: { ...heading, bit: Number(b) } });
    else for (const loc of scattered.get(macro) ?? []) entries.push({ ...name, loc, scattered: true });
    if (!heading && !scattered.has(macro)) entries.push({ ...name, loc: null });
  }
  return entries;
}

function diffLinux(entries) {
  const out = [];
  const procNames = new Set(entries.filter((e) => e.proc).map((e) => e.proc));
  const seen = new Set();
  for (const e of entries) {
    if (!e.loc) continue;
    const { at, feature: f } = rowAt(e.loc);
    seen.add(at);
    const label = `X86_FEATURE_${e.macro.toUpperCase()}${e.proc ? ` "${e.proc}"` : ''}`;
    if (!f) {
      out.push({ kind: 'missing', at, text: `${label}${e.scattered ? ' (scattered.c)' : ''}` });
      continue;
    }
    if (e.proc) {
      if (f.linux !== e.proc) out.push({ kind: 'differs', at, text: `${f.id}: linux ${JSON.stringify(f.linux)}, upstream shows "${e.proc}"` });
    } else {
      if (typeof f.linux === 'string') out.push({ kind: 'differs', at, text: `${f.id}: linux '${f.linux}', upstream hides the flag (${label})` });
      else if (f.linux === undefined) out.push({ kind: 'differs', at, text: `${f.id}: no linux entry, upstream knows the bit as ${label} (hidden)` });
      const macro = f.linuxMacro ?? f.id;
      if (macro !== e.macro) out.push({ kind: 'differs', at, text: `${f.id}: linuxMacro '${macro}', upstream X86_FEATURE_${e.macro.toUpperCase()}` });
    }
  }
  for (const f of catalog.features) {
    const at = catalogAt(f);
    if (f.loc.type !== 'cpuid' || seen.has(at)) continue;
    if (typeof f.linux === 'string' && !procNames.has(f.linux)) out.push({ kind: 'extra', at, text: `${f.id}: linux '${f.linux}' is not a /proc/cpuinfo name upstream` });
    else if (typeof f.linux === 'string') out.push({ kind: 'extra', at, text: `${f.id}: linux '${f.linux}' is a synthetic upstream flag, not read from this bit` });
    else if (f.linux === null) out.push({ kind: 'extra', at, text: `${f.id}: linux null (hidden), but upstream does not read this bit` });
  }
  return out;
}

// ---- Xen ------------------------------------------------------------------------------------

function parseXen(text) {
  const entries = [];
  const words = new Map();
  for (const line of text.split('\n')) {
    const h = /CPUID level (0x[0-9a-fA-F]+)(?::(\d+))?\.(eax|ebx|ecx|edx), word (\d+)/i.exec(line);
    if (h) {
      words.set(Number(h[4]), { leaf: Number(h[1]), subleaf: h[2] !== undefined ? Number(h[2]) : undefined, reg: h[3].toLowerCase() });
      continue;
    }
    const m = /MSR_ARCH_CAPS (0x[0-9a-fA-F]+)\.(eax|edx), word (\d+)/i.exec(line);
    if (m) {
      words.set(Number(m[3]), { msr: Number(m[1]), offset: m[2].toLowerCase() === 'edx' ? 32 : 0 });
      continue;
    }
    const f = /^XEN_CPUFEATURE\((\w+),\s*(\d+)\s*\*\s*32\s*\+\s*(\d+)\s*\)/.exec(line);
    if (!f) continue;
    const w = words.get(Number(f[2]));
    if (!w) fail(`xen: word ${f[2]} has no heading before ${f[1]}`);
    const bit = Number(f[3]);
    entries.push({ name: f[1].toLowerCase(), loc: w.msr !== undefined ? { msr: w.msr, bit: bit + w.offset } : { ...w, bit } });
  }
  return entries;
}

function diffNamed(entries, eco, same) {
  const out = [];
  const seen = new Set();
  for (const e of entries) {
    const { at, feature: f } = rowAt(e.loc);
    seen.add(at);
    if (!f) {
      out.push({ kind: 'missing', at, text: e.name });
      continue;
    }
    if (!same(f[eco], e)) out.push({ kind: 'differs', at, text: `${f.id}: ${eco} ${JSON.stringify(f[eco] ?? null)}, upstream '${e.name}'` });
  }
  for (const f of catalog.features) {
    const at = catalogAt(f);
    if (typeof f[eco] === 'string' && !seen.has(at)) out.push({ kind: 'extra', at, text: `${f.id}: ${eco} '${f[eco]}' not named at this bit upstream` });
  }
  return out;
}

// ---- QEMU -----------------------------------------------------------------------------------

const QEMU_MSRS = {
  MSR_IA32_ARCH_CAPABILITIES: 0x10a,
  MSR_IA32_CORE_CAPABILITY: 0xcf,
  MSR_IA32_PERF_CAPABILITIES: 0x345,
  MSR_IA32_VMX_BASIC: 0x480,
  MSR_IA32_VMX_MISC: 0x485,
  MSR_IA32_VMX_PROCBASED_CTLS2: 0x48b,
  MSR_IA32_VMX_EPT_VPID_CAP: 0x48c,
  MSR_IA32_VMX_TRUE_PINBASED_CTLS: 0x48d,
  MSR_IA32_VMX_TRUE_PROCBASED_CTLS: 0x48e,
  MSR_IA32_VMX_TRUE_EXIT_CTLS: 0x48f,
  MSR_IA32_VMX_TRUE_ENTRY_CTLS: 0x490,
  MSR_IA32_VMX_VMFUNC: 0x491,
};

function parseQemu(text) {
  const start = text.indexOf('feature_word_info[');
  if (start < 0) fail('qemu: no feature_word_info in this file');
  const body = text.slice(start);
  const entries = [];
  const blocks = body.split(/\n\s*\[FEAT_/).slice(1);
  for (const block of blocks) {
    const names = /\.feat_names\s*=\s*\{([\s\S]*?)\n\s*\},/.exec(block);
    if (!names) continue;
    const list = [];
    let pos = 0;
    const src = names[1].replace(/\/\*[\s\S]*?\*\//g, '');
    for (const tok of src.matchAll(/(?:\[(\d+)\]\s*=\s*)?("([^"]*)"|NULL)/g)) {
      if (tok[1] !== undefined) pos = Number(tok[1]);
      if (tok[3] !== undefined) list.push({ name: tok[3], bit: pos });
      pos++;
    }
    const cpuid = /\.cpuid\s*=\s*\{([\s\S]*?)\}/.exec(block);
    const msr = /\.msr\s*=\s*\{\s*\.index\s*=\s*(\w+)/.exec(block);
    if (cpuid) {
      const eax = /\.eax\s*=\s*(0x[0-9a-fA-F]+|\d+)/.exec(cpuid[1]);
      if (!eax) continue; // KVM leaves use symbolic leaf numbers
      const ecx = /\.needs_ecx\s*=\s*true[\s\S]*?\.ecx\s*=\s*(\d+)/.exec(cpuid[1]);
      const reg = /\.reg\s*=\s*R_(E[ABCD]X)/.exec(cpuid[1]);
      for (const n of list) entries.push({ name: n.name, loc: { leaf: Number(eax[1]), subleaf: ecx ? Number(ecx[1]) : undefined, reg: reg[1].toLowerCase(), bit: n.bit } });
    } else if (msr) {
      const index = QEMU_MSRS[msr[1]];
      if (index === undefined) {
        process.stderr.write(`catalog-diff: qemu: unknown MSR ${msr[1]}, its names are skipped\n`);
        continue;
      }
      for (const n of list) entries.push({ name: n.name, loc: { msr: index, bit: n.bit } });
    }
  }
  return entries;
}

// ---- libvirt --------------------------------------------------------------------------------

function parseLibvirt(text) {
  const entries = [];
  for (const m of text.matchAll(/<feature name='([^']+)'[^>]*>([\s\S]*?)<\/feature>/g)) {
    const [, name, inner] = m;
    const aliases = [...inner.matchAll(/<alias name='([^']+)'/g)].map((a) => a[1]);
    const cpuid = /<cpuid eax_in='(0x[0-9a-fA-F]+)'(?: ecx_in='(0x[0-9a-fA-F]+)')?\s+(eax|ebx|ecx|edx)='(0x[0-9a-fA-F]+)'/.exec(inner);
    const msr = /<msr index='(0x[0-9a-fA-F]+)' edx='(0x[0-9a-fA-F]+)' eax='(0x[0-9a-fA-F]+)'/.exec(inner);
    const bitOf = (mask) => 31 - Math.clz32(mask);
    if (cpuid) {
      entries.push({ name, aliases, loc: { leaf: Number(cpuid[1]), subleaf: cpuid[2] !== undefined ? Number(cpuid[2]) : undefined, reg: cpuid[3], bit: bitOf(Number(cpuid[4])) } });
    } else if (msr) {
      const edx = Number(msr[2]);
      entries.push({ name, aliases, loc: { msr: Number(msr[1]), bit: edx ? 32 + bitOf(edx) : bitOf(Number(msr[3])) } });
    } else process.stderr.write(`catalog-diff: libvirt: feature '${name}' has no location, skipped\n`);
  }
  return entries;
}

const fold = (s) => (s ?? '').toLowerCase().replace(/[-_.]/g, '');

// ---- main -----------------------------------------------------------------------------------

const [file, second] = process.argv.slice(2);
if (!file) fail('usage: node scripts/catalog-diff.mjs FILE [scattered.c]');
if (!existsSync(file)) fail(`${file}: no such file`);
const text = readFileSync(file, 'utf8');

let source;
let diffs;
if (/#define X86_FEATURE_\w+\s*\(/.test(text)) {
  source = 'linux';
  const sc = second ?? join(dirname(resolve(file)), '..', '..', 'kernel', 'cpu', 'scattered.c');
  if (!existsSync(sc)) fail(`linux: scattered.c not found (give its path as the second argument)`);
  diffs = diffLinux(parseLinux(text, parseScattered(readFileSync(sc, 'utf8'))));
} else if (/XEN_CPUFEATURE\(\w+,/.test(text)) {
  source = 'xen';
  diffs = diffNamed(parseXen(text), 'xen', (mine, e) => mine === e.name);
} else if (text.includes('feature_word_info[')) {
  source = 'qemu';
  diffs = diffNamed(parseQemu(text), 'qemu', (mine, e) => mine === e.name);
} else if (/<feature name='[^']+'>\s*(<alias[^>]*>\s*)*<(cpuid|msr) /.test(text)) {
  source = 'libvirt';
  diffs = diffNamed(parseLibvirt(text), 'libvirt', (mine, e) => mine === e.name || [e.name, ...e.aliases].some((n) => fold(n) === fold(mine)));
} else fail(`${file}: not a Linux cpufeatures.h, Xen cpufeatureset.h, QEMU cpu.c or libvirt x86_features.xml`);

const order = { missing: 0, differs: 1, extra: 2 };
diffs.sort((a, b) => order[a.kind] - order[b.kind] || a.at.localeCompare(b.at, 'en', { numeric: true }));
let unexplained = 0;
for (const d of diffs) {
  const why = explain(source, d);
  if (why === undefined) unexplained++;
  process.stdout.write(`${why === undefined ? d.kind.padEnd(9) : 'explained'} ${d.at.padEnd(18)} ${d.text}${why ? `  -- ${why}` : ''}\n`);
}
process.stdout.write(`${source}: ${diffs.length} difference${diffs.length === 1 ? '' : 's'}, ${unexplained} unexplained\n`);
process.exit(unexplained ? 1 : 0);
