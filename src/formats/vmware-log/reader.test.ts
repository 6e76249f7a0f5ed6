import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identify } from '../../core/identity.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { vmwareLogImporter } from './reader.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const parse = (text: string, file = 'vmware.log') => vmwareLogImporter.parse(text, { file });
/** `--lenient`: damaged CPUID lines skipped with a warning instead of refused. */
const parseLenient = (text: string, file = 'vmware.log') => vmwareLogImporter.parse(text, { file, lenient: true });

const errorOf = (text: string): string => inputErrorMessage(() => parse(text));

describe('vmware.log importer', () => {
  for (const name of ['workstation-2010', 'esxi-6.0', 'workstation-26-compare']) {
    it(`imports ${name}.log (golden)`, () => {
      // esxi-6.0.log holds a damaged line: read with --lenient (refused without it, below).
      expectGolden(renderImport(parseLenient(read(`${name}.log`), `${name}.log`)), join(FIXTURES, `${name}.expected.txt`));
    });
  }

  it('keeps host and guest views apart (old prefix, per-CPU dumps)', () => {
    const r = parse(read('workstation-2010.log'));
    expect(r.dump.source).toMatchObject({ view: 'host', label: 'studio-pc' });
    expect(r.dump.source.captured).toBeUndefined(); // the old prefix has no year: no capture time
    expect(identify(r.dump)).toMatchObject({ vendor: 'intel', family: 6, model: 0x17, stepping: 0xa, hypervisor: false });
    expect(r.guest?.source.view).toBe('guest');
    expect(identify(r.guest!).hypervisor).toBe(true);
    expect(r.guest!.get(0)?.eax).toBe(0xa);
    expect(r.cpus.map((c) => c.source.cpu)).toEqual([0, 1]);
    expect(r.cpus[1]!.get(1)?.ebx).toBe(0x01020800);
    expect(r.diagnostics).toEqual([]);
  });

  it('a damaged CPUID line is an error with file:line; with --lenient it is skipped and the answer says it rests on damaged input', () => {
    expect(errorOf(read('esxi-6.0.log'))).toMatch(/^vmware\.log:17: expected a complete CPUID line \('hostCPUID level 00000001, 0: 0x… 0x… 0x… 0x…'\); give --lenient to skip damaged lines, found "/);
    // The case: one corrupted leaf-1 line in an otherwise good log.
    const good = read('workstation-2010.log');
    const broken = good.replace(/(hostCPUID level 00000001, 0: 0x[0-9a-f]+) 0x[0-9a-f]+/, '$1 0xZZ');
    expect(broken).not.toBe(good);
    expect(errorOf(broken)).toMatch(/^vmware\.log:\d+: expected a complete CPUID line/);
  });

  it('reads the ISO prefix, hex subleaves, CRLF, and reports a damaged line (--lenient)', () => {
    const r = parseLenient(read('esxi-6.0.log'));
    expect(r.dump.source).toMatchObject({ label: 'esx-07.lab.example', captured: '2016-01-04T16:19:46.611-08:00' });
    expect(r.dump.subleaves(0xd)).toEqual([0, 1, 0x2e]);
    expect(r.guest!.get(7)?.ebx).toBe(0x001c0fbb);
    expect(r.guest!.has(0x8000_0001)).toBe(false);
    expect(r.cpus).toEqual([r.dump]);
    expect(r.diagnostics.map((d) => [d.level, d.where?.line, d.message])).toEqual([
      ['warning', 17, 'skipped a damaged CPUID line (not the full four-register form)'],
      ['warning', 17, 'the answer rests on damaged input: 1 damaged CPUID line was skipped (--lenient)'],
    ]);
  });

  it("rebuilds the host view from the 'guest vs. host' block", () => {
    const r = parse(read('workstation-26-compare.log'));
    expect(r.dump.get(1)?.eax).toBe(0x000b06a2); // from the *host row
    expect(r.dump.get(0x8000_0000)?.eax).toBe(0x8000_0008); // no *host row: same as the guest's
    expect(r.guest!.get(1)?.eax).toBe(0x000406e3);
    expect(r.dump.source.captured).toBe('2025-03-11T09:12:40.431Z');
  });

  it('keeps the first dump when a log holds two different ones', () => {
    const log = [
      'x| vmx| hostCPUID level 00000001, 0: 0x000306a9 0x00000000 0x00000000 0x00000000',
      'x| vmx| hostCPUID level 00000007, 0: 0x00000000 0x00000001 0x00000000 0x00000000',
      'x| vmx| hostCPUID level 00000001, 0: 0x000306a9 0x00000000 0x00000000 0x00000000',
      'x| vmx| hostCPUID level 00000001, 0: 0x000406f1 0x00000000 0x00000000 0x00000000',
      'x| vmx| hostCPUID level 00000007, 0: 0x00000000 0x00000002 0x00000000 0x00000000',
    ].join('\n');
    const r = parse(log);
    expect(r.dump.get(1)?.eax).toBe(0x306a9);
    expect(r.dump.get(7)?.ebx).toBe(1);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.message).toMatch(/^hostCPUID leaf 0x1 subleaf 0 is logged again on line 4 with other values than on line 1 \(and 1 more leaves\)/);
  });

  it('flags host CPUs that disagree on feature bits, and a vendor line that disagrees with leaf 0', () => {
    const log = [
      'a| vmx| hostCPUID vendor: AuthenticAMD',
      'a| vmx| CPUID[0] level 00000000, 0: 0x0000000d 0x756e6547 0x6c65746e 0x49656e69',
      'a| vmx| CPUID[0] level 00000001, 0: 0x000306a9 0x00000800 0x10000000 0x00000000',
      'a| vmx| CPUID[3] level 00000000, 0: 0x0000000d 0x756e6547 0x6c65746e 0x49656e69',
      'a| vmx| CPUID[3] level 00000001, 0: 0x000306a9 0x03000800 0x00000000 0x00000000',
    ].join('\n');
    const r = parse(log);
    expect(r.dump).toBe(r.cpus[0]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      `'hostCPUID vendor: AuthenticAMD' disagrees with leaf 0 of the host CPUID ("GenuineIntel")`,
      'host CPU 3 differs from CPU 0 in feature registers 0x1.0 ECX',
    ]);
  });

  it('uses the guest view when the log has no host CPUID, and says so', () => {
    const r = parse('t| vmx| guestCPUID level 00000000, 0: 0x00000001 0x756e6547 0x6c65746e 0x49656e69');
    expect(r.dump).toBe(r.guest);
    expect(r.diagnostics[0]?.message).toMatch(/no host CPUID/);
  });

  it('refuses a log without CPUID lines, naming a damaged one when there is one', () => {
    expect(errorOf('Aug 20 20:09:03.992: vmx| Log for VMware Workstation\nAug 20 20:09:04.000: vmx| nothing here\n')).toBe(
      `vmware.log:1: expected hostCPUID or guestCPUID lines ('hostCPUID level 00000001, 0: 0x… 0x… 0x… 0x…') somewhere in the log, found "no CPUID line in 3 lines"`,
    );
    expect(errorOf('noise\nx| vmx| hostCPUID level 00000001, 0: 0x0001067a 0x0002')).toMatch(/^vmware\.log:2: expected hostCPUID or guestCPUID lines .*found "x\| vmx\| hostCPUID level 00000001/);
    expect(errorOf('x| vmx| hostCPUID level 00000001, 100000: 0x0 0x0 0x0 0x0')).toMatch(/^vmware\.log:1: expected hostCPUID or guestCPUID lines/);
    const many = Array.from({ length: 9 }, (_, i) => `x| vmx| hostCPUID level 0000000${i}, 0: 0x1`).join('\n');
    const r = parseLenient(`${many}\nx| vmx| hostCPUID level 00000000, 0: 0x1 0x2 0x3 0x4`);
    expect(r.diagnostics.map((d) => d.where?.line ?? d.message)).toEqual([1, 2, 3, 4, 5, '9 damaged CPUID lines were skipped in all', 1]);
  });

  it('sniffs logs', () => {
    expect(vmwareLogImporter.sniff(read('workstation-2010.log').slice(0, 400))).toBeGreaterThanOrEqual(0.7);
    expect(vmwareLogImporter.sniff(read('esxi-6.0.log'))).toBeGreaterThan(0.9);
    expect(vmwareLogImporter.sniff('processor\t: 0\nvendor_id\t: GenuineIntel\n')).toBe(0);
  });

  it('stays fast on 1 MB pathological input (no super-linear parsing)', () => {
    expectFastOnPathologicalInput(vmwareLogImporter, ['', 'x| vmx| hostCPUID vendor: ', 'x| vmx| hostCPUID level 00000001, 0: 0x', 'x| vmx| Hostname='], 'slow.log');
  });

  it('never throws anything but a well-shaped InputError (random and mutated input)', () => {
    expectRobustAgainstDamage(vmwareLogImporter, fc.oneof(mutatedText(read('esxi-6.0.log')), mutatedText(read('workstation-2010.log')), fc.string({ unit: 'binary', maxLength: 200 })), 'fuzz.log', 600);
  });
});
