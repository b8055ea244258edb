/**
 * Cross-references within one environment: every name, selector and port one object uses to reach another
 * points at something the output (or an operator it configures, or the cluster itself) provides.
 */
import { arr } from '../../model/shape';
import type { ModelPod, ModelService } from '../../model/cluster-model';
import { apiGroup, objectId } from '../../model/object-id';
import { finding, type Rule, type RuleContext } from '../rule';
import { formatSelector, matchesMap, matchesSelector, selectMatching, type LabelSelector, type Labels } from '../../model/selectors';
import type { Finding, KubeObject, SourcedObject } from '../types';
import { containersOf } from '../../model/workloads';

type Spec = Record<string, any>;
const specOf = (o: KubeObject): Spec => (o.spec ?? {}) as Spec;
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';

/** Kinds without a namespace. */
export const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass', 'CustomResourceDefinition', 'PersistentVolume',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'IngressClass', 'ClusterIssuer', 'ClusterSecretStore',
  'ClusterExternalSecret', 'RuntimeClass', 'APIService', 'CSIDriver', 'VolumeSnapshotClass', 'ClusterPolicy',
]);

function servicePods(ctx: RuleContext, svc: ModelService): ModelPod[] {
  return svc.selector ? selectMatching(ctx.cluster.pods, { matchLabels: svc.selector }).filter((p) => p.namespace === svc.namespace) : [];
}

function ofKind(ctx: RuleContext, ...kinds: string[]): SourcedObject[] {
  return ctx.objects.filter((s) => kinds.includes(s.object.kind));
}

/** Does a pod listen on this port (a number, or a container port name)? */
function podHasPort(p: ModelPod, port: number | string): boolean {
  return p.ports.some((x) => (typeof port === 'number' ? x.port === port : x.name === port));
}

