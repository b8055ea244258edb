/**
 * Runbooks true to the output of every environment (issue #19): every command, object, namespace and file a
 * runbook names exists; every alert the rendered PrometheusRules define has a runbook its runbook_url points
 * to; the namespace placeholders of docs/runbooks/README.md are each environment's settings. Environments are
 * read from config/environments, the objects from the committed dist/ (the golden copy).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEnvironments, loadSettings } from '../../config/load';
import { DIST_DIR, REPO_ROOT } from '../../config/paths';
import type { Settings } from '../../config/schema';
import { buildClusterModel } from '../../model/cluster-model';
import { readDistDir } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';
import { checkReferences, codeSpans, runbookReferences, schemaPaths, type EnvironmentView, type World } from './runbook-references';

const RUNBOOKS = join(REPO_ROOT, 'docs', 'runbooks');
const README = readFileSync(join(RUNBOOKS, 'README.md'), 'utf8');
const ENVIRONMENTS = listEnvironments();
const dist = readDistDir(DIST_DIR);
const settings = new Map<string, Settings>(ENVIRONMENTS.map((e) => [e, loadSettings(e)]));

/** The namespace table of docs/runbooks/README.md: header cells and rows of cells (backticks removed). */
function namespaceTable(): { header: string[]; rows: string[][] } {
  const lines = README.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
  return { header: cells(lines[0]), rows: lines.slice(2).map(cells) };
}

/** A setting by its dotted path (`platform.namespaces.app`). */
function settingAt(s: Settings, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], s);
}

function placeholdersOf(env: string): Map<string, string> {
  const { header, rows } = namespaceTable();
  const setting = header.indexOf('setting');
  return new Map(rows.map((r) => [r[0], String(settingAt(settings.get(env)!, r[setting]))]));
}

function view(env: string): EnvironmentView {
  const objects: KubeObject[] = dist.get(env) ?? [];
  return { name: env, objects, cluster: buildClusterModel(objects.map((object) => ({ object, file: `dist/${env}` }))), placeholders: placeholdersOf(env) };
}

const world: World = {
  scripts: new Set(Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>)),
  environments: ENVIRONMENTS.map(view),
  fileExists: (p, relative) => existsSync(relative ? join(RUNBOOKS, p) : join(REPO_ROOT, p)),
  settingsPaths: schemaPaths(JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'settings.schema.json'), 'utf8'))),
};

const runbookFiles = readdirSync(RUNBOOKS).filter((f) => f.endsWith('.md')).sort();

/** Alerts of the rendered PrometheusRules of an environment. */
function alerts(env: string): Array<{ alert: string; severity?: string; runbook?: string }> {
  return (dist.get(env) ?? [])
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => ((o.spec as { groups?: Array<{ rules?: Array<Record<string, any>> }> }).groups ?? []).flatMap((g) => g.rules ?? []))
    .filter((r) => typeof r.alert === 'string')
    .map((r) => ({ alert: r.alert as string, severity: r.labels?.severity, runbook: r.annotations?.runbook_url }));
}

