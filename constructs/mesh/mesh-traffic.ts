/**
 * How callers in the mesh reach one app: a DestinationRule (load balancing, connection pool, outlier
 * detection = circuit breaking) and a VirtualService (timeout, retries). For a blue-green app it also
 * routes `<name>` to the active colour and `<name>-preview` to the idle one, with an optional canary share
 * of `<name>` going to the idle colour.
 *
 * Subsets only select among the endpoints of their host's Service, and `<name>` selects the active colour
 * only, so the colour subsets hang off a third Service, `<name>-colours`, that selects both colours. Routing
 * then never depends on which colour the live Service selects at that moment: no 503 while Argo CD applies a
 * promotion. `<name>-colours` has no metrics port, so ServiceMonitors (port `http-metrics`) ignore it.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { FinbotApp } from '../finbot-app';
import { HTTP_PORT_NAME } from '../finbot-app';
import { ModelObject } from '../model-object';
import { serviceHost } from './identity';
import { KubeService } from '../kube-objects';
import { IDEMPOTENT_METHODS, NEVER_REACHED_APP_RETRY_ON } from '../../model/operators/istio';

/** Connection pool, outlier detection and load balancing toward an app. */
export interface MeshTrafficPolicy {
  readonly loadBalancer: 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM';
  readonly connectionPool: {
    readonly maxConnections: number;
    readonly connectTimeoutSeconds: number;
    readonly http1MaxPendingRequests: number;
    readonly http2MaxRequests: number;
  };
  readonly outlierDetection: {
    readonly consecutive5xxErrors: number;
    readonly intervalSeconds: number;
    readonly baseEjectionSeconds: number;
    readonly maxEjectionPercent: number;
  };
}


/** Retries of a call. */
export interface MeshRetries {
  /** Retries after the first try. */
  readonly attempts: number;
  readonly perTryTimeoutSeconds: number;
  /** Envoy retry conditions for {@link idempotentMethods}, e.g. 5xx, reset, connect-failure, refused-stream. */
  readonly retryOn: readonly string[];
  /**
   * Methods retried on {@link retryOn}; a subset of {@link IDEMPOTENT_METHODS}. Every other method (POST,
   * PATCH, ...) is retried only on {@link NEVER_REACHED_APP_RETRY_ON} conditions.
   * @default ['GET', 'HEAD', 'OPTIONS']
   */
  readonly idempotentMethods?: readonly string[];
}

/** Props of {@link MeshTraffic}. */
export interface MeshTrafficProps {
  /** The app; with `blueGreen` its colours become subsets. */
  readonly app: FinbotApp;
  readonly policy: MeshTrafficPolicy;
  /** Timeout of the whole call, retries included. */
  readonly timeoutSeconds: number;
  readonly retries: MeshRetries;
  /**
   * Percent of the traffic to `<name>` sent to the idle colour (blue-green apps only).
   * @default 0
   */
  readonly canaryPercent?: number;
  /**
   * Public host names the edge forwards to this app with their own Host header: hosts of the main
   * VirtualService too, so the edge proxy's sidecar routes them like the Service host (Envoy matches routes
   * by Host; a host no VirtualService lists falls through to the passthrough cluster, without mTLS).
   * @default none
   */
  readonly publicHosts?: readonly string[];
  /** Labels of the `<name>-colours` Service. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One weighted destination of the main route (for tests and docs). */
export interface MeshDestination {
  readonly host: string;
  readonly subset?: string;
  readonly weight: number;
}

/** DestinationRule + VirtualService(s) for one app. */
export class MeshTraffic extends Construct {
  /** Host (FQDN) callers use. */
  readonly host: string;
  /** Where the traffic to {@link host} goes; weights sum to 100. */
  readonly destinations: readonly MeshDestination[];
  /** Blue-green only: the Service selecting both colours that the subsets belong to. */
  readonly coloursService?: k8s.KubeService;
  readonly destinationRule: ModelObject;
  readonly virtualServices: readonly ModelObject[];

