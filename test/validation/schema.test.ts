/**
 * Strict schemas from the upstream JSON schemas (imports/schemas, written by `npm run import`): unknown fields
 * in built-in kinds and custom resources, fields of a newer Kubernetes, enums, quantities, int-or-string and
 * preserve-unknown-fields are handled as the API server does.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_DIR, REPO_ROOT } from '../../config/paths';
import { readDistDir } from '../../model/dist-files';
import { goPatternToJs, strictCrdSchema } from '../../tools/import/strict-schema';
import { asciiOnly, schemaCheck, schemaIndex, schemaProblems } from '../../validation/schema';

const deployment = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', labels: { any: 'label' }, annotations: { 'free/form': 'x' } },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { memory: '1Gi' } } }] } } },
});
const collector = (spec: object) => ({ apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'o', namespace: 'm' }, spec });
const CONFIG = { receivers: { otlp: { protocols: { grpc: {} } } }, exporters: {}, service: { pipelines: {} } };
const paths = async (o: object) => (await schemaCheck(o as never)).map((p) => p.path).sort();

describe('built-in kinds (Kubernetes OpenAPI definitions, every version in cdk8s.yaml)', () => {
  it('a valid object has no problems; maps such as labels may hold any key', async () => {
    expect(await schemaCheck(deployment())).toEqual([]);
  });

  it('an unknown field is caught at any depth, with its path, in every version', async () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailble: 0 } };
    const problems = await schemaCheck(d);
    expect(problems.map((p) => p.path).sort()).toEqual(['spec.strategy.rollingUpdate.maxUnavailble', 'spec.template.spec.containers[0].imagePullPolicyy']);
    expect(problems.every((p) => p.kind === 'unknown-field' && p.message.endsWith('(Kubernetes 1.27 and 1.36)'))).toBe(true);
  });

  it('a field that 1.36 has and 1.27 does not is caught, naming 1.27', async () => {
    // PodSecurityContext.appArmorProfile was added in Kubernetes 1.30.
    const d: any = deployment();
    d.spec.template.spec.securityContext = { appArmorProfile: { type: 'RuntimeDefault' } };
    expect(await schemaProblems(d)).toEqual(['spec.template.spec.securityContext.appArmorProfile: unknown field "appArmorProfile" (Kubernetes 1.27)']);
  });

  it('an enum the API server enforces is caught (imagePullPolicy), and "" (unset) is accepted', async () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    const [problem] = await schemaCheck(d);
    expect(problem).toMatchObject({ kind: 'invalid', path: 'spec.template.spec.containers[0].imagePullPolicy' });
    expect(problem.message).toContain('"Always", "IfNotPresent", "Never"');
    d.spec.template.spec.containers[0].imagePullPolicy = '';
    expect(await schemaCheck(d)).toEqual([]);
  });

  it('quantities must be in the Kubernetes form; int-or-string takes both', async () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].resources.limits.memory = '1GB';
    d.spec.strategy = { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };
    expect(await schemaProblems(d)).toEqual([expect.stringMatching(/^spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory: must be a Kubernetes quantity/)]);
    d.spec.template.spec.containers[0].resources.limits.memory = 268435456;
    d.spec.strategy.rollingUpdate.maxSurge = true;
    expect(await paths(d)).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
  });

  it('reports type errors with their path', async () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].ports = [{ containerPort: 'http' }];
    expect(await schemaProblems(d)).toEqual([expect.stringContaining('spec.template.spec.containers[0].ports[0].containerPort: must be integer')]);
  });

  it('a kind one version does not serve is a problem', async () => {
    // batch/v1 CronJob is in both; flowcontrol v1 (GA in 1.29) is not served by 1.27.
    const fs = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'f' }, spec: { priorityLevelConfiguration: { name: 'p' } } };
    expect(await schemaProblems(fs)).toEqual(['/: flowcontrol.apiserver.k8s.io/v1 FlowSchema is not served by Kubernetes 1.27']);
  });
});

describe('custom resources (their CRD schema from the pinned release)', () => {
  it('an unknown field is caught under spec and in metadata (ObjectMeta)', async () => {
    expect(await paths(collector({ modee: 'deployment', config: CONFIG }))).toEqual(['spec.modee']);
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'c', labelz: {} }, spec: { instances: 3, storage: { size: '1Gi' } } };
    expect(await paths(cluster)).toEqual(['metadata.labelz']);
  });

  it('x-kubernetes-preserve-unknown-fields keeps any field there (collector config)', async () => {
    expect(await schemaCheck(collector({ config: { ...CONFIG, anything: { x: 1 } } }))).toEqual([]);
  });

  it('CRDs the edge and alerting engineers start to use are known: Gateway API, NGINX Gateway Fabric, AlertmanagerConfig', async () => {
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'n' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['api.finbot.com'], rulez: [] } };
    expect(await paths(route)).toEqual(['spec.rulez']);
    const limit = { apiVersion: 'gateway.nginx.org/v1alpha1', kind: 'RateLimitPolicy', metadata: { name: 'l', namespace: 'n' }, spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }] } };
    expect((await schemaCheck(limit)).filter((p) => p.kind !== 'invalid')).toEqual([]);
    const amc = { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: { name: 'a', namespace: 'n' }, spec: { route: { receiver: 'null', groupBy: ['alertname'] }, receivers: [{ name: 'null' }], inhibitRulez: [] } };
    expect(await paths(amc)).toEqual(['spec.inhibitRulez']);
  });

  it('a structure several CRDs repeat (compiled once, shared) is checked in each copy with its own path', async () => {
    // The affinity and container schemas of Prometheus and Alertmanager are the same subtrees (shared code).
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressionz: [] }] } } };
    const container = { name: 'c', resources: { limits: { memory: '1 GB' } }, imagePullPolicyy: 'Always' };
    const of = (kind: string) => ({ apiVersion: 'monitoring.coreos.com/v1', kind, metadata: { name: 'x', namespace: 'n' }, spec: { affinity, containers: [container] } });
    // A bad quantity is one problem (a union's branches stay in its function), not one per branch.
    for (const kind of ['Prometheus', 'Alertmanager']) {
      const problems = await schemaCheck(of(kind) as never);
      expect(problems.map((p) => `${p.path}: ${p.kind}`).sort(), kind).toEqual([
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressionz: unknown-field',
        'spec.containers[0].imagePullPolicyy: unknown-field',
        'spec.containers[0].resources.limits.memory: invalid',
      ]);
    }
  });

  it('an enum of a CRD is caught', async () => {
    expect((await schemaProblems(collector({ mode: 'sidecarr', config: CONFIG }))).join('\n')).toContain('spec.mode: must be equal to one of the allowed values');
  });

  it('a pattern with a non-ASCII character (the compiled module holds it escaped) matches as written', async () => {
    // GrafanaDashboard's resyncPeriod is a Go duration: `µs` is one of its units.
    const dashboard = (resyncPeriod: string) => ({ apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata: { name: 'd' }, spec: { instanceSelector: {}, json: '{}', resyncPeriod } });
    expect(await schemaCheck(dashboard('10µs'))).toEqual([]);
    expect(await paths(dashboard('10xs'))).toEqual(['spec.resyncPeriod']);
    const code = 'exports.a = "µs, ü, 🚀"; exports.b = new RegExp("^(µs|€)$", "u");';
    const escaped = asciiOnly(code);
    expect(escaped).toMatch(/^[\x00-\x7f]*$/);
    const out: { a?: string; b?: RegExp } = {};
    new Function('exports', escaped)(out);
    expect(out.a).toBe('µs, ü, 🚀');
    expect(out.b!.test('€')).toBe(true);
  });

  it('Go (RE2) patterns work: (?i) is case-insensitive to the end of its group', async () => {
    expect(goPatternToJs('^(?i)(abort|warn)?$')).toBe('^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$');
    expect(goPatternToJs('^((?i)mon|tue)day$')).toBe('^([mM][oO][nN]|[tT][uU][eE])day$');
    const rule = (strategy: string) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', partial_response_strategy: strategy, rules: [] }] } });
    expect(await schemaCheck(rule('ABORT'))).toEqual([]);
    expect(await paths(rule('never'))).toEqual(['spec.groups[0].partial_response_strategy']);
  });

  it('an embedded resource takes apiVersion, kind and an ObjectMeta-checked metadata', () => {
    const s = strictCrdSchema({ type: 'object', properties: { spec: { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } } } } } }, 'k#/definitions/ObjectMeta') as any;
    const template = s.properties.spec.properties.template;
    expect(Object.keys(template.properties).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(template.properties.metadata).toEqual({ $ref: 'k#/definitions/ObjectMeta' });
    expect(template.additionalProperties).toBe(false);
  });
});

describe('imports/schemas', () => {
  it('an unknown kind is a problem that says how to add one', async () => {
    const [p] = await schemaCheck({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } });
    expect(p.kind).toBe('unknown-kind');
    expect(p.message).toContain('schemas.crds');
  });

  it('every kind in dist/ has a schema: built-in kinds against every Kubernetes version, custom resources against their CRD', () => {
    const index = schemaIndex();
    const versions = Object.keys(index.files).filter((id) => id.startsWith('kubernetes-'));
    expect(versions.length).toBeGreaterThanOrEqual(2);
    const kinds = new Set([...readDistDir(DIST_DIR).values()].flat().map((o) => `${o.apiVersion}/${o.kind}`));
    expect(kinds.size).toBeGreaterThan(20);
    {
      for (const k of kinds) {
        const entries = index.kinds[k] ?? [];
        expect(entries.length, k).toBeGreaterThan(0);
        if (entries[0].schema.startsWith('kubernetes-')) expect(entries.map((e) => e.schema).sort(), k).toEqual(versions.sort());
      }
    }
  });

  it('the index names each file with its sha256 (which keys the compiled validators): nobody edited a generated file', () => {
    for (const { path, sha256 } of Object.values(schemaIndex().files)) {
      expect(createHash('sha256').update(readFileSync(join(REPO_ROOT, 'imports', 'schemas', path))).digest('hex'), path).toBe(sha256);
    }
  });
});
