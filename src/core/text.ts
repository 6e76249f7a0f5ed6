/**
 * Plain code-unit string comparison for sorting identifiers (register names, mode keys, vendors).
 * `localeCompare` would load ICU collation data on a cold start (~8 ms), and identifiers need no
 * locale rules.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
