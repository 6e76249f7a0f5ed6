/**
 * The library's one call per command: each composes core, formats, plan and report exactly as the
 * CLI command does (the commands call these same functions), and returns the result with the JSON
 * and the text the command prints. Pure: text in, data out; no file, process or terminal access,
 * so it runs in the browser as in Node. Documented in docs/api.md. One module per command under
 * api/, so that each command loads only what it needs (CLI start-up time).
 */
export type { HostInput, SelectOptions } from '../formats/select-host.js';
export { selectHost } from '../formats/select-host.js';
export * from './api/decode.js';
export * from './api/hosts.js';
export * from './api/evc-modes.js';
export * from './api/show.js';
export * from './api/check.js';
export * from './api/baseline.js';
export * from './api/target.js';
export * from './api/mask.js';
export * from './api/modes.js';
export * from './api/features.js';
export * from './api/explain.js';
export * from './api/plan.js';
