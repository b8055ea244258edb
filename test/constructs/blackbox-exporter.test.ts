import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { BlackboxExporter, HttpsProbe, type BlackboxExporterProps } from '../../constructs/blackbox-exporter';

const prometheus = [{ podLabels: { 'app.kubernetes.io/name': 'prometheus' } }];

function build(props: Partial<BlackboxExporterProps> = {}, probe?: { interval?: string; path?: string }): any[] {
  const chart = new Chart(Testing.app(), 't');
  const prober = new BlackboxExporter(chart, 'b', { namespace: 'monitoring', environment: 'test', scrapers: prometheus, ...props });
  if (probe) new HttpsProbe(chart, 'p', { prober, environment: 'test', target: { name: 'api', host: 'api.example.com', path: probe.path ?? '/health' }, interval: probe.interval });
  return Testing.synth(chart);
}
const one = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('BlackboxExporter', () => {
  it('runs a pinned prom/blackbox-exporter, restricted, with health probes and its config', () => {
    const objs = build();
    const [d] = one(objs, 'Deployment');
    const spec = d.spec.template.spec;
    const c = spec.containers[0];
    expect(d.spec.replicas).toBe(2);
    expect(c.image).toBe('docker.io/prom/blackbox-exporter:v0.28.0');
    expect(c.args).toEqual(['--config.file=/etc/blackbox_exporter/config.yml', '--web.listen-address=:9115']);
    expect(c.livenessProbe.httpGet.path).toBe('/-/healthy');
    expect(spec.securityContext.runAsUser).toBe(65534);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(spec.automountServiceAccountToken).toBe(false);
    const config = yaml.load(one(objs, 'ConfigMap')[0].data['config.yml']) as any;
    expect(config.modules.https_2xx).toMatchObject({ prober: 'http', http: { fail_if_not_ssl: true, tls_config: { insecure_skip_verify: false } } });
    expect(one(objs, 'PodDisruptionBudget')[0].spec.maxUnavailable).toBe(1);
    expect(one(objs, 'Service')[0].spec.ports).toEqual([{ name: 'http', port: 9115, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }]);
  });

  it('lets Prometheus in on 9115 and itself out only to public addresses on 443 and DNS', () => {
    const np = one(build(), 'NetworkPolicy')[0].spec;
    expect(np.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9115 }] }]);
    expect(np.egress[0]).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    expect(np.egress[1].ports.map((p: any) => p.port)).toEqual([53, 53]);
  });

  it('opens the scrapers egress to it, since their namespace denies egress by default', () => {
    const np = one(build(), 'NetworkPolicy').find((o) => o.metadata.name === 'allow-egress-to-blackbox-exporter');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'prometheus' } });
    expect(np.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'test', 'app.kubernetes.io/name': 'blackbox-exporter' } } }], ports: [{ protocol: 'TCP', port: 9115 }] }]);
  });

  it('one replica has no PDB', () => {
    expect(one(build({ replicas: 1 }), 'PodDisruptionBudget')).toEqual([]);
  });

  it('refuses no scrapers and a bad replica count', () => {
    expect(() => build({ scrapers: [] })).toThrow('BlackboxExporter: scrapers is empty');
    expect(() => build({ replicas: 0 })).toThrow('BlackboxExporter: replicas must be a whole number >= 1, got 0');
  });
});

describe('HttpsProbe', () => {
  it('asks the prober to GET the public URL with the https module; labelled app: finbot', () => {
    const [p] = one(build({}, {}), 'Probe');
    expect(p.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(p.metadata.name).toBe('finbot-synthetic-api');
    expect(p.metadata.namespace).toBe('monitoring');
    expect(p.metadata.labels.app).toBe('finbot');
    expect(p.spec).toEqual({
      jobName: 'finbot-synthetic',
      interval: '60s',
      scrapeTimeout: '15s',
      module: 'https_2xx',
      prober: { url: 'blackbox-exporter.monitoring.svc:9115', scheme: 'http', path: '/probe' },
      targets: { staticConfig: { static: ['https://api.example.com/health'], labels: { environment: 'test', endpoint: 'api' } } },
    });
  });

  it('refuses an interval shorter than the scrape timeout and a relative path', () => {
    expect(() => build({}, { interval: '10s' })).toThrow('HttpsProbe api: interval "10s" must be a duration of at least 15s');
    expect(() => build({}, { path: 'health' })).toThrow('HttpsProbe api: path "health" must start with "/"');
  });
});
