import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../core/errors.js';
import { readerFixture } from '../test-support/fixtures.js';
import { IMPORTERS, SNIFF_CHARS, detectFormat, importFormats, importText, importerFor } from './readers.js';

const fixture = (path: string): string => readFileSync(readerFixture(path), 'utf8');

const INSTLAT_LINE = 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69';
const CPUID_R_LINE = '   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69';

describe('importer registry', () => {
  it('lists each format once, with a description', () => {
    expect(new Set(importFormats()).size).toBe(IMPORTERS.length);
    for (const i of IMPORTERS) expect(i.description.length).toBeGreaterThan(10);
    expect(importerFor('cpuid-r')?.format).toBe('cpuid-r');
    expect(importerFor('nonsense')).toBeUndefined();
  });

  it('detects each format from the start of the text', () => {
    expect(detectFormat(fixture('instlatx64/aida-full.txt'))).toBe('instlatx64');
    expect(detectFormat(fixture('instlatx64/bare-multi.txt'))).toBe('instlatx64');
    expect(detectFormat(fixture('cpuid-r/all-cpus.txt'))).toBe('cpuid-r');
    expect(detectFormat(fixture('cpuid-r/old-no-subleaf.txt'))).toBe('cpuid-r');
    expect(detectFormat(fixture('libcpuid/raw.txt'))).toBe('libcpuid');
  });

  it('looks only at the first SNIFF_CHARS characters', () => {
    expect(() => detectFormat(`${'x'.repeat(SNIFF_CHARS)}\n${INSTLAT_LINE}\n`, 'late.txt')).toThrow(InputError);
    expect(detectFormat(`${'x'.repeat(SNIFF_CHARS - 100)}\n${INSTLAT_LINE}\n`)).toBe('instlatx64');
  });

  it('refuses unknown text, listing the formats tried and suggesting --format', () => {
    expect(() => importText('hello world\nsecond line\n', { file: 'notes.txt' })).toThrow(
      `notes.txt: expected a CPUID dump in one of the formats openevc reads (${importFormats().join(', ')}); choose one with --format if it is one of them, found "hello world"`,
    );
  });

  it('refuses text that looks like two formats at once', () => {
    expect(() => detectFormat(`${INSTLAT_LINE}\n${CPUID_R_LINE}\n`, 'mixed.txt')).toThrow(
      'mixed.txt: expected input in one recognisable format, but it looks like cpuid-r or instlatx64; choose one with --format, found "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69"',
    );
    expect(importText(`${INSTLAT_LINE}\n${CPUID_R_LINE}\n`, { file: 'mixed.txt', format: 'instlatx64', lenient: true }).format).toBe('instlatx64');
  });

  it('refuses empty input and unknown --format values', () => {
    expect(() => importText('', { file: 'empty.txt' })).toThrow('empty.txt: expected a CPUID dump, found nothing');
    expect(() => importText('\uFEFF \n\n', { file: '-' })).toThrow('-: expected a CPUID dump, found nothing');
    expect(() => importText(INSTLAT_LINE, { file: 'x', format: 'xml' })).toThrow(UsageError);
    expect(() => importText(INSTLAT_LINE, { file: 'x', format: 'xml' })).toThrow(`unknown input format "xml": expected one of ${importFormats().join(', ')}`);
  });

  it('reads text with a byte-order mark or CRLF line ends', () => {
    const r = importText(`\uFEFF${INSTLAT_LINE}\r\nCPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBFF\r\n`, { file: 'win.txt' });
    expect(r.dump.get(1)?.edx).toBe(0xbfebfbff);
  });
});
