/**
 * `openevc inventory FILES… -o inv.yaml`: builds an inventory from CPUID files (one host each),
 * .vmx files (one VM each) and vCenter or KubeVirt exports (govc, PowerCLI, RVTools, kubectl node
 * lists: their clusters, hosts and VMs). CPUID files are referenced by path relative to the output
 * file; hosts from an export are embedded as openevc JSON (or, known by an EVC key only, as
 * maxEvc); a VM's featureRequirement list becomes what it was shown at power-on.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { summary } from '../summaries.js';
import { stringify } from 'yaml';
import { NotADumpError, UsageError } from '../../core/errors.js';
import { VmxDocument } from '../../formats/vmx/document.js';
import { parseInventory } from '../../plan/inventory.js';
import { writeFileAtomic } from '../../node/atomic.js';
import { expandInputs, readHost } from '../inputs.js';
import { fidelityOf } from '../../core/cpuid.js';
import type { Fleet as ExportFleet } from '../../formats/reader-types.js';
import { toCanonicalJson } from '../../formats/openevc-json/reader.js';
import { loadInput } from '../../node/load.js';
import { jsonOption, withExamples } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('inventory')
    .description(summary('inventory'))
    .argument('<files...>', 'CPUID inputs (one host each) and .vmx files (one VM each); directories are read whole')
    .requiredOption('-o, --output <file>', 'the inventory to write (.yaml, .yml or .json; - for standard output)')
    .option('--cluster <name>', 'put every host in this cluster')
    .option('--evc <mode>', "the cluster's EVC mode (with --cluster)")
    .option('--vm-host <host>', 'the host the VMs run on (default: the first host)')
    .addOption(jsonOption('the inventory (whatever the file name says)'))
    .action(async (files: string[], opts: { output: string; cluster?: string; evc?: string; vmHost?: string; json?: boolean }) => {
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
      const clusters = new Map<string, Record<string, unknown>>();
      if (opts.cluster) clusters.set(opts.cluster, { name: opts.cluster, evc: opts.evc ?? null });
      const addExport = (fleet: ExportFleet, path: string) => {
        for (const c of fleet.clusters) if (!clusters.has(c.name)) clusters.set(c.name, { name: c.name, evc: c.currentEvcModeKey ?? null });
        const byRef = new Map<string, string>();
        for (const h of fleet.hosts) {
          const name = unique(h.name);
          if (h.ref) byRef.set(h.ref, name);
          byRef.set(h.name, name);
          let cluster = h.cluster === undefined ? undefined : (fleet.clusters.find((c) => c.ref === h.cluster)?.name ?? h.cluster);
          if (cluster === undefined && fleet.clusters.length === 1 && h.currentEvcModeKey !== undefined && h.currentEvcModeKey === fleet.clusters[0]!.currentEvcModeKey) {
            // A host runs under an EVC mode only inside an EVC cluster: the export's one cluster with that mode.
            cluster = fleet.clusters[0]!.name;
            process.stderr.write(`openevc: info: ${path}: host ${h.name} placed in cluster ${cluster} (its current EVC mode ${h.currentEvcModeKey} is the cluster's; the export does not name its cluster)\n`);
          }
          cluster ??= opts.cluster;
          if (cluster !== undefined && !clusters.has(cluster)) clusters.set(cluster, { name: cluster, evc: h.currentEvcModeKey ?? null });
          const fid = fidelityOf(h.dump.source);
          const cpu = fid === 'evc-key' && h.maxEvcModeKey ? { maxEvc: h.maxEvcModeKey } : { cpuid: JSON.parse(toCanonicalJson(h.dump, { host: h.name, from: rel(path) })) as object };
          hosts.push({ name, ...(cluster !== undefined ? { cluster } : {}), ...cpu });
        }
        for (const v of fleet.vms) {
          const host = v.host === undefined ? undefined : byRef.get(v.host);
          if (host === undefined) {
            process.stderr.write(`openevc: info: ${path}: VM ${v.name} has no host the export names; left out\n`);
            continue;
          }
          const power = v.powerState === 'poweredOff' ? 'off' : v.powerState === 'suspended' ? 'suspended' : 'on';
          const seen = v.requires && v.requires.length > 0 ? { features: [...v.requires] } : v.minRequiredEvcModeKey ? { evcModeKey: v.minRequiredEvcModeKey } : undefined;
          vms.push({ name: unique(v.name), host, power, ...(seen && power !== 'off' ? { seen } : {}) });
        }
      };
      for (const path of inputs.paths) {
        if (/\.vmx$/i.test(path)) {
          vmxFiles.push(path);
          continue;
        }
        let r;
        try {
          r = await loadInput(path);
        } catch (e) {
          if (e instanceof NotADumpError && inputs.fromDirectory.has(path)) {
            process.stderr.write(`openevc: info: passed over ${path}: not a CPUID dump or an export openevc reads\n`);
            continue;
          }
          throw e;
        }
        if (r.fleet) {
          addExport(r.fleet, path);
          continue;
        }
        const h = await readHost(path);
        const label = h.dump.source.label?.split(/[\s(]/)[0];
        const name = unique(label || basename(path).replace(/\..*$/, ''));
        hosts.push({ name, ...(opts.cluster ? { cluster: opts.cluster } : {}), cpuid: rel(path) });
      }
      if (hosts.length === 0) throw new UsageError('an inventory needs at least one host: give CPUID files or a vCenter export');
      const vmHost = opts.vmHost ?? (hosts[0]!.name as string);
      if (!hosts.some((h) => h.name === vmHost)) throw new UsageError(`--vm-host ${vmHost}: no such host among the inputs`);
      for (const path of vmxFiles) {
        const doc = VmxDocument.parse(await readFile(path), path);
        const entries = new Map(doc.entries().map((e) => [e.key.toLowerCase(), e.value]));
        const hw = Number(entries.get('virtualhw.version'));
        const vmName = entries.get('displayname') || basename(path, '.vmx');
        const known = vms.find((v) => v.name === vmName && v.vmx === undefined);
        if (known) {
          // The export already has this VM (host, power state): the .vmx adds its masks.
          known.vmx = rel(path);
          continue;
        }
        vms.push({
          name: unique(vmName),
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
        ...(clusters.size > 0 ? { clusters: [...clusters.values()] } : {}),
        hosts,
        ...(vms.length ? { vms } : {}),
      };
      const json = opts.json === true || /\.json$/i.test(opts.output);
      const text = json ? `${JSON.stringify(doc, null, 2)}\n` : `# openevc inventory built from ${inputs.paths.length} file${inputs.paths.length === 1 ? '' : 's'}; VMs from .vmx files are placed on ${vmHost} and powered off: set host and power.\n${stringify(doc)}`;
      parseInventory(text, opts.output); // what is written must read back
      if (opts.output === '-') process.stdout.write(text);
      else writeFileAtomic(opts.output, text);
    });
  withExamples(cmd, [
    ['openevc inventory examples/seed-000 -o seed-000.yaml --cluster prod', 'an inventory of the seed 000 hosts, in one cluster'],
    ['openevc inventory examples/fleet/vcenter-prod.govc.json -o fleet.json', "a vCenter's clusters, hosts and VMs from a govc export"],
  ]);
}