describe('runbooks (docs/runbooks)', () => {
  it('every environment of config/environments has its output in dist/', () => {
    for (const env of ENVIRONMENTS) expect(dist.has(env), `dist/${env}: run npm run synth`).toBe(true);
  });

  it.each(runbookFiles)('%s names only commands, objects, namespaces and files that exist in every environment', (file) => {
    const text = readFileSync(join(RUNBOOKS, file), 'utf8');
    expect(checkReferences(`docs/runbooks/${file}`, runbookReferences(text, world), world)).toEqual([]);
  });

  const docs = readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort();
  it.each(docs)('docs/%s names only npm scripts and repository files that exist', (file) => {
    const text = readFileSync(join(REPO_ROOT, 'docs', file), 'utf8');
    const inDocs: World = { ...world, fileExists: (p, relative) => existsSync(relative ? join(REPO_ROOT, 'docs', p) : join(REPO_ROOT, p)) };
    const refs = runbookReferences(text, inDocs).filter((r) => r.type === 'script' || r.type === 'file');
    expect(checkReferences(`docs/${file}`, refs, inDocs)).toEqual([]);
  });

  it('the namespace table has a column per environment, each value the environment\'s setting', () => {
    const { header, rows } = namespaceTable();
    for (const env of ENVIRONMENTS) {
      const col = header.indexOf(env);
      const values = [...placeholdersOf(env)].map(([k, v]) => `${k} = ${v}`).join(', ');
      expect(col, `docs/runbooks/README.md: the namespace table has no column for ${env}; add one (${values})`).toBeGreaterThan(0);
      for (const r of rows) expect(r[col], `docs/runbooks/README.md: ${r[0]} in ${env} is ${r[header.indexOf('setting')]}`).toBe(placeholdersOf(env).get(r[0]));
    }
    // Every namespace the project creates has a placeholder.
    for (const env of ENVIRONMENTS) {
      const created = (dist.get(env) ?? []).filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name);
      for (const ns of created) expect([...placeholdersOf(env).values()], `${env}: namespace ${ns} has no placeholder`).toContain(ns);
    }
  });

  it('every alert of every environment has a runbook, its runbook_url points to that file, the title says its severity', () => {
    for (const env of ENVIRONMENTS) {
      const found = alerts(env);
      expect(found.length, env).toBeGreaterThan(0);
      for (const a of found) {
        const file = a.runbook?.match(/\/docs\/runbooks\/([^/#?]+\.md)$/)?.[1];
        expect(file, `${env}: ${a.alert}: runbook_url ${a.runbook} does not point into docs/runbooks/`).toBeDefined();
        expect(existsSync(join(RUNBOOKS, file!)), `${env}: ${a.alert}: ${a.runbook}: no such file`).toBe(true);
        const title = readFileSync(join(RUNBOOKS, file!), 'utf8').split('\n')[0];
        expect(title, `${file}: title`).toBe(`# ${a.alert} (${a.severity ?? 'none'})`);
      }
    }
  });

  it('docs/observability.md describes every alert of every environment', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'observability.md'), 'utf8');
    for (const env of ENVIRONMENTS) for (const a of alerts(env)) expect(doc, `${env}: ${a.alert} is not in docs/observability.md`).toMatch(new RegExp(`^\\| ${a.alert} \\|`, 'm'));
  });

  it('dashboard panels a runbook names (*Title* on a line about a dashboard or panel) exist in every environment (dashboards by their GrafanaDashboard name)', () => {
    for (const env of ENVIRONMENTS) {
      const titles = new Set<string>();
      for (const o of (dist.get(env) ?? []).filter((x) => x.kind === 'GrafanaDashboard')) {
        const json = JSON.parse(((o.spec as { json?: string }).json ?? '{}')) as { title?: string; panels?: Array<{ title?: string }> };
        for (const p of json.panels ?? []) if (p.title) titles.add(p.title);
      }
      expect(titles.size, env).toBeGreaterThan(0);
      for (const file of runbookFiles) {
        readFileSync(join(RUNBOOKS, file), 'utf8').split('\n').forEach((l, i) => {
          if (!/dashboard|panel/i.test(l)) return;
          for (const m of l.matchAll(/(?<![*\w])\*([^*\n]+)\*(?!\*)/g)) expect(titles.has(m[1]), `docs/runbooks/${file}:${i + 1}: *${m[1]}* is no dashboard panel of ${env}`).toBe(true);
        });
      }
    }
  });

  it('every runbook belongs to an alert (none left over from a removed one)', () => {
    const named = new Set(ENVIRONMENTS.flatMap((e) => alerts(e).map((a) => `${a.alert}.md`)));
    for (const f of runbookFiles.filter((f) => f !== 'README.md')) expect(named.has(f), `docs/runbooks/${f} has no alert`).toBe(true);
  });

  it('a base backup started by hand uses the method and plugin of the rendered ScheduledBackups', () => {
    const schedules = ENVIRONMENTS.flatMap((e) => (dist.get(e) ?? []).filter((o) => o.kind === 'ScheduledBackup'));
    expect(schedules.length).toBeGreaterThan(0);
    for (const file of runbookFiles) {
      const text = readFileSync(join(RUNBOOKS, file), 'utf8');
      for (const { text: cmd, line } of codeSpans(text).filter((c) => /kubectl cnpg backup\b/.test(c.text))) {
        for (const sb of schedules) {
          const spec = sb.spec as { method?: string; pluginConfiguration?: { name?: string } };
          // Without --method the Backup takes the CRD default barmanObjectStore (api/v1/backup_types.go, CNPG v1.30.0).
          expect(cmd, `docs/runbooks/${file}:${line}`).toContain(`--method ${spec.method ?? 'barmanObjectStore'}`);
          if (spec.pluginConfiguration?.name) expect(cmd, `docs/runbooks/${file}:${line}`).toContain(`--plugin-name ${spec.pluginConfiguration.name}`);
        }
      }
    }
  });

  it('a runbook with a wrong name fails: a removed Deployment, a production-only namespace, a missing script, file, kind and label', () => {
    const bad = [
      '# FinbotHighErrorRate (critical)',
      '1. `kubectl -n production rollout undo deploy/finbot-api`',
      '2. `kubectl -n <app-ns> get deploy finbot-api-blue finbot-api-purple`',
      '3. `npm run rollback -- production`, see `config/environments/<env>/nosuch.yaml` and [x](NoSuchRunbook.md).',
      '4. `kubectl -n <cache-ns> get widgets` and `kubectl -n <monitoring-ns> get pods -l app.kubernetes.io/name=nosuch`.',
      '7. Raise `alerts.errorRatePercent` or `autoscaling.maxReplicas` in `apps.yaml`.',
      '6. `kubectl -n <database-ns> logs <primary-pod> -c barman-cloud` and `kubectl -n <monitoring-ns> logs <pod> -c alertmanager`.',
      '5. `kubectl -n <db-ns> get cluster finbot-postgres-primary`; NetworkPolicy `allow-nothing-at-all`; `kubectl cnpg status finbot-postgres -n <database-ns>`.',
    ].join('\n');
    const problems = checkReferences('bad.md', runbookReferences(bad, world), world).join('\n');
    expect(problems).toContain('Deployment production/finbot-api does not exist');
    expect(problems).toContain('namespace "production" is written out; name it <app-ns>');
    expect(problems).toContain('finbot-api-purple does not exist');
    expect(problems).not.toContain('finbot-api-blue does not exist');
    expect(problems).toContain('package.json has no script "rollback"');
    expect(problems).toContain('nosuch.yaml: no such file');
    expect(problems).toContain('NoSuchRunbook.md: no such file');
    expect(problems).toContain('"widgets" is no kind');
    expect(problems).toContain('no pod labelled app.kubernetes.io/name=nosuch');
    expect(problems).toContain('placeholder <db-ns> is not in the table');
    expect(problems).toContain('NetworkPolicy allow-nothing-at-all does not exist');
    expect(problems).toMatch(/Cluster [a-z-]+\/finbot-postgres does not exist/);
    expect(problems).toContain('no container "barman-cloud"');
    expect(problems).toContain('alerts.errorRatePercent: no such setting');
    expect(problems).not.toContain('autoscaling.maxReplicas: no such setting');
    expect(problems).not.toContain('no container "alertmanager"');
  });
});
