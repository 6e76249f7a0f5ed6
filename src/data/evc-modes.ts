/**
 * VMware EVC modes as versioned data: one row per mode, each fact with the source it comes from.
 * The machinery (feature sets, ordering, host support, vCenter overrides) is src/core/evc.ts.
 *
 * What a row says
 * - `key`, `label`, `vendor`, `level` (the KB's level names: L0.. for Intel, A0..A3 and B0.. for AMD),
 *   `tier` (a number ordering modes of one vendor: the KB level index, AMD B-levels counted from A2).
 * - `tracks`: the ladders the mode sits on. Intel has one (`intel`). AMD has two: `A`, the first
 *   Opteron generations, whose modes carry 3DNow!, and `B`, Opteron Generation 3 and later, without
 *   3DNow!; `amd-greyhound-no3dnow` is on both (KB 1003212).
 * - `parent`: the mode this one extends. A mode's feature set is its parent's set plus `adds` minus
 *   `removes`, closed over catalog dependencies (AVX brings XSAVE and the YMM state).
 * - `adds`/`removes`: catalog ids, grouped by the source that places them in this mode.
 *   `confirmed: false` marks what no source we hold confirms (facts/vmware-evc.md says UNCONFIRMED),
 *   including features whose *membership* is confirmed but whose *placement* in this mode is not.
 * - `passes`: features the mode lets through when the hosts have them but does not require:
 *   the Spectre-era bits VMware added to existing modes (a host without the microcode still
 *   supports the mode; the guest then simply lacks them).
 * - `lacks`: confirmed absences (a check on the data, not part of the definition).
 * - `evidence`: a confirmed complete feature set for this mode, from a mask vCenter showed or a
 *   real VM's requirement list. Tests check that the cumulative definition agrees with it.
 *
 * Placement rule for features our sources confirm in a mode's set but do not place: the lowest
 * mode whose confirmed set holds them (e.g. XSAVEOPT is first confirmed by the Broadwell VM's
 * requirement list, although Sandy Bridge CPUs already have it), unless a note explains a lower one.
 *
 * Only features vSphere has keys for (the catalog's `vmware` column) take part in vMotion checks
 * (see the esxi view); other ids here describe the mode for people and for other hypervisors.
 *
 * A placement is one feature put into (`adds`), taken out of (`removes`) or let through (`passes`)
 * a mode by one fact; each fact cites its source beside it. Review of public VMware/Broadcom
 * documentation (2026: the vSphere 6.7 host-management and VM administration guides, KB 1003212's
 * public copies, the EVC FAQ KB 1005764 = Broadcom 313545, KB 391911, the EVCMode API reference)
 * confirms these placements and no others: SSE4.1 in Penryn (doc67-hostmgmt), the Sandy Bridge
 * additions over Westmere (seed 002's masks as vCenter showed them), 3DNow! out of and back into
 * Generation 3 (kb1003212), and the Spectre-era bits let through Ivy Bridge and Broadwell
 * (ssbd-script, govc-dump). Every other placement stays `confirmed: false`; `openevc modes` prints
 * how many are confirmed.
 */
import type { EvcModeRow, EvcSource } from './schema.js';

