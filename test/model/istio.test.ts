/**
 * Istio's behaviour as the model states it (model/operators/istio.ts), case by case as Istio's own webhook
 * and retry conversion decide (pkg/kube/inject/webhook.go injectRequired and its tests; pilot's retry.go
 * ConvertPolicy and retry_test.go).
 */
import { describe, expect, it } from 'vitest';
import { effectiveRetryOn, sidecarInjected } from '../../model/operators/istio';

describe('sidecar injection', () => {
  it.each([
    ['namespace enabled, pod silent', { 'istio-injection': 'enabled' }, {}, {}, true],
    ['namespace enabled, pod label false', { 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'false' }, {}, false],
    ['namespace enabled, pod annotation false', { 'istio-injection': 'enabled' }, {}, { 'sidecar.istio.io/inject': 'false' }, false],
    ['label wins over annotation', { 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'true' }, { 'sidecar.istio.io/inject': 'false' }, true],
    ['namespace unlabelled, pod label true', {}, { 'sidecar.istio.io/inject': 'true' }, {}, true],
    ['namespace unlabelled, pod annotation true only (webhook not called)', {}, {}, { 'sidecar.istio.io/inject': 'true' }, false],
    ['namespace disabled, pod label true', { 'istio-injection': 'disabled' }, { 'sidecar.istio.io/inject': 'true' }, {}, false],
    ['revision label', { 'istio.io/rev': 'stable' }, {}, {}, true],
    ['nothing', {}, {}, {}, false],
  ])('%s', (_name, ns, labels, annotations, injected) => {
    expect(sidecarInjected(ns, labels, annotations)).toBe(injected);
  });
});

describe('retry policy of a route', () => {
  it('no retries block: Istio default, which retries a 503', () => {
    expect(effectiveRetryOn(undefined)).toContain('503');
  });
  it('attempts 0 disables retries', () => {
    expect(effectiveRetryOn({ attempts: 0, retryOn: '5xx' })).toEqual([]);
  });
  it('explicit retryOn replaces the default conditions', () => {
    expect(effectiveRetryOn({ attempts: 3, retryOn: 'connect-failure,refused-stream' })).toEqual(['connect-failure', 'refused-stream']);
  });
  it('attempts without retryOn keep the default conditions', () => {
    expect(effectiveRetryOn({ attempts: 2 })).toContain('retriable-status-codes');
  });
});
