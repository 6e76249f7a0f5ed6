/**
 * The dashboard's web server (`openevc serve`), on node:http only.
 *
 * It serves two things and nothing else: the built web app (dist/web), and the files found in
 * the inputs named on the command line, read-only. Files are looked up by the exact names the
 * server listed (the path as given on the command line, joined with the path inside a directory),
 * so a request cannot name anything else: `..`, absolute paths and symbolic links out of the
 * named directories are refused. Every file goes through the CLI's own read guards (size limit,
 * binary refusal, decoding) before a byte is sent; the browser parses it with the same importers.
 *
 * Safety: by default it listens on 127.0.0.1 and answers only requests addressed to a loopback
 * name (a DNS-rebinding page cannot reach it). Any other address needs a token: the printed URL
 * carries it, the page keeps it in a cookie, and every request without it gets 401.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timingSafeEqual, createHash } from 'node:crypto';
import { InputError, UsageError } from '../core/errors.js';
import { MAX_INPUT_BYTES, formatSize, readInput } from './read.js';
import { inventoryFiles, parseInventory } from '../plan/inventory.js';
import { looksLikeInventory } from '../plan/sniff.js';

/** Largest fleet the server sends in one answer (every file's text together). */
export const MAX_FLEET_BYTES = 512 * 1024 * 1024;

export interface ServeOptions {
  /** The built web app (index.html and assets). */
  readonly webRoot: string;
  /** Files and directories named on the command line. */
  readonly inputs: readonly string[];
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
  /** Per-file size limit (default: the CLI's, {@link MAX_INPUT_BYTES}). */
  readonly maxFileBytes?: number;
}

/** One input file the server may send: its name (as the CLI would print it) and where it is. */
export interface ServedFile {
  readonly name: string;
  readonly path: string;
  /** Found by walking a directory (the page passes over those that are no CPUID dump, as the CLI does). */
  readonly fromDirectory: boolean;
}

/** Whether an address is a loopback one (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Refuses an unsafe bind before anything listens: a non-loopback address without a token would
 * hand the fleet's data (and the dashboard) to anyone on the network.
 */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token === '')) {
    throw new UsageError(
      `refusing to listen on ${host} without --token: any other address than loopback (127.0.0.1, ::1) exposes the fleet's CPU data to the network; give --token SECRET (the printed URL carries it), or omit --host to listen on 127.0.0.1`,
    );
  }
  if (token !== undefined && token.length < 8) throw new UsageError('--token must be at least 8 characters long');
}

/** The files the inputs name: files as given, directories walked (dot-files skipped, sorted). */
export function listInputs(inputs: readonly string[]): ServedFile[] {
  const out: ServedFile[] = [];
  for (const arg of inputs) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      throw new InputError({ file: arg }, 'an existing file or directory');
    }
    if (!st.isDirectory()) {
      if (!st.isFile()) throw new InputError({ file: arg }, 'a regular file or a directory');
      out.push({ name: arg, path: resolve(arg), fromDirectory: false });
      continue;
    }
    const found: string[] = [];
    for (const entry of readdirSync(arg, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = relative(arg, join(entry.parentPath, entry.name));
      if (rel.split(sep).some((part) => part.startsWith('.'))) continue;
      found.push(rel);
    }
    found.sort();
    for (const rel of found) out.push({ name: join(arg, rel).split(sep).join('/'), path: resolve(arg, rel), fromDirectory: true });
  }
  return out;
}