/** Where the facts come from. Ids are referenced by rows below; descriptions are openevc's own words. */
export const EVC_SOURCES: Readonly<Record<string, EvcSource>> = {
  'pcli-vmevc': {
    title: 'PowerCLI per-VM EVC module: the mode keys it accepts (vSphere 6.7 era, up to intel-skylake and amd-zen)',
    url: 'https://github.com/vmware-archive/PowerCLI-Example-Scripts/pull/195',
  },
  'doc67-hostmgmt': {
    title: 'vSphere 6.7 vCenter Server and Host Management, EVC chapter: Merom and Penryn labels; raising a cluster from Merom to Penryn exposes SSE4.1',
    url: 'http://38.142.81.21:8001/manual/vmware/vsphere/11-10-9-8-7-6-5-4-3-2-1-6-7-english/page-140.html',
  },
  kb1003212: {
    title: 'VMware KB 1003212 (EVC processor support), mirrored copies: Intel levels L0.. (Sandy Bridge L4, Ivy Bridge L5), AMD sequences A0..A3 and B0..',
    url: 'http://5bim.com/oubohuiyuanwangzhan/21116.html',
  },
  'blog-joetietz': {
    title: 'restatement of the KB Intel ladder L0 Merom .. L8 Skylake',
    url: 'https://joetietz.com/2018/07/24/back-to-the-basics-evc-with-an-extra-twist/',
  },
  kb391911: {
    title: 'Broadcom KB 391911: Windows Server 2025 does not boot under the Merom EVC mode, which lacks SSE4.2 and POPCNT',
    url: 'https://knowledge.broadcom.com/external/article/391911/windows-server-2025-will-not-boot-in-esx.html',
  },
  'seed-000': {
    title: 'openevc seed article 000 (2008): a cluster of Xeon E5310 (Merom class) hosts gains an E5420 (Penryn class) host whose extra SSE4.1 blocks vMotion back',
  },
  'seed-002': {
    title: 'openevc seed article 002, "Manual EVC-like per VM configuration": Avoton C2750 and Ivy Bridge hosts, the blockers vCenter named, the Westmere EVC mask and its differences from Sandy Bridge',
    url: 'http://www.michaelm.info/blog/?p=1393',
  },
  'govc-dump': {
    title: 'public JSON dump of a vmx-14 VM with minRequiredEVCModeKey intel-broadwell: its featureRequirement list, the complete feature set of a VM under that mode (location not recorded)',
  },
  'ssbd-script': {
    title: 'pyVmomi SSBD check script for VMware KB 55111: cpuid.SSBD appears in the intel-ivybridge featureMask once vCenter is patched (location not recorded)',
  },
  'vcsa-script': {
    title: 'a VCSA deployment script comment listing intel-cascadeLake among the Intel mode keys (location not recorded; official casing unconfirmed)',
  },
  'third-party-fixtures': {
    title: 'third-party test fixtures using the key as summary.currentEVCModeKey (not an official list)',
  },
  'kb1005764-recalled': {
    title:
      'VMware KB 1005764 per-mode feature tables as recalled, not verified against the article (UNCONFIRMED); the public copies of the FAQ (Broadcom 313545, reviewed 2026) show no per-mode feature table',
    url: 'https://knowledge.broadcom.com/external/article/313545/vmware-evc-and-cpu-compatibility-faq.html',
  },
  inferred: {
    title: "openevc's inference from the other sources; the row's note gives the reasoning",
  },
};

/**
 * The Westmere EVC mask of seed 002, per register: the bits the mode lets guests see (1) and hides (0).
 * Registers not listed pass nothing. Leaf 7 EBX: the article had to hide FSGSBASE (bit 0) in
 * addition to the EVC page's registers; no Westmere-generation CPU has any leaf-7 feature, so the
 * mode passes none of them (bit 0 confirmed, the rest inferred).
 */
const WESTMERE_MASK = [
  { reg: '1.ecx', pass: 0x0298e23f },
  { reg: '1.edx', pass: 0x8febfbff },
  { reg: '80000001.ecx', pass: 0x00000001 },
  { reg: '80000001.edx', pass: 0x28100800 },
  { reg: '7.0.ebx', pass: 0x00000000 },
  { reg: 'd.0.eax', pass: 0x00000000 },
  { reg: 'd.0.ecx', pass: 0x00000000 },
  { reg: 'd.0.edx', pass: 0x00000000 },
] as const;

/**
 * Seed 002's Sandy Bridge EVC mask differs from Westmere's in three leaf-1 ECX bits (TSC-deadline,
 * XSAVE and AVX; the article calls one of them AES, but its own Westmere mask already passes AES),
 * three leaf-0xD EAX bits (x87, SSE and AVX state) and the leaf-0xD ECX save-area size (a size,
 * not a feature). Leaf 0xD subleaf 1 (XSAVEOPT...) was not shown.
 */
