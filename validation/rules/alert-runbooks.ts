/**
 * Every alert reaches a person with a way to act: a severity Alertmanager routes on and a runbook_url that
 * points to a runbook of this repository (docs/runbooks/<file>.md) that exists (issue #19: runbooks that
 * named objects the output no longer has; test/docs/runbooks.test.ts checks their contents).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import { finding, type Rule } from '../rule';
import type { Finding } from '../types';

/** The runbook file a runbook_url names: the path after `/docs/runbooks/`, or undefined. */
export function runbookFile(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  return /\/docs\/runbooks\/([A-Za-z0-9._-]+\.md)(?:[#?].*)?$/.exec(url)?.[1];
}

export const alertRunbookRule: Rule = {
  id: 'monitoring/alert-runbook',
  description: 'Every alerting rule has labels.severity and an annotations.runbook_url that points to an existing file of docs/runbooks/ in this repository.',
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
        else if (!existsSync(join(REPO_ROOT, 'docs', 'runbooks', file))) out.push(finding(s, `${at}.annotations.runbook_url`, `alert ${r.alert}: runbook docs/runbooks/${file} does not exist`, `Write docs/runbooks/${file} (what the alert means, what to check, how to fix it through Git).`));
      }));
    }
    return out;
  },
};
