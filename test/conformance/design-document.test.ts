/**
 * The design document's values, asserted once, against the committed production settings. Every other test
 * reads the settings, so a release or an ordinary setting change keeps them green; changing a value the design
 * document fixes fails here, and only here, with the departure to record.
 *
 * To depart from the design document on purpose: add an entry to DEPARTURES (what, why) and README.md's
 * "Departures from the design document", then change the expected value here.
 */
import { describe, expect, it } from 'vitest';
import { settingsOf } from '../helpers';

/** Deliberate departures from the design document, each with its reason (README.md lists them too). */
export const DEPARTURES: ReadonlyArray<{ readonly what: string; readonly why: string }> = [
  {
    what: 'HPA metrics: ContainerResource on the finbot-api container instead of pod-wide Resource',
    why: 'with the Istio sidecar a Resource target averages the app and istio-proxy; the design document\'s 70 % / 80 % are the app\'s',
  },
  {
    what: 'mesh retries: 5xx/reset only for idempotent methods; POST/PATCH only on connect-failure/refused-stream',
    why: 'the design document\'s async-retry retries any failed call; a replayed POST can move money twice',
  },
];

const record = (what: string) => `changes a value of the design document: record the departure in DEPARTURES (test/conformance/design-document.test.ts) and README.md, or restore ${what}`;

describe('design document: Pod Design (finbot-api)', () => {
  const api = () => settingsOf('production').apps.api;
  it('image finbot/api, resources 256Mi/250m requests, 512Mi/500m limits', () => {
    expect(api().image.repository, record('image.repository')).toBe('finbot/api');
    expect(api().resources, record('resources')).toEqual({ requests: { memory: '256Mi', cpu: '250m' }, limits: { memory: '512Mi', cpu: '500m' } });
  });
  it('probes: /health on 3001 after 30 s every 10 s, /ready on 3001 after 5 s every 5 s', () => {
    expect(api().port, record('port')).toBe(3001);
    expect(api().livenessProbe, record('livenessProbe')).toMatchObject({ path: '/health', initialDelaySeconds: 30, periodSeconds: 10 });
    expect(api().readinessProbe, record('readinessProbe')).toMatchObject({ path: '/ready', initialDelaySeconds: 5, periodSeconds: 5 });
  });
});

describe('design document: Resource Management (finbot-api-hpa)', () => {
  it('3-20 replicas, 70 % CPU, 80 % memory, scale down 10 %/min after 300 s, up 50 %/min after 60 s', () => {
    expect(settingsOf('production').apps.api.autoscaling, record('autoscaling')).toEqual({
      minReplicas: 3, maxReplicas: 20, cpuUtilization: 70, memoryUtilization: 80,
      scaleDown: { stabilizationWindowSeconds: 300, percentPerMinute: 10 },
      scaleUp: { stabilizationWindowSeconds: 60, percentPerMinute: 50 },
    });
  });
});

describe('design document: Error Handling and NGINX timeouts (mesh)', () => {
  const mesh = () => settingsOf('production').mesh;
  it('async-retry: 3 retries, never on 4xx; opossum timeout 3000 ms per call; proxy_read_timeout 10 s', () => {
    expect(mesh().retries.attempts, record('retries.attempts')).toBe(3);
    expect(mesh().retries.retryOn.some((r) => r.includes('4xx')), record('retries.retryOn')).toBe(false);
    expect(mesh().retries.perTryTimeoutSeconds, record('retries.perTryTimeoutSeconds')).toBe(3);
    expect(mesh().requestTimeoutSeconds, record('requestTimeoutSeconds')).toBe(10);
  });
  it('opossum: resetTimeout 30000 ms, errorThresholdPercentage 50 → outlier ejection 30 s, at most 50 %', () => {
    expect(mesh().outlierDetection.baseEjectionSeconds, record('outlierDetection.baseEjectionSeconds')).toBe(30);
    expect(mesh().outlierDetection.maxEjectionPercent, record('outlierDetection.maxEjectionPercent')).toBe(50);
  });
  it('upstream least_conn → LEAST_REQUEST; proxy_connect_timeout 5 s', () => {
    expect(mesh().loadBalancer, record('loadBalancer')).toBe('LEAST_REQUEST');
    expect(mesh().connectionPool.connectTimeoutSeconds, record('connectionPool.connectTimeoutSeconds')).toBe(5);
  });
});

