import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minimalTarget } from '../../core/target.js';
import { getProfile } from '../../core/profiles.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { syntheticHost } from '../../test-support/hosts.js';
import { TARGET_CASES, caseTarget } from '../../test-support/targets.js';
import { featMaskSettings } from '../featmask/writer.js';
import { jsonExporter } from './writer.js';
import { vmxSettings } from '../vmx/writer.js';
import { xenSettings } from '../xen/writer.js';

const FIX = join(import.meta.dirname, 'fixtures');

describe('json exporter', () => {
  for (const name of ['seed002-minimal', 'seed002-westmere', 'same-host']) {
    it(`${name}: golden`, () => {
      const c = TARGET_CASES.find((x) => x.name === name)!;
      expectGolden(jsonExporter.render(caseTarget(c, jsonExporter.defaultProfile)).text, join(FIX, `${name}.json`));
    });
  }

  it('holds everything: the target, each host\'s losses, advisory hides, and the rendered VMware and Xen lines', () => {
    const t = caseTarget(TARGET_CASES[0]!, 'esxi');
    const json = JSON.parse(jsonExporter.render(t).text);
    expect(Object.keys(json)).toEqual([
      'target', 'profile', 'nested', 'vendor_id', 'mode', 'hosts', 'features', 'hidden', 'advisory', 'masked', 'vmware', 'vmware_refused', 'xen', 'diagnostics',
    ]);
    expect(json.target).toBe('minimal');
    expect(json.profile).toBe('esxi');
    expect(json.hosts.map((h: { path: string; hidden: string[] }) => [h.path, h.hidden])).toEqual([
      ['examples/seed-002/host-a-atom-c2750.json', ['movbe', '3dnowprefetch']],
      ['examples/seed-002/host-b-core-i7-3770.json', ['pcid', 'xsave', 'avx', 'f16c', 'fsgsbase', 'xsave_sse', 'xsave_ymm', 'xsaveopt']],
    ]);
    expect(json.features).toEqual(t.features.ids());
    expect(json.advisory).toEqual(['movbe', 'xsaveopt', '3dnowprefetch']);
    expect(json.vmware.vmx).toEqual(vmxSettings(t).lines);
    expect(json.vmware.featmask).toEqual(featMaskSettings(t).lines);
    expect(json.xen.legacy).toBe(xenSettings(t).lines.legacy);
    // The advisory warning is in the JSON, not only on standard error.
    expect(json.diagnostics[0]).toEqual({ level: 'warning', message: expect.stringContaining('hiding is advisory for MOVBE (movbe)') });
    expect(json.hidden[0]).toEqual({ id: 'pcid', name: 'PCID', leaf: 1, subleaf: 0, reg: 'ecx', bit: 17, enforcement: 'enforced' });
  });

  it('for hosts of mixed vendors: no VMware lines, and why', () => {
    const t = minimalTarget(
      [
        syntheticHost({ vendor: 'GenuineIntel', signature: 0x306a9, ids: ['sse2', 'lm', 'aes'], path: 'i' }),
        syntheticHost({ vendor: 'AuthenticAMD', signature: 0x800f12, ids: ['sse2', 'lm'], path: 'a' }),
      ],
      { profile: getProfile('kvm') },
    );
    const json = JSON.parse(jsonExporter.render(t).text);
    expect(json.vmware).toBeNull();
    expect(json.vmware_refused).toContain('these hosts mix CPU vendors');
    expect(json.vendor_id).toBeNull();
    expect(json.xen.legacy).toContain('1:ecx=');
  });
});
