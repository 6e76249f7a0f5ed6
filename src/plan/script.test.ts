/** The --script output, run against stub govc and pwsh commands that record the calls. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';

const SEED000 = 'examples/inventory/seed-000.yaml';

function stubDir(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'openevc-stub-'));
  const log = join(dir, 'calls.log');
  // govc: one line per call, its arguments as given.
  writeFileSync(join(dir, 'govc'), `#!/bin/sh\nprintf '%s\\n' "govc $*" >> '${log}'\n`);
  // pwsh -File X: records every command line of the script (PowerCLI is not here; the calls are what is checked).
  writeFileSync(join(dir, 'pwsh'), `#!/bin/sh\n[ "$1" = -File ] || exit 64\ngrep -E '^[A-Z][a-z]+-[A-Za-z]+ ' "$2" >> '${log}'\n`);
  chmodSync(join(dir, 'govc'), 0o755);
  chmodSync(join(dir, 'pwsh'), 0o755);
  return { dir, log };
}

const ORDER = [
  'power off mail-01', 'power off web-01', 'power off db-01', 'power off app-01', 'power off file-01',
  'power on mail-01', 'power on web-01', 'power on db-01', 'power on app-01', 'power on file-01',
  'add esx-04', 'migrate mail-01 esx-04', 'migrate web-01 esx-04', 'migrate db-01 esx-04', 'migrate app-01 esx-04', 'migrate file-01 esx-04',
  'maintenance esx-01', 'remove esx-01', 'maintenance esx-02', 'remove esx-02', 'maintenance esx-03', 'remove esx-03',
  'power off mail-01', 'power on mail-01', 'power off web-01', 'power on web-01', 'power off db-01', 'power on db-01', 'power off app-01', 'power on app-01', 'power off file-01', 'power on file-01',
];

describe('plan --script (seed 000)', () => {
  it('govc: a POSIX script whose calls carry out the plan in order', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'add host esx-04 to prod', '--script', 'govc');
    expect(r.code).toBe(0);
    const { dir, log } = stubDir();
    writeFileSync(join(dir, 'plan.sh'), r.stdout);
    const out = execFileSync('sh', [join(dir, 'plan.sh')], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ESX_USER: 'root', ESX_PASSWORD: 'x' }, input: '', encoding: 'utf8' });
    expect(out).toContain('set EVC mode intel-merom on cluster prod now');
    expect(out).toContain('set EVC mode intel-penryn on cluster prod now');
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const norm = calls.map((c) =>
      c
        .replace(/^govc vm\.power -(off|on) (.*)$/, 'power $1 $2')
        .replace(/^govc cluster\.add -cluster prod -hostname (\S+) .*$/, 'add $1')
        .replace(/^govc vm\.migrate -host (\S+) (\S+)$/, 'migrate $2 $1')
        .replace(/^govc host\.maintenance\.enter (\S+)$/, 'maintenance $1')
        .replace(/^govc host\.remove (\S+)$/, 'remove $1'),
    );
    expect(norm).toEqual(ORDER);
    expect(calls[10]).toBe('govc cluster.add -cluster prod -hostname esx-04 -username root -password x -noverify');
  });

  it('PowerCLI: the same calls, with the EVC changes as Set-Cluster -EVCMode', async () => {
    const r = await runCli('plan', SEED000, '--what-if', 'add host esx-04 to prod', '--script', 'powercli');
    const { dir, log } = stubDir();
    writeFileSync(join(dir, 'plan.ps1'), r.stdout);
    execFileSync(join(dir, 'pwsh'), ['-File', join(dir, 'plan.ps1')]);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const norm = calls
      .filter((c) => !c.startsWith('Set-Cluster'))
      .map((c) =>
        c
          .replace(/^Stop-VM -VM '(.*)' -Confirm:\$false$/, 'power off $1')
          .replace(/^Start-VM -VM '(.*)'$/, 'power on $1')
          .replace(/^Add-VMHost -Name '(\S+)' -Location \(Get-Cluster 'prod'\).*$/, 'add $1')
          .replace(/^Move-VM -VM '(\S+)' -Destination \(Get-VMHost '(\S+)'\)$/, 'migrate $1 $2')
          .replace(/^Set-VMHost -VMHost '(\S+)' -State Maintenance$/, 'maintenance $1')
          .replace(/^Remove-VMHost -VMHost '(\S+)' -Confirm:\$false$/, 'remove $1'),
      );
    expect(norm).toEqual(ORDER);
    expect(calls.filter((c) => c.startsWith('Set-Cluster'))).toEqual([
      "Set-Cluster -Cluster 'prod' -EVCMode 'intel-merom' -Confirm:$false",
      "Set-Cluster -Cluster 'prod' -EVCMode 'intel-penryn' -Confirm:$false",
    ]);
    expect(calls.indexOf("Set-Cluster -Cluster 'prod' -EVCMode 'intel-merom' -Confirm:$false")).toBe(5);
  });
});
