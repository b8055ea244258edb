/** Capacity report on fixtures: every supported kind, min/max with HPAs, the fit check and its warnings. */
import { describe, expect, it } from 'vitest';
import { capacityInput, capacityReport, EXTRACTORS, formatCapacityText, istioSidecar, podAmounts, resourceAmounts, workloads } from '../../tools/capacity/capacity';
import type { KubeObject } from '../../model/kube-object';
import { DIST_DIR } from '../../config/paths';
import { inClusterFiles, readDistDir } from '../../model/dist-files';
import { redisShardPods } from '../../model/operators/redis-operator';
import { ENVIRONMENTS, settingsOf, synthObjects } from '../helpers';

const GI = 2 ** 30;
const MI = 2 ** 20;
const res = (cpu: string, memory: string, limCpu = cpu, limMem = memory) => ({ requests: { cpu, memory }, limits: { cpu: limCpu, memory: limMem } });
const meta = (name: string, namespace: string) => ({ name, namespace });
const nodeGroup = { min: 3, max: 20 };
const settings = { nodeAllocatable: { cpu: '4', memory: '16Gi' }, nodeGroup };

const deployment = (name: string, replicas: number | undefined, r = res('250m', '256Mi', '500m', '512Mi')): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, 'production'),
  spec: { ...(replicas !== undefined ? { replicas } : {}), template: { spec: { containers: [{ name, resources: r }] } } },
});
const hpa = (target: string, min: number, max: number): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: meta(`${target}-hpa`, 'production'),
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max },
});
const cnpg: KubeObject = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: meta('postgres-cluster', 'database'),
  spec: { instances: 3, resources: res('1', '2Gi', '2', '4Gi'), storage: { size: '100Gi' }, walStorage: { size: '20Gi' } },
};
const redis: KubeObject = {
  apiVersion: 'redis.redis.opstreelabs.in/v1beta2',
  kind: 'RedisCluster',
  metadata: meta('redis-cluster', 'cache'),
  spec: {
    clusterSize: 3,
    kubernetesConfig: { image: 'redis', resources: res('250m', '512Mi', '500m', '1Gi') },
    redisFollower: { replicas: 2, resources: res('100m', '256Mi') },
    redisExporter: { enabled: true, image: 'exporter', resources: res('50m', '64Mi') },
    storage: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '10Gi' } } } } },
  },
};
const prometheus: KubeObject = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: meta('prometheus', 'monitoring'),
  spec: { replicas: 2, resources: res('500m', '2Gi'), storage: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '50Gi' } } } } } },
};
const elasticsearch: KubeObject = {
  apiVersion: 'elasticsearch.k8s.elastic.co/v1',
  kind: 'Elasticsearch',
  metadata: meta('logs', 'logging'),
  spec: {
    nodeSets: [
      { name: 'master', count: 3, podTemplate: { spec: { containers: [{ name: 'elasticsearch', resources: res('500m', '1Gi') }] } }, volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '10Gi' } } } }] },
      { name: 'data', count: 2, podTemplate: { spec: { containers: [{ name: 'elasticsearch', resources: res('1', '4Gi') }] } }, volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '100Gi' } } } }] },
    ],
  },
};
const statefulSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: meta('vault', 'vault'),
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'vault', resources: res('100m', '128Mi') }] } }, volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '10Gi' } } } }] },
};

describe('resource arithmetic', () => {
  it('parses quantities, numbers included, and takes a missing limit as the request', () => {
    expect(resourceAmounts({ requests: { cpu: 1, memory: '1Gi' } })).toEqual({ cpuRequests: 1, cpuLimits: 1, memoryRequests: GI, memoryLimits: GI });
    expect(resourceAmounts(undefined)).toEqual({ cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0 });
  });

  it('sums containers, and counts an init container when it is larger', () => {
    const spec = { containers: [{ name: 'a', resources: res('100m', '100Mi') }, { name: 'b', resources: res('100m', '100Mi') }], initContainers: [{ name: 'i', resources: res('1', '10Mi') }] };
    const { pod } = podAmounts(spec);
    expect(pod.cpuRequests).toBe(1);
    expect(pod.memoryRequests).toBe(200 * MI);
  });

  it('rejects a malformed quantity naming the object', () => {
    const bad = deployment('x', 1, res('lots', '1Gi'));
    expect(() => workloads([bad], nodeGroup)).toThrow(/Deployment production\/x: container x.requests.cpu/);
  });
});

