import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalog } from '../../core/catalog.js';
import { runCli as run } from '../../test-support/cli.js';
import { findFeatures, parseLocationQuery } from '../../report/features.js';

const ids = (query: string) => findFeatures(query).map((f) => f.id);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('features query matching', () => {
  it('matches any spelling, normalized', () => {
    expect(ids('pni')).toEqual(['sse3']);
    expect(ids('SSE4.1')).toEqual(['sse4_1']);
    expect(ids('lahf-lm')).toEqual(['lahf_lm']);
    expect(ids('pclmuldq')).toEqual(['pclmulqdq']);
    expect(ids('enfstrg')).toEqual(['erms']);
    expect(ids('page1gb')).toEqual(['pdpe1gb']);
    expect(ids('cpuid.NX')).toEqual(['nx']);
    expect(ids('cpuid.SSE41')).toEqual(['sse4_1']);
    // An exact spelling wins over reading the query as a hexadecimal leaf.
    expect(ids('de')).toEqual(['de']);
  });

  it('reads locations in the catalog, human, SDM and vSphere notations', () => {
    expect(ids('1.ecx.19')).toEqual(['sse4_1']);
    expect(ids('0x7.0:EBX[5]')).toEqual(['avx2']);
    expect(ids('CPUID.(EAX=07H,ECX=0):EBX[5]')).toEqual(['avx2']);
    expect(ids('MSR 0x10a[5]')).toEqual(['mds_no']);
    expect(ids('7.0.ebx').length).toBe(32);
    const ext1 = findFeatures('0x80000001');
    expect(ext1.length).toBeGreaterThan(40);
    expect(ext1.every((f) => f.loc.type === 'cpuid' && f.loc.leaf === 0x80000001)).toBe(true);
    const edx = findFeatures("CPUID level 0x80000001 register 'edx'");
    expect(edx.map((f) => f.id)).toContain('nx');
    expect(edx.every((f) => f.loc.type === 'cpuid' && f.loc.reg === 'edx')).toBe(true);
    expect(findFeatures('msr.10a').every((f) => f.loc.type === 'msr' && f.loc.index === 0x10a)).toBe(true);
  });

  it('parses location queries strictly', () => {
    expect(parseLocationQuery('7')).toEqual({ type: 'cpuid', leaf: 7 });
    expect(parseLocationQuery('7.1')).toEqual({ type: 'cpuid', leaf: 7, subleaf: 1 });
    expect(parseLocationQuery('1.ecx')).toEqual({ type: 'cpuid', leaf: 1, subleaf: 0, reg: 'ecx' });
    expect(parseLocationQuery('msr.48c.32')).toEqual({ type: 'msr', index: 0x48c, bit: 32 });
    expect(parseLocationQuery('1.ecx.x')).toBeUndefined();
    expect(parseLocationQuery('avx')).toBeUndefined();
    expect(parseLocationQuery('1.2.3.4.5')).toBeUndefined();
  });

  it('matches a category or kind, then words of display names', () => {
    const tsx = findFeatures('tsx');
    expect(tsx.map((f) => f.id)).toEqual(expect.arrayContaining(['hle', 'rtm', 'tsxldtrk', 'tsx_ctrl']));
    expect(tsx.every((f) => f.cat === 'tsx')).toBe(true);
    expect(ids('os').sort()).toEqual(['ospke', 'osxsave']);
    expect(ids('store bypass')).toEqual(expect.arrayContaining(['spec_ctrl_ssbd', 'amd_ssbd', 'ssb_no', 'amd_ssb_no']));
    expect(ids('avx512')).toEqual(expect.arrayContaining(['avx512f', 'avx512bw', 'avx512_vnni', 'avx512_fp16']));
  });
});

describe('openevc features', () => {
  it('lists the whole catalog as a table grouped by register', async () => {
    const { code, stdout } = await run('features');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+LOCATION\s+NAME\s+KIND\s+LINUX\s+QEMU\s+LIBVIRT\s+VMWARE\s+XEN$/);
    const rows = lines.filter((l) => catalog.get(l.split(' ')[0]!) !== undefined);
    expect(rows.length).toBe(catalog.size);
    expect(stdout).toContain('\nCPUID 0x1:ECX\n');
    expect(stdout).toContain('\nCPUID 0x7.0:EBX\n');
    expect(stdout).toContain('\nMSR 0x10a\n');
    expect(stdout).toContain(`${catalog.size} features.`);
    // Aligned: the LOCATION column starts at the same offset on every row.
    const offset = lines[0]!.indexOf('LOCATION');
    for (const row of rows.slice(0, 50)) expect(row.slice(offset).startsWith(' ')).toBe(false);
  });

  it('shows one feature with its names in every ecosystem and its details', async () => {
    const { code, stdout } = await run('features', 'sse4-2');
    expect(code).toBe(0);
    expect(stdout).toMatch(/sse4_2\s+1\.ecx\.20\s+SSE4\.2\s+advisory\s+sse4_2\s+sse4\.2\s+sse4\.2\s+sse42\s+sse4_2/);
    expect(stdout).toContain('location    0x1:ECX[20] (1.ecx.20)');
    expect(stdout).toMatch(/needed by\s+avx/);
  });

  it('marks hidden Linux names, unconfirmed spellings and unmigratable bits', async () => {
    const { stdout } = await run('features', '1.ecx.27');
    expect(stdout).toMatch(/osxsave\s+1\.ecx\.27\s+.*\s+os\s+\(hidden\)\s+-\s+osxsave\s+-\s+osxsave/);
    expect((await run('features', 'avx512f')).stdout).toMatch(/avx512f\?/);
    expect((await run('features', 'invtsc')).stdout).toMatch(/invtsc\s+80000007\.edx\.8\s+Invariant TSC\s+advisory\*/);
  });

  it('prints every column as JSON', async () => {
    const { code, stdout } = await run('features', '--json', '7.0.ebx');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows.length).toBe(32);
    expect(rows.map((r) => r.at)).toEqual(Array.from({ length: 32 }, (_, bit) => `7.0.ebx.${bit}`));
    const avx2 = rows.find((r) => r.id === 'avx2')!;
    expect(avx2).toMatchObject({
      at: '7.0.ebx.5',
      location: '0x7.0:EBX[5]',
      name: 'Advanced Vector Extensions 2 (AVX2)',
      cat: 'simd',
      kind: 'feature',
      enforce: 'enforced',
      gate: 'XCR0.YMM',
      deps: ['avx'],
      linux: 'avx2',
      qemu: 'avx2',
      libvirt: 'avx2',
      vmware: 'avx2',
      xen: 'avx2',
      migratable: true,
    });
    const fdp = rows.find((r) => r.id === 'fdp_excptn_only')!;
    expect(fdp.linux).toBeNull();
    expect('vmware' in fdp).toBe(false);
  });

  it('exits 1 with a clear message when nothing matches', async () => {
    const { code, stdout, stderr } = await run('features', 'no-such-feature-anywhere');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^openevc: no feature matches "no-such-feature-anywhere"; try a name/);
    expect(stderr).not.toMatch(/at .*\.ts/);
  });
});
