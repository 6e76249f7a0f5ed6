/**
 * The `openevc` command. Each subcommand lives in src/cli/commands/<name>.ts and exports
 * `register(program)`. Errors openevc raises on purpose print one line and exit with their
 * code (2 for bad input); anything else is a bug and says so.
 */
import { Command, CommanderError, Help } from 'commander';
import { OpenevcError } from '../core/errors.js';
import { printable } from '../report/text.js';
import { COMMANDS } from './commands/index.js';
import { VERSION } from '../version.js';
import { SUMMARIES, invokedWord } from './summaries.js';
import type { CommandName } from './summaries.js';

/**
 * The program with the commands `argv` needs: only the one invoked when it names one, every
 * command otherwise (help, --version, a mistyped name that deserves a suggestion).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('openevc')
    .description('Live migration across hosts whose CPUs differ: read CPUID, explain blockers, compute baselines, generate masks.')
    .version(VERSION)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`openevc: ${str.replace(/^error: /, '')}`) })
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ openevc check examples/seed-002/host-b-core-i7-3770.json examples/seed-002/host-a-atom-c2750.json',
        '      can a VM move from one host to the other? every blocker and its cause',
        '  $ openevc baseline examples/cluster',
        '      the EVC mode, QEMU model and x86-64 level a cluster can offer',
        '  $ openevc mask examples/seed-002 > masks.txt && openevc vmx apply --mask masks.txt db-02.vmx',
        '      hide what stands between two hosts, in a powered-off VM',
        '',
      ].join('\n'),
    );
  const invoked = invokedWord(argv);
  // `openevc --version` needs no command at all (and so loads no catalog).
  if (invoked === undefined && argv.some((a) => a === '--version' || a === '-V')) return program;
  // `completion` describes every command, so it needs them all.
  const one = invoked === 'completion' ? [] : COMMANDS.filter((c) => c.name === invoked);
  if (one.length === 1 || invoked === 'help' || invoked === 'completion') {
    for (const entry of one.length === 1 ? one : COMMANDS) (await entry.load()).register(program);
    return program;
  }
  // No command named (`openevc --help`, a mistyped name): help and suggestions need only each
  // command's name, term and description, not the modules behind them.
  const terms = new Map<string, string>();
  for (const entry of COMMANDS) {
    const s = SUMMARIES[entry.name as CommandName];
    terms.set(entry.name, s.term);
    program.command(entry.name).description(s.description);
  }
  program.configureHelp({
    subcommandTerm(this: Help, cmd: Command): string {
      return terms.get(cmd.name()) ?? Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
  // Commands report "ran fine, answer is no" (e.g. check: not compatible) through process.exitCode.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    return reportError(err);
  } finally {
    process.exitCode = undefined;
  }
}

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; usage mistakes with code 1, which we make 2.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof OpenevcError) {
    process.stderr.write(`openevc: ${printable(err.message)}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'EPIPE') return 0;
  if (process.env.OPENEVC_DEBUG) process.stderr.write(`${(e && e.stack) || String(err)}\n`);
  process.stderr.write(`openevc: internal error: ${printable((e && e.message) || String(err))}\n(this is a bug in openevc; set OPENEVC_DEBUG=1 for details)\n`);
  return 70;
}
