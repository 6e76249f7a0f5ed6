/**
 * docs/collect.md: every example output it names exists and is read as the format it says, with
 * at least one host (fleet exports) or CPUID leaves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInput } from '../node/load.js';
import { REPO_ROOT } from '../test-support/shared.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'collect.md'), 'utf8');
const named = [...doc.matchAll(/\[`([^`]+)`\]\(\.\.\/([^)]+)\) \(read as `([^`]+)`\)/g)].map((m) => ({ path: m[1]!, link: m[2]!, format: m[3]! }));

describe('docs/collect.md', () => {
  it('names an example output for every platform section', () => {
    expect(named.length).toBeGreaterThanOrEqual(18);
    for (const section of ['govc', 'PowerCLI', 'RVTools', 'libvirt', 'Proxmox', 'OpenStack', 'KubeVirt', 'Xen']) expect(doc).toContain(section);
    for (const n of named) expect(n.link).toBe(n.path);
  });

  it.each(named.map((n) => [n.path, n] as const))('%s is read as the format the page says', async (_, n) => {
    const r = await loadInput(join(REPO_ROOT, n.path));
    expect(r.format).toBe(n.format);
    if (r.fleet) expect(r.fleet.hosts.length + r.fleet.clusters.length + r.fleet.vms.length + (r.fleet.evcModes?.length ?? 0)).toBeGreaterThan(0);
    else expect(r.dump.size).toBeGreaterThan(0);
  });
});
