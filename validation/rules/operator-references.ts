/**
 * Cross-references to objects that operators and RBAC resolve by name: cert-manager issuers, Argo CD
 * projects, and the ServiceAccounts of role bindings. Same `xref/` family as cross-references.ts.
 */
import { finding, type Rule } from '../rule';
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
        (o.subjects ?? []).forEach((sub, i) => {
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
