/**
 * The edge works on a cluster, not only against its schemas: namespaces enforce restricted, NGF programs the
 * routes we write, the ACME HTTP-01 solver is reachable outside the mesh, and the public Host header reaches
 * the app through the mesh. Facts come from model/operators (NGF, cert-manager).
 */
import { arr } from '../../model/shape';
import { NGF_UNSUPPORTED_HTTPROUTE_RULE_FIELDS, ngfDataPlaneOf, type GatewayLike } from '../../model/operators/nginx-gateway-fabric';
import { finding, type Rule, type RuleContext } from '../rule';
import type { Finding } from '../types';

const UPSTREAM_VHOST = 'nginx.ingress.kubernetes.io/upstream-vhost';

function ngfGateways(ctx: RuleContext): Set<string> {
  return new Set(ctx.objects
    .filter((s) => s.object.kind === 'Gateway' && s.object.apiVersion.startsWith('gateway.networking.k8s.io/') && ngfDataPlaneOf(s.object as unknown as GatewayLike))
    .map((s) => `${s.object.metadata.namespace ?? 'default'}/${s.object.metadata.name}`));
}

function injected(ctx: RuleContext, namespace: string): boolean {
  return ctx.cluster.namespaces.get(namespace)?.['istio-injection'] === 'enabled';
}

/** Edge rules (ids `pss/namespace-restricted`, `edge/*`). */
export const edgeRules: readonly Rule[] = [
  {
    id: 'pss/namespace-restricted',
    description: 'Every namespace the output creates enforces the restricted Pod Security Standard (the edge too).',
    fix: 'Label the namespace pod-security.kubernetes.io/enforce: restricted; make its pods comply instead of lowering the level.',
    check: (ctx) => ctx.objects
      .filter((s) => s.object.kind === 'Namespace' && s.object.apiVersion === 'v1')
      .filter((s) => (s.object.metadata.labels ?? {})['pod-security.kubernetes.io/enforce'] !== 'restricted')
      .map((s) => finding(s, 'metadata.labels', `namespace ${s.object.metadata.name} enforces "${(s.object.metadata.labels ?? {})['pod-security.kubernetes.io/enforce'] ?? 'nothing'}", not "restricted"`)),
  },
  {
    id: 'edge/ngf-route-fields',
    description: 'HTTPRoutes attached to an NGINX Gateway Fabric Gateway use no rule field NGF refuses (name, timeouts, retry, sessionPersistence).',
    fix: 'Set timeouts with a ProxySettingsPolicy and leave retries to the mesh; NGF does not program a rule with these fields.',
    check: (ctx) => {
      const gateways = ngfGateways(ctx);
      const out: Finding[] = [];
      for (const s of ctx.objects.filter((x) => x.object.kind === 'HTTPRoute' && x.object.apiVersion.startsWith('gateway.networking.k8s.io/'))) {
        const spec = (s.object.spec ?? {}) as Record<string, any>;
        const ns = s.object.metadata.namespace ?? 'default';
        const onNgf = arr(spec.parentRefs).some((p: any) => gateways.has(`${p.namespace ?? ns}/${p.name}`));
        if (!onNgf) continue;
        arr(spec.rules).forEach((r: any, i: number) => {
          for (const f of NGF_UNSUPPORTED_HTTPROUTE_RULE_FIELDS) {
            if (r[f] !== undefined) out.push(finding(s, `spec.rules[${i}].${f}`, `NGINX Gateway Fabric refuses HTTPRoute rules with "${f}": this rule would not be programmed`));
          }
        });
      }
      return out;
    },
  },
  {
    id: 'edge/acme-solver-outside-mesh',
    description: 'cert-manager\'s HTTP-01 solver pods in an Istio-injected namespace stay out of the mesh (STRICT mTLS would refuse the plain-HTTP challenge).',
    fix: 'Set sidecar.istio.io/inject: "false" in the solver\'s podTemplate (or remove an override setting it to "true"), or solve DNS-01.',
    check: (ctx) => ctx.cluster.pods
      .filter((p) => p.description.startsWith('cert-manager HTTP-01 solver') && p.description.includes('sidecar injected') && injected(ctx, p.namespace))
      .map((p) => finding(p.origin!, 'spec.issuerRef', `${p.description}: the solver pod runs in the Istio-injected namespace ${p.namespace} with a sidecar; the challenge request from the edge is refused`)),
  },
  {
    id: 'edge/public-host',
    description: 'The edge keeps the public Host header (no upstream-vhost) and, in a meshed namespace, each public host is a VirtualService host so the edge\'s sidecar routes it.',
    fix: 'Remove upstream-vhost; add the public host to the hosts of the VirtualService of the backend Service (MeshTraffic publicHosts).',
    check: (ctx) => {
      const out: Finding[] = [];
      const vsHosts = new Set(ctx.objects.filter((s) => s.object.kind === 'VirtualService').flatMap((s) => arr((s.object.spec as any)?.hosts) as string[]));
      const meshed = ctx.objects.some((s) => s.object.kind === 'VirtualService');
      for (const s of ctx.objects.filter((x) => x.object.kind === 'Ingress')) {
        const vhost = (s.object.metadata.annotations ?? {})[UPSTREAM_VHOST];
        if (vhost !== undefined) out.push(finding(s, `metadata.annotations.${UPSTREAM_VHOST}`, `upstream-vhost "${vhost}" replaces the public Host header: the app builds absolute URLs, CORS and cookies from it`));
      }
      if (!meshed) return out;
      for (const s of ctx.objects.filter((x) => x.object.kind === 'Ingress' || x.object.kind === 'HTTPRoute')) {
        const ns = s.object.metadata.namespace ?? 'default';
        if (!injected(ctx, ns)) continue;
        const spec = (s.object.spec ?? {}) as Record<string, any>;
        const hosts: Array<[string, string]> = s.object.kind === 'Ingress'
          ? arr(spec.rules).map((r: any, i: number) => [r.host, `spec.rules[${i}].host`] as [string, string]).filter(([h]) => h)
          : (arr(spec.hostnames) as string[]).map((h, i) => [h, `spec.hostnames[${i}]`] as [string, string]);
        for (const [h, path] of hosts) {
          if (!vsHosts.has(h)) out.push(finding(s, path, `public host ${h} is no VirtualService host: the edge's sidecar sends it to the passthrough cluster without mTLS, and the STRICT namespace ${ns} refuses it`));
        }
      }
      return out;
    },
  },
];
