import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, readRawSections, SettingsError } from '../../config/load';
import { observabilitySchema } from '../../config/sections/observability';
import { secretsSchema } from '../../config/sections/secrets';
import { copyEnvironments } from '../helpers';

/** The first issue of a section after `change` mutates a fresh copy of production's raw settings. */
function issue(section: 'secrets' | 'observability', change: (raw: any) => void): { path: string; message: string } {
  const raw = structuredClone(readRawSections('production')[section]) as any;
  change(raw);
  const schema = section === 'secrets' ? secretsSchema : observabilitySchema;
  const r = schema.safeParse(raw);
  if (r.success) throw new Error('expected the change to be rejected');
  const i = r.error.issues[0];
  return { path: i.path.join('.'), message: i.message };
}

describe('secrets.yaml', () => {
  it('loads both environments', () => {
    expect(loadSettings('production').secrets.refreshInterval).toBe('15s');
    expect(loadSettings('staging').secrets.vault.apiAddr).toBe('https://vault.staging.finbot.com:8200');
  });
  it('Vault over plain http is refused', () => {
    expect(issue('secrets', (r) => { r.vault.apiAddr = 'http://vault.finbot.com:8200'; })).toEqual({ path: 'vault.apiAddr', message: expect.stringContaining('must be an https URL') });
    expect(issue('secrets', (r) => { r.vault.apiAddr = 'vault.finbot.com'; }).path).toBe('vault.apiAddr');
  });
  it('refresh interval: a duration, not 0', () => {
    expect(issue('secrets', (r) => { r.refreshInterval = '15'; }).message).toContain('must be a duration such as 90s, 10m or 1h30m');
    expect(issue('secrets', (r) => { r.refreshInterval = '0s'; }).message).toContain('0 disables refreshing');
  });
  it('Vault key paths, KV version, KMS key, chart version, raft voters, region, mount paths', () => {
    expect(issue('secrets', (r) => { r.keys.redis = '/secret/finbot/redis'; }).message).toContain('must be a Vault key path such as finbot/database');
    expect(issue('secrets', (r) => { r.secretStore.kvVersion = 'v3'; }).message).toBe('must be v1 or v2 (the KV secrets engine version)');
    expect(issue('secrets', (r) => { r.vault.awskms.kmsKeyId = 'vault-unseal-key'; }).message).toContain('must be a KMS key alias');
    expect(issue('secrets', (r) => { r.vault.helm.chartVersion = 'latest'; }).message).toContain('vault-helm chart version');
    expect(issue('secrets', (r) => { r.vault.replicas = 2; }).message).toContain('odd number');
    expect(issue('secrets', (r) => { r.vault.awskms.region = 'oregon'; }).message).toBe('must be an AWS region such as us-west-2');
    expect(issue('secrets', (r) => { r.secretStore.path = 'secret/data'; }).message).toContain('without slashes');
    expect(issue('secrets', (r) => { r.secretStore.kubernetesAuthMount = 'Kube Auth'; }).message).toBe('must be a mount path such as kubernetes');
    expect(issue('secrets', (r) => { r.roles.app = 'Finbot_Role'; }).message).toContain('DNS-1123');
  });
  it('one Vault role per consumer and one key per secret (least privilege)', () => {
    expect(issue('secrets', (r) => { r.roles.cache = r.roles.app; })).toEqual({ path: expect.stringMatching(/^roles\./), message: expect.stringContaining('each consumer needs a Vault role of its own') });
    expect(issue('secrets', (r) => { r.keys.backup.redis = r.keys.backup.postgres; }).message).toContain('each secret needs its own key');
  });
  it('a token audience is required (ESO asks for it; the Vault roles are bound to it)', () => {
    expect(issue('secrets', (r) => { delete r.secretStore.audience; }).path).toBe('secretStore.audience');
  });
});

