import { describe, expect, it } from 'vitest';
import { findModel } from '../../core/models.js';
import { definitionMeaning, describeKvmGoldens, expressible, kvmTargets } from '../../test-support/kvm-targets.js';
import { pythonWithYaml, runPython, skipWithout } from '../../test-support/tools.js';
import { planKvmCpu } from '../common/kvm-cpu.js';
import { novaExporter } from './writer.js';

describeKvmGoldens(novaExporter);

/** Python's configparser, as nova.conf's INI dialect stand-in: every section and option, as JSON. */
const READ_INI = `
import configparser, json, sys
c = configparser.ConfigParser(interpolation=None, strict=True)
c.read_string(sys.stdin.read())
print(json.dumps({s: dict(c[s]) for s in c.sections()}))
`;

describe.skipIf(skipWithout('python3', pythonWithYaml === undefined, 'apt-get install python3-yaml'))("nova exporter read by Python's configparser (needs python3)", () => {
  it('is one [libvirt] section: cpu_mode custom, one model, and extra flags that give exactly the target', () => {
    for (const t of kvmTargets()) {
      const ini = JSON.parse(runPython(READ_INI, novaExporter.render(t.target).text)) as Record<string, Record<string, string>>;
      expect(Object.keys(ini), t.name).toEqual(['libvirt']);
      const s = ini.libvirt!;
      expect(s.cpu_mode, t.name).toBe('custom');
      const models = s.cpu_models!.split(',').map((m) => m.trim());
      expect(models, t.name).toEqual([planKvmCpu(t.target, 'libvirt').model.name]);
      expect(findModel(models[0]!)?.isVersioned, t.name).toBe(false);
      const flags = (s.cpu_model_extra_flags ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const meaning = definitionMeaning(models[0]!, flags.map((f) => (f.startsWith('-') ? { name: f.slice(1), on: false } : { name: f, on: true })), 'libvirt');
      const want = expressible(t.target, 'libvirt');
      expect(meaning.minus(want).ids(), `${t.name}: beyond the target`).toEqual([]);
      expect(want.minus(meaning).ids(), `${t.name}: missing from the target`).toEqual([]);
    }
  });

  it('the reader is strict: a duplicate option is an error', () => {
    expect(() => runPython(READ_INI, '[libvirt]\ncpu_mode = custom\ncpu_mode = none\n')).toThrow(/DuplicateOptionError/);
  });
});
