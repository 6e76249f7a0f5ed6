import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { VmxDocument, parseVmxLine } from './document.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const textOf = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const VMX_FIXTURES = ['esxi-typical.vmx', 'crlf-windows-1252.vmx', 'odd-quoting.vmx', 'per-vm-evc.vmx', 'seed002-westmere.vmx'];

/** The raw lines of a byte string, each with its line break, for line-by-line comparison. */
function rawLines(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(Array.from(bytes.subarray(start, i + 1), (b) => b.toString(16).padStart(2, '0')).join(''));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(Array.from(bytes.subarray(start), (b) => b.toString(16).padStart(2, '0')).join(''));
  return out;
}

/** Indexes of lines that differ between two same-length line lists. */
function changed(a: readonly string[], b: readonly string[]): number[] {
  expect(b.length).toBe(a.length);
  return a.flatMap((l, i) => (l === b[i] ? [] : [i]));
}

describe('.vmx lines', () => {
  it('tells entries, comments, blank and other lines apart and finds the value', () => {
    expect(parseVmxLine('cpuid.1.ecx = "---0"', '\n')).toMatchObject({ kind: 'entry', key: 'cpuid.1.ecx', value: '---0', quoted: true, valueStart: 15 });
    expect(parseVmxLine('numvcpus = 2   ', '')).toMatchObject({ kind: 'entry', key: 'numvcpus', value: '2', quoted: false });
    expect(parseVmxLine('a="b" # note', '')).toMatchObject({ kind: 'entry', key: 'a', value: 'b' });
    expect(parseVmxLine('x = "open', '')).toMatchObject({ kind: 'entry', value: 'open', unterminated: true });
    expect(parseVmxLine('k =', '')).toMatchObject({ kind: 'entry', key: 'k', value: '' });
    expect(parseVmxLine('  # c = "d"', '').kind).toBe('comment');
    expect(parseVmxLine(' \t', '').kind).toBe('blank');
    expect(parseVmxLine('no equals sign', '').kind).toBe('other');
    expect(parseVmxLine('two words = "x"', '').kind).toBe('other');
    expect(parseVmxLine('= "x"', '').kind).toBe('other');
  });
});

describe('.vmx documents: faithful round trip', () => {
  for (const name of VMX_FIXTURES) {
    it(`gives back ${name} unchanged, as bytes and as text`, () => {
      const bytes = bytesOf(name);
      expect(VmxDocument.parse(bytes, name).toBytes()).toEqual(bytes);
      if (name !== 'crlf-windows-1252.vmx') expect(VmxDocument.parse(textOf(name), name).toString()).toBe(textOf(name));
    });
  }

  it('decodes a windows-1252 file by its .encoding and keeps CRLF', () => {
    const doc = VmxDocument.parse(bytesOf('crlf-windows-1252.vmx'), 'pos.vmx');
    expect(doc.encoding).toBe('windows-1252');
    expect(doc.get('displayName')).toBe('Café POS (Windows 7)');
    expect(doc.allLines.every((l) => l.eol === '\r\n')).toBe(true);
    expect(doc.get('annotation')).toBe('Till software needs SSE2 only|0AOwner: André'); // escapes kept as written
  });

  it('keeps the BOM, odd spacing, tabs, the missing final line break; keys are case-insensitive; the last duplicate counts', () => {
    const text = textOf('odd-quoting.vmx');
    const doc = VmxDocument.parse(text, 'lab.vmx');
    expect(doc.bom).toBe(true);
    expect(doc.get('memsize')).toBe('2048');
    expect(doc.get('NUMVCPUS')).toBe('4');
    expect(doc.entry('numvcpus')!.line).toBe(18);
    expect(doc.get('virtualHW.version')).toBe('13');
    expect(doc.get('cpuid.1.ecx')).toBe('---------0----------------------');
    expect(doc.get('annotation')).toBe('unterminated quote');
    expect(doc.allLines.at(-1)).toMatchObject({ eol: '', key: 'guestOS' });
    expect(doc.diagnostics.map((d) => d.message)).toEqual(["'numvcpus' is set 2 times (lines 8, 18); openevc uses line 18"]);
  });

  it('reads an unknown .encoding as UTF-8 and says so', () => {
    const doc = VmxDocument.parse(new TextEncoder().encode('.encoding = "klingon-8"\nx = "y"\n'), 'k.vmx');
    expect(doc.encoding).toBe('utf-8');
    expect(doc.diagnostics[0]!.message).toBe('unknown .encoding "klingon-8": the text is read as UTF-8');
  });
});

