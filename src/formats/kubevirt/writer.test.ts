import { describe, expect, it } from 'vitest';
import { libvirtVendorName } from '../../core/models.js';
import { definitionMeaning, describeKvmGoldens, expressible, kvmTargets } from '../../test-support/kvm-targets.js';
import { pythonWithYaml, runPython, skipWithout } from '../../test-support/tools.js';
import { planKvmCpu, spell } from '../common/kvm-cpu.js';
import { kubevirtExporter, yamlScalar } from './writer.js';

describeKvmGoldens(kubevirtExporter);

describe('kubevirt exporter: YAML scalars', () => {
  it('quotes what YAML would read as something other than the same string', () => {
    expect(['vme', 'sse4.1', 'tsc-deadline', 'Haswell-noTSX', 'cpu-model.node.kubevirt.io/EPYC'].map(yamlScalar)).toEqual([
      'vme',
      'sse4.1',
      'tsc-deadline',
      'Haswell-noTSX',
      'cpu-model.node.kubevirt.io/EPYC',
    ]);
    expect(['486', '3dnow', 'on', 'No', 'null', "it's", ''].map(yamlScalar)).toEqual(["'486'", "'3dnow'", "'on'", "'No'", "'null'", "'it''s'", "''"]);
  });
});

/** PyYAML's safe loader: every document of the input, as JSON. */
const READ_YAML = `
import json, sys, yaml
print(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))
`;

interface CpuDoc {
  spec: { domain: { cpu: { model: unknown; features?: Array<Record<string, unknown>> } } };
}

describe.skipIf(skipWithout('python3 with PyYAML', pythonWithYaml === undefined, 'apt-get install python3-yaml'))('kubevirt exporter read by PyYAML (needs python3-yaml)', () => {
  it('is a VMI spec.domain.cpu with model and features giving exactly the target, then the node selector labels', () => {
    const texts = kvmTargets().map((t) => kubevirtExporter.render(t.target).text);
    // One Python run for all targets (the YAML texts joined as one stream, each starting a document).
    const docs = JSON.parse(runPython(READ_YAML, texts.map((x) => `---\n${x}`).join(''))) as unknown[];
    expect(docs).toHaveLength(2 * texts.length);
    kvmTargets().forEach((t, i) => {
      const cpu = (docs[2 * i] as CpuDoc).spec.domain.cpu;
      const plan = planKvmCpu(t.target, 'libvirt');
      expect(Object.keys((docs[2 * i] as CpuDoc).spec.domain), t.name).toEqual(['cpu']);
      expect(cpu.model, t.name).toBe(plan.model.name);
      const features = cpu.features ?? [];
      for (const f of features) {
        expect(Object.keys(f).sort(), t.name).toEqual(['name', 'policy']);
        expect(typeof f.name, t.name).toBe('string');
        expect(['require', 'disable'], t.name).toContain(f.policy);
      }
      const meaning = definitionMeaning(
        cpu.model as string,
        features.map((f) => ({ name: f.name as string, on: f.policy === 'require' })),
        'libvirt',
      );
      const want = expressible(t.target, 'libvirt');
      expect(meaning.minus(want).ids(), `${t.name}: beyond the target`).toEqual([]);
      expect(want.minus(meaning).ids(), `${t.name}: missing from the target`).toEqual([]);

      const selector = (docs[2 * i + 1] as { nodeSelector: Record<string, unknown> }).nodeSelector;
      expect(Object.values(selector).every((v) => v === 'true'), t.name).toBe(true);
      const vendor = libvirtVendorName(t.target.vendor);
      expect(Object.keys(selector).sort(), t.name).toEqual(
        [
          `cpu-model.node.kubevirt.io/${plan.model.name}`,
          ...plan.require.map((f) => `cpu-feature.node.kubevirt.io/${spell(f, 'libvirt')}`),
          ...(vendor ? [`cpu-vendor.node.kubevirt.io/${vendor}`] : []),
        ].sort(),
      );
    });
  });

  it('the reader is strict: a tab-indented document is an error', () => {
    expect(() => runPython(READ_YAML, 'spec:\n\tdomain: {}\n')).toThrow(/ScannerError|found character '\\t'/);
  });
});
