/** Human-readable and JSON reports of violations. */
import type { Violation } from './types';

/** Result of validating one environment. */
export interface EnvironmentResult {
  readonly environment: string;
  readonly objects: number;
  readonly violations: readonly Violation[];
}

/** A text report: one block per violation naming rule, object, file, path, what is wrong and the fix. */
export function formatText(results: readonly EnvironmentResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.violations.length === 0) {
      lines.push(`ok    ${r.environment}: ${r.objects} objects, no violations`);
      continue;
    }
    lines.push(`FAIL  ${r.environment}: ${r.violations.length} violation(s) in ${r.objects} objects`, '');
    for (const v of r.violations) {
      lines.push(`  [${v.rule}] ${v.object}${v.file ? `  (${v.file})` : ''}`);
      if (v.path) lines.push(`      at:   ${v.path}`);
      lines.push(`      what: ${v.message}`, `      fix:  ${v.fix}`, '');
    }
  }
  const total = results.reduce((n, r) => n + r.violations.length, 0);
  lines.push(total === 0 ? 'validation passed' : `validation failed: ${total} violation(s). Exceptions: see docs/validation.md#exceptions`);
  return `${lines.join('\n')}\n`;
}

/** The JSON report (`--json`). */
export function formatJson(results: readonly EnvironmentResult[]): string {
  return `${JSON.stringify({ ok: results.every((r) => r.violations.length === 0), environments: results }, null, 2)}\n`;
}