describe('.vmx documents: edits touch only their line', () => {
  for (const name of VMX_FIXTURES) {
    it(`changes exactly one line of ${name} when a key is set`, () => {
      const bytes = bytesOf(name);
      const doc = VmxDocument.parse(bytes, name);
      const target = doc.entries().at(-1)!;
      doc.set(target.key.toUpperCase(), 'NEWVALUE');
      const before = rawLines(bytes);
      const after = rawLines(doc.toBytes());
      const diff = changed(before, after);
      expect(diff).toEqual([target.line - 1]);
      expect(doc.get(target.key)).toBe('NEWVALUE');
    });
  }

  it('keeps spelling, spacing, quoting and the line break of a rewritten line', () => {
    const doc = VmxDocument.parse('MemSize\t=\t"2048"\t\r\nnumvcpus = 2\n', 'a.vmx');
    doc.set('memsize', '4096').set('numvcpus', '8');
    expect(doc.toString()).toBe('MemSize\t=\t"4096"\t\r\nnumvcpus = 8\n');
    doc.set('numvcpus', 'two words');
    expect(doc.toString()).toBe('MemSize\t=\t"4096"\t\r\nnumvcpus = "two words"\n');
  });

  it('closes an unterminated quote it rewrites, and leaves a trailing comment alone', () => {
    const doc = VmxDocument.parse('a = "open\nb = "x"  # why\n', 'a.vmx');
    doc.set('a', 'v').set('b', 'y');
    expect(doc.toString()).toBe('a = "v"\nb = "y"  # why\n');
  });

  it('adds a new key after its closest relatives, with the file\'s line break', () => {
    const doc = VmxDocument.parse(bytesOf('esxi-typical.vmx'), 'vm.vmx');
    doc.set('cpuid.7.ebx', '-------------------------------0');
    const lines = doc.toString().split('\n');
    expect(lines.indexOf('cpuid.7.ebx = "-------------------------------0"')).toBe(lines.indexOf('cpuid.80000001.edx = "---- ---- ---H ---- ---- ---- ---- ----"') + 1);
    const before = rawLines(bytesOf('esxi-typical.vmx'));
    const after = rawLines(doc.toBytes());
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((l) => !before.includes(l))).toHaveLength(1);

    const crlf = VmxDocument.parse(bytesOf('crlf-windows-1252.vmx'), 'pos.vmx');
    crlf.set('featMask.vm.cpuid.AVX', 'Val:0');
    expect(new TextDecoder('windows-1252').decode(crlf.toBytes())).toContain('annotation = "Till software needs SSE2 only|0AOwner: André"\r\nide1:0.fileName');
    expect(crlf.toString()).toMatch(/\r\nfeatMask\.vm\.cpuid\.AVX = "Val:0"\r\n$/);
  });

  it('gives the old last line a line break when appending after it, and keeps the file ending without one', () => {
    const doc = VmxDocument.parse('a.b = "1"\r\nc = "2"', 'x.vmx');
    doc.set('c2', '3');
    expect(doc.toString()).toBe('a.b = "1"\r\nc = "2"\r\nc2 = "3"');
    expect(VmxDocument.parse('', 'e.vmx').set('k', 'v').toString()).toBe('k = "v"\n');
  });

  it('replaces the last duplicate and drops the earlier ones, and removes every occurrence', () => {
    const doc = VmxDocument.parse('n = "1"\nx = "a"\nN = "2"\n', 'd.vmx');
    doc.set('n', '3');
    expect(doc.toString()).toBe('x = "a"\nN = "3"\n');
    const doc2 = VmxDocument.parse('n = "1"\nx = "a"\nN = "2"\n', 'd.vmx');
    expect(doc2.remove('n')).toBe(2);
    expect(doc2.toString()).toBe('x = "a"\n');
    expect(doc2.remove('missing')).toBe(0);
  });

  it('refuses what a .vmx line cannot hold', () => {
    const doc = VmxDocument.parse('a = "b"\n', 'a.vmx');
    expect(() => doc.set('a', 'say "hi"')).toThrow(UsageError);
    expect(() => doc.set('two words', 'x')).toThrow(UsageError);
    expect(() => doc.set('a', 'line\nbreak')).toThrow(UsageError);
    const cp = VmxDocument.parse(bytesOf('crlf-windows-1252.vmx'), 'pos.vmx');
    expect(() => cp.set('displayName', 'Straße')).toThrow(/non-ASCII text into a windows-1252 \.vmx/);
  });
});

describe('.vmx documents: random line soup (property)', () => {
  const fragment = fc.oneof(
    fc.constantFrom('cpuid.1.ecx = "---0----------------------------"', 'numvcpus = 2', 'a="b"', '# comment', '', '   ', '\t'),
    fc.constantFrom('junk', '"', '=', 'k = "open', 'x = "y" # z'),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
  );
  const soup = fc.record({
    bom: fc.boolean(),
    lines: fc.array(fc.tuple(fragment, fc.constantFrom('\n', '\r\n')), { maxLength: 25 }),
    tail: fc.oneof(fc.constant(''), fragment),
  }).map(({ bom, lines, tail }) => (bom ? '\ufeff' : '') + lines.map(([l, e]) => l.replace(/\n/g, '') + e).join('') + tail.replace(/\n/g, ''));

  it('prints any text back unchanged', () => {
    fc.assert(
      fc.property(soup, (text) => {
        expect(VmxDocument.parse(text).toString()).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('prints any bytes back unchanged, valid UTF-8 or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 100 }), (junk, more) => {
        const bytes = new Uint8Array([...junk, 0x0a, ...new TextEncoder().encode('.encoding = "UTF-8"\r\n'), ...more]);
        expect(VmxDocument.parse(bytes).toBytes()).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves every line but the edited one alone', () => {
    fc.assert(
      fc.property(soup, fc.constantFrom('cpuid.1.ecx', 'numvcpus', 'a', 'k', 'new.key'), (text, key) => {
        const doc = VmxDocument.parse(text);
        const hadKey = doc.has(key);
        const before = doc.allLines.filter((l) => l.kind !== 'entry' || l.key!.toLowerCase() !== key).map((l) => l.text);
        doc.set(key, 'v');
        const after = doc.allLines.filter((l) => l.kind !== 'entry' || l.key!.toLowerCase() !== key).map((l) => l.text);
        expect(after).toEqual(before);
        expect(doc.get(key)).toBe('v');
        expect(doc.allLines.filter((l) => l.kind === 'entry' && l.key!.toLowerCase() === key)).toHaveLength(1);
        if (!hadKey) expect(doc.allLines.length).toBe(VmxDocument.parse(text).allLines.length + 1);
      }),
      { numRuns: 300 },
    );
  });
});
