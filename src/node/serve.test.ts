import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { REPO_ROOT } from '../test-support/shared.js';
import { checkBind, isLoopback, listInputs, startDashboard } from './serve.js';
import type { Dashboard } from './serve.js';

/** A raw GET (node:http, so paths are sent exactly as written, `..` included). */
function get(url: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'openevc-serve-'));
const web = join(tmp, 'web');
const fleet = join(tmp, 'fleet');
mkdirSync(join(web, 'assets'), { recursive: true });
writeFileSync(join(web, 'index.html'), '<!doctype html><title>dash</title>');
writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
mkdirSync(join(fleet, 'sub'), { recursive: true });
writeFileSync(join(fleet, 'a.txt'), 'not a dump');
writeFileSync(join(fleet, 'sub', 'big.txt'), 'x'.repeat(5000));
writeFileSync(join(fleet, '.hidden'), 'secret');
writeFileSync(join(tmp, 'outside.txt'), 'outside the served directory');
symlinkSync(join(tmp, 'outside.txt'), join(fleet, 'link.txt'));

describe('openevc serve: binding', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '128.0.0.1']) expect(isLoopback(h)).toBe(false);
  });

  it('refuses a non-loopback address without a token, saying why', () => {
    expect(() => checkBind('0.0.0.0', undefined)).toThrow(/without --token.*exposes/);
    expect(() => checkBind('0.0.0.0', 'short')).toThrow(/at least 8/);
    expect(() => checkBind('0.0.0.0', 'a-long-secret')).not.toThrow();
    expect(() => checkBind('127.0.0.1', undefined)).not.toThrow();
  });

  it('exits 2 for --host 0.0.0.0 without --token', async () => {
    const r = await runCli('serve', join(REPO_ROOT, 'examples'), '--host', '0.0.0.0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without --token/);
    expect(r.stdout).toBe('');
  });

  it('--once starts on the built web app, prints the URL and stops (needs npm run build)', async () => {
    const r = await runCli('serve', join(REPO_ROOT, 'examples', 'cluster'), '--once', '--port', '0');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^openevc dashboard: http:\/\/127\.0\.0\.1:\d+\/\n {2}serving 4 files from .*examples\/cluster, read-only\n$/);
  });

  it('exits 2 for a port that is not one', async () => {
    const r = await runCli('serve', '--port', '70000', '--once');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port expects a port number/);
  });
});

