/**
 * Detection across every input format's fixtures: each fleet format claims its own fixtures and no
 * other format's, and no other format claims them (no false detection either way).
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, importerFor } from './readers.js';
import { inputFixtures } from '../test-support/fleet.js';

const NEW_FORMATS = ['govc', 'powercli', 'rvtools', 'vcenter-evc', 'kubevirt-nodes', 'xen-cpuid'];
const all = inputFixtures();

describe('new formats: detection against every format fixture', () => {
  it('has fixtures for every new format and for the older formats', () => {
    for (const f of NEW_FORMATS) expect(all.some((x) => x.format === f), f).toBe(true);
    expect(all.filter((x) => !NEW_FORMATS.includes(x.format)).length).toBeGreaterThan(20);
  });

  it.each(all.filter((x) => NEW_FORMATS.includes(x.format)).map((x) => [x.path.split('/').slice(-3).join('/'), x] as const))('%s is detected as its own format', (_, x) => {
    expect(detectFormat(x.text, x.path)).toBe(x.format);
  });

  it.each(NEW_FORMATS)("%s claims no other format's fixture", (format) => {
    const importer = importerFor(format)!;
    for (const x of all.filter((y) => y.format !== format)) {
      expect(importer.sniff(x.text.slice(0, 64 * 1024)), `${format} sniffing ${x.path}`).toBeLessThan(0.2);
    }
  });

  it("other formats' fixtures are never detected as a new format", () => {
    for (const x of all.filter((y) => !NEW_FORMATS.includes(y.format))) {
      let got: string | undefined;
      try {
        got = detectFormat(x.text, x.path);
      } catch {
        got = undefined; // some fixtures are deliberately ambiguous or partial; they must simply not be ours
      }
      expect(NEW_FORMATS.includes(got ?? ''), `${x.path} detected as ${got}`).toBe(false);
    }
  });
});