const SANDYBRIDGE_MASK = [
  ...WESTMERE_MASK.filter((r) => r.reg !== '1.ecx' && r.reg !== 'd.0.eax'),
  { reg: '1.ecx', pass: 0x0298e23f | 0x15000000 },
  { reg: 'd.0.eax', pass: 0x00000007 },
] as const;

/** The Spectre-era bits the Broadwell VM of the govc dump required (IBPB is enumerated by the IBRS bit on Intel). */
const INTEL_MITIGATIONS = ['spec_ctrl', 'intel_stibp', 'md_clear', 'flush_l1d'];

const UNCONFIRMED_TABLE = 'kb1005764-recalled';

export const EVC_MODE_TABLE: readonly EvcModeRow[] = [
  // ---- Intel: one ladder ---------------------------------------------------------------------
  {
    key: 'intel-merom', label: 'Intel "Merom" Generation (Xeon Core 2)', vendor: 'intel', tracks: ['intel'], level: 'L0', tier: 0,
    source: { key: 'pcli-vmevc', label: 'doc67-hostmgmt', level: 'kb1003212' },
    adds: [
      { ids: ['sse3', 'ssse3', 'cx16', 'lahf_lm', 'nx', 'lm'], source: UNCONFIRMED_TABLE, confirmed: false },
      { ids: ['ss'], source: 'inferred', confirmed: false, note: 'Self-snoop is in the Westmere mask and the Broadwell requirement list; every Core 2 reports it' },
    ],
    lacks: [{ ids: ['sse4_2', 'popcnt'], source: 'kb391911', confirmed: true }],
  },
  {
    key: 'intel-penryn', label: 'Intel "Penryn" Generation (Xeon 45 nm Core 2)', vendor: 'intel', tracks: ['intel'], level: 'L1', tier: 1, parent: 'intel-merom',
    source: { key: 'pcli-vmevc', label: 'doc67-hostmgmt', level: 'kb1003212' },
    adds: [{ ids: ['sse4_1'], source: 'doc67-hostmgmt', confirmed: true, note: 'Also seed 000: the Penryn-class host adds SSE4.1 over the Merom-class ones' }],
  },
  {
    key: 'intel-nehalem', label: 'Intel "Nehalem" Generation (Xeon Core i7)', vendor: 'intel', tracks: ['intel'], level: 'L2', tier: 2, parent: 'intel-penryn',
    source: { key: 'pcli-vmevc', level: 'kb1003212' },
    adds: [
      { ids: ['sse4_2', 'popcnt'], source: UNCONFIRMED_TABLE, confirmed: false, note: 'Consistent with KB 391911 (Merom lacks them) and the Westmere mask (passes them)' },
      { ids: ['rdtscp'], source: 'inferred', confirmed: false, note: 'The Westmere mask passes RDTSCP; Nehalem is the first Intel generation with it' },
    ],
  },
  {
    key: 'intel-westmere', label: 'Intel "Westmere" Generation (Xeon 32 nm Core i7)', vendor: 'intel', tracks: ['intel'], level: 'L3', tier: 3, parent: 'intel-nehalem',
    source: { key: 'pcli-vmevc', level: 'kb1003212' },
    adds: [{ ids: ['aes', 'pclmulqdq'], source: UNCONFIRMED_TABLE, confirmed: false, note: 'In the Westmere mask (seed 002); Nehalem CPUs lack both' }],
    evidence: { source: 'seed-002', mask: WESTMERE_MASK },
  },
  {
    key: 'intel-sandybridge', label: 'Intel "Sandy Bridge" Generation', vendor: 'intel', tracks: ['intel'], level: 'L4', tier: 4, parent: 'intel-westmere',
    source: { key: 'pcli-vmevc', label: 'kb1003212', level: 'kb1003212' },
    adds: [{ ids: ['avx', 'xsave', 'xsave_sse', 'xsave_ymm', 'tsc_deadline_timer'], source: 'seed-002', confirmed: true, note: 'The Sandy Bridge mask differs from the Westmere one exactly here' }],
    evidence: { source: 'seed-002', mask: SANDYBRIDGE_MASK },
  },
  {
    key: 'intel-ivybridge', label: 'Intel "Ivy Bridge" Generation', vendor: 'intel', tracks: ['intel'], level: 'L5', tier: 5, parent: 'intel-sandybridge',
    source: { key: 'pcli-vmevc', label: 'kb1003212', level: 'kb1003212' },
    adds: [{ ids: ['rdrand', 'erms', 'fsgsbase', 'smep', 'f16c'], source: UNCONFIRMED_TABLE, confirmed: false }],
    passes: [{ ids: ['spec_ctrl_ssbd'], source: 'ssbd-script', confirmed: true, note: 'Present in the mode once vCenter is patched; required of no host' }],
  },
  {
    key: 'intel-haswell', label: 'Intel "Haswell" Generation', vendor: 'intel', tracks: ['intel'], level: 'L6', tier: 6, parent: 'intel-ivybridge',
    source: { key: 'pcli-vmevc' },
    adds: [
      { ids: ['avx2', 'bmi1', 'bmi2', 'movbe', 'fma', 'invpcid', 'pcid', 'abm'], source: UNCONFIRMED_TABLE, confirmed: false, note: 'The KB also lists VMFUNC, a VMX capability guests see only with nested virtualization' },
      {
        ids: ['pdpe1gb'], source: 'inferred', confirmed: false,
        note: 'In the Broadwell requirement list; hidden by the Westmere mask, unchanged by Sandy Bridge, and absent from Ivy Bridge desktop CPUs, which support the Ivy Bridge mode',
      },
    ],
  },
  {
    key: 'intel-broadwell', label: 'Intel "Broadwell" Generation', vendor: 'intel', tracks: ['intel'], level: 'L7', tier: 7, parent: 'intel-haswell',
    source: { key: 'pcli-vmevc', level: 'blog-joetietz' },
    adds: [
      { ids: ['adx', 'rdseed', 'smap', '3dnowprefetch'], source: UNCONFIRMED_TABLE, confirmed: false, note: 'The recalled table also names TSX (HLE, RTM); the Broadwell requirement list has neither, so they are left out' },
      { ids: ['xsaveopt'], source: 'govc-dump', confirmed: false, note: 'Placement rule: first confirmed here; Sandy Bridge and later CPUs already have it' },
    ],
    passes: [{ ids: INTEL_MITIGATIONS, source: 'govc-dump', confirmed: true, note: 'Required by the Broadwell VM, whose hosts had the microcode; back-ported by VMware, so not required of a host' }],
    evidence: {
      source: 'govc-dump',
      ids: [
        '3dnowprefetch', 'abm', 'adx', 'aes', 'avx', 'avx2', 'bmi1', 'bmi2', 'cx16', 'erms', 'f16c', 'flush_l1d', 'fma', 'fsgsbase', 'spec_ctrl',
        'invpcid', 'lahf_lm', 'lm', 'md_clear', 'movbe', 'nx', 'pcid', 'pclmulqdq', 'pdpe1gb', 'popcnt', 'rdrand', 'rdseed', 'rdtscp', 'smap',
        'smep', 'ss', 'spec_ctrl_ssbd', 'sse3', 'sse4_1', 'sse4_2', 'ssse3', 'intel_stibp', 'xsave_sse', 'xsave_ymm', 'xsave', 'xsaveopt',
      ],
    },
  },
  {
    key: 'intel-skylake', label: 'Intel "Skylake" Generation', vendor: 'intel', tracks: ['intel'], level: 'L8', tier: 8, parent: 'intel-broadwell',
    source: { key: 'pcli-vmevc', level: 'blog-joetietz' },
    adds: [
      {
        ids: ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl', 'clflushopt', 'xsavec', 'xsaves'], source: UNCONFIRMED_TABLE, confirmed: false,
        note: 'The recalled table marks CLWB, PKU and MPX as doubtful; they are left out',
      },
    ],
  },
  {
    key: 'intel-cascadelake', label: 'Intel "Cascade Lake" Generation', vendor: 'intel', tracks: ['intel'], level: 'L9', tier: 9, parent: 'intel-skylake',
    source: { key: 'vcsa-script' },
    adds: [{ ids: ['avx512_vnni', 'xgetbv1'], source: UNCONFIRMED_TABLE, confirmed: false }],
  },
  {
    key: 'intel-icelake', label: 'Intel "Ice Lake" Generation', vendor: 'intel', tracks: ['intel'], level: 'L10', tier: 10, parent: 'intel-cascadelake',
    source: { key: 'third-party-fixtures' },
    adds: [
      {
        ids: ['avx512vbmi', 'avx512_vbmi2', 'avx512_bitalg', 'avx512_vpopcntdq', 'avx512ifma', 'gfni', 'vaes', 'vpclmulqdq', 'sha_ni', 'rdpid', 'umip', 'fsrm', 'wbnoinvd'],
        source: UNCONFIRMED_TABLE, confirmed: false,
      },
    ],
  },
  {
    key: 'intel-sapphirerapids', label: 'Intel "Sapphire Rapids" Generation', vendor: 'intel', tracks: ['intel'], level: 'L11', tier: 11, parent: 'intel-icelake',
    source: { key: 'third-party-fixtures' },
    adds: [
      {
        ids: ['amx_tile', 'amx_int8', 'amx_bf16', 'avx512_bf16', 'avx512_fp16', 'avx_vnni', 'serialize', 'movdiri', 'movdir64b', 'cldemote', 'tsxldtrk'],
        source: UNCONFIRMED_TABLE, confirmed: false,
      },
    ],
  },

  // ---- AMD: sequence A (with 3DNow!) and sequence B (without), joined at Generation 3 (no 3DNow!) ----
  {
    key: 'amd-rev-e', label: 'AMD Opteron Generation 1 (Rev. E)', vendor: 'amd', tracks: ['A'], level: 'A0', tier: 0,
    source: { key: 'pcli-vmevc', level: 'kb1003212' },
    adds: [{ ids: ['sse3', '3dnow', 'nx', 'lm'], source: UNCONFIRMED_TABLE, confirmed: false, note: 'SSE3 came with the later Rev. E parts' }],
  },
  {
    key: 'amd-rev-f', label: 'AMD Opteron Generation 2 (Rev. F)', vendor: 'amd', tracks: ['A'], level: 'A1', tier: 1, parent: 'amd-rev-e',
    source: { key: 'pcli-vmevc', level: 'kb1003212' },
    adds: [{ ids: ['cx16', 'rdtscp'], source: UNCONFIRMED_TABLE, confirmed: false }],
  },
  {
    key: 'amd-greyhound-no3dnow', label: 'AMD Opteron Generation 3 (no 3DNow!)', vendor: 'amd', tracks: ['A', 'B'], level: 'A2/B0', tier: 2, parent: 'amd-rev-f',
    source: { key: 'pcli-vmevc', label: 'kb1003212', level: 'kb1003212' },
    adds: [{ ids: ['sse4a', 'misalignsse', 'popcnt', 'abm', '3dnowprefetch'], source: UNCONFIRMED_TABLE, confirmed: false }],
    removes: [{ ids: ['3dnow'], source: 'kb1003212', confirmed: true, note: 'A Generation 4 CPU (no 3DNow!) supports this mode but not Generation 3' }],
  },
  {
    key: 'amd-greyhound', label: 'AMD Opteron Generation 3', vendor: 'amd', tracks: ['A'], level: 'A3', tier: 3, parent: 'amd-greyhound-no3dnow',
    source: { key: 'pcli-vmevc', label: 'kb1003212', level: 'kb1003212' },
    adds: [{ ids: ['3dnow'], source: 'kb1003212', confirmed: true, note: 'The only difference from Generation 3 (no 3DNow!)' }],
  },
  {
    key: 'amd-bulldozer', label: 'AMD Opteron Generation 4', vendor: 'amd', tracks: ['B'], level: 'B1', tier: 3, parent: 'amd-greyhound-no3dnow',
    source: { key: 'pcli-vmevc', label: 'kb1003212', level: 'kb1003212' },
    adds: [
      {
        ids: ['ssse3', 'sse4_1', 'sse4_2', 'aes', 'pclmulqdq', 'xsave', 'avx'], source: UNCONFIRMED_TABLE, confirmed: false,
        note: 'The recalled table also lists XOP and FMA4. Zen CPUs lack both, and by the KB a CPU at a B level supports every B level below it, so the mode cannot require them',
      },
    ],
  },
  {
    key: 'amd-piledriver', label: 'AMD Opteron "Piledriver" Generation', vendor: 'amd', tracks: ['B'], level: 'B2', tier: 4, parent: 'amd-bulldozer',
    source: { key: 'pcli-vmevc' },
    adds: [
      {
        ids: ['fma', 'bmi1', 'f16c'], source: UNCONFIRMED_TABLE, confirmed: false,
        note: 'The recalled table also lists TBM, which Zen CPUs lack: left out for the same reason as XOP in the Bulldozer mode',
      },
    ],
  },
  {
    key: 'amd-steamroller', label: 'AMD Opteron "Steamroller" Generation', vendor: 'amd', tracks: ['B'], level: 'B3', tier: 5, parent: 'amd-piledriver',
    source: { key: 'pcli-vmevc' },
    adds: [{ ids: ['xsaveopt', 'fsgsbase'], source: UNCONFIRMED_TABLE, confirmed: false }],
  },
  {
    key: 'amd-zen', label: 'AMD "Zen" Generation', vendor: 'amd', tracks: ['B'], level: 'B4', tier: 6, parent: 'amd-steamroller',
    source: { key: 'pcli-vmevc' },
    adds: [
      {
        ids: ['rdrand', 'smep', 'avx2', 'bmi2', 'movbe', 'adx', 'rdseed', 'smap', 'clflushopt', 'xsaves', 'xsavec', 'sha_ni', 'clzero'],
        source: UNCONFIRMED_TABLE, confirmed: false,
      },
    ],
  },
  {
    key: 'amd-zen2', label: 'AMD "Zen 2" Generation', vendor: 'amd', tracks: ['B'], level: 'B5', tier: 7, parent: 'amd-zen',
    source: {},
    adds: [{ ids: ['clwb', 'umip', 'rdpid', 'wbnoinvd', 'xgetbv1'], source: UNCONFIRMED_TABLE, confirmed: false }],
  },
  {
    key: 'amd-zen3', label: 'AMD "Zen 3" Generation', vendor: 'amd', tracks: ['B'], level: 'B6', tier: 8, parent: 'amd-zen2',
    source: {},
    adds: [{ ids: ['invpcid', 'pku', 'vaes', 'vpclmulqdq'], source: UNCONFIRMED_TABLE, confirmed: false, note: 'The recalled table marks PCID as doubtful; it is left out' }],
  },
  {
    key: 'amd-zen4', label: 'AMD "Zen 4" Generation', vendor: 'amd', tracks: ['B'], level: 'B7', tier: 9, parent: 'amd-zen3',
    source: {},
    adds: [
      {
        ids: [
          'avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl', 'avx512ifma', 'avx512vbmi', 'avx512_vbmi2', 'avx512_vnni', 'avx512_bitalg',
          'avx512_vpopcntdq', 'avx512_bf16', 'gfni',
        ],
        source: UNCONFIRMED_TABLE, confirmed: false,
      },
    ],
  },
];
