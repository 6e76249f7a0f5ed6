import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../test-support/expect-golden.js';
import { TARGET_CASES, caseTarget, describeExport } from '../../test-support/targets.js';
import { powercliExporter, psQuote } from './writer.js';
import { vmxSettings } from '../vmx/writer.js';

const FIX = join(import.meta.dirname, 'fixtures', 'writer');

/**
 * PowerShell's verbatim (single-quoted) string literal, read by the language's rules: it opens and
 * closes with any single-quote character (' ‘ ’ ‚ ‛), two adjacent ones inside stand for one, and
 * nothing else is special. Returns the value and the index after the literal. (PowerShell cannot
 * be installed here, so the rules are tested instead of the program.)
 */
function readPsString(text: string, at: number): { value: string; end: number } {
  const isQuote = (c: string | undefined) => c !== undefined && "'\u2018\u2019\u201a\u201b".includes(c);
  if (!isQuote(text[at])) throw new Error(`no string at ${at}: ${text.slice(at)}`);
  let value = '';
  let i = at + 1;
  for (;;) {
    if (i >= text.length) throw new Error('unterminated string');
    const c = text[i]!;
    if (isQuote(c)) {
      if (isQuote(text[i + 1])) {
        value += text[i + 1];
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
}

/** The -Name and -Value strings of a New-AdvancedSetting line, and what is left outside strings. */
function readSettingLine(line: string): { name: string; value: string; bare: string } {
  const name = readPsString(line, line.indexOf('-Name ') + 6);
  const value = readPsString(line, line.indexOf('-Value ', name.end) + 7);
  return { name: name.value, value: value.value, bare: line.slice(0, line.indexOf('-Name ')) + line.slice(name.end, line.indexOf('-Value ', name.end)) + line.slice(value.end) };
}

describe('powercli exporter', () => {
  for (const c of TARGET_CASES) {
    it(`${c.name}: golden`, () => {
      expectGolden(describeExport(powercliExporter.render(caseTarget(c, powercliExporter.defaultProfile))), join(FIX, `${c.name}.txt`));
    });
  }

  it('sets exactly the .vmx lines, each string verbatim, outside strings only $vm and $false (every case)', () => {
    for (const c of TARGET_CASES) {
      const t = caseTarget(c, 'esxi');
      const lines = powercliExporter.render(t, { name: 'app-01' }).text.split('\n').filter((l) => l.startsWith('New-AdvancedSetting'));
      const expected = vmxSettings(t).lines.map((l) => l.replace(/^(\S+) = "(.*)"$/, '$1=$2'));
      expect(lines.map((l) => readSettingLine(l)).map((s) => `${s.name}=${s.value}`), c.name).toEqual(expected);
      for (const l of lines) expect(readSettingLine(l).bare).toBe('New-AdvancedSetting -Entity $vm   -Confirm:$false -Force');
    }
  });

  it('quotes a VM name with quotes, dollars and backticks so that PowerShell reads it back unchanged', () => {
    const name = "it's ‘odd’ $env:HOME `n ‛x‚";
    const text = powercliExporter.render(caseTarget(TARGET_CASES[0]!, 'esxi'), { name }).text;
    const line = text.split('\n').find((l) => l.startsWith('$vm = Get-VM -Name '))!;
    const s = readPsString(line, '$vm = Get-VM -Name '.length);
    expect(s.value).toBe(name);
    expect(s.end).toBe(line.length);
  });

  it('psQuote: any text reads back unchanged by PowerShell\'s rules (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', "'", '\u2018', '\u2019', '\u201a', '\u201b', '$', '`', '"', '\n', 'é') }), (s) => {
        const q = psQuote(s);
        const r = readPsString(q, 0);
        expect(r.value).toBe(s);
        expect(r.end).toBe(q.length);
      }),
    );
  });

  it('says the VM must be powered off, and refuses to run without $vm when no name is given', () => {
    const text = powercliExporter.render(caseTarget(TARGET_CASES[0]!, 'esxi')).text;
    expect(text).toContain('The VM must be powered off');
    expect(text).toContain("if (-not $vm) { throw 'set $vm to the virtual machine first (Get-VM)' }");
  });
});
