/**
 * The monitoring operators' facts in model/operators/, with the expectations of the upstream tests they were
 * read next to, and how the cluster model uses them.
 */
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../../model/cluster-model';
import { CERT_MANAGER_METRICS_SERVICE } from '../../../model/operators/cert-manager';
import { grafanaMountsToken, grafanaPodLabels } from '../../../model/operators/grafana-operator';
import {
  alertmanagerConfigSecretName, alertmanagerMountsToken, alertmanagerPodLabels, alertmanagerReadsSecretAsIs, monitorNamespaces, prometheusPodLabels,
} from '../../../model/operators/prometheus-operator';
import type { SourcedObject } from '../../../model/kube-object';

const src = (object: object): SourcedObject => ({ object: object as SourcedObject['object'], file: 'x.yaml' });

describe('prometheus-operator v0.93.0', () => {
  it('getNamespacesFromNamespaceSelector (pkg/prometheus/promcfg.go): any → every namespace; matchNames; absent or empty → the monitor\'s own', () => {
    expect(monitorNamespaces({ any: true, matchNames: ['a'] }, 'mon')).toBe('all');
    expect(monitorNamespaces({ matchNames: ['a', 'b'] }, 'mon')).toEqual(['a', 'b']);
    expect(monitorNamespaces({ matchNames: [] }, 'mon')).toEqual(['mon']);
    expect(monitorNamespaces({}, 'mon')).toEqual(['mon']);
    expect(monitorNamespaces(undefined, 'mon')).toEqual(['mon']);
  });
  it('TestAutomountServiceAccountToken (pkg/alertmanager/statefulset_test.go): the spec value reaches the pod as is; unset means the ServiceAccount decides', () => {
    expect(alertmanagerMountsToken({ automountServiceAccountToken: false })).toBe(false);
    expect(alertmanagerMountsToken({ automountServiceAccountToken: true }, false)).toBe(true);
    expect(alertmanagerMountsToken({}, false)).toBe(false);
    expect(alertmanagerMountsToken({})).toBe(true);
  });
  it('config Secret: spec.configSecret, else alertmanager-<name>; used as is only without selector and alertmanagerConfiguration', () => {
    expect(alertmanagerConfigSecretName('main')).toBe('alertmanager-main');
    expect(alertmanagerConfigSecretName('main', 'x')).toBe('x');
    expect(alertmanagerReadsSecretAsIs({})).toBe(true);
    expect(alertmanagerReadsSecretAsIs({ alertmanagerConfigSelector: {} })).toBe(false);
    expect(alertmanagerReadsSecretAsIs({ alertmanagerConfiguration: { name: 'x' } })).toBe(false);
  });
  it('makeSelectorLabels: name, managed-by, instance and the CR name', () => {
    expect(prometheusPodLabels('p')).toMatchObject({ 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'p', prometheus: 'p', 'app.kubernetes.io/instance': 'p' });
    expect(alertmanagerPodLabels('main')).toMatchObject({ 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'main', 'app.kubernetes.io/managed-by': 'prometheus-operator' });
  });
});

describe('grafana-operator v5.24.0', () => {
  it('pod labels: the template labels plus app: <name>; a token unless the CR turns it off', () => {
    expect(grafanaPodLabels('g', { a: 'b' })).toEqual({ a: 'b', app: 'g' });
    expect(grafanaMountsToken({})).toBe(true);
    expect(grafanaMountsToken({ deployment: { spec: { template: { spec: { automountServiceAccountToken: false } } } } })).toBe(false);
    expect(grafanaMountsToken({ serviceAccount: { automountServiceAccountToken: false } })).toBe(false);
  });
});

describe('cert-manager v1.21.1', () => {
  it('the controller metrics port is http-metrics 9402 (tcp-prometheus-servicemonitor until v1.20)', () => {
    expect(CERT_MANAGER_METRICS_SERVICE.port).toEqual({ name: 'http-metrics', port: 9402 });
  });
});

describe('cluster model', () => {
  it('Prometheus/Alertmanager/Grafana pods carry the operators\' labels; injected pods get Envoy\'s metrics port', () => {
    const model = buildClusterModel([
      src({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labels: { 'istio-injection': 'enabled' } } }),
      src({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p', namespace: 'm' }, spec: {} }),
      src({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', metadata: { name: 'main', namespace: 'm' }, spec: {} }),
      src({ apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'Grafana', metadata: { name: 'g', namespace: 'm' }, spec: {} }),
      src({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'app' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } } } }),
    ]);
    const pod = (d: string) => model.pods.find((p) => p.description.includes(d))!;
    expect(pod('Prometheus').labels).toEqual(prometheusPodLabels('p'));
    expect(pod('Alertmanager').labels).toEqual(alertmanagerPodLabels('main'));
    expect(pod('Grafana').labels).toEqual({ app: 'g' });
    expect(pod('Deployment app/d').ports.map((p) => p.name ?? p.port)).toEqual([80, 'http-envoy-prom']);
    expect(model.secrets.has('m/g-admin-credentials')).toBe(true);
  });
});
