/**
 * The smoke test of the design document ("Production Validation", and the pipeline's health check) as an
 * Argo CD PostSync hook: after every sync, GET the health path of each target Service in order, and fail
 * the sync when one does not answer 2xx. Comes with its own token-less ServiceAccount and the two
 * NetworkPolicies that let exactly this Job reach exactly the target pods.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { labels, selectorLabels } from './labels';
import { AllowPolicy, CLUSTER_DNS_PEER, DNS_PORTS, type PolicyPeer } from './network-policy';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeJob, KubeServiceAccount } from './kube-objects';

/** Pinned curl image (the design document uses an unpinned curlimages/curl). */
export const SMOKE_TEST_IMAGE = 'curlimages/curl:8.16.0';
/** Argo CD hook annotations of the Job: run after each sync; replace the last run; delete it when it passed. */
export const POST_SYNC_HOOK_ANNOTATIONS = {
  'argocd.argoproj.io/hook': 'PostSync',
  'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
} as const;
/** istiod, which an injected sidecar must reach before the request can go out. */
const ISTIOD_PEER: PolicyPeer = { namespaceLabels: { 'kubernetes.io/metadata.name': 'istio-system' }, podLabels: { app: 'istiod' } };
const ISTIOD_XDS_PORT = 15012;
const NOBODY = 65534;

/** One Service to check. */
export interface SmokeTarget {
  /** Service name in the Job's namespace, e.g. `finbot-api-preview`. */
  readonly service: string;
  /** Service port (equal to the pods' container port here), e.g. 3001. */
  readonly port: number;
  /** Path that must answer 2xx, e.g. `/health`. */
  readonly path: string;
  /** Labels of the Service's pods (its selector), for the NetworkPolicies. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Props of {@link SmokeTestJob}. */
/**
 * A check through the edge: `https://<host><path>` sent to the edge's in-cluster Service (real TLS with the
 * public host as SNI and Host, so the certificate, the route and the headers are the public ones).
 */
export interface EdgeCheck {
  /** Public host, e.g. api.finbot.com. */
  readonly host: string;
  readonly path: string;
  /** In-cluster Service of the edge proxy (name.namespace.svc.cluster.local) and its HTTPS port. */
  readonly service: string;
  readonly port: number;
  /** The edge proxy pods (NetworkPolicy egress). */
  readonly peer: { readonly namespace: string; readonly namespaceLabels: Readonly<Record<string, string>>; readonly podLabels: Readonly<Record<string, string>>; readonly targetPort: number };
}

export interface SmokeTestJobProps {
  /** Namespace of the Job and of the target Services. */
  readonly namespace: string;
  /** Environment name (labels). */
  readonly environment: string;
  /** Services to check, in order (the design document: preview colour first, then live). */
  readonly targets: readonly SmokeTarget[];
  /** @default 'finbot-smoke-test' */
  readonly name?: string;
  /** Pinned image with curl and /bin/sh. @default {@link SMOKE_TEST_IMAGE} */
  readonly image?: string;
  /**
   * The namespace injects Istio sidecars: hold curl until the proxy runs, stop the proxy when done (or the
   * Job never completes), and allow the proxy to reach istiod.
   * @default false
   */
  readonly istioSidecar?: boolean;
  /**
   * Checks through the edge (HSTS present, TLS 1.2 refused). With a sidecar, port 443 is excluded from its
   * outbound capture: the edge terminates TLS itself and would not understand Istio's mTLS.
   * @default none
   */
  readonly edgeChecks?: readonly EdgeCheck[];
  /** Retries of a failed pod. @default 2 */
  readonly backoffLimit?: number;
  /** Hard limit of the whole Job, in seconds. @default 300 */
  readonly activeDeadlineSeconds?: number;
}

/** The shell script; the URLs are its arguments. */
function script(istioSidecar: boolean): string {
  return [
    'set -eu',
    ...(istioSidecar ? ["trap 'curl -fsS -o /dev/null -X POST http://127.0.0.1:15020/quitquitquit || true' EXIT"] : []),
    'for url in "$@"; do',
    '  echo "GET $url"',
    "  curl --fail --silent --show-error --max-time 10 --retry 5 --retry-delay 3 --retry-connrefused --retry-all-errors --output /dev/null --write-out '%{http_code} in %{time_total}s\\n' \"$url\"",
    'done',
    'for check in ${EDGE_CHECKS:-}; do',
    '  host=${check%%|*}; rest=${check#*|}; endpoint=${rest%%|*}; path=${rest#*|}; target=${endpoint%:*}; port=${endpoint##*:}',
    '  echo "GET https://$host$path through the edge ($target:$port)"',
    '  headers=$(curl --fail --silent --show-error --max-time 10 --retry 5 --retry-delay 3 --retry-all-errors --tlsv1.3 --connect-to "$host:443:$target:$port" --dump-header - --output /dev/null "https://$host$path")',
    '  echo "$headers" | grep -qi "^strict-transport-security:" || { echo "no Strict-Transport-Security from $host"; exit 1; }',
    '  if curl --silent --max-time 10 --tls-max 1.2 --connect-to "$host:443:$target:$port" --output /dev/null "https://$host$path" 2>/dev/null; then echo "$host accepted TLS 1.2"; exit 1; fi',
    'done',
    'echo "smoke test passed"',
  ].join('\n');
}

/** A PostSync hook Job that checks the health endpoints of Services, with its ServiceAccount and policies. */
export class SmokeTestJob extends Construct {
  readonly name: string;
  /** The URLs checked, in order. */
  readonly urls: readonly string[];
  readonly job: k8s.KubeJob;
  readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: SmokeTestJobProps) {
    super(scope, id);
    checkSmokeTestProps(props);
    this.name = props.name ?? 'finbot-smoke-test';
    const labelProps = { name: this.name, component: 'smoke-test', environment: props.environment, finbotApp: false };
    const objectLabels = labels(labelProps);
    const metadata = { name: this.name, namespace: props.namespace, labels: objectLabels };
    this.urls = props.targets.map((t) => `http://${t.service}.${props.namespace}.svc.cluster.local:${t.port}${t.path}`);

    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    this.job = this.hookJob(props, metadata);
    this.networkPolicies(props, objectLabels, selectorLabels(labelProps));
  }

