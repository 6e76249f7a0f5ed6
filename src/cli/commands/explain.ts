/**
 * `openevc explain TEXT|FILE|-`: paste the message a platform printed when a migration failed
 * (vSphere, libvirt, QEMU, oVirt, KubeVirt) and get the features, their CPUID locations and the
 * likely causes. Exit 0 when the message was recognised, 2 when it was not (or the input is bad).
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { Option } from 'commander';
import { explainReport } from '../../report/api/explain.js';
import { readInput } from '../../node/read.js';
import { withExamples } from '../options.js';

/** The text to explain and the label messages use: standard input, a file, or the words given. */
async function messageText(words: readonly string[]): Promise<{ text: string; file: string }> {
  if (words.length === 1 && words[0] === '-') return { text: (await readInput('-')).text, file: '-' };
  if (words.length === 1 && existsSync(words[0]!) && statSync(words[0]!).isFile()) return { text: (await readInput(words[0]!)).text, file: words[0]! };
  return { text: words.join(' '), file: '(text)' };
}

export function register(program: Command): void {
  const cmd = program
    .command('explain')
    .description(summary('explain'))
    .argument('<message...>', "the message's text (quote it), a file holding it, or '-' for standard input")
    .addOption(new Option('--vendor <vendor>', 'the CPU vendor of the hosts, when known: causes name only its EVC modes').choices(['intel', 'amd']))
    .option('--json', 'print the explanation as JSON')
    .action(async (words: string[], opts: { vendor?: 'intel' | 'amd'; json?: boolean }) => {
      const { text, file } = await messageText(words);
      const report = explainReport(text, { file, ...(opts.vendor ? { vendor: opts.vendor } : {}) });
      if (opts.json) process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
      else process.stdout.write(report.text);
    });
  withExamples(cmd, [
    ['openevc explain "The CPU of the host is incompatible with the CPU feature requirements of virtual machine: CPUID level 0x1 register \'ecx\'"', 'which features a vSphere vMotion error names, where they live in CPUID and why they are missing'],
    ['openevc explain --json error.txt', 'a message saved to a file, as JSON'],
    ['virsh migrate … 2>&1 | openevc explain -', 'explain what libvirt printed'],
  ]);
}
