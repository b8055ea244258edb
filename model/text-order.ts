/**
 * Orders text by UTF-16 code units. Unlike `localeCompare`, the result does not depend on the machine's
 * locale or ICU data, so generated files (diagrams, reports) are the same everywhere.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
