/**
 * The edge operators' facts, mirroring the expectations of their own unit tests at the pinned releases:
 * NGINX Gateway Fabric v2.6.7 (internal/framework/controller/resource_test.go, internal/controller/provisioner/
 * objects_test.go) and cert-manager v1.21.1 (pkg/issuer/acme/http/pod_test.go).
 */
import { describe, expect, it } from 'vitest';
import { ACME_SOLVER_PORT, acmeSolverPodOf } from '../../model/operators/cert-manager';
import { NGF_METRICS_PORT, ngfControlPlaneSelector, ngfControlPlaneService, ngfDataPlaneOf, ngfResourceName } from '../../model/operators/nginx-gateway-fabric';

describe('NGINX Gateway Fabric v2.6.7', () => {
  it('names provisioned objects <gateway>-<class> (TestCreateNginxResourceName "short names"), and refuses what NGF would hash-truncate', () => {
    expect(ngfResourceName('shortprefix', 'shortsuffix')).toBe('shortprefix-shortsuffix');
    expect(() => ngfResourceName('b'.repeat(60), 'suffix')).toThrow(/longer than 63/);
  });

  it('data-plane pods: gateway-name and name labels, the infrastructure labels, port-<n> per listener plus metrics 9113 (objects_test.go)', () => {
    const dp = ngfDataPlaneOf({
      metadata: { name: 'gw', namespace: 'default', labels: { 'finbot.io/ngf-release': 'ngf' } },
      spec: { gatewayClassName: 'nginx', infrastructure: { labels: { label: 'value' } }, listeners: [{ port: 80 }, { port: 8888 }, { port: 9999 }] },
    })!;
    expect(dp.podLabels).toMatchObject({ 'gateway.networking.k8s.io/gateway-name': 'gw', 'app.kubernetes.io/name': 'gw-nginx', label: 'value' });
    // provisioner.go baseLabelSelector: the control plane's instance and <instance>-<class>.
    expect(dp.selector).toEqual({
      'app.kubernetes.io/instance': 'ngf',
      'app.kubernetes.io/managed-by': 'ngf-nginx',
      'app.kubernetes.io/name': 'gw-nginx',
      'gateway.networking.k8s.io/gateway-name': 'gw',
    });
    expect(dp.podPorts.map((p) => [p.name, p.port])).toEqual([['port-80', 80], ['port-8888', 8888], ['port-9999', 9999], ['metrics', NGF_METRICS_PORT]]);
    expect(dp.servicePorts.map((p) => [p.name, p.port, p.targetPort])).toEqual([['port-80', 80, 80], ['port-8888', 8888, 8888], ['port-9999', 9999, 9999]]);
    expect(dp.resourceName).toBe('gw-nginx');
  });

  it('other Gateways (no NGF NginxProxy, no release label) are not NGF\'s', () => {
    expect(ngfDataPlaneOf({ metadata: { name: 'gw' }, spec: { gatewayClassName: 'istio' } })).toBeUndefined();
  });

  it('the control plane: the chart\'s selector labels and fullname', () => {
    expect(ngfControlPlaneSelector('ngf')).toEqual({ 'app.kubernetes.io/name': 'nginx-gateway-fabric', 'app.kubernetes.io/instance': 'ngf' });
    expect(ngfControlPlaneService('ngf')).toBe('ngf-nginx-gateway-fabric');
    expect(ngfControlPlaneService('my-nginx-gateway-fabric')).toBe('my-nginx-gateway-fabric');
  });
});

describe('cert-manager v1.21.1: the HTTP-01 solver pod', () => {
  const cert = { metadata: { namespace: 'edge' }, spec: { issuerRef: { kind: 'ClusterIssuer', name: 'le' } } };
  const issuer = (podTemplate?: object) => ({ kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { acme: { solvers: [{ http01: { ingress: { ingressClassName: 'nginx', ...(podTemplate ? { podTemplate } : {}) } } }] } } });

  it('runs in the Certificate\'s namespace with the solver label, out of the mesh by default (pod_test.go: sidecar.istio.io/inject "false")', () => {
    const pod = acmeSolverPodOf(cert, [issuer()])!;
    expect(pod.namespace).toBe('edge');
    expect(pod.labels).toEqual({ 'acme.cert-manager.io/http01-solver': 'true' });
    expect(pod.outOfMesh).toBe(true);
    expect(ACME_SOLVER_PORT).toBe(8089);
  });

  it('a podTemplate can put it into the mesh (pod_test.go sets "true"), which the validation then reports', () => {
    expect(acmeSolverPodOf(cert, [issuer({ metadata: { annotations: { 'sidecar.istio.io/inject': 'true' } } })])!.outOfMesh).toBe(false);
    expect(acmeSolverPodOf(cert, [issuer({ metadata: { labels: { 'sidecar.istio.io/inject': 'false' } } })])!.labels).toMatchObject({ 'sidecar.istio.io/inject': 'false' });
  });

  it('no solver pod for a Certificate of a non-ACME issuer', () => {
    expect(acmeSolverPodOf(cert, [{ kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { ca: { secretName: 'x' } } }])).toBeUndefined();
  });
});
