/**
 * Bounded cost (issue 10): inputs just under the 64 MiB cap, shaped to be expensive, are decoded
 * (or refused) in under 2 s and 300 MB by the CLI, measured in its own process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBundle } from '../test-support/cli-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'openevc-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SIZE = 60 * 1024 * 1024;

function run(args: readonly string[]): Promise<{ code: number | null; stderr: string; ms: number; cpuMs: number; rssMB: number }> {
  return new Promise((resolve) => {
    const hook = "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\n@@rss '+u.maxRSS+' '+(u.userCPUTime+u.systemCPUTime)+'\\n')})";
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', hook, cliBundle(), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const m = /@@rss (\d+) (\d+)/.exec(stderr);
      resolve({ code, stderr: stderr.replace(/\n@@rss \d+ \d+\n$/, ''), ms, cpuMs: Number(m?.[2] ?? 0) / 1000, rssMB: Number(m?.[1] ?? 0) / 1024 });
    });
  });
}

const L0 = 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n';
const L1 = 'CPUID 00000001: 000306A9-00100800-7F9AE3BF-BFEBFBFF\n';
const CASES: readonly [string, string, () => string][] = [
  ['instlatx64: one CPU block repeated (folded)', 'blocks.txt', () => (L0 + L1).repeat(Math.floor(SIZE / (L0 + L1).length))],
  ['instlatx64: one line repeated (refused early)', 'line.txt', () => L0 + L1.repeat(Math.floor(SIZE / L1.length) - 1)],
  ['cpuid -r: one CPU repeated', 'cpuid-r.txt', () => {
    const b = '   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n   0x00000001 0x00: eax=0x000306a9 ebx=0x00100800 ecx=0x7f9ae3bf edx=0xbfebfbff\n';
    return b.repeat(Math.floor(SIZE / b.length));
  }],
  ['vmware.log: the same lines over and over', 'vmware.log', () => {
    const b = '2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000000, 0: 0x0000000d 0x756e6547 0x6c65746e 0x49656e69\n2016-01-04T16:19:46.611-08:00| vmx| I120: hostCPUID level 00000001, 0: 0x000306a9 0x00100800 0x7f9ae3bf 0xbfebfbff\n';
    return b.repeat(Math.floor(SIZE / b.length));
  }],
  ['libvirt <cpudata>: 400,000 attributes on one element', 'attrs.xml', () => `<cpudata arch='x86'>\n<cpuid eax_in='0x0' ecx_in='0x0' eax='0xd' ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'${Array.from({ length: 400_000 }, (_, i) => ` a${i}="1"`).join('')}/>\n</cpudata>\n`],
  ['libvirt <cpudata>: 300,000 elements', 'elements.xml', () => `<cpudata arch='x86'>\n${"<cpuid eax_in='0x1' ecx_in='0x0' eax='0x306a9' ebx='0x100800' ecx='0x7f9ae3bf' edx='0xbfebfbff'/>\n".repeat(300_000)}</cpudata>\n`],
];

describe('bounded cost: expensive inputs under the cap (child processes)', () => {
  it.each(CASES)('%s: decoded or refused in under 2 s and 300 MB, with exit 0 or 2', async (_, name, make) => {
    const f = join(dir, name);
    writeFileSync(f, make());
    const r = await run(['show', f]);
    expect([0, 2], r.stderr).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error/);
    // CPU time of the whole process (start-up included): wall-clock time on a shared machine varies.
    expect(r.cpuMs, r.stderr).toBeLessThan(2000);
    expect(r.ms, r.stderr).toBeLessThan(15_000);
    expect(r.rssMB, r.stderr).toBeLessThan(300);
    rmSync(f);
  });
});
