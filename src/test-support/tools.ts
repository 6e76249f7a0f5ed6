/**
 * External programs the exporter tests check their output with (the consumers' own parsers):
 * virsh (libvirt-clients) and a python3 with PyYAML (python3-yaml). Like the QEMU tests, a
 * developer machine without them skips those tests and says why; with OPENEVC_REQUIRE_QEMU=1
 * (CI, .ci/run installs them) a missing tool fails the tests instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { qemuRequired } from './qemu.js';

function runs(cmd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/** virsh's version (`9.0.0`), or undefined when virsh cannot be run. */
export const virshVersion: string | undefined = runs('virsh', ['--version']);
/** libvirt's own feature and model files, read to check names against the installed libvirt. */
export const LIBVIRT_CPU_MAP = '/usr/share/libvirt/cpu_map';

/** A python3 that can import yaml: Debian's /usr/bin/python3 first (where python3-yaml installs it), then the one on PATH. */
export const pythonWithYaml: string | undefined = ['/usr/bin/python3', 'python3'].find((p) => (p.startsWith('/') ? existsSync(p) : true) && runs(p, ['-c', 'import yaml']) !== undefined);

/**
 * Whether a test block needing a tool skips: only when the tool is missing and the tools are not
 * required. Prints why once per call.
 */
export function skipWithout(tool: string, missing: boolean, install: string): boolean {
  if (!missing) return false;
  if (qemuRequired) return false;
  process.stderr.write(`openevc tests: skipping the ${tool} checks: ${tool} not found (${install})\n`);
  return true;
}

/** Runs a Python snippet with the python3 that has PyYAML, feeding `input` on stdin; returns stdout. */
export function runPython(code: string, input: string): string {
  if (!pythonWithYaml) throw new Error('no python3 with PyYAML (apt-get install python3-yaml)');
  return execFileSync(pythonWithYaml, ['-c', code], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
}