describe('design document: NGINX Load Balancer Configuration (edge)', () => {
  const edge = () => settingsOf('production').edge;
  it('api.finbot.com; rate=1000r/m burst=50; connect 5 s, send 10 s, read 10 s; HSTS max-age=31536000; includeSubDomains', () => {
    expect(edge().hosts.api, record('edge.hosts.api')).toBe('api.finbot.com');
    expect(edge().rateLimit, record('edge.rateLimit')).toEqual({ requestsPerMinute: 1000, burst: 50 });
    expect(edge().timeouts, record('edge.timeouts')).toEqual({ connectSeconds: 5, sendSeconds: 10, readSeconds: 10 });
    expect(edge().hsts, record('edge.hsts')).toMatchObject({ maxAgeSeconds: 31536000, includeSubDomains: true });
  });
});

describe('design document: Database Configuration (finbot-postgres-primary, finbot-redis-cluster)', () => {
  const data = () => settingsOf('production').data;
  it('Postgres: 3 instances, unsupervised updates, the nine parameters, 100Gi on fast-ssd, 30 d retention in s3://finbot-backups/postgres', () => {
    const pg = data().postgres;
    expect(pg.instances, record('postgres.instances')).toBe(3);
    expect(pg.primaryUpdateStrategy, record('postgres.primaryUpdateStrategy')).toBe('unsupervised');
    expect(pg.parameters, record('postgres.parameters')).toEqual({
      max_connections: '200', shared_buffers: '256MB', effective_cache_size: '1GB', maintenance_work_mem: '64MB',
      checkpoint_completion_target: '0.9', wal_buffers: '16MB', default_statistics_target: '100', random_page_cost: '1.1',
      effective_io_concurrency: '200',
    });
    expect(pg.storageSize, record('postgres.storageSize')).toBe('100Gi');
    expect(data().storageClass, record('storageClass')).toBe('fast-ssd');
    expect(pg.backup.retentionPolicy, record('postgres.backup.retentionPolicy')).toBe('30d');
    expect(pg.backup.destinationPath, record('postgres.backup.destinationPath')).toBe('s3://finbot-backups/postgres');
  });
  it('Redis: 6 pods (v1beta2 clusterSize 3 leaders, one follower each), Redis 7, 10Gi', () => {
    expect(data().redis.clusterSize, record('redis.clusterSize')).toBe(3);
    expect(data().redis.clusterVersion, record('redis.clusterVersion')).toBe('v7');
    expect(data().redis.storageSize, record('redis.storageSize')).toBe('10Gi');
  });
  it('Disaster Recovery: RPO 1 hour', () => {
    expect(data().postgres.backup.rpoMinutes, record('postgres.backup.rpoMinutes')).toBe(60);
  });
});

describe('design document: Monitoring (finbot-prometheus)', () => {
  it('2 replicas, 30 d retention, 50Gi on fast-ssd', () => {
    const p = settingsOf('production').observability.prometheus;
    expect(p.replicas, record('prometheus.replicas')).toBe(2);
    expect(p.retention, record('prometheus.retention')).toBe('30d');
    expect(p.storage, record('prometheus.storage')).toEqual({ size: '50Gi', storageClassName: 'fast-ssd' });
  });
});

describe('departures', () => {
  it('each has a reason', () => {
    for (const d of DEPARTURES) expect(d.why.length, d.what).toBeGreaterThan(20);
  });
});
