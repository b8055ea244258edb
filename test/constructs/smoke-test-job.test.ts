import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SmokeTestJob, type SmokeTestJobProps } from '../../constructs/smoke-test-job';

const api = { 'app.kubernetes.io/name': 'finbot-api', 'app.kubernetes.io/instance': 'test' };
const preview = { 'app.kubernetes.io/name': 'finbot-api-green', 'app.kubernetes.io/instance': 'test' };
const base: SmokeTestJobProps = {
  namespace: 'app',
  environment: 'test',
  targets: [
    { service: 'finbot-api-preview', port: 3001, path: '/health', podLabels: preview },
    { service: 'finbot-api', port: 3001, path: '/health', podLabels: api },
  ],
};

function synth(props: Partial<SmokeTestJobProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 't');
  new SmokeTestJob(chart, 's', { ...base, ...props });
  return Testing.synth(chart);
}
const one = (objs: any[], kind: string, name?: string) => objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('SmokeTestJob', () => {
  it('is an Argo CD PostSync hook, replaced before the next run and deleted when it passed', () => {
    const [job] = one(synth(), 'Job');
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' });
    expect(job.spec.backoffLimit).toBe(2);
    expect(job.spec.activeDeadlineSeconds).toBe(300);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('GETs the preview colour first, then the live Service, with a pinned curl', () => {
    const c = one(synth(), 'Job')[0].spec.template.spec.containers[0];
    expect(c.image).toBe('curlimages/curl:8.16.0');
    expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.command.slice(3)).toEqual([
      'smoke-test',
      'http://finbot-api-preview.app.svc.cluster.local:3001/health',
      'http://finbot-api.app.svc.cluster.local:3001/health',
    ]);
    expect(c.command[2]).toContain('curl --fail');
    expect(c.command[2]).not.toContain('quitquitquit');
  });

  it('runs restricted, token-less, with resources', () => {
    const objs = synth();
    const spec = one(objs, 'Job')[0].spec.template.spec;
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe('finbot-smoke-test');
    expect(one(objs, 'ServiceAccount')[0].automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(spec.containers[0].resources.limits).toEqual({ cpu: '100m', memory: '64Mi' });
  });

  it('allows its egress to the target pods on their port and DNS, and each target ingress from it', () => {
    const objs = synth();
    const egress = one(objs, 'NetworkPolicy', 'finbot-smoke-test')[0].spec;
    expect(egress.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'finbot-smoke-test', 'app.kubernetes.io/instance': 'test' });
    expect(egress.policyTypes).toEqual(['Egress']);
    expect(egress.egress.slice(0, 2)).toEqual([
      { to: [{ podSelector: { matchLabels: preview } }], ports: [{ protocol: 'TCP', port: 3001 }] },
      { to: [{ podSelector: { matchLabels: api } }], ports: [{ protocol: 'TCP', port: 3001 }] },
    ]);
    expect(egress.egress[2].ports.map((p: any) => `${p.protocol}/${p.port}`)).toEqual(['UDP/53', 'TCP/53']);
    expect(egress.egress).toHaveLength(3);
    for (const [name, labels] of [['allow-finbot-api-green-from-smoke-test', preview], ['allow-finbot-api-from-smoke-test', api]] as const) {
      const p = one(objs, 'NetworkPolicy', name)[0].spec;
      expect(p.podSelector.matchLabels).toEqual(labels);
      expect(p.ingress).toEqual([{ from: [{ podSelector: { matchLabels: egress.podSelector.matchLabels } }], ports: [{ protocol: 'TCP', port: 3001 }] }]);
    }
  });

  it('with an Istio sidecar: holds curl until the proxy runs, stops the proxy at the end, may reach istiod', () => {
    const objs = synth({ istioSidecar: true });
    const pod = one(objs, 'Job')[0].spec.template;
    expect(pod.metadata.annotations).toEqual({ 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}' });
    expect(pod.spec.containers[0].command[2]).toContain("trap 'curl -fsS -o /dev/null -X POST http://127.0.0.1:15020/quitquitquit || true' EXIT");
    expect(one(objs, 'NetworkPolicy', 'finbot-smoke-test')[0].spec.egress[3]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ protocol: 'TCP', port: 15012 }],
    });
  });

  it('refuses no targets, an unpinned image, a relative path and a target without pod labels', () => {
    expect(() => synth({ targets: [] })).toThrow('SmokeTestJob: targets is empty');
    expect(() => synth({ image: 'curlimages/curl' })).toThrow('SmokeTestJob: image "curlimages/curl" is not pinned');
    expect(() => synth({ image: 'curlimages/curl:latest' })).toThrow('is not pinned');
    expect(() => synth({ targets: [{ service: 'a', port: 1, path: 'health', podLabels: api }] })).toThrow('SmokeTestJob: target a path "health" must start with "/"');
    expect(() => synth({ targets: [{ service: 'a', port: 1, path: '/', podLabels: {} }] })).toThrow('SmokeTestJob: target a has no podLabels');
  });
});
