/** `openevc check` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import type { Diagnostic } from '../../core/errors.js';
import type { EvcModeSet } from '../../core/evc.js';
import { checkMigration } from '../../core/check.js';
import type { CheckResult } from '../../core/check.js';
import { defaultProfile } from '../../core/profiles.js';
import type { ProfileDef } from '../../core/profiles.js';
import { VmxDocument } from '../../formats/vmx/document.js';
import { readVmxCpu } from '../../formats/vmx/cpu.js';
import { vmxCheckOptions } from '../../formats/vmx/check-options.js';
import { checkToJson, renderCheck } from '../check.js';
import type { CheckJson } from '../check.js';
import { DEFAULT_WIDTH } from '../text.js';
import { hostOf, nameOf, profileOf } from './hosts.js';
import type { HostArg } from './hosts.js';


export interface CheckReportOptions {
  /** Profile id (`esxi`, `kvm`, `raw`…) or definition; default: the first registered (ESXi). */
  readonly profile?: string | ProfileDef;
  /** The VM has nested virtualization enabled. */
  readonly nested?: boolean;
  /** EVC modes (default: the built-in ones; see evcModesFromText). */
  readonly evcModes?: EvcModeSet;
  /** The VM's .vmx: its CPUID masks and per-VM EVC lines narrow what it was given at power-on. */
  readonly vm?: { readonly text: string; readonly file: string };
  /** Labels of the two hosts in the text (default: their files). */
  readonly from?: string;
  readonly to?: string;
  readonly width?: number;
}

export interface CheckReport {
  readonly result: CheckResult;
  /** What `check --json` prints. */
  readonly json: CheckJson;
  /** What `check` prints (without the final newline). */
  readonly text: string;
  /** What reading the .vmx noted (the CLI prints them on standard error). */
  readonly diagnostics: readonly Diagnostic[];
}

/** `openevc check`: can a VM powered on at `src` live-migrate to `dst`? */
export function checkReport(src: HostArg, dst: HostArg, opts: CheckReportOptions = {}): CheckReport {
  const profile = profileOf(opts.profile) ?? defaultProfile();
  const s = hostOf(src);
  const d = hostOf(dst);
  const profileOpts = { nested: opts.nested ?? false };
  let vm: ReturnType<typeof vmxCheckOptions> = {};
  const diagnostics: Diagnostic[] = [];
  if (opts.vm) {
    const cpu = readVmxCpu(VmxDocument.parse(opts.vm.text, opts.vm.file));
    diagnostics.push(...cpu.diagnostics);
    vm = vmxCheckOptions(cpu, s, d, profile, profileOpts);
  }
  const result = checkMigration(s, d, { profile, ...(opts.evcModes ? { evcModes: opts.evcModes } : {}), ...profileOpts, ...vm });
  const text = renderCheck(result, { from: opts.from ?? nameOf(src, 0), to: opts.to ?? nameOf(dst, 1) }, { width: opts.width ?? DEFAULT_WIDTH });
  return { result, json: checkToJson(result), text, diagnostics };
}
