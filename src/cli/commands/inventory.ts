/**
 * `openevc inventory FILES… -o inv.yaml`: builds an inventory from CPUID files (one host each) and
 * .vmx files (one VM each), paths written relative to the output file. Directories are read whole.
 * vCenter exports (govc, PowerCLI, RVTools) are not read yet: they come with the fleet importers.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { VmxDocument } from '../../core/masks/vmx.js';
import { parseInventory } from '../../plan/inventory.js';
import { writeFileAtomic } from '../../node/atomic.js';
import { expandInputs, readHost } from '../inputs.js';

export function register(program: Command): void {
  program
    .command('inventory')
    .description('build an inventory (for openevc plan and diff) from CPUID files and .vmx files')
    .argument('<files...>', 'CPUID inputs (one host each) and .vmx files (one VM each); directories are read whole')
    .requiredOption('-o, --output <file>', 'the inventory to write (.yaml, .yml or .json; - for standard output)')
    .option('--cluster <name>', 'put every host in this cluster')
    .option('--evc <mode>', "the cluster's EVC mode (with --cluster)")
    .option('--vm-host <host>', 'the host the VMs run on (default: the first host)')
    .action(async (files: string[], opts: { output: string; cluster?: string; evc?: string; vmHost?: string }) => {
      if (opts.evc && !opts.cluster) throw new UsageError('--evc needs --cluster');
      const inputs = await expandInputs(files);
      const outDir = opts.output === '-' ? process.cwd() : dirname(resolve(opts.output));
      const rel = (p: string) => relative(outDir, resolve(p)).split('\\').join('/');
      const hosts: Record<string, unknown>[] = [];
      const vms: Record<string, unknown>[] = [];
      const used = new Set<string>();
      const unique = (n: string) => {
        let name = n;
        for (let i = 2; used.has(name); i++) name = `${n}-${i}`;
        used.add(name);
        return name;
      };
      const vmxFiles: string[] = [];
      for (const path of inputs.paths) {
        if (/\.vmx$/i.test(path)) {
          vmxFiles.push(path);
          continue;
        }
        const h = await readHost(path);
        const label = h.dump.source.label?.split(/[\s(]/)[0];
        const name = unique(label || basename(path).replace(/\.[^.]+$/, ''));
        hosts.push({ name, ...(opts.cluster ? { cluster: opts.cluster } : {}), cpuid: rel(path), ...(h.dump.source.lossy ? {} : {}) });
      }
      if (hosts.length === 0) throw new UsageError('an inventory needs at least one host: give CPUID files');
      const vmHost = opts.vmHost ?? (hosts[0]!.name as string);
      if (!hosts.some((h) => h.name === vmHost)) throw new UsageError(`--vm-host ${vmHost}: no such host among the inputs`);
      for (const path of vmxFiles) {
        const doc = VmxDocument.parse(await readFile(path), path);
        const entries = new Map(doc.entries().map((e) => [e.key.toLowerCase(), e.value]));
        const hw = Number(entries.get('virtualhw.version'));
        vms.push({
          name: unique(entries.get('displayname') || basename(path, '.vmx')),
          host: vmHost,
          power: 'off',
          ...(Number.isInteger(hw) && hw > 0 ? { hardware: hw } : {}),
          vmx: rel(path),
          ...(entries.get('guestos') ? { guestOs: entries.get('guestos') } : {}),
        });
      }
      const doc = {
        openevc: 'inventory',
        version: 1,
        ...(opts.cluster ? { clusters: [{ name: opts.cluster, evc: opts.evc ?? null }] } : {}),
        hosts,
        ...(vms.length ? { vms } : {}),
      };
      const json = /\.json$/i.test(opts.output);
      const text = json ? `${JSON.stringify(doc, null, 2)}\n` : `# openevc inventory built from ${inputs.paths.length} file${inputs.paths.length === 1 ? '' : 's'}; VMs from .vmx files are placed on ${vmHost} and powered off: set host and power.\n${stringify(doc)}`;
      parseInventory(text, opts.output); // what is written must read back
      if (opts.output === '-') process.stdout.write(text);
      else writeFileAtomic(opts.output, text);
    });
}
