/** Every subcommand, in the order `openevc --help` lists them. */
import type { Command } from 'commander';
import { register as check } from './check.js';
import { register as features } from './features.js';
import { register as mask } from './mask.js';
import { register as modes } from './modes.js';
import { register as probe } from './probe.js';
import { register as qemu } from './qemu.js';
import { register as show } from './show.js';
import { register as vmx } from './vmx.js';

export type Register = (program: Command) => void;

export const COMMANDS: readonly Register[] = [show, check, modes, mask, vmx, features, probe, qemu];
