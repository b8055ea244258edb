/**
 * The OpenTelemetry operator model against the operator's own unit tests at v0.158.0
 * (internal/manifests/manifestutils/labels_test.go, internal/manifests/collector/networkpolicy_test.go), and
 * the cluster model's use of it: collector pods keep the CR's `app.kubernetes.io/name`, and the NetworkPolicy
 * the operator adds counts in reachability.
 */
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../../model/cluster-model';
import { evaluate, policiesOf } from '../../../model/network-policy';
import {
  collectorNetworkPolicyEnabled, collectorNetworkPolicyName, collectorPodLabels, collectorSelectorLabels, collectorServiceNames, versionLabel,
} from '../../../model/operators/opentelemetry-operator';
import type { KubeObject } from '../../../model/kube-object';

// labels_test.go: collectorName = "my-instance", collectorNamespace = "my-ns".
const NAME = 'my-instance';
const NS = 'my-ns';

describe('OpenTelemetry operator labels (manifestutils/labels_test.go, v0.158.0)', () => {
  it('TestLabelsCommonSet', () => {
    const l = collectorPodLabels(NS, NAME, {}, 'ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator:0.47.0');
    expect(l['app.kubernetes.io/managed-by']).toBe('opentelemetry-operator');
    expect(l['app.kubernetes.io/instance']).toBe('my-ns.my-instance');
    expect(l['app.kubernetes.io/version']).toBe('0.47.0');
    expect(l['app.kubernetes.io/part-of']).toBe('opentelemetry');
    expect(l['app.kubernetes.io/component']).toBe('opentelemetry-collector');
  });
  it('TestLabelsSha256Set', () => {
    expect(versionLabel('ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator@sha256:c6671841470b83007e0553cdadbc9d05f6cfe17b3ebe9733728dc4a579a5b532')).toBe('c6671841470b83007e0553cdadbc9d05f6cfe17b3ebe9733728dc4a579a5b53');
    expect(versionLabel('ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator:0.81.0@sha256:c6671841470b83007e0553cdadbc9d05f6cfe17b3ebe9733728dc4a579a5b532')).toBe('0.81.0');
  });
  it('TestLabelsTagUnset', () => {
    expect(collectorPodLabels(NS, NAME, {}, 'ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator')['app.kubernetes.io/version']).toBe('latest');
  });
  it('TestLabelsPropagateDown: the CR\'s own app.kubernetes.io/name is kept (7 labels)', () => {
    // Upstream passes an ObjectMeta without name/namespace; the selector labels still take their keys.
    const l = collectorPodLabels('', '', { myapp: 'mycomponent', 'app.kubernetes.io/name': 'test' }, 'ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator');
    expect(Object.keys(l)).toHaveLength(7);
    expect(l.myapp).toBe('mycomponent');
    expect(l['app.kubernetes.io/name']).toBe('test');
  });
  it('without a name label on the CR, pods are named <cr>-collector; selectors never use the name', () => {
    expect(collectorPodLabels(NS, 'jaeger', {}, 'x:1')['app.kubernetes.io/name']).toBe('jaeger-collector');
    expect(collectorPodLabels(NS, 'jaeger', { 'app.kubernetes.io/name': 'jaeger' }, 'x:1')['app.kubernetes.io/name']).toBe('jaeger');
    expect(Object.keys(collectorSelectorLabels(NS, 'jaeger'))).not.toContain('app.kubernetes.io/name');
    expect(collectorServiceNames('jaeger')).toEqual({ main: 'jaeger-collector', headless: 'jaeger-collector-headless', monitoring: 'jaeger-collector-monitoring' });
  });
});

describe('the operator\'s own NetworkPolicy (collector/networkpolicy.go, webhook default, v0.158.0)', () => {
  const cr = (spec: object = {}, labels: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'jaeger', namespace: 'monitoring', labels }, spec: { config: {}, ...spec },
  });
  const monitoring: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } };
  const denyAll: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'monitoring' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };

  it('is on unless the CR sets spec.networkPolicy.enabled: false', () => {
    expect(collectorNetworkPolicyEnabled({})).toBe(true);
    expect(collectorNetworkPolicyEnabled({ networkPolicy: {} })).toBe(true);
    expect(collectorNetworkPolicyEnabled({ networkPolicy: { enabled: true } })).toBe(true);
    expect(collectorNetworkPolicyEnabled({ networkPolicy: { enabled: false } })).toBe(false);
  });

  it('the reachability model counts it: under default-deny any pod reaches the collector, until it is turned off', () => {
    const stranger = { namespace: 'other', namespaceLabels: { 'kubernetes.io/metadata.name': 'other' }, podLabels: { app: 'anything' } };
    const reach = (collector: KubeObject) => {
      const objects = [monitoring, denyAll, collector].map((object) => ({ object, file: 'x' }));
      const model = buildClusterModel(objects, ['other']);
      const pod = model.pods.find((p) => p.description.includes('OpenTelemetry collector'))!;
      const dst = { namespace: pod.namespace, namespaceLabels: model.namespaces.get(pod.namespace)!, podLabels: pod.labels, ports: pod.ports };
      return { model, allowed: evaluate(policiesOf([...objects, ...model.operatorPolicies]), stranger, dst, { port: 4317, protocol: 'TCP' }).ingress.allowed };
    };
    const on = reach(cr({}, { 'app.kubernetes.io/name': 'jaeger' }));
    expect(on.model.operatorPolicies.map((p) => p.object.metadata.name)).toEqual([collectorNetworkPolicyName('jaeger')]);
    expect(on.allowed).toBe(true);
    const off = reach(cr({ networkPolicy: { enabled: false } }));
    expect(off.model.operatorPolicies).toEqual([]);
    expect(off.allowed).toBe(false);
  });

  it('the pods the model derives carry the CR\'s name label, so a policy selecting <cr>-collector misses them', () => {
    const model = buildClusterModel([{ object: cr({}, { 'app.kubernetes.io/name': 'jaeger' }), file: 'x' }]);
    const pod = model.pods.find((p) => p.description.includes('OpenTelemetry collector'))!;
    expect(pod.labels['app.kubernetes.io/name']).toBe('jaeger');
    expect(model.service('monitoring', 'jaeger-collector')?.selector).toEqual(collectorSelectorLabels('monitoring', 'jaeger'));
  });
});
