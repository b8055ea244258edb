import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { AppsChart } from '../../charts/apps-chart';
import { PlatformChart } from '../../charts/platform-chart';
import { smokeTargets, ChecksChart } from '../../charts/checks-chart';
import { load as yamlLoad } from 'js-yaml';
import { hstsValue } from '../../constructs/edge';
import { ngfDataPlaneSelector, ngfResourceName } from '../../model/operators/nginx-gateway-fabric';
import { ENVIRONMENTS, find, ofKind, settingsOf, synthObjects } from '../helpers';

describe('checks chart', () => {
  it('production: the smoke test checks the api Services that exist, on 3001, at /health, in the app namespace', () => {
    const job = find(synthObjects('production'), 'Job', 'finbot-smoke-test', 'production');
    const args: string[] = job.spec.template.spec.containers[0].command.slice(4);
    // the idle colour (preview) first, then the live one
    expect(args).toEqual(['http://finbot-api-preview.production.svc.cluster.local:3001/health', 'http://finbot-api.production.svc.cluster.local:3001/health']);
  });

  it('derives targets from the Services of the apps chart: preview first, then live', () => {
    const chart = new Chart(Testing.app(), 'apps');
    const svc = (name: string, selector: Record<string, string>) => new k8s.KubeService(chart, name, {
      metadata: { name },
      spec: { selector, ports: [{ name: 'http-metrics', port: 9090 }, { name: 'http', port: 3001 }] },
    });
    svc('finbot-api', { colour: 'blue' });
    svc('finbot-web', { app: 'web' });
    svc('finbot-api-preview', { colour: 'green' });
    expect(smokeTargets(chart, '/health')).toEqual([
      { service: 'finbot-api-preview', port: 3001, path: '/health', podLabels: { colour: 'green' } },
      { service: 'finbot-api', port: 3001, path: '/health', podLabels: { colour: 'blue' } },
    ]);
  });

  it('istio injection of the app namespace gives the smoke test the sidecar handling', () => {
    const job = find(synthObjects('staging'), 'Job', 'finbot-smoke-test', 'staging');
    expect(job.spec.template.metadata.annotations['proxy.istio.io/config']).toContain('holdApplicationUntilProxyStarts');
    const s = settingsOf('staging');
    s.platform.istioInjection = false;
    // Without injection there is no mesh chart (it refuses), so build just what the smoke test needs.
    const app = new App();
    const platform = new PlatformChart(app, 'platform', { settings: s });
    const apps = new AppsChart(app, 'apps', { settings: s, namespaces: platform.namespaces });
    const checks = new ChecksChart(app, 'checks', { settings: s, namespaces: platform.namespaces, apps });
    const j = checks.smokeTest.job.toJson() as any;
    expect(j.spec.template.metadata.annotations).toBeUndefined();
  });

  it('probes the public hosts of the settings through the blackbox exporter in the monitoring namespace', () => {
    const prod = synthObjects('production');
    const probes = ofKind(prod, 'Probe');
    const hosts = settingsOf('production').edge.hosts;
    expect(probes.map((p) => [p.metadata.name, p.metadata.namespace, p.spec.targets.staticConfig.static[0]])).toEqual([
      ['finbot-synthetic-api', 'monitoring', `https://${hosts.api}/health`],
      ['finbot-synthetic-web', 'monitoring', `https://${hosts.web}/`],
    ]);
    expect(probes.every((p) => p.metadata.labels.app === 'finbot' && p.spec.prober.url === 'blackbox-exporter.monitoring.svc:9115')).toBe(true);
    expect(find(prod, 'Deployment', 'blackbox-exporter', 'monitoring').spec.replicas).toBe(2);
    const staging = settingsOf('staging').edge.hosts;
    expect(ofKind(synthObjects('staging'), 'Probe').map((p) => p.spec.targets.staticConfig.static[0])).toEqual([`https://${staging.api}/health`, `https://${staging.web}/`]);
  });
});

describe('checks chart: the edge', () => {
  it.each(ENVIRONMENTS)('%s: the smoke test calls each public host through the NGF Service with the public SNI/Host, requiring HSTS and refusing TLS 1.2', (env) => {
    const s = settingsOf(env);
    const objs = synthObjects(env);
    const ngf = s.edge.nginxGatewayFabric;
    const svc = `${ngfResourceName(ngf.gatewayName, ngf.gatewayClassName)}.${s.platform.namespaces.ingress}.svc.cluster.local:443`;
    const job = find(objs, 'Job', 'finbot-smoke-test', s.platform.namespaces.app);
    const c = job.spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'EDGE_CHECKS', value: `${s.edge.hosts.api}|${svc}|${s.apps.api.livenessProbe.path} ${s.edge.hosts.web}|${svc}|/` }]);
    const script: string = c.command[2];
    expect(script).toContain('--tlsv1.3');
    expect(script).toContain('--tls-max 1.2');
    expect(script).toMatch(/strict-transport-security/i);
    // The sidecar leaves 443 alone: the gateway terminates TLS itself.
    expect(job.spec.template.metadata.annotations['traffic.sidecar.istio.io/excludeOutboundPorts']).toBe('443');
    const allow = find(objs, 'NetworkPolicy', 'allow-edge-from-smoke-test', s.platform.namespaces.ingress);
    expect(allow.spec.podSelector.matchLabels).toEqual(ngfDataPlaneSelector({ release: ngf.controlPlane.release, gatewayClassName: ngf.gatewayClassName }, ngf.gatewayName));
  });

  it('the blackbox probes require TLS 1.3 and the edge\'s HSTS and X-Frame-Options headers', () => {
    const s = settingsOf('production');
    const cm = find(synthObjects('production'), 'ConfigMap', 'blackbox-exporter');
    const http = (yamlLoad(cm.data['config.yml']) as any).modules.https_2xx.http;
    expect(http.tls_config.min_version).toBe('TLS13');
    expect(http.fail_if_header_not_matches).toEqual([
      { header: 'Strict-Transport-Security', regexp: hstsValue(s.edge.hsts), allow_missing: false },
      { header: 'X-Frame-Options', regexp: 'DENY', allow_missing: false },
    ]);
  });
});
