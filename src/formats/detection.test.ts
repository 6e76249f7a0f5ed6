/**
 * Detection of the formats in src/formats against every fixture of every other format: each new
 * reader claims its own fixtures and no one else's.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './readers.js';
import { readerFixtures } from '../test-support/fixtures.js';

const ROOT = join(import.meta.dirname, '..');
const NEW_FORMATS: Record<string, string> = {
  'virsh-capabilities': join(ROOT, 'formats', 'virsh-capabilities', 'fixtures'),
  'virsh-domcapabilities': join(ROOT, 'formats', 'virsh-domcapabilities', 'fixtures'),
  qmp: join(ROOT, 'formats', 'qmp', 'fixtures'),
};

/** Input fixtures only: expected outputs (goldens) are not inputs. */
function inputs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !/\.(expected\.txt|usable\.txt|txt\.expected)$/.test(f) && !f.endsWith('.expected.json'))
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile());
}

function detected(path: string): string {
  try {
    return detectFormat(readFileSync(path, 'utf8'), path);
  } catch {
    return '(none)';
  }
}

describe('detection of the src/formats readers', () => {
  const others = ['cpuid-r', 'instlatx64', 'libcpuid', 'libvirt', 'libvirt-cpu', 'openevc-json', 'proc-cpuinfo', 'vmware-log'].flatMap((f) => inputs(readerFixtures(f)));
  it('no fixture of an older format is taken for a new one', () => {
    expect(others.length).toBeGreaterThan(20);
    // libvirt-cpu's own fixtures include whole virsh documents, which the new readers now claim.
    const virshDocuments: Record<string, string> = { 'capabilities.xml': 'virsh-capabilities', 'domcapabilities.xml': 'virsh-domcapabilities' };
    for (const p of others) {
      const name = p.split('/').pop()!;
      if (p.includes('/libvirt/fixtures/cpu/') && virshDocuments[name]) expect(detected(p), p).toBe(virshDocuments[name]);
      else expect(Object.keys(NEW_FORMATS), p).not.toContain(detected(p));
    }
  });

  for (const [format, dir] of Object.entries(NEW_FORMATS)) {
    it(`${format}: claims its own fixtures that are valid, and no other new format's`, () => {
      for (const p of inputs(dir)) {
        if (/error|no-host-model/.test(p)) continue; // fixtures of refused input
        expect(detected(p), p).toBe(format);
      }
      for (const [other, otherDir] of Object.entries(NEW_FORMATS)) {
        if (other === format) continue;
        for (const p of inputs(otherDir)) expect(detected(p), p).not.toBe(format);
      }
    });
  }
});
