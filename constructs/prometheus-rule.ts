/**
 * A PrometheusRule (monitoring.coreos.com/v1) of alerting rules, each with a severity label and a runbook
 * link, checked at synth for the mistakes that make a rule silently never fire.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
import { Construct } from 'constructs';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { labels } from './labels';
import { ModelObject } from './model-object';

/** Severities Alertmanager routes on; `none` is the always-firing Watchdog, routed only to the heartbeat receiver. */
export type Severity = 'critical' | 'warning' | 'info' | 'none';

/** One alerting rule. */
export interface AlertRule {
  /** Alert name, UpperCamelCase (also the runbook's file name). */
  readonly alert: string;
  /** PromQL expression; the alert fires for every series it returns. */
  readonly expr: string;
  /** How long the condition must hold. */
  readonly for: string;
  readonly severity: Severity;
  /** One line for the notification. */
  readonly summary: string;
  /** Details; may use {{ $labels.x }} and {{ $value }}. */
  readonly description: string;
  /**
   * Series selectors whose absence must fire the alert too (`<expr> or absent(<selector>)`): a rule over a
   * series that silently vanishes (exporter down, port renamed, target not selected) evaluates to nothing and
   * never fires. Every rule gives at least one, or says in {@link AlertRule.neverAbsent} why none is needed.
   * @default none
   */
  readonly absentGuard?: readonly string[];
  /** Why the expression cannot lose its series (e.g. `vector(1)`). Required when absentGuard is empty. */
  readonly neverAbsent?: string;
}

/** The expression Prometheus evaluates: the condition, or any guarded series being absent. */
export function guardedExpr(r: AlertRule): string {
  const guards = r.absentGuard ?? [];
  return guards.length === 0 ? r.expr : `(${r.expr}) or ${guards.map((g) => `absent(${g})`).join(' or ')}`;
}

/** Props of {@link FinbotPrometheusRule}. */
export interface FinbotPrometheusRuleProps {
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  /** Rule groups (evaluated independently). */
  readonly groups: ReadonlyArray<{ readonly name: string; readonly rules: readonly AlertRule[] }>;
  /** Base URL of the runbooks; each alert links `<base>/<alert>.md`. */
  readonly runbookBaseUrl: string;
}

/** Problems of a PromQL expression that a cheap syntactic check can find. */
export function promqlProblems(expr: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | undefined;
  for (const ch of expr) {
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) {
        problems.push(`unbalanced "${ch}"`);
        return problems;
      }
    }
  }
  if (quote) problems.push(`unterminated string (${quote})`);
  if (stack.length) problems.push(`unclosed "${stack.join('')}"`);
  if (!/[a-z_:][a-z0-9_:]*/i.test(expr)) problems.push('no metric name');
  return problems;
}

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

/** PrometheusRule labelled `app: finbot` (the design document's ruleSelector). */
export class FinbotPrometheusRule extends Construct {
  /** Every alert, flattened (for documentation checks). */
  readonly alerts: readonly AlertRule[];

  constructor(scope: Construct, id: string, props: FinbotPrometheusRuleProps) {
    super(scope, id);
    const all = props.groups.flatMap((g) => g.rules);
    if (all.length === 0) throw new Error(`PrometheusRule ${props.name}: no rules; give at least one group with one rule`);
    const names = all.map((r) => r.alert);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`PrometheusRule ${props.name}: alert "${dup}" is defined twice; alert names must be unique (they name the runbooks)`);
    for (const r of all) {
      if (!/^[A-Z][A-Za-z0-9]*$/.test(r.alert)) throw new Error(`PrometheusRule ${props.name}: alert name "${r.alert}" must be UpperCamelCase such as FinbotHighErrorRate`);
      const problems = promqlProblems(r.expr);
      if (problems.length) throw new Error(`PrometheusRule ${props.name}: alert ${r.alert}: expr ${problems.join(', ')}: ${r.expr}`);
      if (!DURATION.test(r.for)) throw new Error(`PrometheusRule ${props.name}: alert ${r.alert}: for "${r.for}" must be a duration such as 5m`);
      if (!(r.absentGuard?.length) && !r.neverAbsent) {
        throw new Error(`PrometheusRule ${props.name}: alert ${r.alert} has no absentGuard: if its series vanish it can never fire; list the series selectors (e.g. up{job="x"}) or say in neverAbsent why they cannot vanish`);
      }
      for (const g of r.absentGuard ?? []) {
        if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/.test(g)) throw new Error(`PrometheusRule ${props.name}: alert ${r.alert}: absentGuard "${g}" must be one series selector such as metric{label="value"}`);
      }
    }
    this.alerts = all;
    new ModelObject<IPrometheusRule>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, namespace: props.namespace, labels: labels({ name: props.name, component: 'monitoring', environment: props.environment }) },
      spec: {
        groups: props.groups.map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({
            alert: r.alert,
            expr: guardedExpr(r),
            for: r.for,
            labels: { severity: r.severity },
            annotations: { summary: r.summary, description: r.description, runbook_url: `${props.runbookBaseUrl}/${r.alert}.md` },
          })),
        })),
      },
    });
  }
}
