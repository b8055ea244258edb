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

describe('departures', () => {
  it('each has a reason', () => {
    for (const d of DEPARTURES) expect(d.why.length, d.what).toBeGreaterThan(20);
  });
});
