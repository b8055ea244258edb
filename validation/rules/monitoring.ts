/**
 * Monitoring that works, not only validates (ids `monitoring/*`): Alertmanager reads a configuration the output
 * provides (and the matcher strategy does not hide FinBot's alerts), alerts fire when their series vanish,
 * Prometheus' RBAC is namespaced, operator-run monitoring pods mount no API token they do not use, and
 * monitors of upstream Services use the port names of the pinned releases. Operator behaviour comes from
 * model/operators/.
 */
import { arr } from '../../model/shape';
import { matchesSelector } from '../../model/selectors';
import { CERT_MANAGER_METRICS_SERVICE } from '../../model/operators/cert-manager';
import { grafanaMountsToken } from '../../model/operators/grafana-operator';
import {
  alertmanagerConfigSecretName, alertmanagerMountsToken, alertmanagerReadsSecretAsIs, DEFAULT_ALERTMANAGER_CONFIG_MATCHER_STRATEGY, KUBELET_SERVICE,
} from '../../model/operators/prometheus-operator';
import { finding, type Rule } from '../rule';
import type { Finding, KubeObject, SourcedObject } from '../types';

type Spec = Record<string, any>;
const specOf = (o: KubeObject): Spec => (o.spec ?? {}) as Spec;
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';
const ofKind = (objects: readonly SourcedObject[], kind: string, group: string) =>
  objects.filter((s) => s.object.kind === kind && s.object.apiVersion.startsWith(`${group}/`));

/** Resources Prometheus may discover only through namespaced Roles. */
const DISCOVERY_RESOURCES = new Set(['pods', 'services', 'endpoints', 'endpointslices', 'ingresses']);

/** Upstream Services whose metrics port name changes between releases: labels and the pinned port name. */
const UPSTREAM_METRICS_SERVICES: ReadonlyArray<{ readonly what: string; readonly labels: Readonly<Record<string, string>>; readonly port: string }> = [
  { what: 'cert-manager v1.21 controller Service', labels: CERT_MANAGER_METRICS_SERVICE.labels, port: CERT_MANAGER_METRICS_SERVICE.port.name },
  { what: 'prometheus-operator kubelet Service', labels: KUBELET_SERVICE.labels, port: KUBELET_SERVICE.port.name },
];

