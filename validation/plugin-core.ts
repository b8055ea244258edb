/**
 * The cdk8s validation plugin's logic: turns validation results into the CLI's report, one CLI violation per
 * rule. validation/plugin/index.cjs runs `fast-start/run.sh validate --cdk8s-plugin <manifests>` (the validation's
 * startup snapshot), which prints {@link pluginReport} as JSON, and hands it to the CLI.
 * @see node_modules/cdk8s-cli/lib/plugins/validation.d.ts
 */
import { ruleById } from './registry';
import type { EnvironmentResult } from './report';
import type { Violation } from './types';

/** One violation as the CLI's `report.addViolation` takes it. */
export interface PluginViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
}

/** What the plugin hands the CLI: the violations (one per rule), then the status and metadata to submit. */
export interface PluginReport {
  readonly violations: PluginViolation[];
  readonly status: 'success' | 'failure';
  readonly metadata: Record<string, string>;
}

/** The CLI report of validation results: one CLI violation per rule. */
export function pluginReport(results: readonly EnvironmentResult[]): PluginReport {
  const byRule = new Map<string, Array<Violation & { environment: string }>>();
  for (const r of results) for (const v of r.violations) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), { ...v, environment: r.environment }]);
  const violations: PluginViolation[] = [];
  for (const [rule, found] of byRule) {
    let description = '';
    try {
      description = ruleById(rule).description;
    } catch {
      description = rule;
    }
    violations.push({
      ruleName: rule,
      recommendation: description,
      fix: [...new Set(found.map((v) => v.fix))].join(' | '),
      violatingResources: found.map((v) => ({
        resourceName: `${v.object} [${v.environment}]`,
        locations: [`${v.path || '(object)'}: ${v.message}`],
        manifestPath: v.file,
      })),
    });
  }
  const total = results.reduce((n, r) => n + r.violations.length, 0);
  return {
    violations,
    status: total === 0 ? 'success' : 'failure',
    metadata: {
      environments: results.map((r) => `${r.environment} (${r.objects} objects, ${r.violations.length} violations)`).join(', '),
      rules: 'npm run validate -- --rules',
    },
  };
}
