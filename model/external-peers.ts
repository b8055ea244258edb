/**
 * Pods that every environment talks to but does not write itself, modelled with the labels their
 * standard installations use, so selectors and NetworkPolicies can be checked against them:
 *
 * | peer | namespace | pod labels | ports |
 * |---|---|---|---|
 * | `peer:kube-dns` | kube-system | `k8s-app: kube-dns` | 53/UDP, 53/TCP |
 * | `peer:ingress-controller` | the ingress namespace (label `name: ingress-nginx`) | `app.kubernetes.io/name: ingress-nginx`, `app.kubernetes.io/component: controller`, `app.kubernetes.io/instance: ingress-nginx` | 80, 443, 10254 |
 * | `peer:prometheus` | the monitoring namespace (label `name: monitoring`), only when no Prometheus CR is in the output | `app.kubernetes.io/name: prometheus`, `prometheus: k8s` | 9090 |
 * | `peer:istiod` | istio-system, only when the output has Istio resources (`*.istio.io`) | `app: istiod`, `istio: pilot` | 15012, 15017 |
 */
import { PROMETHEUS_APP_LABELS } from './operators/prometheus-operator';
import type { ModelPod } from './pods';
import { INGRESS_NGINX_CONTROLLER_LABELS, INGRESS_NGINX_CONTROLLER_PORTS } from './operators/ingress-nginx';
import type { Labels } from './selectors';

/** An outside pod with the name declared connections use (`peer:<name>`). */
export interface ExternalPeer extends ModelPod {
  readonly peer: string;
}

function findNamespace(namespaces: ReadonlyMap<string, Labels>, label: string): string | undefined {
  for (const [name, labels] of namespaces) if (labels.name === label) return name;
  return namespaces.has(label) ? label : undefined;
}

/** The outside pods of an environment, given its namespaces and whether it runs its own Prometheus. */
export function externalPeers(namespaces: ReadonlyMap<string, Labels>, hasPrometheus: boolean, usesIstio = false): ExternalPeer[] {
  const out: ExternalPeer[] = [
    {
      peer: 'kube-dns',
      description: 'kube-dns (CoreDNS, outside the output)',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }],
    },
  ];
  const ingress = findNamespace(namespaces, 'ingress-nginx');
  if (ingress) {
    out.push({
      peer: 'ingress-controller',
      description: 'ingress-nginx controller (outside the output)',
      namespace: ingress,
      labels: { ...INGRESS_NGINX_CONTROLLER_LABELS },
      ports: [...INGRESS_NGINX_CONTROLLER_PORTS],
    });
  }
  const monitoring = findNamespace(namespaces, 'monitoring');
  if (monitoring && !hasPrometheus) {
    out.push({
      peer: 'prometheus',
      description: 'Prometheus (outside the output)',
      namespace: monitoring,
      labels: { ...PROMETHEUS_APP_LABELS, prometheus: 'k8s' },
      ports: [{ port: 9090, protocol: 'TCP', name: 'web' }],
    });
  }
  if (usesIstio) {
    out.push({
      peer: 'istiod',
      description: 'istiod (Istio control plane, outside the output)',
      namespace: 'istio-system',
      labels: { app: 'istiod', istio: 'pilot' },
      ports: [{ port: 15012, protocol: 'TCP', name: 'grpc-xds' }, { port: 15017, protocol: 'TCP', name: 'https-webhook' }],
    });
  }
  return out;
}
