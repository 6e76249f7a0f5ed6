/**
 * Properties of `check` and EVC support over every real dump of the InstLatx64 corpus (read from
 * ../shared): a migration to the same host always works, compatibility chains compose, and each
 * host supports its maximum EVC mode and every mode below it on the same track.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMigration } from './check.js';
import { builtinEvcModes, hostMaxEvcMode } from './evc.js';
import { decodeHost } from './host.js';
import type { Host } from './host.js';
import { getProfile, guestFeatures, profileIds } from './profiles.js';
import { loadInput } from '../node/load.js';
import { hasShared, shared } from '../test-support/shared.js';

describe.skipIf(!hasShared)('check and EVC over the InstLatx64 corpus (needs ../shared)', () => {
  const hosts: { name: string; host: Host }[] = [];

  beforeAll(async () => {
    const root = shared('oracle', 'instlatx64');
    for (const vendor of readdirSync(root, { withFileTypes: true })) {
      if (!vendor.isDirectory()) continue;
      for (const file of readdirSync(`${root}/${vendor.name}`).sort()) {
        hosts.push({ name: file, host: decodeHost((await loadInput(`${root}/${vendor.name}/${file}`)).dump) });
      }
    }
  });

  it('reads the whole corpus', () => {
    expect(hosts.length).toBeGreaterThanOrEqual(100);
  });

  it('check(A, A) is compatible under every profile', () => {
    for (const profile of profileIds()) {
      const view = getProfile(profile);
      for (const { name, host } of hosts) expect(checkMigration(host, host, { profile: view }).compatible, `${profile}: ${name}`).toBe(true);
    }
  });

  it('compatibility composes: check(A, B) and check(B, C) compatible ⇒ check(A, C) compatible (esxi and raw)', () => {
    for (const profile of ['esxi', 'raw']) {
      const view = getProfile(profile);
      const ok = hosts.map((a) => hosts.map((b) => checkMigration(a.host, b.host, { profile: view }).compatible));
      let chains = 0;
      for (let a = 0; a < hosts.length; a++) {
        for (let b = 0; b < hosts.length; b++) {
          if (!ok[a]![b]) continue;
          for (let c = 0; c < hosts.length; c++) {
            if (!ok[b]![c]) continue;
            chains++;
            if (!ok[a]![c]) expect.fail(`${profile}: ${hosts[a]!.name} → ${hosts[b]!.name} → ${hosts[c]!.name} but not ${hosts[a]!.name} → ${hosts[c]!.name}`);
          }
        }
      }
      // Not only the trivial chains through identical hosts.
      expect(chains, profile).toBeGreaterThan(hosts.length * 3);
    }
  });

  it('every host supports its maximum EVC mode and every mode below it on the same track', () => {
    const esxi = getProfile('esxi');
    let withMode = 0;
    for (const { name, host } of hosts) {
      const max = hostMaxEvcMode(host);
      if (!max) continue;
      withMode++;
      const guest = guestFeatures(host, esxi);
      expect(builtinEvcModes().supports(guest, max), name).toBe(true);
      const byTrack = builtinEvcModes().maxByTrack(guest, host.id.vendor);
      expect([...byTrack.values()], name).toContain(max);
      for (const [track, top] of byTrack) {
        for (const m of builtinEvcModes().tracks(max.vendor).get(track)!) {
          if (m.tier <= top.tier) expect(builtinEvcModes().supports(guest, m), `${name}: ${m.key} below ${top.key} on ${track}`).toBe(true);
        }
      }
    }
    // Most of the corpus is x86-64 Intel or AMD from Core 2 / K8 on.
    expect(withMode).toBeGreaterThan(80);
  });
});
