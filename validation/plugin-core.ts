/**
 * The cdk8s validation plugin's logic (validation/plugin/index.cjs loads the bundle of this file): validates
 * the manifests the CLI passes and fills the CLI's report, one CLI violation per rule.
 * @see node_modules/cdk8s-cli/lib/plugins/validation.d.ts
 */
import { resolve } from 'node:path';
import { ENVIRONMENTS_DIR } from '../config/paths';
import { ruleById } from './registry';
import { validateManifests } from './run';
import type { Violation } from './types';

/** The parts of the CLI's ValidationContext the plugin uses (structural, so the CLI is not imported). */
export interface PluginContext {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(v: { ruleName: string; recommendation: string; fix: string; violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }> }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/** Plugin properties from cdk8s.yaml `validations[].properties`. */
export interface PluginProperties {
  /** Folder of the environment settings (default config/environments). */
  readonly configDir?: string;
}

/** Validates the CLI's manifests and submits the report. */
export async function validateForCli(context: PluginContext, properties: PluginProperties = {}): Promise<void> {
  const configDir = properties.configDir ? resolve(properties.configDir) : ENVIRONMENTS_DIR;
  const results = await validateManifests(context.manifests, configDir);
  const byRule = new Map<string, Array<Violation & { environment: string }>>();
  for (const r of results) for (const v of r.violations) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), { ...v, environment: r.environment }]);
  for (const [rule, violations] of byRule) {
    let description = '';
    try {
      description = ruleById(rule).description;
    } catch {
      description = rule;
    }
    context.report.addViolation({
      ruleName: rule,
      recommendation: description,
      fix: [...new Set(violations.map((v) => v.fix))].join(' | '),
      violatingResources: violations.map((v) => ({
        resourceName: `${v.object} [${v.environment}]`,
        locations: [`${v.path || '(object)'}: ${v.message}`],
        manifestPath: v.file,
      })),
    });
  }
  const total = results.reduce((n, r) => n + r.violations.length, 0);
  context.report.submit(total === 0 ? 'success' : 'failure', {
    environments: results.map((r) => `${r.environment} (${r.objects} objects, ${r.violations.length} violations)`).join(', '),
    rules: 'npm run validate -- --rules',
  });
}