  /** Step: the PostSync hook Job running the checks (curl in a pinned image, as nobody). */
  private hookJob(props: SmokeTestJobProps, metadata: { name: string; namespace: string; labels: Record<string, string> }): k8s.KubeJob {
    const istio = props.istioSidecar ?? false;
    const edgeChecks = props.edgeChecks ?? [];
    return new KubeJob(this, 'Job', {
      metadata: { ...metadata, annotations: { ...POST_SYNC_HOOK_ANNOTATIONS } },
      spec: {
        backoffLimit: props.backoffLimit ?? 2,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 300,
        template: {
          metadata: {
            labels: metadata.labels,
            ...(istio ? { annotations: {
              'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}',
              ...(edgeChecks.length ? { 'traffic.sidecar.istio.io/excludeOutboundPorts': [...new Set(edgeChecks.map((c) => c.port))].join(',') } : {}),
            } } : {}),
          },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(NOBODY, NOBODY, null),
            containers: [
              {
                name: 'smoke-test',
                image: props.image ?? SMOKE_TEST_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', '-c', script(istio), 'smoke-test', ...this.urls],
                ...(edgeChecks.length ? { env: [{ name: 'EDGE_CHECKS', value: edgeChecks.map((c) => `${c.host}|${c.service}:${c.port}|${c.path}`).join(' ') }] } : {}),
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
                  limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') },
                },
                securityContext: restrictedContainerSecurityContext(),
              },
            ],
          },
        },
      },
    });
  }

  /**
   * Step: the Job's egress to each target (and edge, DNS, istiod), and each target's (and edge proxy's)
   * ingress from the Job.
   */
  private networkPolicies(props: SmokeTestJobProps, objectLabels: Record<string, string>, podSelector: Record<string, string>): void {
    const istio = props.istioSidecar ?? false;
    const edgeChecks = props.edgeChecks ?? [];
    // Each distinct (pods, port) target once: blue/green colours are different pods on the same port.
    const seen = new Set<string>();
    const targets = props.targets.filter((t) => {
      const key = `${JSON.stringify(t.podLabels)}:${t.port}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    new AllowPolicy(this, 'Egress', {
      name: this.name,
      namespace: props.namespace,
      podLabels: podSelector,
      labels: objectLabels,
      egress: [
        ...targets.map((t) => ({ peers: [{ podLabels: { ...t.podLabels } }], ports: [{ port: t.port }] })),
        ...edgeChecks.map((c) => ({ peers: [{ namespaceLabels: { ...c.peer.namespaceLabels }, podLabels: { ...c.peer.podLabels } }], ports: [{ port: c.peer.targetPort }] })),
        { peers: [CLUSTER_DNS_PEER], ports: DNS_PORTS },
        ...(istio ? [{ peers: [ISTIOD_PEER], ports: [{ port: ISTIOD_XDS_PORT }] }] : []),
      ],
    });
    const names = targets.map((t, i) => `allow-${t.podLabels['app.kubernetes.io/name'] ?? `target-${i}`}-from-smoke-test`);
    targets.forEach((t, i) => {
      new AllowPolicy(this, `Ingress${i}`, {
        name: names.indexOf(names[i]) === i ? names[i] : `${names[i]}-${i}`,
        namespace: props.namespace,
        podLabels: { ...t.podLabels },
        labels: objectLabels,
        ingress: [{ peers: [{ podLabels: podSelector }], ports: [{ port: t.port }] }],
      });
    });
    // The edge proxy pods admit the smoke test (their internet rule is an ipBlock, which does not cover pods).
    const edgePeers = new Map(edgeChecks.map((c) => [`${c.peer.namespace}/${JSON.stringify(c.peer.podLabels)}/${c.peer.targetPort}`, c.peer]));
    [...edgePeers.values()].forEach((p, i) => {
      new AllowPolicy(this, `EdgeIngress${i}`, {
        name: `allow-edge-from-smoke-test${i ? `-${i}` : ''}`,
        namespace: p.namespace,
        podLabels: { ...p.podLabels },
        labels: objectLabels,
        ingress: [{ peers: [{ namespaceLabels: { 'kubernetes.io/metadata.name': props.namespace }, podLabels: podSelector }], ports: [{ port: p.targetPort }] }],
      });
    });
  }
}

/** Validates the props; each message names the prop, the value and the fix. */
function checkSmokeTestProps(props: SmokeTestJobProps): void {
  if (props.targets.length === 0) {
    throw new Error('SmokeTestJob: targets is empty; give at least one Service to check (e.g. finbot-api)');
  }
  const image = props.image ?? SMOKE_TEST_IMAGE;
  if (!/:[A-Za-z0-9_][A-Za-z0-9_.-]*$|@sha256:[a-f0-9]{64}$/.test(image) || /:latest$/.test(image)) {
    throw new Error(`SmokeTestJob: image "${image}" is not pinned; give a version tag or digest, e.g. ${SMOKE_TEST_IMAGE}`);
  }
  for (const t of props.targets) {
    if (!t.path.startsWith('/')) throw new Error(`SmokeTestJob: target ${t.service} path "${t.path}" must start with "/"`);
    if (Object.keys(t.podLabels).length === 0) throw new Error(`SmokeTestJob: target ${t.service} has no podLabels; the NetworkPolicies would open every pod`);
  }
  for (const c of props.edgeChecks ?? []) if (!c.path.startsWith('/')) throw new Error(`SmokeTestJob: edge check ${c.host} path "${c.path}" must start with "/"`);
}