/** Rules for monitoring (ids `monitoring/*`). */
export const monitoringRules: readonly Rule[] = [
  {
    id: 'monitoring/alertmanager-config',
    description: 'Every Alertmanager gets a configuration from the output: without an AlertmanagerConfig selector, its config Secret (spec.configSecret or alertmanager-<name>) is produced by the output; with one, a selected AlertmanagerConfig exists and the matcher strategy is None (OnNamespace only matches alerts of the Alertmanager\'s namespace).',
    fix: 'Render the configuration Secret (e.g. an ExternalSecret with alertmanager.yaml) and name it in spec.configSecret, or select AlertmanagerConfigs with alertmanagerConfigMatcherStrategy: { type: None }.',
    check: (ctx) => ofKind(ctx.objects, 'Alertmanager', 'monitoring.coreos.com').flatMap((s) => {
      const spec = specOf(s.object);
      const ns = nsOf(s.object);
      const name = s.object.metadata.name ?? '';
      if (alertmanagerReadsSecretAsIs(spec)) {
        const secret = alertmanagerConfigSecretName(name, spec.configSecret);
        return ctx.cluster.secrets.has(`${ns}/${secret}`) ? [] : [finding(s, 'spec.configSecret', `the configuration Secret ${ns}/${secret} is not produced by the output: the operator falls back to a "null" receiver and alerts reach no one`)];
      }
      const out: Finding[] = [];
      const strategy = spec.alertmanagerConfigMatcherStrategy?.type ?? DEFAULT_ALERTMANAGER_CONFIG_MATCHER_STRATEGY;
      if (spec.alertmanagerConfigSelector && strategy !== 'None') {
        out.push(finding(s, 'spec.alertmanagerConfigMatcherStrategy', `matcher strategy ${strategy}: the selected AlertmanagerConfigs only see alerts labelled with their own namespace, not those of the app, database and cache namespaces`));
      }
      if (spec.alertmanagerConfigSelector) {
        const configs = ofKind(ctx.objects, 'AlertmanagerConfig', 'monitoring.coreos.com')
          .filter((c) => (spec.alertmanagerConfigNamespaceSelector ? true : nsOf(c.object) === ns) && matchesSelector(spec.alertmanagerConfigSelector, c.object.metadata.labels ?? {}));
        if (configs.length === 0 && !spec.alertmanagerConfiguration) out.push(finding(s, 'spec.alertmanagerConfigSelector', 'selects no AlertmanagerConfig of the output: no receiver is configured'));
      }
      return out;
    }),
  },
  {
    id: 'monitoring/alert-absence-guard',
    description: 'Every alerting rule also fires when its series vanish (an `absent(...)` term), unless its expression is a constant such as vector(1).',
    fix: 'Append `or absent(<series selector>)` for each series the rule reads (the PrometheusRule construct does it from absentGuard).',
    check: (ctx) => ofKind(ctx.objects, 'PrometheusRule', 'monitoring.coreos.com').flatMap((s) =>
      arr(specOf(s.object).groups as Spec[] | undefined).flatMap((g, gi) => arr(g.rules as Spec[] | undefined).flatMap((r, ri) => {
        if (!r.alert) return [];
        const expr = String(r.expr ?? '');
        if (/\babsent\(/.test(expr) || /^\s*vector\(\s*[0-9.]+\s*\)\s*$/.test(expr)) return [];
        return [finding(s, `spec.groups[${gi}].rules[${ri}].expr`, `alert ${r.alert} never fires if its series vanish (exporter down, port renamed, monitor not loaded): ${expr}`)];
      }))),
  },
  {
    id: 'monitoring/prometheus-rbac',
    description: 'A Prometheus ServiceAccount gets cluster-wide rights only for nodes/metrics and non-resource URLs; it discovers pods, Services and endpoints through Roles in the namespaces it scrapes, and reads no ConfigMaps or Secrets.',
    fix: 'Keep nodes/metrics and /metrics in the ClusterRole; grant discovery with a Role + RoleBinding per scraped namespace; drop configmaps/secrets.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const p of ofKind(ctx.objects, 'Prometheus', 'monitoring.coreos.com')) {
        const sa = { name: specOf(p.object).serviceAccountName ?? 'default', namespace: nsOf(p.object) };
        const bound = (b: KubeObject) => arr((b as KubeObject & { subjects?: Spec[] }).subjects).some((x) => x.kind === 'ServiceAccount' && x.name === sa.name && (x.namespace ?? nsOf(b)) === sa.namespace);
        for (const b of ctx.objects.filter((x) => (x.object.kind === 'ClusterRoleBinding' || x.object.kind === 'RoleBinding') && bound(x.object))) {
          const ref = (b.object as KubeObject & { roleRef?: Spec }).roleRef ?? {};
          const role = ctx.objects.find((x) => x.object.kind === ref.kind && x.object.metadata.name === ref.name && (ref.kind === 'ClusterRole' || nsOf(x.object) === nsOf(b.object)));
          if (!role) continue;
          const clusterWide = b.object.kind === 'ClusterRoleBinding';
          arr((role.object as KubeObject & { rules?: Spec[] }).rules).forEach((rule, i) => {
            const resources: string[] = arr(rule.resources);
            const secretLike = resources.filter((r) => r === 'configmaps' || r === 'secrets' || r === '*');
            if (secretLike.length) out.push(finding(role, `rules[${i}].resources`, `${ref.kind} ${ref.name} lets Prometheus ${sa.namespace}/${sa.name} read ${secretLike.join(', ')}${clusterWide ? ' in every namespace' : ''}`));
            const discovery = resources.filter((r) => DISCOVERY_RESOURCES.has(r));
            if (clusterWide && discovery.length) out.push(finding(role, `rules[${i}].resources`, `${ref.kind} ${ref.name} is bound cluster-wide (${b.object.metadata.name}): Prometheus ${sa.namespace}/${sa.name} may list ${discovery.join(', ')} in every namespace (kube-system, argocd, ...); use a Role in each scraped namespace`));
          });
        }
      }
      return out;
    },
  },
  {
    id: 'monitoring/operator-pod-token',
    description: 'Alertmanager and Grafana pods made by their operators mount no Kubernetes API token (neither program calls the API; the operators set none themselves).',
    fix: 'Set spec.automountServiceAccountToken: false on the Alertmanager; on the Grafana set spec.deployment.spec.template.spec.automountServiceAccountToken and spec.serviceAccount.automountServiceAccountToken to false.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ofKind(ctx.objects, 'Alertmanager', 'monitoring.coreos.com')) {
        const spec = specOf(s.object);
        const saName = spec.serviceAccountName ?? 'default';
        const sa = ctx.objects.find((x) => x.object.kind === 'ServiceAccount' && x.object.metadata.name === saName && nsOf(x.object) === nsOf(s.object))?.object as (KubeObject & { automountServiceAccountToken?: boolean }) | undefined;
        if (alertmanagerMountsToken(spec, sa?.automountServiceAccountToken)) out.push(finding(s, 'spec.automountServiceAccountToken', `Alertmanager pods mount the API token of ServiceAccount "${saName}"`));
      }
      for (const s of ofKind(ctx.objects, 'Grafana', 'grafana.integreatly.org')) {
        if (grafanaMountsToken(specOf(s.object))) out.push(finding(s, 'spec.deployment.spec.template.spec.automountServiceAccountToken', 'Grafana pods mount the API token of the ServiceAccount grafana-operator makes'));
      }
      return out;
    },
  },
  {
    id: 'monitoring/upstream-metrics-port',
    description: 'A ServiceMonitor of an upstream Service (cert-manager\'s controller, the kubelet) scrapes the port name that Service has in the pinned release.',
    fix: 'Use the port name from model/operators/ (cert-manager v1.21: http-metrics).',
    check: (ctx) => ofKind(ctx.objects, 'ServiceMonitor', 'monitoring.coreos.com').flatMap((s) => {
      const spec = specOf(s.object);
      const target = UPSTREAM_METRICS_SERVICES.find((u) => spec.selector && matchesSelector(spec.selector, { ...u.labels }));
      if (!target) return [];
      return arr(spec.endpoints as Spec[] | undefined).flatMap((e, i) => (e.port && e.port !== target.port
        ? [finding(s, `spec.endpoints[${i}].port`, `the ${target.what} has no port "${e.port}" (it is "${target.port}"): the monitor finds no target`)] : []));
    }),
  },
];