  constructor(scope: Construct, id: string, props: MeshTrafficProps) {
    super(scope, id);
    checkMeshTrafficProps(props);
    const { app } = props;
    this.host = serviceHost(app.service.name, app.namespace);
    const routing = app.activeColour === undefined || app.idleColour === undefined || !app.previewService
      ? this.plainRouting(props)
      : this.blueGreenRouting(props, app.activeColour, app.idleColour, app.previewService);
    this.destinations = routing.destinations;
    this.destinationRule = routing.destinationRule;
    this.virtualServices = routing.virtualServices;
    this.coloursService = routing.coloursService;
  }

  /** Step (one Deployment): DestinationRule and VirtualService on the app's Service host. */
  private plainRouting(props: MeshTrafficProps): Routing {
    const { app } = props;
    const meta = metaOf(props);
    const destinations: MeshDestination[] = [{ host: this.host, weight: 100 }];
    const destinationRule = new ModelObject<IDestinationRule>(this, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(app.service.name),
      spec: { host: this.host, trafficPolicy: trafficPolicy(props.policy) },
    });
    const virtualServices = [new ModelObject<IVirtualService>(this, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(app.service.name),
      spec: { hosts: [this.host, ...(props.publicHosts ?? [])], http: httpRoutes(props, 'default', destinations) },
    })];
    return { destinations, destinationRule, virtualServices };
  }

  /**
   * Step (blue-green): the `<name>-colours` Service with a subset per colour; `<name>` to the active colour
   * (minus the canary share), `<name>-preview` to the idle one.
   */
  private blueGreenRouting(props: MeshTrafficProps, active: string, idle: string, preview: k8s.KubeService): Routing {
    const { app } = props;
    const ns = app.namespace;
    const canary = props.canaryPercent ?? 0;
    const meta = metaOf(props);
    const coloursName = `${app.name}-colours`;
    const coloursService = new KubeService(this, 'ColoursService', {
      // Its own name label: monitors that select the app's Services by name must not pick this routing-only one.
      metadata: { ...meta(coloursName), labels: { ...(props.labels ?? {}), 'app.kubernetes.io/name': coloursName } },
      spec: {
        type: 'ClusterIP',
        selector: { ...app.selector },
        ports: [{ name: HTTP_PORT_NAME, port: app.port!, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }],
      },
    });
    const coloursHost = serviceHost(coloursName, ns);
    const destinationRule = new ModelObject<IDestinationRule>(this, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(coloursName),
      spec: {
        host: coloursHost,
        trafficPolicy: trafficPolicy(props.policy),
        subsets: app.workloads.map((w) => ({ name: w.colour!, labels: { ...w.selector } })),
      },
    });
    const destinations: MeshDestination[] = [
      { host: coloursHost, subset: active, weight: 100 - canary },
      ...(canary > 0 ? [{ host: coloursHost, subset: idle, weight: canary }] : []),
    ];
    const previewHost = serviceHost(preview.name, ns);
    const virtualServices = [
      new ModelObject<IVirtualService>(this, 'VirtualService', {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta(app.service.name),
        spec: { hosts: [this.host, ...(props.publicHosts ?? [])], http: httpRoutes(props, canary > 0 ? 'canary' : 'live', destinations) },
      }),
      new ModelObject<IVirtualService>(this, 'PreviewVirtualService', {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta(preview.name),
        spec: { hosts: [previewHost], http: httpRoutes(props, 'preview', [{ host: coloursHost, subset: idle, weight: 100 }]) },
      }),
    ];
    return { destinations, destinationRule, virtualServices, coloursService };
  }
}

/** What a routing step made. */
interface Routing {
  readonly destinations: readonly MeshDestination[];
  readonly destinationRule: ModelObject;
  readonly virtualServices: readonly ModelObject[];
  readonly coloursService?: k8s.KubeService;
}

