/**
 * Reads what the guest probe printed on its serial port (see probe-asm.ts for the lines).
 *
 * The serial stream also carries firmware noise (SeaBIOS banners, ANSI escapes) before the
 * probe starts, and in a migration the stream is cut in two: the source's copy can end in
 * the middle of a round and the destination's can start in the middle of one. So: text
 * outside a BEGIN..END frame is noise, a trailing unfinished round is dropped, and a round
 * that is framed but damaged (a malformed line, a count that does not match) is an error
 * naming the line: that can only mean the probe or the transport is broken.
 */
import { CpuidDump } from '../../../core/cpuid.js';
import { InputError } from '../../../core/errors.js';

/** One complete round: every (leaf, subleaf) answer, in a dump of format `probe`. */
export interface ProbeRound {
  readonly round: number;
  readonly dump: CpuidDump;
  /** 1-based line of the round's BEGIN in the serial text. */
  readonly line: number;
}

export interface SerialParse {
  readonly rounds: readonly ProbeRound[];
  /** Lines outside any frame (firmware output), ANSI escapes removed. */
  readonly noise: readonly string[];
  /** True when the text ends inside a round (cut off, or still running). */
  readonly unfinished: boolean;
}

const BEGIN = 'OPENEVC-PROBE BEGIN ';
const END = 'OPENEVC-PROBE END ';
const HEX8 = '([0-9A-F]{8})';
const CPUID_LINE = new RegExp(`^CPUID ${HEX8} ${HEX8} ${HEX8} ${HEX8} ${HEX8} ${HEX8}$`);
const BEGIN_LINE = new RegExp(`^${BEGIN}${HEX8}$`);
const END_LINE = new RegExp(`^${END}${HEX8} ${HEX8}$`);
// CSI sequences (ESC [ ... final byte) and two-byte escapes (ESC c, ESC 7...): SeaBIOS clears the screen with them.
// eslint-disable-next-line no-control-regex -- removing terminal control sequences is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_a-z0-9=>]/g;

/**
 * Parses the probe's serial output. `label` names the stream in errors (e.g. the `-cpu`
 * string) and becomes each dump's label.
 */
export function parseProbeSerial(text: string, label: string): SerialParse {
  const lines = text.replace(ANSI, '').split('\n');
  // The last piece has no newline (it is '' when the text ends with one): it may be a line the
  // guest is still writing, so it is never parsed.
  const complete = lines.length - 1;
  const rounds: ProbeRound[] = [];
  const noise: string[] = [];
  let current: { round: number; line: number; dump: CpuidDump; count: number } | undefined;
  const where = (i: number) => ({ file: label, line: i + 1 });
  for (let i = 0; i < complete; i++) {
    const line = lines[i]!.replace(/\r$/, '').replace(/^\r+/, '');
    const at = line.indexOf(BEGIN);
    if (at >= 0) {
      // Firmware output may precede BEGIN on the same line; a BEGIN inside an open round means
      // that round was cut short (the guest restarted): that is damage, not noise.
      if (current) {
        const open = current.round.toString(16).toUpperCase().padStart(8, '0');
        throw new InputError(where(i), `"${END}${open} <count>" closing the round begun on line ${current.line}`, line);
      }
      if (at > 0) noise.push(line.slice(0, at));
      const m = BEGIN_LINE.exec(line.slice(at));
      if (!m) throw new InputError(where(i), `"${BEGIN}<round as 8 hex digits>"`, line.slice(at));
      current = { round: parseInt(m[1]!, 16), line: i + 1, dump: new CpuidDump({ format: 'probe', lossy: false, label }), count: 0 };
      continue;
    }
    if (line.trim().length === 0) continue;
    if (!current) {
      noise.push(line);
      continue;
    }
    const cpuid = CPUID_LINE.exec(line);
    if (cpuid) {
      const [leaf, subleaf, eax, ebx, ecx, edx] = cpuid.slice(1).map((h) => parseInt(h, 16)) as [number, number, number, number, number, number];
      current.dump.set(leaf, subleaf, { eax, ebx, ecx, edx });
      current.count++;
      continue;
    }
    const end = END_LINE.exec(line);
    if (end) {
      const round = parseInt(end[1]!, 16);
      const count = parseInt(end[2]!, 16);
      if (round !== current.round) throw new InputError(where(i), `the end of round ${current.round} (begun on line ${current.line})`, line);
      if (count !== current.count) throw new InputError(where(i), `${count} CPUID lines in round ${round} as its END line says`, `${current.count}`);
      rounds.push({ round: current.round, dump: current.dump, line: current.line });
      current = undefined;
      continue;
    }
    throw new InputError(where(i), 'a probe line "CPUID <leaf> <subleaf> <eax> <ebx> <ecx> <edx>" (8 hex digits each) or its END line', line);
  }
  return { rounds, noise, unfinished: current !== undefined || (lines[complete] ?? '').includes(BEGIN) };
}
