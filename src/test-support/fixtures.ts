/**
 * Where each format's fixtures live: `src/formats/<format>/fixtures/`, with the libvirt, vmx and
 * xen folders split by role (a format folder holds both its reader's and its writer's fixtures).
 */
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

const SPLIT: Readonly<Record<string, readonly [string, string]>> = {
  libvirt: ['libvirt', 'cpudata'],
  'libvirt-cpu': ['libvirt', 'cpu'],
};

/** The fixture folder of an input format (`libvirt` is the `<cpudata>` reader's, `libvirt-cpu` the `<cpu>` reader's). */
export function readerFixtures(format: string, ...rest: string[]): string {
  const split = SPLIT[format];
  return split ? join(REPO_ROOT, 'src', 'formats', split[0], 'fixtures', split[1], ...rest) : join(REPO_ROOT, 'src', 'formats', format, 'fixtures', ...rest);
}

/** The fixture folder of an output format's writer. */
export function writerFixtures(format: string, ...rest: string[]): string {
  const byRole = ['libvirt', 'vmx', 'xen', 'govc', 'powercli'].includes(format);
  return byRole ? join(REPO_ROOT, 'src', 'formats', format, 'fixtures', 'writer', ...rest) : join(REPO_ROOT, 'src', 'formats', format, 'fixtures', ...rest);
}

/** `readerFixtures` for a path written as `<format>/<file>`. */
export function readerFixture(path: string): string {
  const [format = '', ...rest] = path.split('/');
  return readerFixtures(format, ...rest);
}