describe('workloads', () => {
  it('uses the HPA bounds of a Deployment, and spec.replicas (default 1) without one', () => {
    const ws = workloads([deployment('api', undefined), hpa('api', 3, 20), deployment('fixed', 2), deployment('one', undefined)], nodeGroup);
    expect(ws.map((w) => [w.name, w.minPods, w.maxPods])).toEqual([['api', 3, 20], ['fixed', 2, 2], ['one', 1, 1]]);
  });

  it('reads CloudNativePG instances with data and WAL storage', () => {
    const [w] = workloads([cnpg], nodeGroup);
    expect([w.minPods, w.maxPods, w.pod.cpuRequests, w.pod.memoryLimits, w.storagePerPod]).toEqual([3, 3, 1, 4 * GI, 120 * GI]);
  });

  it('reads RedisCluster leaders and followers with per-role resources, the exporter and storage', () => {
    const ws = workloads([redis], nodeGroup);
    expect(ws.map((w) => [w.name, w.maxPods, w.pod.cpuRequests, w.pod.memoryRequests, w.storagePerPod])).toEqual([
      ['redis-cluster (leader)', 3, 0.3, 576 * MI, 10 * GI],
      ['redis-cluster (follower)', 2, 0.15, 320 * MI, 10 * GI],
    ]);
  });

  it('reads Prometheus replicas (plus the operator\'s config-reloader sidecar, 10m), Elasticsearch nodeSets and StatefulSet claim templates', () => {
    const ws = workloads([prometheus, elasticsearch, statefulSet], nodeGroup);
    expect(ws.map((w) => [w.name, w.maxPods, w.pod.cpuRequests, w.storagePerPod])).toEqual([
      ['prometheus', 2, 0.51, 50 * GI],
      ['logs (master)', 3, 0.5, 10 * GI],
      ['logs (data)', 2, 1, 100 * GI],
      ['vault', 3, 0.1, 10 * GI],
    ]);
  });

  it('runs a DaemonSet pod on every node of the group', () => {
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent', 'monitoring'), spec: { template: { spec: { containers: [{ name: 'a', resources: res('50m', '64Mi') }] } } } };
    const [w] = workloads([ds], nodeGroup);
    expect([w.minPods, w.maxPods]).toEqual([3, 20]);
  });

  it('reads a Grafana instance\'s Deployment and a daemonset-mode OpenTelemetryCollector per node', () => {
    const grafana: KubeObject = { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'Grafana', metadata: meta('grafana', 'monitoring'), spec: { deployment: { spec: { replicas: 2, template: { spec: { containers: [{ name: 'grafana', resources: res('100m', '256Mi') }] } } } } } };
    const otel: KubeObject = { apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: meta('agent', 'monitoring'), spec: { mode: 'daemonset', resources: res('50m', '64Mi') } };
    const [g, o] = workloads([grafana, otel], nodeGroup);
    expect([g.minPods, g.maxPods, g.pod.cpuRequests, g.pod.memoryRequests]).toEqual([2, 2, 0.1, 256 * MI]);
    expect([o.minPods, o.maxPods, o.pod.cpuRequests]).toEqual([3, 20, 0.05]);
  });

  it('ignores kinds that run no pods and knows the operators of the design document', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('c', 'n') };
    expect(workloads([cm], nodeGroup)).toEqual([]);
    expect(Object.keys(EXTRACTORS)).toEqual(expect.arrayContaining(['postgresql.cnpg.io/Cluster', 'redis.redis.opstreelabs.in/RedisCluster', 'monitoring.coreos.com/Prometheus', 'elasticsearch.k8s.elastic.co/Elasticsearch', 'opentelemetry.io/OpenTelemetryCollector', 'grafana.integreatly.org/Grafana']));
  });
});

describe('Istio sidecars', () => {
  const injectedNs: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production', labels: { 'istio-injection': 'enabled' } } };

  it('adds Istio\'s default sidecar to every pod of an injected namespace', () => {
    const [w] = workloads([injectedNs, deployment('api', 2)], nodeGroup);
    expect(w.sidecar).toBe(true);
    expect([w.pod.cpuRequests, w.pod.memoryRequests, w.pod.cpuLimits, w.pod.memoryLimits]).toEqual([0.35, 384 * MI, 2.5, 1536 * MI]);
    expect(workloads([deployment('api', 2)], nodeGroup)[0].sidecar).toBeUndefined();
  });

  it('honours the pod\'s opt-out and its proxy size annotations', () => {
    expect(istioSidecar({ 'istio-injection': 'enabled' }, { annotations: { 'sidecar.istio.io/inject': 'false' } })).toBeUndefined();
    expect(istioSidecar({}, { labels: { 'sidecar.istio.io/inject': 'true' } })?.cpuRequests).toBe(0.1);
    const sized = istioSidecar({ 'istio-injection': 'enabled' }, { annotations: { 'sidecar.istio.io/proxyCPU': '50m', 'sidecar.istio.io/proxyMemory': '64Mi' } });
    expect([sized?.cpuRequests, sized?.memoryRequests, sized?.cpuLimits]).toEqual([0.05, 64 * MI, 2]);
  });
});

