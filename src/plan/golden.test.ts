/** Golden files for what plan, diff and the risk report print (OPENEVC_UPDATE_GOLDEN=1 rewrites them; review the diff). */
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { expectGolden } from '../test-support/expect-golden.js';
import { REPO_ROOT } from '../test-support/shared.js';

const dir = join(REPO_ROOT, 'src', 'plan', 'fixtures', 'golden');
const CASES: [string, string[]][] = [
  ['seed-000.add-host.txt', ['plan', 'examples/inventory/seed-000.yaml', '--what-if', 'add host esx-04 to prod']],
  ['seed-000.add-host.md', ['plan', 'examples/inventory/seed-000.yaml', '--what-if', 'add host esx-04 to prod', '--md']],
  ['seed-000.add-host.json', ['plan', 'examples/inventory/seed-000.yaml', '--what-if', 'add host esx-04 to prod', '--json']],
  ['seed-000.add-host.govc.sh', ['plan', 'examples/inventory/seed-000.yaml', '--what-if', 'add host esx-04 to prod', '--script', 'govc']],
  ['seed-000.add-host.powercli.ps1', ['plan', 'examples/inventory/seed-000.yaml', '--what-if', 'add host esx-04 to prod', '--script', 'powercli']],
  ['seed-000.enable-refused.txt', ['plan', 'examples/inventory/seed-000.yaml', '--what-if', 'enable intel-merom', '--no-map']],
  ['seed-000.risk-merom.txt', ['plan', 'examples/inventory/seed-000.yaml', '--no-map', '--risk', 'intel-merom']],
  ['seed-002.txt', ['plan', 'examples/inventory/seed-002.yaml']],
  ['seed-002.power-cycle.txt', ['plan', 'examples/inventory/seed-002.yaml', '--what-if', 'power-cycle lab-vm', '--what-if', 'vmotion lab-vm host-a']],
  ['diff.seed-002.txt', ['diff', 'examples/seed-002/host-a-atom-c2750.json', 'examples/seed-002/host-b-core-i7-3770.json']],
];

describe('plan and diff outputs (golden)', () => {
  for (const [file, args] of CASES) {
    it(`openevc ${args.join(' ')}`, async () => {
      const r = await runCli(...args);
      expectGolden(r.stdout, join(dir, file));
    });
  }
});
