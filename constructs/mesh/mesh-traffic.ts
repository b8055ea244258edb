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
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
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
    const { app, policy, retries } = props;
    const canary = props.canaryPercent ?? 0;
    if (app.port === undefined) {
      throw new Error(`MeshTraffic: ${app.name} serves no HTTP port; only apps with settings.port get routing rules`);
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
    const idempotent = retries.idempotentMethods ?? ['GET', 'HEAD', 'OPTIONS'];
    const unsafe = idempotent.filter((m) => !IDEMPOTENT_METHODS.includes(m));
    if (unsafe.length > 0) {
      throw new Error(`MeshTraffic: ${app.name}: retries.idempotentMethods ${unsafe.join(',')} are not idempotent (RFC 9110); a retry after a 5xx or reset could repeat a write. Allowed: ${IDEMPOTENT_METHODS.join(', ')}`);
    }
    if (idempotent.length === 0) throw new Error(`MeshTraffic: ${app.name}: retries.idempotentMethods is empty; name at least GET`);

    const ns = app.namespace;
    const port = app.port;
    this.host = serviceHost(app.service.name, ns);
    const trafficPolicy = {
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
    // Two routes per host, the same destinations: idempotent methods retry on retryOn; every other method
    // only where the request never reached the app. The second route must set retries explicitly: without
    // them Istio applies its default policy, which retries a 503 (retriable-status-codes) — a replayed POST.
    const retryOn = (on: readonly string[]) => ({ attempts: retries.attempts, perTryTimeout: `${retries.perTryTimeoutSeconds}s`, retryOn: on.join(',') });
    const methods = `^(${[...idempotent].sort().join('|')})$`;
    const http = (name: string, route: readonly MeshDestination[]) => {
      const to = route.map((d) => ({
        destination: { host: d.host, ...(d.subset ? { subset: d.subset } : {}), port: { number: port } },
        weight: d.weight,
      }));
      const timeout = `${props.timeoutSeconds}s`;
      return [
        { name: `${name}-idempotent`, match: [{ method: { regex: methods } }], route: to, timeout, retries: retryOn(retries.retryOn) },
        { name, route: to, timeout, retries: retryOn(NEVER_REACHED_APP_RETRY_ON) },
      ];
    };
    const meta = (name: string) => ({ name, namespace: ns, ...(props.labels ? { labels: { ...props.labels } } : {}) });

    if (app.activeColour === undefined || app.idleColour === undefined || !app.previewService) {
      this.destinations = [{ host: this.host, weight: 100 }];
      this.destinationRule = new ModelObject(this, 'DestinationRule', new DestinationRule({
        metadata: meta(app.service.name),
        spec: { host: this.host, trafficPolicy },
      }));
      this.virtualServices = [new ModelObject(this, 'VirtualService', new VirtualService({
        metadata: meta(app.service.name),
        spec: { hosts: [this.host], http: http('default', this.destinations) },
      }))];
      return;
    }

    const coloursName = `${app.name}-colours`;
    this.coloursService = new KubeService(this, 'ColoursService', {
      // Its own name label: monitors that select the app's Services by name must not pick this routing-only one.
      metadata: { ...meta(coloursName), labels: { ...(props.labels ?? {}), 'app.kubernetes.io/name': coloursName } },
      spec: {
        type: 'ClusterIP',
        selector: { ...app.selector },
        ports: [{ name: HTTP_PORT_NAME, port, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }],
      },
    });
    const coloursHost = serviceHost(coloursName, ns);
    this.destinationRule = new ModelObject(this, 'DestinationRule', new DestinationRule({
      metadata: meta(coloursName),
      spec: {
        host: coloursHost,
        trafficPolicy,
        subsets: app.workloads.map((w) => ({ name: w.colour!, labels: { ...w.selector } })),
      },
    }));
    this.destinations = [
      { host: coloursHost, subset: app.activeColour, weight: 100 - canary },
      ...(canary > 0 ? [{ host: coloursHost, subset: app.idleColour, weight: canary }] : []),
    ];
    const previewHost = serviceHost(app.previewService.name, ns);
    this.virtualServices = [
      new ModelObject(this, 'VirtualService', new VirtualService({
        metadata: meta(app.service.name),
        spec: { hosts: [this.host], http: http(canary > 0 ? 'canary' : 'live', this.destinations) },
      })),
      new ModelObject(this, 'PreviewVirtualService', new VirtualService({
        metadata: meta(app.previewService.name),
        spec: { hosts: [previewHost], http: http('preview', [{ host: coloursHost, subset: app.idleColour, weight: 100 }]) },
      })),
    ];
  }
}
