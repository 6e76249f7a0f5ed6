import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';

/** The model name each output writes, read back from its own syntax. */
const READERS: Record<string, (text: string) => string | undefined> = {
  qemu: (t) => /^-cpu ([^,\s]+)/m.exec(t)?.[1],
  libvirt: (t) => /<model[^>]*>([^<]+)<\/model>/.exec(t)?.[1],
  proxmox: (t) => /reported-model (\S+)/.exec(t)?.[1],
  nova: (t) => /^cpu_models = (\S+)/m.exec(t)?.[1],
  kubevirt: (t) => /model: (\S+)/.exec(t)?.[1],
};

describe('one spelling per QEMU model across commands and formats', () => {
  for (const [fleet, name, version] of [
    ['examples/cluster', 'Haswell-noTSX', 'Haswell-v2'],
    ['examples/amd', 'EPYC', 'EPYC-v1'],
  ] as const) {
    it(`${fleet}: baseline and mask --format qemu|libvirt|proxmox|nova|kubevirt all write ${name}; JSON and --long give ${version}`, async () => {
      const j = JSON.parse((await runCli('baseline', fleet, '--json')).stdout);
      expect(j.qemu.model).toBe(name);
      expect(j.qemu.version).toBe(version);
      for (const [format, read] of Object.entries(READERS)) {
        const r = await runCli('mask', '--format', format, fleet);
        expect(r.code, `${format}: ${r.stderr}`).toBe(0);
        expect(read(r.stdout), format).toBe(name);
      }
      expect((await runCli('mask', '--format', 'qemu', fleet)).stderr).toContain(`model ${name} is QEMU's ${version}`);
      expect((await runCli('baseline', fleet, '--long')).stdout).toContain(`QEMU resolves it to ${version}`);
    });
  }
});
