/**
 * Every alert reaches a person with a way to act: a severity Alertmanager routes on and a runbook_url that
 * points to a runbook of this repository (docs/runbooks/<file>.md). The rule reads the output only; that the
 * file exists and that what it names exists in every environment is test/docs/runbooks.test.ts.
 */
import { finding, type Rule } from '../rule';
import type { Finding } from '../types';

/** The runbook file a runbook_url names: the path after `/docs/runbooks/`, or undefined. */
export function runbookFile(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  return /\/docs\/runbooks\/([A-Za-z0-9._-]+\.md)(?:[#?].*)?$/.exec(url)?.[1];
}

export const alertRunbookRule: Rule = {
  id: 'monitoring/alert-runbook',
  description: 'Every alerting rule has labels.severity and an annotations.runbook_url that points to a runbook of this repository (docs/runbooks/<file>.md).',
  fix: 'Set severity on the rule and write docs/runbooks/<alert>.md (the FinbotPrometheusRule construct sets runbook_url from alerts.runbookBaseUrl).',
  check(ctx) {
    const out: Finding[] = [];
    for (const s of ctx.objects) {
      if (s.object.kind !== 'PrometheusRule') continue;
      const groups = ((s.object.spec as { groups?: Array<{ rules?: Array<Record<string, any>> }> } | undefined)?.groups ?? []);
      groups.forEach((g, gi) => (g.rules ?? []).forEach((r, ri) => {
        if (typeof r.alert !== 'string') return;
        const at = `spec.groups[${gi}].rules[${ri}]`;
        if (typeof r.labels?.severity !== 'string' || r.labels.severity === '') out.push(finding(s, `${at}.labels.severity`, `alert ${r.alert} has no severity: Alertmanager cannot route it`));
        const url = r.annotations?.runbook_url;
        const file = runbookFile(url);
        if (file === undefined) out.push(finding(s, `${at}.annotations.runbook_url`, `alert ${r.alert}: runbook_url ${JSON.stringify(url ?? null)} does not point to docs/runbooks/<file>.md`));
      }));
    }
    return out;
  },
};
