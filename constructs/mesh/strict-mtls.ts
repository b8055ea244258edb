/**
 * STRICT mutual TLS for a namespace: only sidecar-to-sidecar (mTLS) traffic reaches its pods, except on
 * listed ports of listed pods (metrics scraped by a Prometheus outside the mesh).
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
import { Construct } from 'constructs';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { ModelObject } from '../model-object';

/** Props of {@link StrictMtls}. */
export interface StrictMtlsProps {
  readonly namespace: string;
  /**
   * Ports (container ports) that also accept plain text on the pods matching `permissivePodLabels`.
   * @default none
   */
  readonly permissivePorts?: readonly number[];
  /** Pods the permissive ports apply to (required with permissivePorts: port exceptions need a selector). */
  readonly permissivePodLabels?: Readonly<Record<string, string>>;
}

/** Namespace-wide STRICT PeerAuthentication `default`, plus an optional port exception. */
export class StrictMtls extends Construct {
  readonly namespaceWide: ModelObject;
  readonly portExceptions?: ModelObject;

  constructor(scope: Construct, id: string, props: StrictMtlsProps) {
    super(scope, id);
    const ports = props.permissivePorts ?? [];
    if (ports.length > 0 && (!props.permissivePodLabels || Object.keys(props.permissivePodLabels).length === 0)) {
      throw new Error('StrictMtls: permissivePorts need permissivePodLabels (Istio applies port-level mTLS only to selected workloads)');
    }
    for (const p of ports) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`StrictMtls: permissivePorts: ${p} is not a port (1-65535)`);
    }
    this.namespaceWide = new ModelObject<IPeerAuthentication>(this, 'Default', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: props.namespace },
      spec: { mtls: { mode: 'STRICT' } },
    });
    if (ports.length > 0) {
      this.portExceptions = new ModelObject<IPeerAuthentication>(this, 'PortExceptions', {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'permissive-metrics-ports', namespace: props.namespace },
        spec: {
          selector: { matchLabels: { ...props.permissivePodLabels } },
          mtls: { mode: 'STRICT' },
          portLevelMtls: Object.fromEntries([...ports].sort((a, b) => a - b).map((p) => [String(p), { mode: 'PERMISSIVE' as const }])),
        },
      });
    }
  }
}
