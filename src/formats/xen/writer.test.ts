import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { MaskBuilder } from '../../core/masks/engine.js';
import { parseXenCpuid, xenToCpuidMask } from './syntax.js';
import { minimalTarget } from '../../core/target.js';
import { getProfile } from '../../core/profiles.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { syntheticHost } from '../../test-support/hosts.js';
import { TARGET_CASES, caseTarget, describeExport, effectiveGuest } from '../../test-support/targets.js';
import { hidePlan } from '../common/hide.js';
import { xenExporter, xenSettings } from './writer.js';

const FIX = join(import.meta.dirname, 'fixtures', 'writer');

describe('xen exporter', () => {
  for (const c of TARGET_CASES) {
    it(`${c.name}: golden`, () => {
      expectGolden(describeExport(xenExporter.render(caseTarget(c, xenExporter.defaultProfile))), join(FIX, `${c.name}.txt`));
    });
  }

  it('both forms read back through the project\'s xl.cfg parser as exactly the hidden bits (every case, raw and esxi)', () => {
    for (const profile of ['raw', 'esxi']) {
      for (const c of TARGET_CASES) {
        const t = caseTarget(c, profile);
        const expected = new MaskBuilder();
        for (const f of hidePlan(t).hide) if (f.loc.type === 'cpuid') expected.set(f.loc, '0');
        const text = xenExporter.render(t).text;
        const legacy = text.split('\n').find((l) => l.startsWith('cpuid = ['));
        if (hidePlan(t).hide.isEmpty) {
          expect(legacy, c.name).toBeUndefined();
          continue;
        }
        // The whole output is a valid xl.cfg fragment: comments skipped, the cpuid setting found.
        expect(xenToCpuidMask(parseXenCpuid(text, c.name)).equals(expected.build()), `${profile} ${c.name}`).toBe(true);
        const libxl = text.split('\n').find((l) => l.startsWith('# or, in libxl syntax: '));
        if (libxl) {
          const x = parseXenCpuid(libxl.slice('# or, in libxl syntax: '.length), c.name);
          expect(x.syntax).toBe('libxl');
          expect(xenToCpuidMask(x).equals(expected.build()), `${profile} ${c.name} (libxl)`).toBe(true);
        }
      }
    }
  });

  it('applied on every host, gives each the target\'s features (raw profile)', () => {
    for (const c of TARGET_CASES) {
      const t = caseTarget(c, 'raw');
      const x = xenSettings(t);
      if (!x.legacy) continue;
      const mask = xenToCpuidMask(x.legacy);
      for (const h of t.hosts) expect(effectiveGuest(h, mask, t.profile).ids(), `${c.name}: ${h.dump.source.path}`).toEqual(t.features.ids());
    }
  });

  it('writes a subleaf for leaves that have them, none for those that do not, and clears bits on any subleaf', () => {
    const text = xenExporter.render(caseTarget(TARGET_CASES.find((c) => c.name === 'subleaf')!, 'raw')).text;
    expect(text).toContain('"7,1:eax=xxxxxxxxxxxxxxxxxxxxx0xxxxx0xxxx"');
    expect(text).toContain('# or, in libxl syntax: cpuid = "host,avx_vnni=0,fzrm=0"');
  });

  it('leaves the libxl form out when a hidden feature has no Xen name, and says why', () => {
    const t = caseTarget(TARGET_CASES[0]!, 'raw');
    const x = xenSettings(t);
    expect(x.lines.libxl).toBeUndefined();
    expect(x.diagnostics.map((d) => d.message).join('\n')).toContain('Xen has no name for');
  });

  it('warns when the hosts mix vendors', () => {
    const ids = ['sse2', 'lm', catalog.require('aes').id];
    const t = minimalTarget(
      [syntheticHost({ vendor: 'GenuineIntel', signature: 0x306a9, ids, path: 'i' }), syntheticHost({ vendor: 'AuthenticAMD', signature: 0x800f12, ids: ['sse2', 'lm'], path: 'a' })],
      { profile: getProfile('raw') },
    );
    expect(xenSettings(t).diagnostics[0]!.message).toContain('Xen does not support live migration between Intel and AMD hosts');
  });
});
