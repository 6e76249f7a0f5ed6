import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { buildProgram } from './program.js';
import { SUMMARIES } from './summaries.js';
import type { CommandName } from './summaries.js';

describe('command summaries (what the top-level help lists without loading commands)', () => {
  it('name every command, with the term and description the command itself registers', async () => {
    expect(Object.keys(SUMMARIES).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    const help = new Help();
    for (const entry of COMMANDS) {
      const program = new Command();
      (await entry.load()).register(program);
      const cmd = program.commands.find((c) => c.name() === entry.name)!;
      const s = SUMMARIES[entry.name as CommandName];
      expect(help.subcommandTerm(cmd), entry.name).toBe(s.term);
      expect(cmd.description(), entry.name).toBe(s.description);
    }
  });

  it('top-level help from the summaries is the help of the fully loaded program', async () => {
    const light = await buildProgram(['--help']);
    const full = await buildProgram(['help']);
    expect(light.helpInformation()).toBe(full.helpInformation());
    expect(light.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });
});