describe('observability.yaml', () => {
  it('loads both environments', () => {
    expect(loadSettings('production').observability.prometheus.replicas).toBe(2);
    expect(loadSettings('staging').observability.tracing.elasticsearch.nodeCount).toBe(1);
    expect(loadSettings('production').observability.tracing.legacyJaegerOperator).toBe(false);
  });
  it('quantities, limits below requests, versions', () => {
    expect(issue('observability', (r) => { r.prometheus.storage.size = '50GB'; }).message).toContain('use Mi/Gi');
    expect(issue('observability', (r) => { r.prometheus.resources.limits.cpu = '100m'; })).toEqual({ path: 'prometheus.resources.limits.cpu', message: 'limit 100m is below the request 500m: raise the limit or lower the request' });
    expect(issue('observability', (r) => { r.grafana.resources.requests.cpu = 'lots'; }).message).toBe('must be a CPU quantity such as 250m, 0.5 or 2');
    expect(issue('observability', (r) => { r.prometheus.version = 'latest'; }).message).toContain('must be a pinned version');
    expect(issue('observability', (r) => { r.prometheus.retention = '30 days'; }).message).toContain('must be a Prometheus duration with units in the order y, w, d, h, m, s, ms');
  });
  it('alert routing: receivers, severity routes, heartbeat and credentials checked at load', () => {
    expect(issue('observability', (r) => { r.alertmanager.routes.critical = ['nobody']; })).toEqual({ path: 'alertmanager.routes.critical.0', message: expect.stringContaining('unknown receiver "nobody"') });
    expect(issue('observability', (r) => { r.alertmanager.defaultReceiver = 'x'; }).path).toBe('alertmanager.defaultReceiver');
    expect(issue('observability', (r) => { r.alertmanager.heartbeat.receiver = r.alertmanager.routes.warning[0]; })).toEqual({ path: 'alertmanager.heartbeat.receiver', message: expect.stringContaining('must get only the Watchdog') });
    expect(issue('observability', (r) => { r.alertmanager.receivers.push({ ...r.alertmanager.receivers[0] }); }).message).toContain('duplicate receiver name');
    expect(issue('observability', (r) => { r.alertmanager.receivers[0].type = 'email'; }).path).toBe('alertmanager.receivers.0.type');
    expect(issue('observability', (r) => { r.alertmanager.receivers.find((x: any) => x.type === 'webhook').url = 'http://heartbeat'; }).message).toBe('must be an https URL');
    expect(issue('observability', (r) => { r.alertmanager.credentials.vaultKey = '/secret/x'; }).path).toBe('alertmanager.credentials.vaultKey');
    expect(issue('observability', (r) => { r.alertmanager.routes.info = []; }).path).toBe('alertmanager.routes.info');
  });
  it('trace retention days and the Vault key of the Elasticsearch users', () => {
    expect(issue('observability', (r) => { r.tracing.retentionDays = 0; }).path).toBe('tracing.retentionDays');
    expect(issue('observability', (r) => { delete r.tracing.retentionDays; }).path).toBe('tracing.retentionDays');
    expect(issue('observability', (r) => { r.tracing.elasticsearch.usersVaultKey = 'secret/data/Jaeger ES'; })).toEqual({ path: 'tracing.elasticsearch.usersVaultKey', message: 'must be a Vault key path such as finbot/jaeger-elasticsearch' });
  });
  it('Jaeger v1 is refused (end of life)', () => {
    expect(issue('observability', (r) => { r.tracing.jaegerVersion = '1.65.0'; }).message).toContain('Jaeger v1 reached end of life on 2025-12-31');
  });
  it('runbook base URL, operator namespaces, storage class', () => {
    expect(issue('observability', (r) => { r.alerts.runbookBaseUrl = 'https://github.com/finbot/finbot-deploy/blob/main/docs/runbooks/'; }).message).toContain('without a trailing "/"');
    expect(issue('observability', (r) => { r.alerts.runbookBaseUrl = 'docs/runbooks'; }).path).toBe('alerts.runbookBaseUrl');
    expect(issue('observability', (r) => { r.operatorNamespaces.elastic = 'Elastic System'; })).toEqual({ path: 'operatorNamespaces.elastic', message: expect.stringContaining('DNS-1123') });
    expect(issue('observability', (r) => { r.tracing.elasticsearch.storage.storageClassName = 'fast_ssd'; }).path).toBe('tracing.elasticsearch.storage.storageClassName');
  });
  it('kube-state-metrics: a pinned 2.x tag, resources checked; cert-manager namespace a DNS label', () => {
    expect(loadSettings('staging').observability.kubeStateMetrics.version).toBe('v2.17.0');
    expect(issue('observability', (r) => { r.kubeStateMetrics.version = 'v1.9.8'; })).toEqual({ path: 'kubeStateMetrics.version', message: 'must be a kube-state-metrics 2.x release tag such as v2.17.0' });
    expect(issue('observability', (r) => { r.kubeStateMetrics.version = 'latest'; }).message).toContain('must be a pinned version');
    expect(issue('observability', (r) => { r.kubeStateMetrics.resources.limits.memory = '64Mi'; })).toEqual({ path: 'kubeStateMetrics.resources.limits.memory', message: 'limit 64Mi is below the request 128Mi: raise the limit or lower the request' });
    expect(issue('observability', (r) => { delete r.kubeStateMetrics; }).path).toBe('kubeStateMetrics');
    expect(issue('observability', (r) => { r.operatorNamespaces.certManager = 'Cert Manager'; })).toEqual({ path: 'operatorNamespaces.certManager', message: expect.stringContaining('DNS-1123') });
  });
  it('error rate is a ratio', () => {
    expect(issue('observability', (r) => { r.alerts.errorRateRatio = 5; }).message).toBe('must be a ratio between 0 and 1 such as 0.05 (5 %)');
    expect(issue('observability', (r) => { r.alerts.errorRateRatio = 0; }).message).toBe('must be a ratio between 0 and 1 such as 0.05 (5 %)');
  });
});

describe('section files through the loader', () => {
  let dir: string;
  beforeEach(() => { dir = copyEnvironments(); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the field', () => {
    const file = join(dir, 'staging', 'secrets.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('refreshInterval: 15s', 'refreshInterval: soon'));
    try {
      loadSettings('staging', dir);
      throw new Error('expected a SettingsError');
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError);
      expect((e as SettingsError).file).toMatch(/staging[/\\]secrets\.yaml$/);
      expect((e as SettingsError).field).toBe('refreshInterval');
    }
  });

  it('a missing observability.yaml is reported', () => {
    rmSync(join(dir, 'production', 'observability.yaml'));
    expect(() => loadSettings('production', dir)).toThrow('file is missing');
  });
});
