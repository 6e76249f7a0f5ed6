/**
 * Masks for every hypervisor: one engine (engine.ts) and one module per syntax — VMware register
 * lines (vmware.ts), per-VM EVC feature settings (featmask.ts), Xen `cpuid=` (xen.ts) — plus the
 * faithful `.vmx` text model (vmx.ts) and its CPU settings (vmx-cpu.ts). See docs/masks.md.
 */
export * from './engine.js';
export * from '../../formats/vmx/register-masks.js';
export * from '../../formats/featmask/syntax.js';
export * from '../../formats/xen/syntax.js';
export * from '../../formats/vmx/document.js';
export * from '../../formats/vmx/cpu.js';