/** Resolves a service port given by number or name. */
function servicePort(svc: ModelService, port: number | string | undefined): boolean {
  if (port === undefined) return svc.ports.length > 0;
  return svc.ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

/** Where a host name of Istio points: a Service of the model, `external`, or a missing Service. */
export function resolveHost(ctx: RuleContext, host: string, ns: string): { service?: ModelService; external: boolean; name: string; namespace: string } {
  const short = host.replace(/\.svc\.cluster\.local$/, '').replace(/\.svc$/, '');
  const parts = short.split('.');
  if (host.includes('*')) return { external: true, name: host, namespace: ns };
  if (parts.length === 1) return { service: ctx.cluster.service(ns, parts[0]), external: false, name: parts[0], namespace: ns };
  const internal = host.endsWith('.svc.cluster.local') || host.endsWith('.svc') || (parts.length === 2 && ctx.cluster.namespaces.has(parts[1]));
  if (!internal) return { external: true, name: host, namespace: ns };
  return { service: ctx.cluster.service(parts[1], parts[0]), external: false, name: parts[0], namespace: parts[1] };
}

interface Ref {
  readonly kind: 'secret' | 'configMap';
  readonly name: string;
  readonly path: string;
  readonly optional: boolean;
}

/** Secret and ConfigMap references of a pod template. */
function podRefs(ctx: RuleContext): Array<{ source: SourcedObject; ns: string; ref: Ref }> {
  const out: Array<{ source: SourcedObject; ns: string; ref: Ref }> = [];
  for (const t of ctx.pods) {
    const ns = nsOf(t.source.object);
    const add = (ref: Ref) => out.push({ source: t.source, ns, ref });
    for (const c of containersOf(t)) {
      arr(c.container.env).forEach((e, i) => {
        const vf = (e.valueFrom ?? {}) as Spec;
        if (vf.secretKeyRef) add({ kind: 'secret', name: vf.secretKeyRef.name, path: `${c.path}.env[${i}].valueFrom.secretKeyRef`, optional: vf.secretKeyRef.optional === true });
        if (vf.configMapKeyRef) add({ kind: 'configMap', name: vf.configMapKeyRef.name, path: `${c.path}.env[${i}].valueFrom.configMapKeyRef`, optional: vf.configMapKeyRef.optional === true });
      });
      arr(c.container.envFrom).forEach((e, i) => {
        if (e.secretRef) add({ kind: 'secret', name: e.secretRef.name, path: `${c.path}.envFrom[${i}].secretRef`, optional: e.secretRef.optional === true });
        if (e.configMapRef) add({ kind: 'configMap', name: e.configMapRef.name, path: `${c.path}.envFrom[${i}].configMapRef`, optional: e.configMapRef.optional === true });
      });
    }
    arr(t.spec.volumes).forEach((v, i) => {
      const vol = v as Spec;
      const p = `${t.specPath}.volumes[${i}]`;
      if (vol.secret) add({ kind: 'secret', name: vol.secret.secretName, path: `${p}.secret.secretName`, optional: vol.secret.optional === true });
      if (vol.configMap) add({ kind: 'configMap', name: vol.configMap.name, path: `${p}.configMap.name`, optional: vol.configMap.optional === true });
      arr(vol.projected?.sources as Spec[] | undefined).forEach((src, j) => {
        if (src.secret) add({ kind: 'secret', name: src.secret.name, path: `${p}.projected.sources[${j}].secret`, optional: src.secret.optional === true });
        if (src.configMap) add({ kind: 'configMap', name: src.configMap.name, path: `${p}.projected.sources[${j}].configMap`, optional: src.configMap.optional === true });
      });
    });
    arr(t.spec.imagePullSecrets).forEach((s, i) => add({ kind: 'secret', name: s.name, path: `${t.specPath}.imagePullSecrets[${i}]`, optional: false }));
  }
  return out;
}

/** Cross-reference rules (ids `xref/*`). */
export const crossReferenceRules: readonly Rule[] = [
  {
    id: 'xref/duplicate-object',
    description: 'No two objects share API group, kind, namespace and name.',
    fix: 'Rename one of the objects or remove the duplicate chart output.',
    check: (ctx) => {
      const seen = new Map<string, SourcedObject>();
      const out: Finding[] = [];
      for (const s of ctx.objects) {
        const o = s.object;
        const key = `${apiGroup(o.apiVersion)}/${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : nsOf(o)}/${o.metadata.name}`;
        const first = seen.get(key);
        if (first) out.push(finding(s, 'metadata.name', `${objectId(o)} is also defined in ${first.file}`));
        else seen.set(key, s);
      }
      return out;
    },
  },
  {
    id: 'xref/namespace',
    description: 'Every namespace an object lives in or selects exists (a Namespace of the output or a built-in one).',
    fix: 'Create the Namespace in the platform chart, or fix the namespace name / namespaceSelector labels.',
    check: (ctx) => {
      const out: Finding[] = [];
      const nsMatches = (sel: LabelSelector) => [...ctx.cluster.namespaces.values()].some((l) => matchesSelector(sel, l));
      for (const s of ctx.objects) {
        const o = s.object;
        if (!CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace && !ctx.cluster.namespaces.has(o.metadata.namespace)) {
          out.push(finding(s, 'metadata.namespace', `namespace "${o.metadata.namespace}" is not created by the output`));
        }
        if (o.kind === 'NetworkPolicy') {
          for (const dir of ['ingress', 'egress'] as const) {
            arr(specOf(o)[dir] as Spec[] | undefined).forEach((rule, i) => {
              arr(rule[dir === 'ingress' ? 'from' : 'to'] as Spec[] | undefined).forEach((peer, j) => {
                if (peer.namespaceSelector && !nsMatches(peer.namespaceSelector)) {
                  out.push(finding(s, `spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}[${j}].namespaceSelector`, `namespaceSelector ${formatSelector(peer.namespaceSelector)} matches no namespace`));
                }
              });
            });
          }
        }
        if (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor') {
          for (const n of arr(specOf(o).namespaceSelector?.matchNames as string[] | undefined)) {
            if (!ctx.cluster.namespaces.has(n)) out.push(finding(s, 'spec.namespaceSelector.matchNames', `namespace "${n}" is not created by the output`));
          }
        }
      }
      return out;
    },
  },
  {
    id: 'xref/service-selector',
    description: 'Every Service with a selector selects the pods of a workload (or of an operator-managed resource) in its namespace.',
    fix: 'Make the Service selector a subset of the pod template labels (use selectorLabels() of constructs/labels.ts).',
    check: (ctx) =>
      ctx.cluster.services
        .filter((svc) => !svc.derived && svc.selector && Object.keys(svc.selector).length > 0 && svc.origin)
        .filter((svc) => servicePods(ctx, svc).length === 0)
        .map((svc) => finding(svc.origin!, 'spec.selector', `selector ${formatSelector(svc.selector)} matches no pod in namespace "${svc.namespace}"`)),
  },
  {
    id: 'xref/service-target-port',
    description: 'Every targetPort of a Service (name or number) is a container port of the pods it selects.',
    fix: 'Use the name of a container port (ports[].name) or its number as targetPort.',
    check: (ctx) =>
      ctx.cluster.services
        .filter((svc) => !svc.derived && svc.origin)
        .flatMap((svc) => {
          const pods = servicePods(ctx, svc);
          if (pods.length === 0) return [];
          return svc.ports.flatMap((p, i) =>
            pods.some((pod) => podHasPort(pod, p.targetPort))
              ? []
              : [finding(svc.origin!, `spec.ports[${i}].targetPort`, `targetPort ${JSON.stringify(p.targetPort)} is not a container port of ${pods.map((x) => x.description).join(', ')} (ports: ${[...new Set(pods.flatMap((x) => x.ports.map((q) => `${q.name ?? ''}:${q.port}`)))].join(', ') || 'none'})`)],
          );
        }),
  },
  {
    id: 'xref/hpa-target',
    description: 'Every HorizontalPodAutoscaler scales an object of the output (scaleTargetRef kind and name in its namespace).',
    fix: 'Point scaleTargetRef at the Deployment/StatefulSet by its exact kind and name.',
    check: (ctx) =>
      ofKind(ctx, 'HorizontalPodAutoscaler').flatMap((s) => {
        const ref = specOf(s.object).scaleTargetRef ?? {};
        const found = ctx.objects.some((x) => x.object.kind === ref.kind && x.object.metadata.name === ref.name && nsOf(x.object) === nsOf(s.object));
        return found ? [] : [finding(s, 'spec.scaleTargetRef', `scaleTargetRef ${ref.kind} ${nsOf(s.object)}/${ref.name} is not in the output`)];
      }),
  },
  {
    id: 'xref/pdb-selector',
    description: 'Every PodDisruptionBudget selects pods in its namespace.',
    fix: 'Use the selector of the workload the budget protects.',
    check: (ctx) =>
      ofKind(ctx, 'PodDisruptionBudget').flatMap((s) => {
        const sel = specOf(s.object).selector as LabelSelector | undefined;
        return selectMatching(ctx.cluster.pods, sel).some((p) => p.namespace === nsOf(s.object)) ? [] : [finding(s, 'spec.selector', `selector ${formatSelector(sel)} matches no pod in namespace "${nsOf(s.object)}"`)];
      }),
  },
  {
    id: 'xref/network-policy-selector',
    description: 'Every NetworkPolicy with a non-empty podSelector applies to some pod; every peer podSelector matches a pod (modelled outside pods included).',
    fix: 'Fix the labels in podSelector (pod template labels of the workload) or remove the policy.',
    check: (ctx) =>
      ofKind(ctx, 'NetworkPolicy').flatMap((s) => {
        const spec = specOf(s.object);
        const ns = nsOf(s.object);
        const out: Finding[] = [];
        const sel = spec.podSelector as LabelSelector | undefined;
        const empty = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && arr(sel.matchExpressions).length === 0);
        if (!empty && !selectMatching(ctx.cluster.pods, sel).some((p) => p.namespace === ns)) out.push(finding(s, 'spec.podSelector', `podSelector ${formatSelector(sel)} matches no pod in namespace "${ns}"`));
        for (const dir of ['ingress', 'egress'] as const) {
          const key = dir === 'ingress' ? 'from' : 'to';
          arr(spec[dir] as Spec[] | undefined).forEach((rule, i) =>
            arr(rule[key] as Spec[] | undefined).forEach((peer, j) => {
              if (!peer.podSelector) return;
              const nss = peer.namespaceSelector ? [...ctx.cluster.namespaces].filter(([, l]) => matchesSelector(peer.namespaceSelector, l)).map(([n]) => n) : [ns];
              if (!selectMatching(ctx.cluster.pods, peer.podSelector).some((p) => nss.includes(p.namespace))) {
                out.push(finding(s, `spec.${dir}[${i}].${key}[${j}].podSelector`, `peer podSelector ${formatSelector(peer.podSelector)} matches no pod in ${nss.join(', ') || 'any namespace'}`));
              }
            }),
          );
        }
        return out;
      }),
  },
  {
    id: 'xref/monitor-selector',
    description: 'Every ServiceMonitor selects Services that have the endpoint ports it scrapes; every PodMonitor selects pods with those ports.',
    fix: 'Match the selector to the Service (ServiceMonitor) or pod (PodMonitor) labels and use existing port names.',
    check: (ctx) =>
      ofKind(ctx, 'ServiceMonitor', 'PodMonitor').flatMap((s) => {
        const spec = specOf(s.object);
        const nsSel = spec.namespaceSelector ?? {};
        const inNs = (n: string) => nsSel.any === true || (nsSel.matchNames ? (nsSel.matchNames as string[]).includes(n) : n === nsOf(s.object));
        const out: Finding[] = [];
        if (s.object.kind === 'ServiceMonitor') {
          const svcs = selectMatching(ctx.cluster.services, spec.selector).filter((x) => inNs(x.namespace));
          if (svcs.length === 0) return [finding(s, 'spec.selector', `selector ${formatSelector(spec.selector)} matches no Service`)];
          arr(spec.endpoints as Spec[] | undefined).forEach((e, i) => {
            if (e.port && !svcs.some((x) => x.ports.some((p) => p.name === e.port))) out.push(finding(s, `spec.endpoints[${i}].port`, `no selected Service has a port named "${e.port}" (${svcs.map((x) => `${x.namespace}/${x.name}`).join(', ')})`));
          });
        } else {
          const pods = selectMatching(ctx.cluster.pods, spec.selector).filter((p) => inNs(p.namespace));
          if (pods.length === 0) return [finding(s, 'spec.selector', `selector ${formatSelector(spec.selector)} matches no pod`)];
          arr(spec.podMetricsEndpoints as Spec[] | undefined).forEach((e, i) => {
            if (e.port && !pods.some((p) => podHasPort(p, e.port))) out.push(finding(s, `spec.podMetricsEndpoints[${i}].port`, `no selected pod has a port named "${e.port}"`));
          });
        }
        return out;
      }),
  },
  {
    id: 'xref/ingress-backend',
    description: 'Every Ingress backend names a Service of its namespace and a port of that Service.',
    fix: 'Use the exact Service name and one of its port numbers or names.',
    check: (ctx) =>
      ofKind(ctx, 'Ingress').flatMap((s) => {
        const spec = specOf(s.object);
        const ns = nsOf(s.object);
        const backends: Array<[string, Spec]> = [];
        if (spec.defaultBackend?.service) backends.push(['spec.defaultBackend.service', spec.defaultBackend.service]);
        arr(spec.rules as Spec[] | undefined).forEach((r, i) => arr(r.http?.paths as Spec[] | undefined).forEach((p, j) => p.backend?.service && backends.push([`spec.rules[${i}].http.paths[${j}].backend.service`, p.backend.service])));
        return backends.flatMap(([path, b]) => {
          const svc = ctx.cluster.service(ns, b.name);
          if (!svc) return [finding(s, path, `Service ${ns}/${b.name} is not in the output`)];
          const port = b.port?.number ?? b.port?.name;
          return servicePort(svc, port) ? [] : [finding(s, `${path}.port`, `Service ${ns}/${b.name} has no port ${JSON.stringify(port)} (has ${svc.ports.map((p) => `${p.name ?? ''}:${p.port}`).join(', ')})`)];
        });
      }),
  },
  {
    id: 'xref/istio-host',
    description: 'Istio VirtualService gateways and destinations and DestinationRule hosts exist in the output; subsets exist and their labels match pods of the Service.',
    fix: 'Use the Service name (or <name>.<namespace>.svc.cluster.local), declare the subset in a DestinationRule, and use pod labels in subset labels.',
    check: (ctx) => {
      const out: Finding[] = [];
      const rules = ofKind(ctx, 'DestinationRule');
      const subsetsOf = (svc: ModelService) =>
        rules.flatMap((r) => {
          const res = resolveHost(ctx, String(specOf(r.object).host ?? ''), nsOf(r.object));
          return res.service === svc ? arr(specOf(r.object).subsets as Spec[] | undefined).map((x) => String(x.name)) : [];
        });
      for (const s of ofKind(ctx, 'VirtualService')) {
        const spec = specOf(s.object);
        arr(spec.gateways as string[] | undefined).forEach((g, i) => {
          if (g === 'mesh') return;
          const [gwNs, gwName] = g.includes('/') ? g.split('/') : [nsOf(s.object), g];
          if (!ctx.objects.some((x) => x.object.kind === 'Gateway' && x.object.apiVersion.startsWith('networking.istio.io/') && x.object.metadata.name === gwName && nsOf(x.object) === gwNs)) {
            out.push(finding(s, `spec.gateways[${i}]`, `Istio Gateway ${gwNs}/${gwName} is not in the output`));
          }
        });
        for (const proto of ['http', 'tcp', 'tls'] as const) {
          arr(spec[proto] as Spec[] | undefined).forEach((route, i) =>
            arr(route.route as Spec[] | undefined).forEach((r, j) => {
              const d = r.destination ?? {};
              const path = `spec.${proto}[${i}].route[${j}].destination`;
              const res = resolveHost(ctx, String(d.host ?? ''), nsOf(s.object));
              if (res.external) return;
              if (!res.service) return void out.push(finding(s, `${path}.host`, `host "${d.host}" is not a Service of the output (${res.namespace}/${res.name})`));
              if (d.port?.number !== undefined && !servicePort(res.service, d.port.number)) out.push(finding(s, `${path}.port`, `Service ${res.namespace}/${res.name} has no port ${d.port.number}`));
              if (d.subset && !subsetsOf(res.service).includes(d.subset)) out.push(finding(s, `${path}.subset`, `subset "${d.subset}" is not defined by a DestinationRule for ${res.namespace}/${res.name}`));
            }),
          );
        }
      }
      for (const r of rules) {
        const spec = specOf(r.object);
        const res = resolveHost(ctx, String(spec.host ?? ''), nsOf(r.object));
        if (res.external) continue;
        if (!res.service) {
          out.push(finding(r, 'spec.host', `host "${spec.host}" is not a Service of the output (${res.namespace}/${res.name})`));
          continue;
        }
        const pods = servicePods(ctx, res.service);
        arr(spec.subsets as Spec[] | undefined).forEach((sub, i) => {
          if (!pods.some((p) => matchesMap(sub.labels as Labels, p.labels))) out.push(finding(r, `spec.subsets[${i}].labels`, `subset "${sub.name}" labels ${formatSelector(sub.labels)} match no pod of Service ${res.namespace}/${res.name}`));
        });
      }
      return out;
    },
  },
  {
    id: 'xref/secret-ref',
    description: 'Every Secret a pod, Ingress or Istio Gateway uses is produced in the output (Secret, ExternalSecret, cert-manager Certificate or ingress-shim, CloudNativePG/ECK/Grafana operators) or declared in settings validation.externalSecrets.',
    fix: 'Add an ExternalSecret that creates it, fix the name, or list it as "namespace/name" in validation.externalSecrets of the environment settings.',
    check: (ctx) => {
      const external = new Set(ctx.options.externalSecrets ?? []);
      const known = (ns: string, name: string) => ctx.cluster.secrets.has(`${ns}/${name}`) || external.has(`${ns}/${name}`);
      const out: Finding[] = podRefs(ctx)
        .filter((r) => r.ref.kind === 'secret' && !r.ref.optional && !known(r.ns, r.ref.name))
        .map((r) => {
          const elsewhere = [...ctx.cluster.secrets.keys()].filter((k) => k.endsWith(`/${r.ref.name}`)).map((k) => k.split('/')[0]);
          const hint = elsewhere.length ? ` (a Secret of that name is produced in namespace ${elsewhere.join(', ')}; Secrets cannot be used across namespaces: sync it with an ExternalSecret)` : '';
          return finding(r.source, r.ref.path, `Secret ${r.ns}/${r.ref.name} is produced by nothing in the output${hint}`);
        });
      for (const s of ofKind(ctx, 'Gateway').filter((x) => x.object.apiVersion.startsWith('networking.istio.io/'))) {
        arr(specOf(s.object).servers as Spec[] | undefined).forEach((srv, i) => {
          const name = srv.tls?.credentialName;
          if (name && !known(nsOf(s.object), name)) out.push(finding(s, `spec.servers[${i}].tls.credentialName`, `TLS Secret ${nsOf(s.object)}/${name} is produced by nothing in the output (the gateway reads it from its own namespace)`));
        });
      }
      for (const s of ofKind(ctx, 'Ingress')) {
        arr(specOf(s.object).tls as Spec[] | undefined).forEach((t, i) => {
          if (t.secretName && !known(nsOf(s.object), t.secretName)) out.push(finding(s, `spec.tls[${i}].secretName`, `TLS Secret ${nsOf(s.object)}/${t.secretName} is produced by nothing in the output (no Certificate, no cert-manager.io/cluster-issuer annotation)`));
        });
      }
      return out;
    },
  },
  {
    id: 'xref/secret-store',
    description: 'Every ExternalSecret uses a SecretStore of its namespace or a ClusterSecretStore of the output.',
    fix: 'Point spec.secretStoreRef at an existing store (kind and name).',
    check: (ctx) =>
      ofKind(ctx, 'ExternalSecret').flatMap((s) => {
        const ref = specOf(s.object).secretStoreRef ?? {};
        const kind = ref.kind ?? 'SecretStore';
        const found = ctx.objects.some((x) => x.object.kind === kind && x.object.metadata.name === ref.name && (kind === 'ClusterSecretStore' || nsOf(x.object) === nsOf(s.object)));
        return found ? [] : [finding(s, 'spec.secretStoreRef', `${kind} ${ref.name} is not in the output`)];
      }),
  },
  {
    id: 'xref/config-map',
    description: 'Every ConfigMap a pod uses (env, envFrom, volumes) is in the output (or is kube-root-ca.crt).',
    fix: 'Add the ConfigMap to the chart or fix the name; mark truly optional references optional: true.',
    check: (ctx) =>
      podRefs(ctx)
        .filter((r) => r.ref.kind === 'configMap' && !r.ref.optional && !ctx.cluster.configMaps.has(`${r.ns}/${r.ref.name}`))
        .map((r) => finding(r.source, r.ref.path, `ConfigMap ${r.ns}/${r.ref.name} is not in the output`)),
  },
  {
    id: 'xref/service-account',
    description: 'Every pod runs as a ServiceAccount of the output (or the namespace default).',
    fix: 'Create the ServiceAccount next to the workload or fix serviceAccountName.',
    check: (ctx) =>
      ctx.pods.flatMap((t) => {
        const name = t.spec.serviceAccountName ?? (t.spec.serviceAccount as string | undefined);
        const ns = nsOf(t.source.object);
        return name && !ctx.cluster.serviceAccounts.has(`${ns}/${name}`) ? [finding(t.source, `${t.specPath}.serviceAccountName`, `ServiceAccount ${ns}/${name} is not in the output`)] : [];
      }),
  },
];
