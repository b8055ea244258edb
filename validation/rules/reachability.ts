/**
 * NetworkPolicy reachability: every connection the output implies (connections.ts) is allowed by the
 * egress policies of the source and the ingress policies of the destination (model/network-policy.ts),
 * counting the NetworkPolicies operators create from the output's custom resources (model/cluster-model.ts).
 */
import type { ModelPod } from '../../model/cluster-model';
import { deriveConnections, podsOfService, type Connection } from '../connections';
import { evaluate, policiesOf, type Endpoint, type Policy, type TargetPort, type Verdict } from '../../model/network-policy';
import { finding, type Rule, type RuleContext } from '../rule';
import type { Finding } from '../types';

function endpoint(ctx: RuleContext, p: ModelPod): Endpoint {
  return { namespace: p.namespace, namespaceLabels: ctx.cluster.namespaces.get(p.namespace) ?? { 'kubernetes.io/metadata.name': p.namespace }, podLabels: p.labels, ports: p.ports };
}

/** Destination pods and the concrete port each listens on for a connection. */
function targets(ctx: RuleContext, c: Connection): Array<{ pod: ModelPod; port: TargetPort; label: string }> {
  if (c.to.kind === 'service') {
    const { service, port } = c.to;
    return podsOfService(ctx, service).flatMap((pod) => {
      const tp = typeof port.targetPort === 'number' ? pod.ports.find((x) => x.port === port.targetPort) ?? { port: port.targetPort, protocol: port.protocol } : pod.ports.find((x) => x.name === port.targetPort);
      return tp ? [{ pod, port: { port: tp.port, protocol: tp.protocol }, label: `Service ${service.namespace}/${service.name} port ${port.port}` }] : [];
    });
  }
  const { pods, port, protocol, label } = c.to;
  return pods.flatMap((pod) => {
    const tp = typeof port === 'number' ? { port, protocol } : pod.ports.find((x) => x.name === port);
    return tp ? [{ pod, port: { port: tp.port, protocol: tp.protocol }, label }] : [];
  });
}

function explain(v: Verdict): string {
  const parts: string[] = [];
  if (!v.egress.allowed) parts.push(`the source's egress is isolated by [${v.egress.isolatedBy.join(', ')}] and no rule allows it`);
  if (!v.ingress.allowed) parts.push(`the destination's ingress is isolated by [${v.ingress.isolatedBy.join(', ')}] and no rule allows it`);
  return parts.join('; ');
}

/** The labels that identify a pod in a suggested policy (the stable selector labels when present). */
function podLabelText(p: ModelPod): string {
  const stable = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'k8s-app', 'cnpg.io/cluster', 'app'].filter((k) => p.labels[k] !== undefined);
  const keys = stable.length ? stable.slice(0, 2) : Object.keys(p.labels).slice(0, 2);
  return `{${keys.map((k) => `${k}: ${p.labels[k]}`).join(', ')}}`;
}

function fixFor(src: ModelPod, dst: ModelPod, port: TargetPort, v: Verdict): string {
  const fixes: string[] = [];
  if (!v.egress.allowed) fixes.push(`in namespace "${src.namespace}", egress from pods ${podLabelText(src)} to namespace "${dst.namespace}" pods ${podLabelText(dst)} on ${port.port}/${port.protocol}`);
  if (!v.ingress.allowed) fixes.push(`in namespace "${dst.namespace}", ingress to pods ${podLabelText(dst)} from namespace "${src.namespace}" pods ${podLabelText(src)} on ${port.port}/${port.protocol}`);
  return `Add a NetworkPolicy allowing ${fixes.join('; and ')} (constructs/network-policy.ts), or declare an exemption.`;
}

/** Reachability findings of the context. */
export function reachabilityFindings(ctx: RuleContext, policies: readonly Policy[] = policiesOf([...ctx.objects, ...ctx.cluster.operatorPolicies])): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const c of deriveConnections(ctx).connections) {
    for (const src of c.from) {
      for (const t of targets(ctx, c)) {
        const v = evaluate(policies, endpoint(ctx, src), endpoint(ctx, t.pod), t.port);
        if (v.allowed) continue;
        const msg = `${c.why}: ${src.description} → ${t.label} (${t.pod.description}, ${t.port.port}/${t.port.protocol}) is blocked: ${explain(v)}`;
        if (seen.has(msg)) continue;
        seen.add(msg);
        out.push(finding(c.origin, c.path, msg, fixFor(src, t.pod, t.port, v)));
      }
    }
  }
  return out;
}

/** Reachability rules (ids `netpol/*`, plus `xref/service-url` which shares the connection analysis). */
export const reachabilityRules: readonly Rule[] = [
  {
    id: 'xref/service-url',
    description: 'Every Service named in an env value (name.namespace.svc…) or a declared connection exists with that port.',
    fix: 'Fix the host name or port in the settings, or add the Service.',
    check: (ctx) => deriveConnections(ctx).unresolved.map((u) => finding(u.origin, u.path, u.message)),
  },
  {
    id: 'netpol/reachability',
    description: 'Every connection the output implies (env URLs, Ingress backends, ServiceMonitor/PodMonitor scrapes, DNS, declared connections) is allowed by the source egress and destination ingress NetworkPolicies.',
    fix: 'Add a NetworkPolicy that allows the connection on the destination port (both directions when both pods are isolated).',
    check: (ctx) => reachabilityFindings(ctx),
  },
];
