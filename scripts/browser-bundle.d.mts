/** Types of scripts/browser-bundle.mjs (for the tests that import it). */
export interface BrowserBundle {
  /** The bundle's JavaScript (ESM). */
  readonly code: string;
  /** Every import of a Node.js built-in: the module named and the file (relative to the repository) that imports it. */
  readonly builtins: readonly { readonly module: string; readonly importer: string }[];
}
export function bundleBrowser(options?: { readonly entry?: string; readonly minify?: boolean }): Promise<BrowserBundle>;
