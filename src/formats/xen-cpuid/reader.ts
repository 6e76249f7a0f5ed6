/**
 * Xen: `xen-cpuid -p` in dom0 prints Xen's CPU policies, each as raw CPUID leaves and MSRs:
 *
 *     Raw policy: 31 leaves, 2 MSRs
 *      CPUID:
 *       leaf     subleaf  -> eax      ebx      ecx      edx
 *       00000000:00000000 -> 0000000d:756e6547:6c65746e:49656e69
 *      MSRs:
 *       index    -> value
 *       0000010a -> 0000000000000000
 *     Host policy: …
 *
 * (`xen-cpuid -p DOMID` prints one `Domain N policy`.) dom0 is itself a guest, so its own CPUID
 * (`cpuid -r`, /proc/cpuinfo) is masked; these policies are Xen's view of the hardware. The host
 * is the `Host` policy (what Xen offers guests, after its own choices and command-line switches),
 * else `Raw`, else the first one; all-zero leaves are not printed and read as absent.
 */
import { CpuidDump, SUBLEAF_LIMIT } from '../../core/cpuid.js';
import { InputError } from '../../core/errors.js';
import type { Diagnostic } from '../../core/errors.js';
import type { ImportContext, ImportResult, Importer } from '../reader-types.js';

const POLICY = /^(.+?) policy: (\d+) leaves, (\d+) MSRs\s*$/;
const LEAF = /^\s*([0-9a-fA-F]{8}):([0-9a-fA-F]{8})\s*->\s*([0-9a-fA-F]{8}):([0-9a-fA-F]{8}):([0-9a-fA-F]{8}):([0-9a-fA-F]{8})\s*$/;
const MSR = /^\s*([0-9a-fA-F]{8})\s*->\s*([0-9a-fA-F]{16})\s*$/;

interface Policy {
  readonly name: string;
  readonly line: number;
  readonly dump: CpuidDump;
}

function parseXenCpuid(text: string, ctx: ImportContext): ImportResult {
  const file = ctx.file;
  const lines = text.replace(/^\ufeff/, '').split('\n');
  const policies: Policy[] = [];
  let current: Policy | undefined;
  let section: 'cpuid' | 'msr' | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const n = i + 1;
    const p = POLICY.exec(line);
    if (p) {
      const dump = new CpuidDump({ format: 'xen-cpuid', path: file, lossy: false, label: `Xen ${p[1]} policy` });
      current = { name: p[1]!, line: n, dump };
      policies.push(current);
      section = undefined;
      return;
    }
    if (/^\s*CPUID:\s*$/.test(line)) return void (section = 'cpuid');
    if (/^\s*MSRs:\s*$/.test(line)) return void (section = 'msr');
    if (line.trim() === '' || /^\s*(leaf\s+subleaf|index)\s+->/.test(line) || /^Xen reports there are/.test(line) || / policy not supported by Xen\s*$/.test(line)) return;
    if (!current || !section) throw new InputError({ file, line: n }, "a line of xen-cpuid -p output ('Host policy: N leaves, M MSRs', ' CPUID:', a leaf line)", line.trim());
    if (section === 'cpuid') {
      const m = LEAF.exec(line);
      if (!m) throw new InputError({ file, line: n }, "a CPUID leaf line 'LEAF:SUBLEAF -> EAX:EBX:ECX:EDX' (8 hex digits each)", line.trim());
      const subleaf = parseInt(m[2]!, 16);
      if (subleaf !== 0xffff_ffff && subleaf >= SUBLEAF_LIMIT) throw new InputError({ file, line: n }, `a subleaf below ${SUBLEAF_LIMIT.toString(16)} (or ffffffff for leaves without subleaves)`, m[2]!);
      // Xen writes leaves without subleaves with subleaf ffffffff (XEN_CPUID_NO_SUBLEAF).
      current.dump.set(parseInt(m[1]!, 16), subleaf === 0xffff_ffff ? 0 : subleaf, {
        eax: parseInt(m[3]!, 16),
        ebx: parseInt(m[4]!, 16),
        ecx: parseInt(m[5]!, 16),
        edx: parseInt(m[6]!, 16),
      });
    } else {
      const m = MSR.exec(line);
      if (!m) throw new InputError({ file, line: n }, "an MSR line 'INDEX -> VALUE' (8 and 16 hex digits)", line.trim());
      current.dump.msrs.set(parseInt(m[1]!, 16), BigInt(`0x${m[2]}`));
    }
  });
  if (policies.length === 0) throw new InputError({ file, line: 1 }, "xen-cpuid -p output: a line such as 'Host policy: 31 leaves, 2 MSRs'", lines[0]?.trim() ?? '');
  const chosen = policies.find((p) => p.name === 'Host') ?? policies.find((p) => p.name === 'Raw') ?? policies[0]!;
  if (chosen.dump.size === 0) throw new InputError({ file, line: chosen.line }, `CPUID leaves under '${chosen.name} policy'`, 'none');
  const diagnostics: Diagnostic[] = [];
  if (policies.length > 1) {
    diagnostics.push({ level: 'info', message: `xen-cpuid printed ${policies.length} policies (${policies.map((p) => p.name).join(', ')}); the ${chosen.name} policy is the host`, where: { file, line: chosen.line } });
  }
  return { format: 'xen-cpuid', dump: chosen.dump, cpus: [chosen.dump], diagnostics };
}

export const xenCpuidImporter: Importer = {
  format: 'xen-cpuid',
  description: "Xen's xen-cpuid -p (dom0): CPU policies as raw CPUID leaves and MSRs; the Host policy is the host",
  sniff(head: string): number {
    const t = head.replace(/^\ufeff/, '');
    if (/^.+ policy: \d+ leaves, \d+ MSRs\s*$/m.test(t) && /^\s*[0-9a-f]{8}:[0-9a-f]{8} -> [0-9a-f]{8}:/im.test(t)) return 0.95;
    if (/^.+ policy: \d+ leaves, \d+ MSRs\s*$/m.test(t)) return 0.6;
    return 0;
  },
  parse: parseXenCpuid,
};
