import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { expectGolden } from '../../test-support/expect-golden.js';
import { inputErrorMessage } from '../../test-support/text-mutations.js';
import { runCli } from '../../test-support/cli.js';
import { MESSAGE_FORMATS, explainMessage, explanationToJson, featureByName, renderExplanation } from './explain.js';
import type { Explanation } from './explain.js';

const FIX = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const ids = (e: Explanation): string[] => e.findings.flatMap((f) => f.features.map((x) => x.feature?.id ?? `?${x.as}`));
const formats = (e: Explanation): string[] => e.findings.map((f) => f.format);

describe('openevc explain: seed 002', () => {
  it('host A to host B: the vSphere feature lines explain to MOVBE and 3DNow! PREFETCH, with their CPUID locations', () => {
    const e = explainMessage(fixture('vsphere-seed002-a-to-b.txt'));
    expect(formats(e)).toEqual(['vsphere-features']);
    expect(ids(e)).toEqual(['movbe', '3dnowprefetch']);
    expect(e.findings[0]!.features.map((x) => x.feature!.loc)).toEqual([
      { type: 'cpuid', leaf: 1, subleaf: 0, reg: 'ecx', bit: 22 },
      { type: 'cpuid', leaf: 0x8000_0001, subleaf: 0, reg: 'ecx', bit: 8 },
    ]);
  });

  it('host B to host A: PCID, XSAVE, AVX, F16C, FSGSBASE, XSAVE SSE and XSAVE YMM', () => {
    const e = explainMessage(fixture('vsphere-seed002-b-to-a.txt'));
    expect(ids(e)).toEqual(['pcid', 'xsave', 'avx', 'f16c', 'fsgsbase', 'xsave_sse', 'xsave_ymm']);
  });

  it("reads the blog's own spelling of 3DNow! too", () => {
    expect(featureByName('3D!Now PREFETCH and PREFETCHW', 'vmware')?.id).toBe('3dnowprefetch');
  });

  it('text output (golden)', () => {
    expectGolden(renderExplanation(explainMessage(fixture('vsphere-seed002-b-to-a.txt'))), join(FIX, 'vsphere-seed002-b-to-a.expected.txt'));
  });
});