/** Validates the props; each message names the prop, the value and the fix. */
function checkMeshTrafficProps(props: MeshTrafficProps): void {
  const { app, retries } = props;
  const canary = props.canaryPercent ?? 0;
  if (app.port === undefined) {
    throw new Error(`MeshTraffic: ${app.name} serves no HTTP port; only apps with a port get routing rules`);
  }
  if (!Number.isInteger(canary) || canary < 0 || canary > 99) {
    throw new Error(`MeshTraffic: ${app.name}: canaryPercent must be a whole number from 0 to 99, got ${canary}; to move all traffic, promote the idle colour`);
  }
  if (canary > 0 && app.idleColour === undefined) {
    throw new Error(`MeshTraffic: ${app.name}: canaryPercent ${canary} needs a blue-green app (FinbotApp blueGreen); there is no idle colour to send it to`);
  }
  if (retries.perTryTimeoutSeconds >= props.timeoutSeconds) {
    throw new Error(`MeshTraffic: ${app.name}: perTryTimeoutSeconds (${retries.perTryTimeoutSeconds}) must be below timeoutSeconds (${props.timeoutSeconds}), or no retry can run`);
  }
  if (retries.retryOn.length === 0) throw new Error(`MeshTraffic: ${app.name}: retries.retryOn is empty; name the conditions to retry on`);
  if (retries.retryOn.some((r) => r.includes('4xx'))) {
    throw new Error(`MeshTraffic: ${app.name}: retries.retryOn ${retries.retryOn.join(',')} retries 4xx; client errors are never retried`);
  }
  const idempotent = retries.idempotentMethods ?? DEFAULT_IDEMPOTENT;
  const unsafe = idempotent.filter((m) => !IDEMPOTENT_METHODS.includes(m));
  if (unsafe.length > 0) {
    throw new Error(`MeshTraffic: ${app.name}: retries.idempotentMethods ${unsafe.join(',')} are not idempotent (RFC 9110); a retry after a 5xx or reset could repeat a write. Allowed: ${IDEMPOTENT_METHODS.join(', ')}`);
  }
  if (idempotent.length === 0) throw new Error(`MeshTraffic: ${app.name}: retries.idempotentMethods is empty; name at least GET`);
}

const DEFAULT_IDEMPOTENT: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/** Metadata of the construct's objects: in the app's namespace, with the given labels. */
function metaOf(props: MeshTrafficProps) {
  return (name: string) => ({ name, namespace: props.app.namespace, ...(props.labels ? { labels: { ...props.labels } } : {}) });
}

/** The DestinationRule's traffic policy: load balancing, connection pool, outlier detection. */
function trafficPolicy(policy: MeshTrafficPolicy) {
  return {
    loadBalancer: { simple: policy.loadBalancer },
    connectionPool: {
      tcp: { maxConnections: policy.connectionPool.maxConnections, connectTimeout: `${policy.connectionPool.connectTimeoutSeconds}s` },
      http: { http1MaxPendingRequests: policy.connectionPool.http1MaxPendingRequests, http2MaxRequests: policy.connectionPool.http2MaxRequests },
    },
    outlierDetection: {
      consecutive5xxErrors: policy.outlierDetection.consecutive5xxErrors,
      interval: `${policy.outlierDetection.intervalSeconds}s`,
      baseEjectionTime: `${policy.outlierDetection.baseEjectionSeconds}s`,
      maxEjectionPercent: policy.outlierDetection.maxEjectionPercent,
    },
  };
}

/**
 * The HTTP routes of one host. Two routes, the same destinations: idempotent methods retry on retryOn; every
 * other method only where the request never reached the app. The second route must set retries explicitly:
 * without them Istio applies its default policy, which retries a 503 (retriable-status-codes) — a replayed POST.
 */
function httpRoutes(props: MeshTrafficProps, name: string, route: readonly MeshDestination[]) {
  const { retries } = props;
  const retryOn = (on: readonly string[]) => ({ attempts: retries.attempts, perTryTimeout: `${retries.perTryTimeoutSeconds}s`, retryOn: on.join(',') });
  const methods = `^(${[...(retries.idempotentMethods ?? DEFAULT_IDEMPOTENT)].sort().join('|')})$`;
  const to = route.map((d) => ({
    destination: { host: d.host, ...(d.subset ? { subset: d.subset } : {}), port: { number: props.app.port! } },
    weight: d.weight,
  }));
  const timeout = `${props.timeoutSeconds}s`;
  return [
    { name: `${name}-idempotent`, match: [{ method: { regex: methods } }], route: to, timeout, retries: retryOn(retries.retryOn) },
    { name, route: to, timeout, retries: retryOn(NEVER_REACHED_APP_RETRY_ON) },
  ];
}