/** Whether a listed file is an inventory (YAML or JSON whose first lines say `openevc: inventory`). */
export function isInventoryFile(path: string): boolean {
  if (!/\.(ya?ml|json)$/i.test(path)) return false;
  const buf = Buffer.alloc(2048);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, buf, 0, buf.length, 0);
    return looksLikeInventory(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** One file an inventory names, as the page gets it: the inventory's own reference, and its text or why not. */
export interface InventoryRefPayload {
  readonly ref: string;
  readonly text?: string;
  readonly error?: string;
}

/**
 * An inventory and the files it names (CPUID dumps, .vmx files, logs), read with the CLI's guards.
 * Only the references the inventory itself makes are read (resolved against its directory, as
 * `openevc plan` does); a reference through a dot-file or dot-directory is refused.
 */
export async function inventoryPayload(inv: ServedFile, maxFileBytes: number): Promise<{ name: string; text?: string; error?: string; files: InventoryRefPayload[] }> {
  let text: string;
  try {
    text = (await readInput(inv.path, { maxBytes: maxFileBytes })).text;
  } catch (e) {
    return { name: inv.name, error: e instanceof InputError ? e.message.replace(inv.path, inv.name) : 'unreadable', files: [] };
  }
  let refs: string[];
  try {
    refs = [...new Set(inventoryFiles(parseInventory(text, inv.name).doc).map((r) => r.ref))];
  } catch {
    return { name: inv.name, text, files: [] }; // the page parses it too, and shows the error with its line
  }
  const dir = dirname(inv.path);
  const files: InventoryRefPayload[] = [];
  let total = text.length;
  for (const ref of refs) {
    if (ref.includes('\0') || ref.split(/[\\/]/).some((p) => p.startsWith('.') && p !== '.' && p !== '..')) {
      files.push({ ref, error: `${ref}: not served (a dot-file or dot-directory)` });
      continue;
    }
    const full = isAbsolute(ref) ? ref : join(dir, ref);
    try {
      const t = (await readInput(full, { maxBytes: maxFileBytes })).text;
      total += t.length;
      if (total > MAX_FLEET_BYTES) {
        files.push({ ref, error: `${ref}: not sent, the inventory's files are larger than ${formatSize(MAX_FLEET_BYTES)} together` });
        continue;
      }
      files.push({ ref, text: t });
    } catch (e) {
      files.push({ ref, error: e instanceof InputError ? e.message.split(full).join(ref) : `${ref}: unreadable` });
    }
  }
  return { name: inv.name, text, files };
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** Headers on every answer: no framing, no sniffing, scripts and data only from this server. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const COOKIE = 'openevc_token';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** The token a request carries: `?token=`, `Authorization: Bearer`, or the page's cookie. */
function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const q = url.searchParams.get('token');
  if (q !== null) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export interface Dashboard {
  readonly server: Server;
  /** The address to open (with the token when there is one). */
  readonly url: string;
  readonly files: readonly ServedFile[];
  /** Inventories among the inputs (served with the files they name). */
  readonly inventories: readonly ServedFile[];
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startDashboard(opts: ServeOptions): Promise<Dashboard> {
  const host = opts.host ?? '127.0.0.1';
  checkBind(host, opts.token);
  const maxFileBytes = opts.maxFileBytes ?? MAX_INPUT_BYTES;
  const webRoot = realpathSync(opts.webRoot);
  try {
    statSync(join(webRoot, 'index.html'));
  } catch {
    throw new UsageError(`the dashboard is not built (no ${join(webRoot, 'index.html')}): run npm run build`);
  }
  const listed = listInputs(opts.inputs);
  // Inventories are served with the files they name (GET api/inventories), not as fleet inputs.
  const inventories = listed.filter((f) => isInventoryFile(f.path));
  const files = listed.filter((f) => !inventories.includes(f));
  const byName = new Map(files.map((f) => [f.name, f]));
  const expected = opts.token !== undefined ? digest(opts.token) : undefined;
  const loopbackOnly = isLoopback(host);

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const text = (status: number, msg: string) => send(status, 'text/plain; charset=utf-8', `${msg}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'read-only: GET and HEAD only');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return text(400, 'bad request');
    }
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) is refused.
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (loopbackOnly && expected === undefined && !isLoopback(hostHeader)) return text(403, 'forbidden: this dashboard answers only on a loopback name');
    let setCookie: Record<string, string> = {};
    if (expected !== undefined) {
      const given = requestToken(req, url);
      if (given === undefined || !timingSafeEqual(digest(given), expected)) return text(401, 'unauthorized: open the URL openevc serve printed (it carries the token)');
      setCookie = { 'Set-Cookie': `${COOKIE}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/` };
    }

    const path = url.pathname;
    if (path === '/api/inputs') {
      return send(200, 'application/json; charset=utf-8', JSON.stringify({ files: files.map((f) => ({ name: f.name, fromDirectory: f.fromDirectory })) }), setCookie);
    }
    if (path === '/api/inventories') {
      const out = [];
      for (const inv of inventories) out.push(await inventoryPayload(inv, maxFileBytes));
      return send(200, 'application/json; charset=utf-8', JSON.stringify({ inventories: out }), setCookie);
    }
    if (path === '/api/fleet') {
      // Every file's text, one JSON object per line (NDJSON), read with the CLI's guards and sent
      // as it is read: the page parses the first hosts while the server still reads the last.
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/x-ndjson; charset=utf-8', ...setCookie });
      if (req.method === 'HEAD') return void res.end();
      let total = 0;
      let pending = '';
      const flush = async () => {
        const ok = res.write(pending);
        pending = '';
        if (!ok && !res.destroyed) {
          await new Promise<void>((done) => {
            const finish = () => {
              res.off('drain', finish);
              res.off('close', finish);
              done();
            };
            res.on('drain', finish);
            res.on('close', finish);
          });
        }
      };
      for (const f of files) {
        if (res.destroyed) return;
        let line: object;
        try {
          const input = await readInput(f.path, { maxBytes: maxFileBytes });
          total += input.text.length;
          if (total > MAX_FLEET_BYTES) {
            pending += `${JSON.stringify({ error: `the fleet is larger than ${formatSize(MAX_FLEET_BYTES)}: the files after ${f.name} were not sent; name fewer inputs` })}\n`;
            break;
          }
          line = { name: f.name, fromDirectory: f.fromDirectory, text: input.text };
        } catch (e) {
          const message = e instanceof InputError ? e.message.replace(f.path, f.name) : 'unreadable';
          line = { name: f.name, fromDirectory: f.fromDirectory, error: message, notADump: e instanceof Error && e.name === 'NotADumpError' };
        }
        pending += `${JSON.stringify(line)}\n`;
        if (pending.length > 256 * 1024) await flush();
      }
      res.end(pending);
      return;
    }
    if (path.startsWith('/files/')) {
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/files/'.length));
      } catch {
        return text(400, 'bad request');
      }
      const f = byName.get(name);
      if (!f) return text(404, 'not found: only the files openevc serve listed (GET /api/inputs) are served');
      try {
        const input = await readInput(f.path, { maxBytes: maxFileBytes });
        return send(200, 'text/plain; charset=utf-8', input.text, setCookie);
      } catch (e) {
        return text(e instanceof InputError ? 422 : 500, e instanceof InputError ? e.message.replace(f.path, f.name) : 'unreadable');
      }
    }
    // The web app's own assets.
    const rel = path === '/' ? 'index.html' : path.slice(1);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      return text(400, 'bad request');
    }
    if (decoded.includes('\0') || decoded.split(/[\\/]/).some((p) => p === '..' || p === '')) return text(404, 'not found');
    let real: string;
    try {
      real = realpathSync(join(webRoot, decoded));
    } catch {
      return text(404, 'not found');
    }
    if (!real.startsWith(webRoot + sep) || !statSync(real).isFile()) return text(404, 'not found');
    return send(200, TYPES[extname(real)] ?? 'application/octet-stream', readFileSync(real), setCookie);
  };

  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(new UsageError(`cannot listen on ${host}:${opts.port ?? 0}: ${e.code ?? e.message}`)));
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${opts.token !== undefined ? `?token=${encodeURIComponent(opts.token)}` : ''}`;
  return {
    server,
    url,
    files,
    inventories,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * Where the built web app is: dist/web of the package this module belongs to (found from the
 * module's own location, whether it runs from dist/node, the CLI bundle in dist/bin, or src).
 */
export function findWebRoot(moduleUrl: string): string | undefined {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 6; i++) {
    if (basename(dir) === 'dist' && existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web');
    if (existsSync(join(dir, 'dist', 'web', 'index.html'))) return join(dir, 'dist', 'web');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
