import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { fidelityOf } from '../../core/cpuid.js';
import { importText } from '../readers.js';
import { expectGolden, renderImport } from '../../test-support/expect-golden.js';
import { fixtureDir } from '../../test-support/fleet.js';
import { expectFastOnPathologicalInput, expectRobustAgainstDamage, inputErrorMessage, mutatedText } from '../../test-support/text-mutations.js';
import { xenCpuidImporter } from './reader.js';

const DIR = fixtureDir('xen-cpuid');
const text = readFileSync(join(DIR, 'xen-cpuid-p.txt'), 'utf8');

describe('xen-cpuid -p reader', () => {
  it('reads the Host policy as raw CPUID, as its golden file says', () => {
    const r = importText(text, { file: 'xen.txt' });
    expect(r.format).toBe('xen-cpuid');
    expect(fidelityOf(r.dump.source)).toBe('cpuid');
    expectGolden(renderImport(r), join(DIR, 'xen-cpuid-p.golden.txt'));
  });

  it('takes the Host policy (Xen keeps MONITOR for itself), subleaf ffffffff as subleaf 0, MSRs too', () => {
    const r = importText(text, { file: 'xen.txt' });
    const bits = catalog.decode(r.dump);
    expect(bits.has('monitor')).toBe(false);
    expect(bits.has('avx512_vnni')).toBe(true);
    expect(r.dump.get(1)?.eax).toBe(0x00050656);
    expect(r.dump.msrs.get(0x10a)).toBe(0x2bn);
    const raw = importText(text.replace(/^Host policy/m, 'Other policy'), { file: 'xen.txt' });
    expect(catalog.decode(raw.dump).has('monitor')).toBe(true); // no Host policy: the Raw one
  });

  it('refuses damaged lines with file and line', () => {
    expect(inputErrorMessage(() => importText(text.replace('00000001:ffffffff -> 00050656', '00000001:ffffffff -> 0005065'), { file: 'x.txt' }))).toMatch(/^x\.txt:6: expected a CPUID leaf line/);
    expect(inputErrorMessage(() => importText('Host policy: 0 leaves, 0 MSRs\n CPUID:\n', { file: 'e.txt', format: 'xen-cpuid' }))).toBe("e.txt:1: expected CPUID leaves under 'Host policy', found \"none\"");
  });

  it('property: damaged output imports or fails with a located InputError, never a crash', () => {
    expectRobustAgainstDamage(xenCpuidImporter, mutatedText(text), 'in.txt', 300);
  });

  it('stays fast on pathological input', () => {
    expectFastOnPathologicalInput(xenCpuidImporter, ['Host policy: 1 leaves, 0 MSRs\n CPUID:\n', ''], 'p.txt');
  });
});
