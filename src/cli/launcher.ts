#!/usr/bin/env node
/**
 * The `openevc` executable as installed (package.json `bin`: dist/bin/openevc.cjs, built from this
 * file by scripts/bundle-cli.mjs). Start-up time is a feature, so this file does as little as it can:
 *
 * - `openevc --version` is answered here, before anything else loads (Node's own start-up is the floor).
 * - Otherwise it runs one self-contained CommonJS bundle of the CLI: `cmd/<command>.cjs`, holding the
 *   program and only the command invoked (`cmd/all.cjs` for help, completion and unknown commands).
 * - Each bundle is compiled with V8's code cache (`<bundle>.cache`, written by the build after a run
 *   of that command on the bundled examples): V8 then skips parsing and compiling what the cache
 *   holds. A cache made by another Node or V8 version is rejected by V8 and the bundle is compiled
 *   from source as usual, with the same results, only slower; `openevc` never writes a cache itself
 *   except when the build asks it to (OPENEVC_WRITE_CODE_CACHE).
 */
import { fstatSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Script } from 'node:vm';
import { VERSION } from '../version.js';
import { compileBundle } from './code-cache.js';
import { bundleFor } from './summaries.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else {
  plainStdout();
  runBundle(join(__dirname, 'cmd', `${bundleFor(argv)}.cjs`));
}

/**
 * Standard output as the file descriptor it is, when that is a pipe or a file. Node's stream for a
 * pipe loads its network and stream modules first (about 2 ms of every command whose output is
 * read by another program); on Linux, writes to pipes and files are synchronous either way, so
 * writing the descriptor directly gives the same bytes in the same order. A terminal keeps Node's
 * stream. Anything but writing and error listeners (other events, other properties) goes to Node's
 * own stream, created then, and from then on every write does too; so does a write the descriptor
 * refuses for now (EAGAIN: a non-blocking pipe). A closed pipe (EPIPE) is an 'error' event, as
 * with Node's stream (the program then exits quietly).
 */
function plainStdout(): void {
  const own = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!own?.get || !own.configurable) return;
  // (node:tty's isatty would load the very modules this avoids; a terminal is a character device.)
  let kind;
  try {
    kind = fstatSync(1);
  } catch {
    return;
  }
  if (!kind.isFIFO() && !kind.isFile() && !kind.isSocket()) return;
  const getter = own.get;
  let stream: NodeJS.WriteStream | undefined;
  const onError: ((e: Error) => void)[] = [];
  const real = (): NodeJS.WriteStream => {
    if (!stream) {
      stream = getter.call(process) as NodeJS.WriteStream;
      for (const fn of onError) stream.on('error', fn);
    }
    return stream;
  };
  const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), done?: (e?: Error | null) => void): boolean => {
    const callback = typeof encoding === 'function' ? encoding : done;
    if (stream) return stream.write(chunk, typeof encoding === 'string' ? encoding : 'utf8', callback);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk;
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(1, bytes, at, bytes.length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return real().write(bytes.subarray(at), callback);
      if (onError.length === 0) throw e;
      for (const fn of onError) fn(e as Error);
      return false;
    }
    if (callback) process.nextTick(callback);
    return true;
  };
  const plain: Record<PropertyKey, unknown> = { fd: 1, isTTY: false, columns: undefined, write };
  const listen = (method: 'on' | 'once' | 'addListener') =>
    function (this: unknown, event: string | symbol, fn: (...a: unknown[]) => void) {
      if (event === 'error' && !stream) onError.push(fn as (e: Error) => void);
      else (real() as NodeJS.EventEmitter)[method](event, fn);
      return proxy;
    };
  plain.on = listen('on');
  plain.once = listen('once');
  plain.addListener = listen('addListener');
  const proxy = new Proxy(plain, {
    get(target, key) {
      if (!stream && key in target) return target[key];
      const to = real();
      const v = Reflect.get(to, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(to) : v;
    },
  });
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: own.enumerable ?? true, get: () => proxy });
}

/** Compiles a CommonJS bundle (with its code cache when V8 accepts it) and runs it as a module. */
function runBundle(file: string): void {
  const script = compileBundle(file);
  const module: { exports: { started?: Promise<void>; run?: (args: string[]) => Promise<void> } } = { exports: {} };
  (script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void)(module.exports, createRequire(file), module, file, dirname(file));
  if (process.env.OPENEVC_WRITE_CODE_CACHE === file) void train(script, file, module.exports);
}

/**
 * The build's runs (scripts/bundle-cli.mjs): after the command line, the further command lines of
 * OPENEVC_CODE_CACHE_RUNS (JSON, an array of argument lists) run in the same process, so that
 * the cache written at the end holds every function those runs compiled (a JSON host, a text dump,
 * text and JSON output...). Output goes where the build sends it; the exit code is the worst one.
 */
async function train(script: Script, file: string, bundle: { started?: Promise<void>; run?: (args: string[]) => Promise<void> }): Promise<void> {
  await bundle.started;
  let worst = Number(process.exitCode ?? 0);
  for (const args of JSON.parse(process.env.OPENEVC_CODE_CACHE_RUNS ?? '[]') as string[][]) {
    process.exitCode = undefined;
    await bundle.run!(args);
    worst = Math.max(worst, Number(process.exitCode ?? 0));
  }
  process.exitCode = worst;
  writeFileSync(`${file}.cache`, script.createCachedData());
}
