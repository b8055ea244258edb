/**
 * Alerting checked with Prometheus' own tools on the committed output (dist/<env>/observability.yaml):
 * - `promtool check rules` on every rule group as rendered;
 * - `promtool test rules`: per alert, it fires on its failure (series as the real exporter produces them,
 *   odd values included) and stays silent when healthy; every absence guard fires on missing series;
 * - every PromQL query of the Grafana dashboards parses (wrapped as recording rules);
 * - `amtool check-config` on the rendered Alertmanager configuration, and `amtool config routes test`
 *   showing each severity reaches the receivers the settings name.
 *
 * The tools come from Debian's `prometheus` and `prometheus-alertmanager` packages (`npm run tools:install`).
 * Without them these tests are skipped, with one note saying so; with CI=true a missing tool is a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { STANDBY_EXPECTED_GROUPS } from '../../charts/alerts/finbot-alerts';
import { REPO_ROOT } from '../../config/paths';
import { readDistDir } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';
import { ENVIRONMENTS, settingsOf } from '../helpers';
import { absenceTests, scenarios, scenarioTests } from './alert-scenarios';

const TOOLS = ['promtool', 'amtool'] as const;
const INSTALL = 'npm run tools:install (sudo apt-get install -y prometheus prometheus-alertmanager)';
const inCi = process.env.CI === 'true';
const present = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
const missing = TOOLS.filter((t) => !present(t));
const skipped: string[] = [];

/** A test that needs the tools: runs when they are there, fails in CI without them, is skipped otherwise. */
function toolTest(name: string, fn: () => void | Promise<void>): void {
  if (missing.length === 0) it(name, fn, 180_000);
  else if (inCi) it(name, () => { throw new Error(`CI=true but ${missing.join(', ')} not installed: ${INSTALL}`); });
  else {
    skipped.push(name);
    it.skip(name, fn);
  }
}

afterAll(() => {
  if (skipped.length) {
    const names = [...new Set(skipped)];
    console.warn(`note: ${missing.join(' and ')} not installed: skipped ${skipped.length} alerting-tool tests (${names.join('; ')} — for each of ${ENVIRONMENTS.join(', ')}). Install them with ${INSTALL}.`);
  }
});

const work = mkdtempSync(join(tmpdir(), 'finbot-alerting-'));
afterAll(() => { if (!process.env.FINBOT_KEEP_TOOL_FILES) rmSync(work, { recursive: true, force: true }); });

/** Runs a tool without blocking the event loop (the promtool files of one environment run side by side). */
function runAsync(cmd: string, args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: work });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (status) => resolve({ status, out }));
  });
}

function run(cmd: string, args: string[]): { status: number | null; out: string; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: work });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: (r.stdout ?? '').trim() };
}

let dist: Map<string, KubeObject[]> | undefined;
/** The committed output of an environment (every file; the kinds used here live in observability.yaml). */
function observability(env: string): KubeObject[] {
  dist ??= readDistDir(join(REPO_ROOT, 'dist'));
  return dist.get(env) ?? [];
}

type Rule = { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
type Group = { name: string; rules: Rule[] };

function ruleGroups(env: string): Group[] {
  return observability(env).filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o.spec as { groups: Group[] }).groups);
}

function write(env: string, file: string, content: unknown): string {
  const dir = join(work, env);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, typeof content === 'string' ? content : dump(content, { lineWidth: -1, noRefs: true }));
  return path;
}

