import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { decodeHost } from '../../core/host.js';
import { builtinModels } from '../../core/models.js';
import { getProfile, guestFeatures, whyHidden } from '../../core/profiles.js';
import { libvirtImporter } from '../../formats/libvirt/cpudata-reader.js';
import { readLibvirtCpus } from '../../formats/libvirt/cpu-reader.js';
import { hasShared, shared } from '../../test-support/shared.js';
import { KVM_PROFILE, QEMU_ACCEL_DEFAULTS } from './kvm.js';

describe('kvm view', () => {
  it('names only catalog features, and says why for every rule', () => {
    for (const rule of [...KVM_PROFILE.hidden, ...KVM_PROFILE.added]) {
      for (const id of (rule.ids ?? [])) expect(catalog.get(id), id).toBeDefined();
      expect(rule.why.length).toBeGreaterThan(20);
    }
  });

  it('hides host-only bits, adds what KVM emulates, and shows VMX only to nested guests', () => {
    const host = decodeHost(libvirtImporter.parse(
      [
        "<cpudata arch='x86'>",
        "  <cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x0000000d' ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'/>",
        "  <cpuid eax_in='0x00000001' ecx_in='0x00' eax='0x000306a9' ebx='0x00100800' ecx='0x7fbae3ff' edx='0xbfebfbff'/>",
        "  <cpuid eax_in='0x80000000' ecx_in='0x00' eax='0x80000008' ebx='0x00000000' ecx='0x00000000' edx='0x00000000'/>",
        "  <cpuid eax_in='0x80000007' ecx_in='0x00' eax='0x00000000' ebx='0x00000000' ecx='0x00000000' edx='0x00000100'/>",
        '</cpudata>',
      ].join('\n'),
      { file: 'ivb.xml' },
    ).dump);
    const view = getProfile('kvm');
    const guest = guestFeatures(host, view);
    for (const id of ['monitor', 'est', 'tm2', 'ds_cpl', 'xtpr', 'pdcm', 'smx', 'vmx', 'invtsc']) {
      expect(host.features.has(id), id).toBe(true);
      expect(guest.has(id), id).toBe(false);
    }
    for (const id of ['x2apic', 'tsc_adjust', 'arat', 'sse4_2', 'avx']) expect(guest.has(id), id).toBe(true);
    expect(guestFeatures(host, view, { nested: true }).has('vmx')).toBe(true);
    expect(whyHidden(catalog.require('invtsc'), view, 'intel')).toMatch(/unmigratable/);
  });
});

/**
 * Where what QEMU/KVM offered a guest on one of libvirt's hosts (-json.xml) differs from the kvm
 * view of that host's raw CPUID, and why. Every difference the test finds must be listed here,
 * and everything listed must be found. `+x`: the KVM guest had x, the view has not; `-x`: the
 * view has x, the KVM guest had not.
 */