describe('openevc explain: every message shape', () => {
  it("vSphere CPUID level form with host and required bits: the bits that differ, by position", () => {
    const e = explainMessage(fixture('vsphere-cpuid-bits.txt'));
    // The "Mismatch detected for these features:" list below names no feature ("General incompatibilities"): said so.
    expect(formats(e)).toEqual(['vsphere-cpuid', 'vsphere-mismatch']);
    expect(ids(e)).toEqual(['xsave']);
    expect(e.findings[1]!.notes.join(' ')).toMatch(/General incompatibilities.*did not name the feature/);
    expectGolden(renderExplanation(e), join(FIX, 'vsphere-cpuid-bits.expected.txt'));
  });

  it('vSphere CPUID level form without bits: every compared feature of the register, and says it cannot tell which', () => {
    const e = explainMessage("Unable to migrate from esx1 to esx2: The CPU of the host is incompatible with the CPU feature requirements of the virtual machine; problem detected at CPUID level 0x80000001 register 'edx'.");
    expect(ids(e)).toContain('nx');
    expect(ids(e)).toContain('lm');
    expect(e.findings[0]!.notes.join(' ')).toMatch(/one of these \d+ features/);
  });

  it('vSphere Mismatch: list, and a bit required absent', () => {
    expect(ids(explainMessage('Mismatch: AES-NI, PCLMULQDQ'))).toEqual(['aes', 'pclmulqdq']);
    expect(ids(explainMessage('Mismatch detected for these features:\n * AES-NI\n * PCLMULQDQ\nSee the KB.'))).toEqual(['aes', 'pclmulqdq']);
    const reg = explainMessage("problem detected at CPUID level 0x80000001 register 'edx'.");
    expect(ids(reg)).toEqual(['nx', 'mmxext', 'pdpe1gb', 'rdtscp', 'lm', '3dnow']);
    const forbid = explainMessage("Feature 'cpuid.AVX512F' was present, but must be absent.");
    expect(forbid.findings[0]!.features[0]).toMatchObject({ mustBeAbsent: true, kind: 'vm-forbids' });
    expect(ids(explainMessage("Feature 'cpuid.ds' was absent, but must be present."))).toEqual(['ds']);
  });

  it('vSphere EVC admission faults: the cause, and the firmware switches of the mode named', () => {
    const e = explainMessage("EVCAdmissionFailedCPUFeaturesForMode: The host's CPU hardware does not support the cluster's current Enhanced vMotion Compatibility mode (intel-westmere).");
    expect(formats(e)).toEqual(['vsphere-evc']);
    expect(e.findings[0]!.evcModes).toEqual(['intel-westmere']);
    expect(ids(e)).toEqual(expect.arrayContaining(['aes', 'nx']));
    expect(e.findings[0]!.features.every((x) => x.kind === 'firmware')).toBe(true);
    for (const fault of ['EVCAdmissionFailedCPUModelForMode', 'EVCUnsupportedByHostHardware', 'EVCUnsupportedByHostSoftware', 'EVCModeUnsupportedByHosts', 'ActiveVMsBlockingEVC', 'VmRequirementsExceedCurrentEVCModeEvent']) {
      const f = explainMessage(`fault: ${fault}`).findings;
      expect(f.map((x) => x.format), fault).toEqual(['vsphere-evc']);
      expect(f[0]!.summary.length, fault).toBeGreaterThan(20);
    }
  });

  it('libvirt: missing features and required features, in libvirt spelling', () => {
    expect(ids(explainMessage("error: operation failed: guest CPU doesn't match specification: missing features: avx512f,pclmuldq,lahf_lm"))).toEqual(['avx512f', 'pclmulqdq', 'lahf_lm']);
    expect(ids(explainMessage('error: the CPU is incompatible with host CPU: Host CPU does not provide required features: fma, x2apic, tsc-deadline'))).toEqual(['fma', 'x2apic', 'tsc_deadline_timer']);
  });

  it('QEMU: CPUID.07H:EBX, CPUID[eax=07h,ecx=00h] and MSR forms, with the cause of each kind', () => {
    const e = explainMessage(fixture('qemu-warnings.txt'));
    expect(ids(e)).toEqual(['hle', 'rtm', 'taa_no']);
    expect(e.findings[0]!.features.map((x) => x.kind)).toEqual(['microcode', 'microcode', 'microcode']);
    expect(explainMessage("TCG doesn't support requested feature: CPUID.01H:ECX.vmx [bit 5]").findings[0]!.notes.join(' ')).toMatch(/TCG/);
  });

  it('oVirt: the model and the flags', () => {
    const e = explainMessage('missing CPU flags: model_Skylake-Server, avx512f, spec_ctrl');
    expect(e.findings[0]!.models).toEqual([{ name: 'Skylake-Server', known: true }]);
    expect(ids(e)).toEqual(['avx512f', 'spec_ctrl']);
  });

  it('KubeVirt: the reason, and the node-selector labels of a Pending pod', () => {
    const reason = explainMessage('Warning  Migration  virtualmachineinstance/vm1  NoSuitableNodesForHostModelMigration');
    expect(formats(reason)).toEqual(['kubevirt']);
    expect(reason.findings[0]!.notes.join(' ')).toMatch(/host-model/);
    const pending = explainMessage(fixture('kubevirt-pending.txt'));
    expect(ids(pending)).toEqual(['avx512_vnni', 'pku']);
    expect(pending.findings[0]!.models).toEqual([{ name: 'Cascadelake-Server', known: true }]);
  });

  it('names what the catalog does not know, and a vendor narrows the EVC modes named', () => {
    const e = explainMessage("guest CPU doesn't match specification: missing features: avx2, no-such-flag");
    expect(ids(e)).toEqual(['avx2', '?no-such-flag']);
    expect(renderExplanation(e)).toMatch(/Not in openevc's catalog: no-such-flag/);
    expect(explainMessage('Mismatch: AES-NI', { vendor: 'intel' }).findings[0]!.features[0]!.cause).not.toMatch(/amd-/);
  });

  it('JSON (golden): features with locations, kinds and causes', () => {
    expectGolden(`${JSON.stringify(explanationToJson(explainMessage(fixture('qemu-warnings.txt'))), null, 2)}\n`, join(FIX, 'qemu-warnings.expected.json'));
  });
});

describe('openevc explain: text it does not know', () => {
  it('is an InputError naming every shape openevc reads', () => {
    const msg = inputErrorMessage(() => explainMessage('the network cable is unplugged', { file: 'm.txt' }));
    expect(msg).toMatch(/^m\.txt:1: expected a migration error message openevc recognises/);
    for (const f of MESSAGE_FORMATS) expect(msg).toContain(f.platform);
    expect(inputErrorMessage(() => explainMessage('  \n '))).toMatch(/expected the text of a migration error message/);
  });

  it('property: any text is explained or refused with an InputError, never a crash', () => {
    const words = fc.constantFrom('CPUID level 0x1 register', "'ecx'", 'Mismatch:', 'missing features:', 'model_', 'cpu-feature.node.kubevirt.io/', 'MSR(10AH).', 'CPUID.07H:EBX.', '[bit 99]', 'AVX', '0000:1111', '\n', ',', 'EVCAdmissionFailedVmActive', 'x');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(words, { maxLength: 30 }).map((w) => w.join(' '))), (text) => {
        try {
          const e = explainMessage(text);
          expect(e.findings.length).toBeGreaterThan(0);
          renderExplanation(e);
          explanationToJson(e);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('openevc explain (CLI)', () => {
  it('explains text given as words, a file, --json; exit 0', async () => {
    const words = await runCli('explain', 'Mismatch:', 'AES-NI,', 'PCLMULQDQ');
    expect(words.code).toBe(0);
    expect(words.stdout).toMatch(/AES-NI\s+aes\s+0x1:ECX\[25\]/);
    const file = await runCli('explain', join(FIX, 'vsphere-seed002-a-to-b.txt'), '--json');
    expect(file.code).toBe(0);
    expect(JSON.parse(file.stdout).findings[0].features.map((f: { id: string }) => f.id)).toEqual(['movbe', '3dnowprefetch']);
  });

  it('exit 2 and a one-line message for text it does not recognise', async () => {
    const r = await runCli('explain', 'nothing', 'to', 'see');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^openevc: \(text\):1: expected a migration error message openevc recognises/);
    expect(r.stdout).toBe('');
  });
});
