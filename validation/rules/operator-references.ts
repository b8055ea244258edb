/**
 * Cross-references to objects that operators and RBAC resolve by name: cert-manager issuers, Argo CD
 * projects, and the ServiceAccounts of role bindings. Same `xref/` family as cross-references.ts.
 */
import { arr } from '../../model/shape';
import { finding, type Rule } from '../rule';
import { formatSelector, matchesSelector } from '../../model/selectors';
import type { Finding, KubeObject, SourcedObject } from '../types';

type Spec = Record<string, any>;
const specOf = (o: KubeObject): Spec => (o.spec ?? {}) as Spec;
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';
const has = (objects: readonly SourcedObject[], kind: string, name: string, ns?: string) =>
  objects.some((s) => s.object.kind === kind && s.object.metadata.name === name && (ns === undefined || nsOf(s.object) === ns));

/** Rules for operator and RBAC references (ids `xref/*`). */
export const operatorReferenceRules: readonly Rule[] = [
  {
    id: 'xref/issuer-ref',
    description: 'Every cert-manager Certificate issuerRef and Ingress cert-manager.io/(cluster-)issuer annotation names an Issuer of its namespace or a ClusterIssuer of the output.',
    fix: 'Create the (Cluster)Issuer in the edge chart or fix the name/kind.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ctx.objects) {
        const o = s.object;
        if (o.kind === 'Certificate' && o.apiVersion.startsWith('cert-manager.io/')) {
          const ref = specOf(o).issuerRef ?? {};
          const kind = ref.kind ?? 'Issuer';
          if ((ref.group ?? 'cert-manager.io') === 'cert-manager.io' && !has(ctx.objects, kind, ref.name, kind === 'Issuer' ? nsOf(o) : undefined)) {
            out.push(finding(s, 'spec.issuerRef', `${kind} ${kind === 'Issuer' ? `${nsOf(o)}/` : ''}${ref.name} is not in the output`));
          }
        }
        if (o.kind === 'Ingress') {
          const a = o.metadata.annotations ?? {};
          const cluster = a['cert-manager.io/cluster-issuer'];
          const local = a['cert-manager.io/issuer'];
          if (cluster && !has(ctx.objects, 'ClusterIssuer', cluster)) out.push(finding(s, 'metadata.annotations.cert-manager.io/cluster-issuer', `ClusterIssuer ${cluster} is not in the output`));
          if (local && !has(ctx.objects, 'Issuer', local, nsOf(o))) out.push(finding(s, 'metadata.annotations.cert-manager.io/issuer', `Issuer ${nsOf(o)}/${local} is not in the output`));
        }
      }
      return out;
    },
  },
  {
    id: 'xref/argocd-project',
    description: 'Every Argo CD Application belongs to the project "default" or an AppProject of its namespace in the output.',
    fix: 'Create the AppProject next to the Application (gitops chart) or fix spec.project.',
    check: (ctx) =>
      ctx.objects
        .filter((s) => s.object.kind === 'Application' && s.object.apiVersion.startsWith('argoproj.io/'))
        .filter((s) => {
          const project = specOf(s.object).project ?? 'default';
          return project !== 'default' && !has(ctx.objects, 'AppProject', project, nsOf(s.object));
        })
        .map((s) => finding(s, 'spec.project', `AppProject ${nsOf(s.object)}/${specOf(s.object).project} is not in the output`)),
  },
  {
    id: 'xref/role-binding-subject',
    description: 'Every ServiceAccount subject of a RoleBinding/ClusterRoleBinding in a namespace of the output exists, and every Role it binds is in the output.',
    fix: 'Create the ServiceAccount/Role next to the binding or fix the names.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ctx.objects.filter((x) => (x.object.kind === 'RoleBinding' || x.object.kind === 'ClusterRoleBinding') && x.object.apiVersion.startsWith('rbac.authorization.k8s.io/'))) {
        const o = s.object as KubeObject & { subjects?: Spec[]; roleRef?: Spec };
        arr(o.subjects).forEach((sub, i) => {
          const ns = sub.namespace ?? nsOf(o);
          if (sub.kind === 'ServiceAccount' && ctx.cluster.namespaces.has(ns) && !ctx.cluster.serviceAccounts.has(`${ns}/${sub.name}`)) {
            out.push(finding(s, `subjects[${i}]`, `ServiceAccount ${ns}/${sub.name} is not in the output`));
          }
        });
        const ref = o.roleRef ?? {};
        if (ref.kind === 'Role' && !has(ctx.objects, 'Role', ref.name, nsOf(o))) out.push(finding(s, 'roleRef', `Role ${nsOf(o)}/${ref.name} is not in the output`));
      }
      return out;
    },
  },
];

