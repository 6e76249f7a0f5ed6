/**
 * Every subcommand, in the order `openevc --help` lists them. Each is loaded only when it runs
 * (or when help lists them all): start-up time is a feature, and the QEMU tools, the mask engine
 * and the exporters have no business slowing down `openevc show`.
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<{ readonly register: Register }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'show', load: () => import('./show.js') },
  { name: 'check', load: () => import('./check.js') },
  { name: 'baseline', load: () => import('./baseline.js') },
  { name: 'modes', load: () => import('./modes.js') },
  { name: 'mask', load: () => import('./mask.js') },
  { name: 'vmx', load: () => import('./vmx.js') },
  { name: 'features', load: () => import('./features.js') },
  { name: 'explain', load: () => import('./explain.js') },
  { name: 'probe', load: () => import('./probe.js') },
  { name: 'qemu', load: () => import('./qemu.js') },
  { name: 'plan', load: () => import('./plan.js') },
  { name: 'diff', load: () => import('./diff.js') },
  { name: 'inventory', load: () => import('./inventory.js') },
  { name: 'serve', load: () => import('./serve.js') },
  { name: 'completion', load: () => import('./completion.js') },
];