const GUARD = /absent\(([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\)/g;

for (const env of ENVIRONMENTS) {
  describe(`${env}: alerting with promtool and amtool`, () => {
    const settings = settingsOf(env);

    it('dist has the rule groups and the Alertmanager configuration these tests read', () => {
      expect(ruleGroups(env).length).toBeGreaterThan(0);
      expect(alertmanagerYaml(env)).toContain('receivers:');
    });

    toolTest('promtool check rules: every rule group as rendered', () => {
      const path = write(env, 'rules.yaml', { groups: ruleGroups(env) });
      const r = run('promtool', ['check', 'rules', path]);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    });

    toolTest('promtool test rules: each alert fires on its failure, stays silent when healthy, and fires on absent series', async () => {
      const groups = ruleGroups(env);
      // Annotations are templates over the firing value; promtool compares them verbatim, so the unit tests
      // load the rules without them (`promtool check rules` above parses the templates).
      const bare = groups.map((g) => ({ name: g.name, rules: g.rules.map(({ annotations: _a, ...r }) => r) }));
      write(env, 'bare-rules.yaml', { groups: bare });
      const alerts = groups.flatMap((g) => g.rules).filter((r): r is Rule & { alert: string; for: string; labels: { severity: string } } => Boolean(r.alert));
      const guards = new Map(alerts.map((r) => [r.alert, [...r.expr.matchAll(GUARD)].map((m) => m[1])]));
      const ns = { app: settings.platform.namespaces.app, db: settings.platform.namespaces.database, cache: settings.platform.namespaces.cache };
      const list = scenarios({ settings, ...ns, httpJobs: httpJobs(env) });
      // One scenario per alert, none for an alert that does not exist: a new alert needs its failing and
      // healthy series in test/environments/alert-scenarios.ts.
      expect(list.map((s) => s.alert).sort(), 'every alert needs a scenario in test/environments/alert-scenarios.ts').toEqual(alerts.map((a) => a.alert).sort());
      for (const a of alerts) {
        const sc = list.find((s) => s.alert === a.alert)!;
        expect(sc.severity, a.alert).toBe(a.labels.severity);
        expect(sc.failing?.length, `${a.alert} needs a failing case`).toBeGreaterThan(0);
        if (a.alert !== 'Watchdog') expect(sc.healthy, `${a.alert} needs a healthy case`).toBeDefined();
      }
      const tests = [...scenarioTests(list), ...absenceTests(alerts, guards)];
      // promtool evaluates every rule at every evaluation_interval up to eval_time: day-long scenarios get
      // their own file with a coarser interval (their series are sampled at the same interval).
      const results = await Promise.all([...new Set(tests.map((t) => t.interval))].map((interval) => {
        const path = write(env, `alerts-${interval}.test.yaml`, { rule_files: ['bare-rules.yaml'], evaluation_interval: interval, tests: tests.filter((t) => t.interval === interval) });
        return runAsync('promtool', ['test', 'rules', path]);
      }));
      for (const r of results) {
        expect(r.status, r.out).toBe(0);
        expect(r.out).toContain('SUCCESS');
      }
    });

    toolTest('every PromQL query of the Grafana dashboards parses (as recording rules)', () => {
      const dashboards = observability(env).filter((o) => o.kind === 'GrafanaDashboard');
      expect(dashboards.length).toBeGreaterThan(0);
      const rules = dashboards.flatMap((d) => {
        const json = JSON.parse((d.spec as { json: string }).json) as { panels: Array<{ title: string; targets?: Array<{ expr: string; refId: string }> }> };
        return json.panels.flatMap((p, i) => (p.targets ?? []).map((t) => ({ record: `dashboard:${(d.metadata.name ?? 'dashboard').replace(/-/g, '_')}:panel${i}_${t.refId}`, expr: t.expr })));
      });
      expect(rules.length).toBeGreaterThan(0);
      const path = write(env, 'dashboard-queries.yaml', { groups: [{ name: 'dashboard-queries', rules }] });
      const r = run('promtool', ['check', 'rules', path]);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    });

    toolTest('amtool check-config: the rendered Alertmanager configuration', () => {
      const path = write(env, 'alertmanager.yaml', alertmanagerYaml(env));
      const r = run('amtool', ['check-config', path]);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toContain('SUCCESS');
    });

    toolTest('amtool config routes test: each severity reaches the receivers the settings name; the Watchdog only the heartbeat', () => {
      const path = write(env, 'alertmanager.yaml', alertmanagerYaml(env));
      const am = settings.observability.alertmanager;
      const route = (...labels: string[]) => run('amtool', ['config', 'routes', 'test', `--config.file=${path}`, ...labels]);
      for (const [severity, receivers] of Object.entries(am.routes)) {
        const r = route('alertname=Any', `severity=${severity}`, `namespace=${settings.platform.namespaces.app}`);
        expect(r.status, r.out).toBe(0);
        expect(r.stdout.split(','), `${severity}: ${r.out}`).toEqual(receivers);
      }
      const w = route('alertname=Watchdog', 'severity=none');
      expect(w.stdout, w.out).toBe(am.heartbeat.receiver);
      const unknown = route('alertname=Any', 'severity=unknown');
      expect(unknown.stdout, unknown.out).toBe(am.defaultReceiver);
    });

    toolTest('amtool config routes test: every alert reaches its severity\'s receivers, but a standby region\'s application alerts only dr.standby.alertReceivers', () => {
      const path = write(env, 'alertmanager.yaml', alertmanagerYaml(env));
      const am = settings.observability.alertmanager;
      const dr = settings.platform.dr;
      const alerts = ruleGroups(env).flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r }))).filter((r): r is typeof r & { alert: string; labels: { severity: string } } => Boolean(r.alert) && r.alert !== 'Watchdog');
      const quietGroups = dr?.role === 'standby' ? STANDBY_EXPECTED_GROUPS : [];
      if (quietGroups.length > 0) expect(alerts.filter((a) => quietGroups.includes(a.group)).length, 'a standby region has application alerts to reroute').toBeGreaterThan(0);
      for (const a of alerts) {
        const r = run('amtool', ['config', 'routes', 'test', `--config.file=${path}`, `alertname=${a.alert}`, `severity=${a.labels.severity}`, `namespace=${settings.platform.namespaces.app}`]);
        expect(r.status, r.out).toBe(0);
        const expected = quietGroups.includes(a.group) ? dr!.standby.alertReceivers : am.routes[a.labels.severity as keyof typeof am.routes];
        expect(r.stdout.split(','), `${a.alert} (${a.group}, ${a.labels.severity}): ${r.out}`).toEqual([...expected]);
      }
    });
  });
}