describe('capacityReport', () => {
  const objects = [deployment('finbot-api', undefined), hpa('finbot-api', 3, 20), cnpg, redis, prometheus];

  it('sums per namespace and in total at min and max', () => {
    const r = capacityReport('production', objects, settings);
    expect(r.namespaces.map((n) => n.namespace)).toEqual(['cache', 'database', 'monitoring', 'production']);
    const app = r.namespaces.find((n) => n.namespace === 'production')!;
    expect([app.min.pods, app.max.pods, app.min.cpuRequests, app.max.cpuRequests, app.max.memoryLimits]).toEqual([3, 20, 0.75, 5, 10 * GI]);
    // 3 Postgres + 5 Redis + 2 Prometheus pods, each with a volume
    expect(r.total.max.storage).toBe(3 * 120 * GI + 5 * 10 * GI + 2 * 50 * GI);
    expect(r.total.max.pods).toBe(20 + 3 + 5 + 2);
    expect(r.warnings).toEqual([]);
    expect(r.nodes.neededAtMax).toBeLessThanOrEqual(20);
  });

  it('warns when the maximum does not fit the node group', () => {
    const r = capacityReport('production', objects, { ...settings, nodeGroup: { min: 1, max: 1 } });
    expect(r.warnings.join('\n')).toMatch(/production: at maximum replicas the pods request 10\.22 CPU, more than 1 nodes provide \(4\.00\)/);
    expect(formatCapacityText([r])).toContain('WARNING: production: at maximum replicas');
    expect(formatCapacityText([r])).toContain('DOES NOT FIT');
  });

  it('warns about a pod larger than a node and about containers without requests', () => {
    const huge = deployment('huge', 1, res('8', '1Gi'));
    const bare: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('bare', 'production'), spec: { template: { spec: { containers: [{ name: 'b' }] } } } };
    const r = capacityReport('production', [huge, bare], settings);
    expect(r.warnings).toEqual([
      'production: Deployment production/huge: one pod requests 8.00 CPU / 1.0Gi, more than a node offers (4.00 / 16.0Gi): it can never be scheduled',
      'production: Deployment production/bare: 1 container(s) without resource requests are not counted',
    ]);
  });

  it('prints a table with one row per namespace and a total', () => {
    const text = formatCapacityText([capacityReport('production', objects, settings)]);
    expect(text).toContain('production: node group 3–20 nodes × 4.00 CPU / 16.0Gi allocatable');
    expect(text).toMatch(/\n {2}production +3–20 +0\.75–5\.00 +1\.50–10\.00 +0\.8Gi–5\.0Gi +1\.5Gi–10\.0Gi +0\.0Gi\n/);
    expect(text).toMatch(/\n {2}total +/);
  });

  it('the real environments fit their node groups', () => {
    for (const env of ENVIRONMENTS) {
      const r = capacityReport(env, synthObjects(env), capacityInput(settingsOf(env)));
      expect(r.warnings.filter((w) => w.includes('at maximum replicas') || w.includes('never be scheduled'))).toEqual([]);
      expect(r.total.max.pods).toBeGreaterThan(r.total.min.pods);
    }
  });

  describe('the merged production output (every chart)', () => {
    const objects = readDistDir(DIST_DIR, { inClusterOnly: true }).get('production')!;
    const r = capacityReport('production', objects, capacityInput(settingsOf('production')));
    const w = (name: string) => r.workloads.filter((x) => `${x.namespace}/${x.name}`.startsWith(name));
    const release = settingsOf('production').release.api;
    const idle = release.active === 'blue' ? 'green' : 'blue';

    it('counts both api colours once each: the live one at its HPA range, the idle one from its minimum to its maximum', () => {
      const hpa = (colour: string) => synthObjects('production').find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `finbot-api-${colour}-hpa`) as any;
      for (const colour of ['blue', 'green']) {
        const [api] = w(`production/finbot-api-${colour}`);
        expect([api.minPods, api.maxPods]).toEqual([hpa(colour).spec.minReplicas, hpa(colour).spec.maxReplicas]);
        expect(api.sidecar).toBe(true);
      }
      // the idle colour's floor: idleReplicas, or the handover's pods while a promotion runs (release.yaml)
      expect(w(`production/finbot-api-${idle}`)[0].minPods).toBe(Math.max(release.idleReplicas, release.handoverReplicas));
      // Services (finbot-api, -preview, -colours) run no pods: only the two colour Deployments are api workloads
      expect(r.workloads.filter((x) => x.name.startsWith('finbot-api')).map((x) => x.name).sort()).toEqual(['finbot-api-blue', 'finbot-api-green']);
    });

    it('counts the operators\' pods: CNPG instances, Redis leaders and followers, Prometheus, Elasticsearch, collectors, Grafana', () => {
      const pods = (name: string) => w(name).reduce((n, x) => n + x.maxPods, 0);
      const pg = synthObjects('production').find((o) => o.kind === 'Cluster' && o.metadata.name === 'finbot-postgres-primary') as any;
      expect(pods('database/finbot-postgres-primary')).toBe(pg.spec.instances);
      expect(w('database/finbot-postgres-primary')[0].pod.cpuRequests).toBeGreaterThan(0);
      // what the output asks of each operator (a setting change moves both sides): Redis a follower per leader
      // (model/operators/redis-operator.ts), Prometheus its replicas, Elasticsearch the counts of its nodeSets
      const cr = (kind: string, name: string) => synthObjects('production').find((o) => o.kind === kind && o.metadata.name === name) as any;
      expect(pods('cache/finbot-redis-cluster')).toBe(redisShardPods('finbot-redis-cluster', cr('RedisCluster', 'finbot-redis-cluster').spec.clusterSize).flat().length);
      expect(pods('monitoring/finbot-prometheus')).toBe(cr('Prometheus', 'finbot-prometheus').spec.replicas);
      expect(pods('monitoring/finbot-traces')).toBe(cr('Elasticsearch', 'finbot-traces').spec.nodeSets.reduce((n: number, x: any) => n + x.count, 0));
      expect(pods('monitoring/finbot-grafana')).toBe(1);
      expect(r.workloads.filter((x) => x.kind === 'OpenTelemetryCollector').every((x) => x.maxPods > 0)).toBe(true);
      const database = r.namespaces.find((n) => n.namespace === 'database')!;
      expect(database.max.pods).toBe(pg.spec.instances);
    });

    it('leaves out what the environment\'s Argo CD Applications apply to another cluster', () => {
      const files = ['apps.yaml', 'data.yaml', 'data-dr.yaml', 'gitops.yaml'];
      const app = (include: string | undefined, exclude: string | undefined, server = 'https://kubernetes.default.svc'): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: meta('a', 'argocd'), spec: { destination: { server }, source: { path: 'dist/production', directory: { include, exclude } } } });
      expect([...inClusterFiles('production', files, [app('gitops.yaml', undefined), app(undefined, '{gitops.yaml,data-dr.yaml}')])].sort()).toEqual(['apps.yaml', 'data.yaml', 'gitops.yaml']);
      expect([...inClusterFiles('production', files, [app(undefined, undefined, 'https://dr.example')])]).toEqual([]);
      expect([...inClusterFiles('production', files, [])]).toEqual(files);
    });
  });
});

describe('capacity: the NGINX Gateway Fabric data plane', () => {
  it('counts the pods NGF provisions for the Gateway: NginxProxy autoscaling bounds and resources, plus the Istio sidecar the Gateway asks for', () => {
    const env = 'production';
    const s = settingsOf(env).edge.nginxGatewayFabric;
    const ws = workloads(synthObjects(env), nodeGroup).filter((w) => w.kind === 'Gateway');
    expect(ws).toHaveLength(1);
    const w = ws[0];
    expect(w.namespace).toBe(settingsOf(env).platform.namespaces.ingress);
    expect([w.minPods, w.maxPods]).toEqual([s.dataPlane.minReplicas, s.dataPlane.maxReplicas]);
    const sidecar = istioSidecar(undefined, { labels: { 'sidecar.istio.io/inject': 'true' } })!;
    const nginx = resourceAmounts(s.dataPlane.resources);
    expect(w.sidecar).toBe(true);
    expect(w.pod.cpuRequests).toBeCloseTo(nginx.cpuRequests + sidecar.cpuRequests);
    expect(w.pod.memoryLimits).toBeCloseTo(nginx.memoryLimits + sidecar.memoryLimits);
  });
});
