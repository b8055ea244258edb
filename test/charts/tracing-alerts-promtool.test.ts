/**
 * The trace-storage alerts as rendered, checked with Prometheus' own promtool: the group parses
 * (`promtool check rules`), each alert fires on its failure modelled on the kubelet's volume statistics and
 * stays silent on a healthy volume (`promtool test rules`). Skipped, with a note, where promtool is not
 * installed (Debian/Ubuntu: `apt-get install prometheus`); CI installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { TRACE_STORAGE_NAME } from '../../charts/observability-chart';
import { ES_DATA_CLAIM, esNames } from '../../model/operators/eck';
import { ENVIRONMENTS, find, synthObjects } from '../helpers';

const promtool = spawnSync('promtool', ['--version']).status === 0;
if (!promtool) console.warn('tracing alerts: promtool not found, promtool tests skipped (install: apt-get install prometheus)');
const dir = mkdtempSync(join(tmpdir(), 'tracing-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!promtool).each(ENVIRONMENTS)('trace-storage alerts under promtool (%s)', (env) => {
  const objs = synthObjects(env);
  const es = find(objs, 'Elasticsearch', TRACE_STORAGE_NAME);
  const ns = es.metadata.namespace as string;
  const rule = find(objs, 'PrometheusRule', 'finbot-tracing-alerts', ns);
  // A claim ECK's StatefulSet makes: <claim>-<statefulSet>-<ordinal>.
  const pvc = `${ES_DATA_CLAIM}-${esNames(TRACE_STORAGE_NAME).statefulSet(es.spec.nodeSets[0].name)}-0`;
  const series = (metric: string) => `${metric}{namespace="${ns}",persistentvolumeclaim="${pvc}"}`;
  const cleaner = find(objs, 'CronJob', 'jaeger-index-cleaner', ns).metadata.name as string;
  const labelsOf = (alert: string) => rule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === alert).labels;

  it('promtool check rules accepts the rendered group', () => {
    const file = join(dir, `${env}-rules.yaml`);
    writeFileSync(file, dump({ groups: rule.spec.groups }));
    execFileSync('promtool', ['check', 'rules', file], { stdio: 'pipe' });
  });

  it('promtool test rules: each alert fires on its failure and stays silent when healthy', () => {
    // Annotations are templates checked above; the unit tests compare the alerts' labels only.
    const groups = rule.spec.groups.map((g: any) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...r }: any) => r) }));
    const rulesFile = join(dir, `${env}-unit-rules.yaml`);
    writeFileSync(rulesFile, dump({ groups }));
    const gib = 1024 ** 3;
    const volume = (usedRatio: number) => [
      { series: series('kubelet_volume_stats_used_bytes'), values: `${Math.round(usedRatio * 20 * gib)}x60` },
      { series: series('kubelet_volume_stats_capacity_bytes'), values: `${20 * gib}x60` },
    ];
    const fired = (alert: string, extra: Record<string, string>) => [{ exp_labels: { ...labelsOf(alert), ...extra } }];
    const onVolume = { namespace: ns, persistentvolumeclaim: pvc };
    const tests = [
      { // 83 % used: warning after 15 minutes, not critical
        interval: '1m', input_series: volume(0.83),
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TraceStorageFillingUp', exp_alerts: [] },
          { eval_time: '20m', alertname: 'TraceStorageFillingUp', exp_alerts: fired('TraceStorageFillingUp', onVolume) },
          { eval_time: '20m', alertname: 'TraceStorageAlmostReadOnly', exp_alerts: [] },
        ],
      },
      { // 92 % used: both
        interval: '1m', input_series: volume(0.92),
        alert_rule_test: [
          { eval_time: '20m', alertname: 'TraceStorageAlmostReadOnly', exp_alerts: fired('TraceStorageAlmostReadOnly', onVolume) },
          { eval_time: '20m', alertname: 'TraceStorageFillingUp', exp_alerts: fired('TraceStorageFillingUp', onVolume) },
        ],
      },
      { // healthy: half full, statistics present
        interval: '1m', input_series: volume(0.5),
        alert_rule_test: ['TraceStorageFillingUp', 'TraceStorageAlmostReadOnly', 'TraceStorageMetricsAbsent', 'TraceRetentionJobFailed'].map((alertname) => ({ eval_time: '50m', alertname, exp_alerts: [] })),
      },
      { // the cleaner's Job failed (kube-state-metrics kube_job_failed); a succeeded one stays silent
        interval: '1m',
        input_series: [
          { series: `kube_job_failed{namespace="${ns}",job_name="${cleaner}-29400000",condition="true"}`, values: '1x30' },
          { series: `kube_job_failed{namespace="${ns}",job_name="${cleaner}-29401440",condition="true"}`, values: '0x30' },
        ],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'TraceRetentionJobFailed', exp_alerts: fired('TraceRetentionJobFailed', { namespace: ns, job_name: `${cleaner}-29400000` }) },
        ],
      },
      { // no statistics at all (scrape broken, claim renamed): the absence guard after 30 minutes
        interval: '1m', input_series: [{ series: `kubelet_volume_stats_capacity_bytes{namespace="other",persistentvolumeclaim="x"}`, values: '1x60' }],
        alert_rule_test: [
          { eval_time: '20m', alertname: 'TraceStorageMetricsAbsent', exp_alerts: [] },
          { eval_time: '40m', alertname: 'TraceStorageMetricsAbsent', exp_alerts: fired('TraceStorageMetricsAbsent', { namespace: ns }) },
        ],
      },
    ];
    const testFile = join(dir, `${env}-tests.yaml`);
    writeFileSync(testFile, dump({ rule_files: [rulesFile], evaluation_interval: '1m', tests }, { lineWidth: -1 }));
    const r = spawnSync('promtool', ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