const EXPLAINED: readonly { readonly why: string; readonly diffs: Readonly<Record<string, string>> }[] = [
  {
    why: 'the KVM or QEMU that libvirt recorded on this host predates offering it; current kernels and QEMU pass it to guests',
    diffs: {
      'A10-5800K': '-tsc_deadline_timer -arat -perfctr_core -rdtscp',
      'Atom-P5362': '-waitpkg -flush_l1d -taa_no',
      Cooperlake: '-flush_l1d',
      'Core-i5-4670T': '-arat',
      'Core-i7-3740QM': '-arat',
      'Core-i7-3770': '-arat',
      'Core-i7-5600U-arat': '-arat',
      'Core-i7-5600U-ibrs': '-spec_ctrl -intel_stibp',
      'Core-i7-7600U': '-intel_stibp -flush_l1d',
      'Core-i7-7700': '-xsaves',
      'Core-i7-8550U': '-flush_l1d',
      'Core-i7-8700': '-intel_stibp -flush_l1d',
      'Core2-E6850': '-arat',
      'EPYC-7502-32-Core': '-amd_ibrs',
      'EPYC-7601-32-Core-ibpb': '-xsaves -perfctr_core -rdtscp -clzero -xsaveerptr',
      'EPYC-7601-32-Core': '-xsaves -perfctr_core -clzero -xsaveerptr',
      'Hygon-C86-7185-32-core': '-xsaves -perfctr_core -clzero -xsaveerptr',
      'Ice-Lake-Server': '-rdpid -fsrm -flush_l1d',
      'Opteron-2350': '-arat -tsc_adjust -rdtscp',
      'Opteron-6234': '-perfctr_core -rdtscp',
      'Phenom-B95': '-tsc_deadline_timer -arat -tsc_adjust -rdtscp',
      'Ryzen-7-1800X-Eight-Core': '-sha_ni -xsaves -perfctr_core -clzero -xsaveerptr',
      'Ryzen-9-3900X-12-Core': '-amd_stibp',
      'Xeon-E3-1225-v5': '-flush_l1d -xsaves',
      'Xeon-E5-2609-v3': '-intel_stibp',
      'Xeon-E5-2623-v4': '-intel_stibp',
      'Xeon-E5-2630-v3': '-arat',
      'Xeon-E5-2650': '-flush_l1d',
      'Xeon-E5-2650-v3': '-arat -tsc_adjust -xsaveopt',
      'Xeon-E7-4820': '-arat',
      'Xeon-E7540': '-flush_l1d',
      'Xeon-Gold-5115': '-intel_stibp -xsaves',
      'Xeon-Gold-6130': '-flush_l1d',
      'Xeon-Gold-6148': '-xsaves',
      'Xeon-Platinum-8268': '-md_clear -intel_stibp -flush_l1d -arch_capabilities -mds_no',
      'Xeon-Platinum-9242': '-flush_l1d',
      'Xeon-W3520': '-tsc_deadline_timer -arat',
    },
  },
  {
    why:
      'newer KVM derives speculation-control and vulnerability bits for a guest from the host\u2019s: the other vendor\u2019s spelling of IBPB/STIBP/SSBD, ' +
      'an emulated IA32_ARCH_CAPABILITIES with SKIP_L1DFL_VMENTRY and PSCHANGE_MC_NO. It depends on the host bits and the kernel, which a fixed view cannot express',
    diffs: {
      'Atom-P5362': '+amd_ibpb +amd_stibp +amd_ssbd',
      Cooperlake: '+amd_ibpb +amd_stibp +amd_ssbd',
      'Core-i7-7600U': '+skip_l1dfl_vmentry',
      'Core-i7-8550U': '+arch_capabilities',
      'EPYC-7502-32-Core': '+spec_ctrl +intel_stibp +arch_capabilities +spec_ctrl_ssbd +virt_ssbd',
      'Hygon-C86-7185-32-core': '+virt_ssbd',
      'Ryzen-9-3900X-12-Core': '+intel_stibp +arch_capabilities +spec_ctrl_ssbd +virt_ssbd',
      'Xeon-Gold-6130': '+arch_capabilities +skip_l1dfl_vmentry',
      'Xeon-Platinum-9242': '+amd_ibpb +amd_ssbd +pschange_mc_no',
    },
  },
  {
    why: 'KVM emulates UMIP on Intel hosts without it (descriptor-table exiting, Linux 4.16 on); the view does not promise it because older kernels did not',
    diffs: {
      Cooperlake: '+umip',
      'Core-i7-7600U': '+umip',
      'Core-i7-8550U': '+umip',
      'Core-i7-8700': '+umip',
      'Xeon-Gold-6130': '+umip',
      'Xeon-Platinum-8268': '+umip',
      'Xeon-Platinum-9242': '+umip',
    },
  },
  {
    why: 'newer KVM offers PDCM (IA32_PERF_CAPABILITIES) to guests with a virtual PMU; the view hides it because older kernels did not',
    diffs: { 'Atom-P5362': '+pdcm' },
  },
  {
    why: 'nested hosts: KVM before Linux 5.x offered a nested hypervisor only NPT and NRIP-save of SVM; current kernels add these',
    diffs: {
      'EPYC-7502-32-Core': '-lbrv -tsc_scale -vmcb_clean -pausefilter -pfthreshold -v_vmsave_vmload -vgif',
      'Opteron-2350': '-lbrv',
      'Ryzen-7-1800X-Eight-Core': '-lbrv -tsc_scale -vmcb_clean -pausefilter -pfthreshold -v_vmsave_vmload -vgif',
      'Ryzen-9-3900X-12-Core': '-lbrv -tsc_scale -vmcb_clean -pausefilter -pfthreshold -v_vmsave_vmload -vgif',
    },
  },
  {
    why: 'QEMU lists the nested-SVM features KVM supports even when SVM itself is off (nested disabled); without SVM a guest cannot use them',
    diffs: {
      'A10-5800K': '+npt +nrip_save',
      'EPYC-7601-32-Core-ibpb': '+npt +nrip_save',
      'EPYC-7601-32-Core': '+npt +nrip_save',
      'Hygon-C86-7185-32-core': '+npt +nrip_save',
      'Opteron-6234': '+npt +nrip_save',
      'Phenom-B95': '+npt +nrip_save',
    },
  },
  {
    why: 'Haswell TSX erratum: the dump still reports HLE/RTM, the host kernel (and libvirt\u2019s decode) drop them',
    diffs: { 'Core-i5-4670T': '-hle -rtm' },
  },
  {
    why: 'the host kernel had not enabled protection keys (no OSPKE in the dump); KVM offers PKU only when the host uses it',
    diffs: { 'Xeon-Gold-5115': '-pku', 'Xeon-Gold-6148': '-pku' },
  },
  {
    why: 'the raw dump lacks leaf 0xD subleaf 1, so the XSAVEOPT bit is not in it',
    diffs: { 'Core-i5-4670T': '+xsaveopt', 'Core-i7-3740QM': '+xsaveopt' },
  },
];

