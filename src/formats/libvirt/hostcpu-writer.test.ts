import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { builtinModels, expandModel } from '../../core/models.js';
import { readLibvirtCpuDefinitions, readLibvirtCpus } from './cpu-reader.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { toVirshHostCpuXml } from './hostcpu-writer.js';

const westmere = { features: expandModel('Westmere').add('invtsc').add('xsave_x87'), vendor: 'intel' as const };
const nehalem = { features: expandModel('Nehalem'), vendor: 'intel' as const };

describe('host-form <cpu> XML for virsh', () => {
  it('writes one <cpu> per CPU, 486 first and pentium after, features by libvirt name (golden)', () => {
    expectGolden(toVirshHostCpuXml([westmere, nehalem]), join(import.meta.dirname, 'fixtures', 'westmere-nehalem.virsh.xml'));
  });

  it('writes a single CPU twice, so that libvirt does not keep its placeholder model', () => {
    expect(readLibvirtCpuDefinitions(toVirshHostCpuXml([westmere]), 'x').map((d) => d.model)).toEqual(['486', 'pentium']);
  });

  it('reads back as the same CPUs (plus the placeholder model), without the features libvirt has no name for', () => {
    const back = readLibvirtCpus(toVirshHostCpuXml([westmere, nehalem]), 'x');
    const known = builtinModels().known;
    expect(back[0]!.features.ids()).toEqual(westmere.features.intersection(known).union(expandModel('486')).ids());
    expect(back[1]!.features.ids()).toEqual(nehalem.features.union(expandModel('pentium')).ids());
    expect(back.map((c) => c.vendor)).toEqual(['intel', 'intel']);
  });

  it('leaves out names the target libvirt does not know, and the vendor it has no name for', () => {
    const xml = toVirshHostCpuXml([{ features: catalog.setOf(['sse2', 'avx512f']), vendor: 'zhaoxin' }], { knownNames: new Set(['sse2']) });
    expect(xml).toContain("<feature name='sse2'/>");
    expect(xml).not.toContain('avx512f');
    expect(xml).not.toContain('<vendor>');
  });
});
