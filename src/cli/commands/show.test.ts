import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';

const FIX = 'src/cli/commands/fixtures/check';

describe('openevc show: EVC', () => {
  it('prints the highest EVC mode, and why there is none', async () => {
    expect((await runCli('show', `${FIX}/penryn-class.json`)).stdout).toMatch(/\n {2}Max EVC mode {2}intel-penryn {2}\(Intel "Penryn" Generation \(Xeon 45 nm Core 2\)\)\n/);
    expect((await runCli('show', `${FIX}/opteron-gen3.json`)).stdout).toContain('  Max EVC mode  amd-greyhound  (AMD Opteron Generation 3)');
  });

  it('adds "evc": {"max": ...} to the JSON summary', async () => {
    const json = JSON.parse((await runCli('show', `${FIX}/merom-class.json`, '--json')).stdout);
    expect(json.evc).toEqual({ max: 'intel-merom' });
  });
});