describe('CI installs the tools before the tests', () => {
  it('.ci/run and every workflow job that runs npm test install promtool and amtool first', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(ci.indexOf('install-alerting-tools.sh')).toBeGreaterThan(-1);
    expect(ci.indexOf('install-alerting-tools.sh')).toBeLessThan(ci.indexOf('npm test'));
    for (const wf of ['ci.yml', 'release.yml']) {
      const text = readFileSync(join(REPO_ROOT, '.github', 'workflows', wf), 'utf8');
      const tests = [...text.matchAll(/run: npm test/g)].map((m) => m.index!);
      expect(tests.length, wf).toBeGreaterThan(0);
      for (const at of tests) expect(text.lastIndexOf('npm run tools:install', at), `${wf}: npm test at ${at}`).toBeGreaterThan(text.lastIndexOf('steps:', at));
    }
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts['tools:install']).toBe('sh .ci/install-alerting-tools.sh');
  });
});

function alertmanagerYaml(env: string): string {
  const es = observability(env).find((o) => o.kind === 'ExternalSecret' && (o.spec as any)?.target?.template?.data?.['alertmanager.yaml']);
  if (!es) throw new Error(`${env}: no ExternalSecret renders alertmanager.yaml`);
  return (es.spec as any).target.template.data['alertmanager.yaml'] as string;
}

function httpJobs(env: string): string[] {
  // The jobs the error-rate alert guards (up{job=...}) are the ServiceMonitor targets' Service names.
  const rule = ruleGroups(env).flatMap((g) => g.rules).find((r) => r.alert === 'FinbotHighErrorRate')!;
  return [...rule.expr.matchAll(/up\{[^}]*job="([^"]+)"/g)].map((m) => m[1]);
}

