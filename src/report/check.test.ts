import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMigration } from '../core/check.js';
import { REPO_ROOT } from '../test-support/shared.js';
import { decodeHostsText } from './api/decode.js';
import { renderCheck } from './check.js';
import { renderHost } from './show.js';

describe('openevc check, the text report', () => {
  it('names a flags-only host by the CPU model its input names, and says it rests on flags', () => {
    const file = 'examples/fleet/kubevirt-nodes.json';
    const [a, b] = decodeHostsText(readFileSync(join(REPO_ROOT, file), 'utf8'), { file }).hosts;
    const text = renderCheck(checkMigration(a!.decoded, b!.decoded), { from: a!.file, to: b!.file });
    expect(text).toMatch(/from {2}examples\/fleet\/kubevirt-nodes\.json#kv-01: GenuineIntel {2}\(model Skylake-Server-IBRS, EVC up to intel-skylake\?, flags only\)/);
    expect(text).not.toContain('unknown microarchitecture');
    // openevc show says the same of it.
    expect(renderHost(a!.decoded, { file: a!.file, format: a!.format, cpus: 1, diagnostics: [] }, { long: false })).toContain('Microarch     unknown (the input names CPU model Skylake-Server-IBRS)');
  });
});
