/**
 * `openevc completion bash|zsh|fish`: a shell completion script for every command, subcommand and
 * option, generated from the program itself (so it never drifts from `--help`). Choice lists
 * (`--profile`, `--input-format`, `--format`) complete their values; other arguments complete
 * file names.
 */
import type { Command, Option } from 'commander';
import { Argument } from 'commander';
import { UsageError } from '../../core/errors.js';
import { jsonOption, withExamples } from '../options.js';
import { summary } from '../summaries.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

interface Spec {
  /** Words from the program to this command (`['vmx', 'apply']`). */
  readonly path: readonly string[];
  readonly description: string;
  readonly subcommands: readonly string[];
  readonly options: readonly { readonly flags: readonly string[]; readonly description: string; readonly choices: readonly string[]; readonly takesValue: boolean }[];
}

function visible(o: Option): boolean {
  return !(o as Option & { hidden?: boolean }).hidden;
}

function specs(cmd: Command, path: string[] = []): Spec[] {
  const own: Spec = {
    path,
    description: cmd.description(),
    subcommands: cmd.commands.map((c) => c.name()),
    options: cmd.options.filter(visible).map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => typeof f === 'string'),
      description: o.description,
      choices: o.argChoices ?? [],
      takesValue: o.required || o.optional,
    })),
  };
  return [own, ...cmd.commands.flatMap((c) => specs(c, [...path, c.name()]))];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(all: readonly Spec[]): string {
  const cases = all.map((s) => {
    const words = [...s.subcommands, ...s.options.flatMap((o) => o.flags), '--help'];
    const values = s.options.filter((o) => o.choices.length > 0).map((o) => `      ${o.flags.join('|')}) COMPREPLY=($(compgen -W ${quote(o.choices.join(' '))} -- "$cur")); return ;;`);
    return [`    ${quote(s.path.join(' '))})`, '      case "$prev" in', ...values.map((v) => `  ${v}`), '      esac', `      words_=${quote(words.join(' '))} ;;`].join('\n');
  });
  return `# openevc completion for bash: eval "$(openevc completion bash)" (or save it in /etc/bash_completion.d/openevc)
_openevc() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" words_="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " $(_openevc_subcommands "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  case "$path" in
${cases.join('\n')}
  esac
  if [[ "$cur" == -* || -n "$words_" && "$(_openevc_subcommands "$path")" != "" ]]; then
    COMPREPLY=($(compgen -W "$words_" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
_openevc_subcommands() {
  case "$1" in
${all.map((s) => `    ${quote(s.path.join(' '))}) echo ${quote(s.subcommands.join(' '))} ;;`).join('\n')}
  esac
}
complete -o filenames -F _openevc openevc
`;
}

function zsh(all: readonly Spec[]): string {
  return `#compdef openevc
# openevc completion for zsh: eval "$(openevc completion zsh)" (zsh's bash completion layer)
autoload -U +X bashcompinit && bashcompinit
${bash(all).split('\n').slice(1).join('\n')}`;
}

function fish(all: readonly Spec[]): string {
  const lines = ['# openevc completion for fish: openevc completion fish > ~/.config/fish/completions/openevc.fish', 'complete -c openevc -f'];
  for (const s of all) {
    const cond = s.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${s.path[s.path.length - 1]}`;
    if (s.path.length > 0) lines.push(`complete -c openevc -n ${quote(s.path.length === 1 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${s.path[s.path.length - 2]}`)} -a ${quote(s.path[s.path.length - 1]!)} -d ${quote(s.description.slice(0, 80))}`);
    for (const o of s.options) {
      const long = o.flags.find((f) => f.startsWith('--'))?.slice(2);
      const short = o.flags.find((f) => /^-[^-]/.test(f))?.slice(1);
      let line = `complete -c openevc -n ${quote(cond)}${long ? ` -l ${long}` : ''}${short ? ` -s ${short}` : ''} -d ${quote(o.description.slice(0, 80))}`;
      if (o.choices.length > 0) line += ` -x -a ${quote(o.choices.join(' '))}`;
      else if (o.takesValue) line += ' -r -F';
      lines.push(line);
    }
    if (s.subcommands.length === 0 && s.path.length > 0) lines.push(`complete -c openevc -n ${quote(cond)} -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const cmd = program
    .command('completion')
    .description(summary('completion'))
    .addArgument(new Argument('<shell>', 'the shell').choices([...SHELLS]))
    .addOption(jsonOption('the commands and options completion knows'))
    .action((shell: string, opts: { json?: boolean }) => {
      const all = specs(program).filter((s) => s.path[0] !== 'completion' && s.path[0] !== 'help');
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(all.map((s) => ({ command: s.path.join(' '), subcommands: s.subcommands, options: s.options })), null, 2)}\n`);
        return;
      }
      if (shell === 'bash') process.stdout.write(bash(all));
      else if (shell === 'zsh') process.stdout.write(zsh(all));
      else if (shell === 'fish') process.stdout.write(fish(all));
      else throw new UsageError(`completion for ${shell}: expected one of ${SHELLS.join(', ')}`);
    });
  withExamples(cmd, [
    ['eval "$(openevc completion bash)"', 'complete openevc commands, options and their values in this bash session'],
    ['openevc completion fish > ~/.config/fish/completions/openevc.fish', 'install completion for fish'],
  ]);
}