/** prometheus-operator: a nil selector selects nothing, `{}` everything; a nil namespace selector means the Prometheus' own namespace. */
function promSelects(prom: KubeObject, selectorKey: string, nsKey: string, target: KubeObject, namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>): boolean {
  const spec = specOf(prom);
  const sel = spec[selectorKey];
  if (!sel) return false;
  const nsSel = spec[nsKey];
  const ns = nsOf(target);
  const nsOk = nsSel ? matchesSelector(nsSel, namespaces.get(ns) ?? { 'kubernetes.io/metadata.name': ns }) : ns === nsOf(prom);
  return nsOk && matchesSelector(sel, target.metadata.labels ?? {});
}

const PROM_SELECTORS: Readonly<Record<string, [string, string]>> = {
  ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
  PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
  PrometheusRule: ['ruleSelector', 'ruleNamespaceSelector'],
  Probe: ['probeSelector', 'probeNamespaceSelector'],
};

/** Rules for monitoring operators' own selections (ids `xref/*`). */
export const monitoringSelectionRules: readonly Rule[] = [
  {
    id: 'xref/prometheus-selection',
    description: 'When the output has a Prometheus, every ServiceMonitor, PodMonitor, PrometheusRule and Probe is selected by one (its selector and namespace selector; an unset selector selects nothing).',
    fix: 'Give the monitor the labels the Prometheus selects (e.g. its serviceMonitorSelector), or widen the Prometheus selectors.',
    check: (ctx) => {
      const proms = ctx.objects.filter((s) => s.object.kind === 'Prometheus' && s.object.apiVersion.startsWith('monitoring.coreos.com/'));
      if (proms.length === 0) return [];
      return ctx.objects
        .filter((s) => s.object.apiVersion.startsWith('monitoring.coreos.com/') && PROM_SELECTORS[s.object.kind])
        .filter((s) => !proms.some((p) => promSelects(p.object, PROM_SELECTORS[s.object.kind][0], PROM_SELECTORS[s.object.kind][1], s.object, ctx.cluster.namespaces)))
        .map((s) => finding(s, 'metadata.labels', `no Prometheus selects this ${s.object.kind} (labels ${formatSelector(s.object.metadata.labels ?? {})}; Prometheus ${proms.map((p) => `${nsOf(p.object)}/${p.object.metadata.name} ${PROM_SELECTORS[s.object.kind][0]}=${formatSelector(specOf(p.object)[PROM_SELECTORS[s.object.kind][0]])}`).join(', ')})`));
    },
  },
  {
    id: 'xref/grafana-instance',
    description: 'Every GrafanaDashboard, GrafanaDatasource and GrafanaFolder instanceSelector matches a Grafana of its namespace (or any namespace with allowCrossNamespaceImport).',
    fix: 'Label the Grafana CR with the instanceSelector labels (e.g. dashboards: grafana) or fix the selector.',
    check: (ctx) => {
      const grafanas = ctx.objects.filter((s) => s.object.kind === 'Grafana' && s.object.apiVersion.startsWith('grafana.integreatly.org/'));
      return ctx.objects
        .filter((s) => ['GrafanaDashboard', 'GrafanaDatasource', 'GrafanaFolder', 'GrafanaAlertRuleGroup', 'GrafanaContactPoint'].includes(s.object.kind) && s.object.apiVersion.startsWith('grafana.integreatly.org/'))
        .filter((s) => {
          const spec = specOf(s.object);
          return !grafanas.some((g) => (spec.allowCrossNamespaceImport === true || nsOf(g.object) === nsOf(s.object)) && matchesSelector(spec.instanceSelector ?? {}, g.object.metadata.labels ?? {}));
        })
        .map((s) => finding(s, 'spec.instanceSelector', `instanceSelector ${formatSelector(specOf(s.object).instanceSelector)} matches no Grafana ${grafanas.length ? `(Grafana: ${grafanas.map((g) => `${nsOf(g.object)}/${g.object.metadata.name} {${formatSelector(g.object.metadata.labels ?? {})}}`).join(', ')})` : '(the output has no Grafana)'}`));
    },
  },
];
