/**
 * What `openevc --help` lists for each command: its term and one-line description. Commands take
 * their description from here, and the top-level help registers only these (a command module
 * loads the catalog, readers and tables it needs; listing commands needs none of that).
 * summaries.test.ts checks each term against the command as registered.
 */
export interface CommandSummary {
  /** The command as help lists it: name, `[options]` when it has any, its arguments. */
  readonly term: string;
  readonly description: string;
}

export const SUMMARIES = {
  show: { term: 'show [options] <file>', description: 'summarize a host: identity, microarchitecture, x86-64 level, features by category' },
  check: { term: 'check [options] <src> <dst>', description: 'can a VM powered on at SRC live-migrate to DST? lists every blocker and its likely cause (exit 0 yes, 1 no, 2 bad input)' },
  baseline: { term: 'baseline [options] <hosts...>', description: 'the best CPU baseline all hosts can offer: EVC mode, QEMU/libvirt model, x86-64 level, common features; what each host loses; which hosts hold it down' },
  modes: { term: 'modes [options]', description: 'list VMware EVC modes in ladder order: what each adds, and whether its definition is confirmed' },
  mask: { term: 'mask [options] [hosts...]', description: 'the configuration that lets VMs live-migrate between these hosts: CPUID masks, per-VM EVC lines, govc/PowerCLI, Xen cpuid=' },
  vmx: { term: 'vmx', description: "read or edit a VM's .vmx: its CPUID masks and per-VM EVC lines" },
  features: { term: 'features [options] [query]', description: 'List the CPUID feature catalog, or find entries by name (any spelling), location, category or display name' },
  probe: { term: 'probe [options]', description: "read this machine's CPUID (/dev/cpu/N/cpuid, root) and print it as openevc JSON" },
  qemu: { term: 'qemu', description: 'work with running QEMU guests over QMP (live migration guard)' },
  explain: { term: 'explain [options] <message...>', description: 'explain a migration error message (vSphere, libvirt, QEMU, oVirt, KubeVirt): the features, their CPUID locations and likely causes' },
  plan: { term: 'plan [options] <inventory>', description: 'plan EVC changes, host additions and retirements over an inventory: steps, VMs to power off or cycle, and a migration map' },
  diff: { term: 'diff [options] <inputs...>', description: 'compare two hosts feature by feature (or one host over time), or find drift across a fleet (an inventory, or 3+ CPUID files)' },
  inventory: { term: 'inventory [options] <files...>', description: 'build an inventory (for openevc plan and diff) from CPUID files and .vmx files' },
  completion: { term: 'completion [options] <shell>', description: 'print a shell completion script for bash, zsh or fish' },
  serve: { term: 'serve [options] [inputs...]', description: 'a local web dashboard of these hosts: fleet table, compatibility heatmap, baseline picker, mask and config generator, plan and migration map of an inventory with what-if controls (the data stays on this machine)' },
} as const satisfies Record<string, CommandSummary>;

export type CommandName = keyof typeof SUMMARIES;

export function summary(name: CommandName): string {
  return SUMMARIES[name].description;
}

/** The word of a command line that names its command (the first that is not an option), if any. */
export function invokedWord(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/**
 * Which CLI bundle runs a command line (scripts/bundle-cli.mjs builds one per command, and `all`):
 * the invoked command's own, or `all` for help, `completion` (it describes every command) and
 * words that name no command (they deserve a suggestion). program.ts loads commands by the same rule.
 */
export function bundleFor(argv: readonly string[]): CommandName | 'all' {
  const word = invokedWord(argv);
  return word !== undefined && word !== 'completion' && Object.hasOwn(SUMMARIES, word) ? (word as CommandName) : 'all';
}