describe('openevc serve: what it serves', () => {
  let dash: Dashboard;
  beforeAll(async () => {
    dash = await startDashboard({ webRoot: web, inputs: [fleet], port: 0, maxFileBytes: 1000 });
  });
  afterAll(() => dash.close());

  it('listens on 127.0.0.1 by default, with no token in the URL', () => {
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('lists the named directory (dot-files skipped) and serves the web app', async () => {
    // Symbolic links are not followed (as the CLI's directory walk): link.txt points outside.
    expect(dash.files.map((f) => f.name)).toEqual([`${fleet}/a.txt`, `${fleet}/sub/big.txt`]);
    const index = await get(dash.url, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>dash</title>');
    expect(index.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(dash.url, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('serves listed files only, with size limits', async () => {
    const a = await get(dash.url, `/files/${encodeURIComponent(`${fleet}/a.txt`)}`);
    expect(a.status).toBe(200);
    expect(a.body).toBe('not a dump');
    const big = await get(dash.url, `/files/${encodeURIComponent(`${fleet}/sub/big.txt`)}`);
    expect(big.status).toBe(422);
    expect(big.body).toMatch(/at most 1000 bytes/);
    expect((await get(dash.url, `/files/${encodeURIComponent(`${fleet}/.hidden`)}`)).status).toBe(404);
    expect((await get(dash.url, `/files/${encodeURIComponent(join(tmp, 'outside.txt'))}`)).status).toBe(404);
    expect((await get(dash.url, `/files/${encodeURIComponent(`${fleet}/link.txt`)}`)).status).toBe(404);
    const fleetAnswer = await get(dash.url, '/api/fleet');
    expect(fleetAnswer.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const all = fleetAnswer.body.trimEnd().split('\n').map((l) => JSON.parse(l) as { name: string; text?: string; error?: string });
    expect(all.map((f) => [f.name, f.text !== undefined])).toEqual([
      [`${fleet}/a.txt`, true],
      [`${fleet}/sub/big.txt`, false],
    ]);
  });

  it('refuses path traversal out of the web app', async () => {
    for (const p of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2findex.html', '/..%5c..%5cetc%5cpasswd', '/%00', '//etc/passwd', '/files/..%2F..%2Fetc%2Fpasswd']) {
      const r = await get(dash.url, p);
      expect([400, 404], p).toContain(r.status);
      expect(r.body).not.toMatch(/root:|"name": "openevc"/);
    }
  });

  it('is read-only, and answers only loopback names (DNS rebinding)', async () => {
    expect((await get(dash.url, '/', {}, 'POST')).status).toBe(405);
    expect((await get(dash.url, '/', {}, 'PUT')).status).toBe(405);
    expect((await get(dash.url, '/', { Host: 'evil.example:80' })).status).toBe(403);
    expect((await get(dash.url, '/', { Host: 'localhost' })).status).toBe(200);
  });
});

describe('openevc serve: with a token', () => {
  let dash: Dashboard;
  beforeAll(async () => {
    dash = await startDashboard({ webRoot: web, inputs: [fleet], port: 0, token: 'tok-12345678' });
  });
  afterAll(() => dash.close());

  it('prints a URL carrying the token and refuses requests without it', async () => {
    expect(dash.url).toMatch(/\/\?token=tok-12345678$/);
    for (const p of ['/', '/api/fleet', '/assets/app.js', `/files/${encodeURIComponent(`${fleet}/a.txt`)}`]) expect((await get(dash.url, p)).status, p).toBe(401);
    expect((await get(dash.url, '/?token=wrong-token')).status).toBe(401);
    const ok = await get(dash.url, '/?token=tok-12345678');
    expect(ok.status).toBe(200);
    // The page's own requests carry the token in a cookie the server set.
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe('openevc_token=tok-12345678');
    expect((await get(dash.url, '/api/fleet', { Cookie: cookie })).status).toBe(200);
    expect((await get(dash.url, '/api/fleet', { Authorization: 'Bearer tok-12345678' })).status).toBe(200);
  });
});

describe('listInputs', () => {
  it('names a missing input as an input error', () => {
    expect(() => listInputs([join(tmp, 'nope')])).toThrow(/an existing file or directory/);
  });
});

describe('openevc serve: inventories', () => {
  const inv = join(tmp, 'inv');
  let dash: Dashboard;
  beforeAll(async () => {
    mkdirSync(join(inv, '.secret'), { recursive: true });
    writeFileSync(join(inv, '.secret', 'key.json'), '{"secret": true}');
    writeFileSync(join(inv, 'host.json'), '{"not": "read unless named"}');
    writeFileSync(
      join(inv, 'fleet.yaml'),
      ['# comment first', 'openevc: inventory', 'version: 1', 'hosts:', '  - { name: a, cpuid: ../outside.txt }', '  - { name: b, cpuid: .secret/key.json }', '  - { name: c, cpuid: missing.json }', 'vms: []', ''].join('\n'),
    );
    writeFileSync(join(inv, 'plain.json'), '{"openevc": "inventory", "version": 1, "hosts": [], "vms": []}');
    writeFileSync(join(inv, 'dump.json'), '{"leaves": []}');
    dash = await startDashboard({ webRoot: web, inputs: [inv], port: 0 });
  });
  afterAll(() => dash.close());

  it('tells inventories (YAML or JSON) from fleet inputs by their first lines', () => {
    expect(dash.inventories.map((f) => f.name)).toEqual([`${inv}/fleet.yaml`, `${inv}/plain.json`]);
    expect(dash.files.map((f) => f.name)).toEqual([`${inv}/dump.json`, `${inv}/host.json`]);
  });

  it('GET api/inventories: each inventory with the files it names, read with the CLI guards; dot-files and missing files refused', async () => {
    const r = await get(dash.url, '/api/inventories');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const body = JSON.parse(r.body) as { inventories: { name: string; text: string; files: { ref: string; text?: string; error?: string }[] }[] };
    expect(body.inventories.map((i) => i.name)).toEqual([`${inv}/fleet.yaml`, `${inv}/plain.json`]);
    const files = body.inventories[0]!.files;
    expect(files.map((f) => f.ref)).toEqual(['../outside.txt', '.secret/key.json', 'missing.json']);
    expect(files[0]!.text).toBe('outside the served directory'); // named by the inventory, as openevc plan reads it
    expect(files[1]).toEqual({ ref: '.secret/key.json', error: '.secret/key.json: not served (a dot-file or dot-directory)' });
    expect(files[2]!.error).toMatch(/^missing\.json/);
    expect(files[2]!.error).not.toContain(tmp);
    expect(r.body).not.toContain('"secret": true');
    // Inventories are not fleet inputs: /files/ does not serve them, nor an unnamed file beside them.
    expect((await get(dash.url, `/files/${encodeURIComponent(`${inv}/fleet.yaml`)}`)).status).toBe(404);
  });
});
