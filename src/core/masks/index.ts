/**
 * Masks for every hypervisor: one engine (engine.ts) and one module per syntax — VMware register
 * lines (vmware.ts), per-VM EVC feature settings (featmask.ts), Xen `cpuid=` (xen.ts) — plus the
 * faithful `.vmx` text model (vmx.ts) and its CPU settings (vmx-cpu.ts). See docs/masks.md.
 */
export * from './engine.js';
export * from './vmware.js';
export * from './featmask.js';
export * from './xen.js';
export * from './vmx.js';
export * from './vmx-cpu.js';