/** Nested hosts whose -json.xml lists the VMX capability controls: the raw dumps carry no VMX MSRs, so the view cannot know them. */
const VMX_CONTROLS_ONLY_IN_JSON = ['Atom-P5362', 'Cooperlake', 'Core-i7-8550U', 'Xeon-Platinum-9242'];

describe.skipIf(!hasShared)('kvm view against what QEMU/KVM offered on 51 of libvirt\u2019s hosts (needs ../shared)', () => {
  const dir = shared('oracle', 'libvirt-cputestdata', 'cputestdata');
  const cpus = hasShared ? readdirSync(dir).filter((f) => f.endsWith('-json.xml')).map((f) => f.replace(/^x86_64-cpuid-|-json\.xml$/g, '')).sort() : [];
  const known = builtinModels().known;

  it('finds 51 hosts', () => {
    expect(cpus).toHaveLength(51);
  });

  it('agrees with every -json.xml except for the differences listed with their reason', () => {
    let agreeing = 0;
    for (const cpu of cpus) {
      const raw = libvirtImporter.parse(readFileSync(join(dir, `x86_64-cpuid-${cpu}.xml`), 'utf8'), { file: cpu }).dump;
      const file = `x86_64-cpuid-${cpu}-json.xml`;
      const offered = readLibvirtCpus(readFileSync(join(dir, file), 'utf8'), file)[0]!.features.intersection(known).filter((f) => f.kind === 'feature');
      // The recorded KVM had nested virtualization on exactly when its guest got VMX or SVM.
      const nested = offered.has('vmx') || offered.has('svm');
      const view = guestFeatures(decodeHost(raw), KVM_PROFILE, { nested }).intersection(known);
      const vmxControls = [...offered.minus(view)].filter((f) => f.cat === 'virtualization' && f.loc.type === 'msr');
      const diffs = [...[...view.minus(offered)].map((f) => `-${f.id}`), ...[...offered.minus(view)].filter((f) => !vmxControls.includes(f)).map((f) => `+${f.id}`)];
      const explained = EXPLAINED.flatMap((e) => (e.diffs[cpu] ?? '').split(' ').filter((d) => d !== ''));
      expect(diffs.sort(), cpu).toEqual(explained.sort());
      expect(vmxControls.length > 0, cpu).toBe(VMX_CONTROLS_ONLY_IN_JSON.includes(cpu));
      if (vmxControls.length > 0) expect([...raw.msrs.keys()].some((i) => i >= 0x480 && i <= 0x491), cpu).toBe(false);
      if (diffs.length === 0) agreeing++;
    }
    // Hosts whose guest matches the view exactly, feature for feature (the rest differ only as listed).
    expect(agreeing).toBe(14);
  });
});

describe('KVM facts agree with each other (one file: the profile and the accelerator defaults)', () => {
  it('what -accel kvm turns on, the KVM profile shows guests; what it turns off, the profile hides', () => {
    const shown = new Set(KVM_PROFILE.added.flatMap((r) => r.ids ?? []));
    const hidden = new Set(KVM_PROFILE.hidden.flatMap((r) => r.ids ?? []));
    for (const d of QEMU_ACCEL_DEFAULTS.filter((x) => x.accel === 'kvm')) {
      if (d.value) expect(shown.has(d.id), `${d.id} is set by -accel kvm`).toBe(true);
      else expect(hidden.has(d.id), `${d.id} is cleared by -accel kvm`).toBe(true);
    }
  });
});
