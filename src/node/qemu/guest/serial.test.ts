import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { PROBE_LEAVES, probeAssembly } from './probe-asm.js';
import { parseProbeSerial } from './serial.js';

const h = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
const cpuidLine = (leaf: number, sub: number, r: number[]) => `CPUID ${h(leaf)} ${h(sub)} ${r.map(h).join(' ')}`;

/** A round as the probe prints it (CRLF line ends). */
function round(n: number, lines: string[] = [cpuidLine(0, 0, [0xb, 0x756e6547, 0x6c65746e, 0x49656e69]), cpuidLine(1, 0, [0x206c1, 0x800, 0x82982203, 0x78bfbfd])]): string {
  return `\r\nOPENEVC-PROBE BEGIN ${h(n)}\r\n${lines.join('\r\n')}\r\nOPENEVC-PROBE END ${h(n)} ${h(lines.length)}\r\n`;
}

describe('reading the probe from the serial port', () => {
  it('reads rounds into dumps and sets firmware noise and escapes aside', () => {
    const text = `\u001bc\u001b[?7l\u001b[2JSeaBIOS (version 1.16.2-debian-1.16.2-1)\r\nBooting from ROM..\u001b[2J${round(0)}`;
    const r = parseProbeSerial(text, 'Westmere');
    expect(r.rounds).toHaveLength(1);
    expect(r.unfinished).toBe(false);
    expect(r.noise).toEqual(['SeaBIOS (version 1.16.2-debian-1.16.2-1)', 'Booting from ROM..']);
    const d = r.rounds[0]!.dump;
    expect(d.source).toEqual({ format: 'probe', lossy: false, label: 'Westmere' });
    expect(d.get(1)).toMatchObject({ eax: 0x206c1, ebx: 0x800, ecx: 0x82982203, edx: 0x78bfbfd });
    expect(d.size).toBe(2);
  });

  it('accepts a stream cut by a migration: a partial round at either end is dropped', () => {
    const whole = round(7) + round(8) + round(9);
    // Source: ends inside round 9, in the middle of a line.
    const cut = whole.indexOf('CPUID 00000001', whole.indexOf('BEGIN 00000009')) + 20;
    const src = parseProbeSerial(whole.slice(0, cut), 'source');
    expect(src.rounds.map((x) => x.round)).toEqual([7, 8]);
    expect(src.unfinished).toBe(true);
    // Destination: starts in the middle of round 7.
    const dst = parseProbeSerial(whole.slice(whole.indexOf('CPUID 00000001')), 'destination');
    expect(dst.rounds.map((x) => x.round)).toEqual([8, 9]);
    expect(dst.unfinished).toBe(false);
  });

  it('refuses a damaged round, naming the line', () => {
    const bad = (text: string) => {
      try {
        parseProbeSerial(text, 'guest');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('accepted damaged probe output');
    };
    expect(bad(round(0).replace('CPUID 00000001 00000000 000206C1', 'CPUID 00000001 00000000 000206Cx'))).toBe(
      'guest:4: expected a probe line "CPUID <leaf> <subleaf> <eax> <ebx> <ecx> <edx>" (8 hex digits each) or its END line, found "CPUID 00000001 00000000 000206Cx 00000800 82982203 078BFBFD"',
    );
    expect(bad(round(0).replace('END 00000000 00000002', 'END 00000000 00000003'))).toBe('guest:5: expected 3 CPUID lines in round 0 as its END line says, found "2"');
    expect(bad(round(0).replace('END 00000000', 'END 00000001'))).toMatch(/^guest:5: expected the end of round 0 \(begun on line 2\)/);
    expect(bad(round(0).replace(/OPENEVC-PROBE END.*\r\n/, '') + round(1))).toMatch(/^guest:6: expected "OPENEVC-PROBE END 00000000 <count>" closing the round begun on line 2/);
    expect(bad('\r\nOPENEVC-PROBE BEGIN 12\r\n')).toMatch(/^guest:2: expected "OPENEVC-PROBE BEGIN <round as 8 hex digits>"/);
  });

  it('finds nothing in output without a probe', () => {
    const r = parseProbeSerial('SeaBIOS\r\nNo bootable device.\r\n', 'guest');
    expect(r.rounds).toEqual([]);
    expect(r.noise).toEqual(['SeaBIOS', 'No bootable device.']);
  });
});

describe('the probe program', () => {
  it('asks every listed pair, and at least the leaves a migration check needs', () => {
    const asm = probeAssembly({ rounds: 1, delayPeriods: 0 });
    for (const [leaf, sub] of PROBE_LEAVES) expect(asm).toContain(`dd 0x${leaf.toString(16).padStart(8, '0')}, 0x${sub.toString(16).padStart(8, '0')}`);
    const keys = PROBE_LEAVES.map(([l, s]) => `${l.toString(16)}.${s}`);
    for (const k of ['0.0', '1.0', '7.0', '7.1', 'd.0', 'd.1', '80000000.0', '80000001.0', '80000007.0', '80000008.0']) expect(keys).toContain(k);
    expect(asm).toMatch(/^ROUNDS +equ 1$/m);
    expect(probeAssembly({ rounds: 0, delayPeriods: 3 })).toMatch(/^DELAY_PERIODS equ 3$/m);
    expect(() => probeAssembly({ rounds: -1, delayPeriods: 0 })).toThrow(RangeError);
    expect(() => probeAssembly({ rounds: 1, delayPeriods: 0, leaves: [] })).toThrow(RangeError);
  });
});
