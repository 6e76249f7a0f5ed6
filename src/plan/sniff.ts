/**
 * Whether a text is an openevc inventory (YAML or JSON), judged on its first lines only, so the
 * dashboard's server can tell inventories from CPUID dumps without reading whole files.
 */
const YAML_MARK = /^openevc:\s*["']?inventory["']?\s*(#.*)?$/m;
const JSON_MARK = /"openevc"\s*:\s*"inventory"/;

export function looksLikeInventory(head: string): boolean {
  const t = head.replace(/^\uFEFF/, '');
  return t.trimStart().startsWith('{') ? JSON_MARK.test(t) : YAML_MARK.test(t);
}
