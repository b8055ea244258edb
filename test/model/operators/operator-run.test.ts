/**
 * model/operators/operator-run.ts: which object of the output leads to which running pods and Services, read
 * from each operator's model file; the expectations of the upstream tests and templates they were read next to.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../model/kube-object';
import { buildClusterModel } from '../../../model/cluster-model';
import { operatorRunOf } from '../../../model/operators/operator-run';
import { vaultHelmHaReplicas } from '../../../model/operators/vault';
import { ENVIRONMENTS, synthObjects } from '../../helpers';

const obj = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown> = {}, namespace = 'ns'): KubeObject => ({ apiVersion, kind, metadata: { name, namespace }, spec } as KubeObject);

describe('operator-run', () => {
  it('CloudNativePG (pkg/specs/services_test.go "create a configured -rw service" etc.): -rw selects the primary, -ro the replicas, -r every instance; instances (default 1) = 1 primary + replicas', () => {
    const run = operatorRunOf(obj('postgresql.cnpg.io/v1', 'Cluster', 'pg', { instances: 3 }))!;
    expect(run.role).toBe('database');
    expect(run.derived.services.map((s) => [s.name, s.selector['cnpg.io/instanceRole'] ?? 'any'])).toEqual([['pg-rw', 'primary'], ['pg-ro', 'replica'], ['pg-r', 'any']]);
    expect(run.derived.pods.map((p) => p.replicas)).toEqual([1, 2]);
    expect(run.client).toEqual({ service: 'pg-rw', port: 5432 });
    expect(operatorRunOf(obj('postgresql.cnpg.io/v1', 'Cluster', 'pg'))!.derived.pods.map((p) => p.replicas)).toEqual([1, 0]);
  });

  it('redis-operator: leader and follower pods (clusterSize each unless redisLeader/redisFollower.replicas), Services <name>-<role>[-headless|-additional]', () => {
    const run = operatorRunOf(obj('redis.redis.opstreelabs.in/v1beta2', 'RedisCluster', 'r', { clusterSize: 3, redisFollower: { replicas: 2 } }))!;
    expect(run.derived.pods.filter((p) => p.labels.role === 'leader')).toHaveLength(3);
    expect(run.derived.pods.filter((p) => p.labels.role === 'follower')).toHaveLength(2);
    expect(run.derived.services[0]).toMatchObject({ name: 'r-leader', ports: [{ port: 6379 }, { port: 9121 }] });
    expect(run.client).toEqual({ service: 'r-leader', port: 6379 });
  });

  it('prometheus-operator: replicas × shards Prometheus pods behind prometheus-operated; Alertmanager replicas behind alertmanager-operated', () => {
    const prom = operatorRunOf(obj('monitoring.coreos.com/v1', 'Prometheus', 'p', { replicas: 2, shards: 2 }))!;
    expect(prom.derived.pods[0].replicas).toBe(4);
    expect(prom.derived.services.map((s) => s.name)).toEqual(['prometheus-operated']);
    const am = operatorRunOf(obj('monitoring.coreos.com/v1', 'Alertmanager', 'main', {}))!;
    expect(am.derived.pods[0].replicas).toBe(1);
    expect(am.derived.services[0]).toMatchObject({ name: 'alertmanager-operated', selector: { 'app.kubernetes.io/name': 'alertmanager' } });
  });

  it('grafana-operator: one pod unless spec.deployment.spec.replicas, Service <name>-service selecting app: <name>', () => {
    expect(operatorRunOf(obj('grafana.integreatly.org/v1beta1', 'Grafana', 'g'))!.derived).toMatchObject({ pods: [{ replicas: 1, labels: { app: 'g' } }], services: [{ name: 'g-service', selector: { app: 'g' } }] });
    expect(operatorRunOf(obj('grafana.integreatly.org/v1beta1', 'Grafana', 'g', { deployment: { spec: { replicas: 2 } } }))!.derived.pods[0].replicas).toBe(2);
  });

  it('ECK: one pod per node set count, <c>-es-http and <c>-es-transport', () => {
    const run = operatorRunOf(obj('elasticsearch.k8s.elastic.co/v1', 'Elasticsearch', 'es', { nodeSets: [{ name: 'a', count: 2 }, { name: 'b', count: 1 }] }))!;
    expect(run.derived.pods[0].replicas).toBe(3);
    expect(run.derived.services.map((s) => s.name)).toEqual(['es-es-http', 'es-es-transport']);
  });

  it('vault-helm v0.34.1 (templates/_helpers.tpl vault.replicas): server.ha.replicas when it is a number, else 3; pods in the destination namespace', () => {
    expect(vaultHelmHaReplicas(undefined)).toBe(3);
    expect(vaultHelmHaReplicas({ server: { ha: { replicas: 5 } } })).toBe(5);
    expect(vaultHelmHaReplicas({ server: { ha: { replicas: '5' } } })).toBe(3);
    const app = obj('argoproj.io/v1alpha1', 'Application', 'vault-x', { source: { repoURL: 'https://helm.releases.hashicorp.com', chart: 'vault', helm: { releaseName: 'vault' } }, destination: { namespace: 'vault' } }, 'argocd');
    expect(operatorRunOf(app)).toMatchObject({ role: 'secrets', namespace: 'vault', derived: { pods: [{ replicas: 3 }] }, client: { service: 'vault-active', port: 8200 } });
    expect(operatorRunOf({ ...app, spec: { source: { repoURL: 'https://example.org', chart: 'x' } } } as KubeObject)).toBeUndefined();
  });

  it('objects no operator runs pods for lead to nothing', () => {
    expect(operatorRunOf(obj('v1', 'ConfigMap', 'c'))).toBeUndefined();
    expect(operatorRunOf(obj('gateway.networking.k8s.io/v1', 'Gateway', 'g', { gatewayClassName: 'other' }))).toBeUndefined();
  });

  it.each(ENVIRONMENTS)('%s: the cluster model holds every Service and pod the operator model says each custom resource leads to', (env) => {
    const objects = synthObjects(env);
    const model = buildClusterModel(objects.map((object) => ({ object, file: 'x.yaml' })));
    const runs = objects.map(operatorRunOf).filter((r) => r !== undefined);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      // clients connect to one of the Services the operator makes, on one of its ports
      expect(run!.derived.services.find((s) => s.name === run!.client.service)?.ports.map((p) => p.port)).toContain(run!.client.port);
      for (const s of run!.derived.services) expect(model.service(run!.namespace, s.name), `${run!.namespace}/${s.name}`).toBeDefined();
      for (const p of run!.derived.pods) expect(model.pods.some((m) => m.namespace === run!.namespace && Object.entries(p.labels).every(([k, v]) => m.labels[k] === v)), p.what).toBe(true);
    }
  });
});
