/** NetworkPolicy semantics of the evaluator, one behaviour per test. */
import { describe, expect, it } from 'vitest';
import { evaluate, policiesOf, type Endpoint } from '../../model/network-policy';
import type { KubeObject } from '../../validation/types';

const ns = (name: string, labels: Record<string, string> = {}) => ({ 'kubernetes.io/metadata.name': name, ...labels });
const web: Endpoint = { namespace: 'app', namespaceLabels: ns('app'), podLabels: { app: 'web' } };
const api: Endpoint = { namespace: 'app', namespaceLabels: ns('app'), podLabels: { app: 'api' }, ports: [{ name: 'http', port: 3001, protocol: 'TCP' }] };
const ingress: Endpoint = { namespace: 'ingress', namespaceLabels: ns('ingress', { name: 'ingress-nginx' }), podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
const tcp = (port: number) => ({ port, protocol: 'TCP' });

function np(name: string, namespace: string, spec: object): { object: KubeObject; file: string } {
  return { object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec } as KubeObject, file: 'x' };
}

const denyAll = np('deny', 'app', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

describe('network policy evaluator', () => {
  it('allows everything when no policy selects either pod', () => {
    expect(evaluate(policiesOf([]), web, api, tcp(3001)).allowed).toBe(true);
  });

  it('denies when both sides are isolated and nothing allows it, naming the isolating policies', () => {
    const v = evaluate(policiesOf([denyAll]), web, api, tcp(3001));
    expect(v.allowed).toBe(false);
    expect(v.egress.isolatedBy).toEqual(['deny']);
    expect(v.ingress.isolatedBy).toEqual(['deny']);
  });

  it('needs both the egress of the source and the ingress of the destination', () => {
    const egress = np('web-out', 'app', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 3001 }] }] });
    const ingressRule = np('api-in', 'app', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(evaluate(policiesOf([denyAll, egress]), web, api, tcp(3001)).allowed).toBe(false);
    expect(evaluate(policiesOf([denyAll, ingressRule]), web, api, tcp(3001)).allowed).toBe(false);
    const both = evaluate(policiesOf([denyAll, egress, ingressRule]), web, api, tcp(3001));
    expect(both.allowed).toBe(true);
    expect(both.ingress.allowedBy).toBe('api-in');
  });

  it('asked again with the same policies, pods whose labels are one object are still judged by their own namespace and direction', () => {
    // The evaluator remembers, per list of policies, which ones isolate a pod's labels: the namespace and the
    // direction are part of what it remembers by.
    const labels = { app: 'web' };
    const inApp: Endpoint = { namespace: 'app', namespaceLabels: ns('app'), podLabels: labels };
    const inOther: Endpoint = { namespace: 'other', namespaceLabels: ns('other'), podLabels: labels };
    const ingressOnly = np('in', 'app', { podSelector: {}, policyTypes: ['Ingress'] });
    const policies = policiesOf([ingressOnly]);
    expect(evaluate(policies, inOther, inApp, tcp(80)).ingress.isolatedBy).toEqual(['in']);
    expect(evaluate(policies, inApp, inOther, tcp(80)).ingress.isolatedBy).toEqual([]);
    expect(evaluate(policies, inApp, inOther, tcp(80)).egress.isolatedBy).toEqual([]);
    expect(evaluate(policies, inOther, inApp, tcp(80)).allowed).toBe(false);
    expect(evaluate(policies, inApp, inOther, tcp(80)).allowed).toBe(true);
  });

  it('a podSelector-only peer means the policy namespace only', () => {
    const p = np('api-in', 'app', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(evaluate(policiesOf([p]), web, api, tcp(3001)).allowed).toBe(true);
    expect(evaluate(policiesOf([p]), ingress, api, tcp(3001)).allowed).toBe(false);
  });

  it('namespaceSelector and podSelector in one peer are ANDed; in two peers ORed', () => {
    const and = np('and', 'app', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx' } }, podSelector: { matchLabels: { app: 'other' } } }] }] });
    const or = np('or', 'app', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx' } } }, { podSelector: { matchLabels: { app: 'other' } } }] }] });
    expect(evaluate(policiesOf([and]), ingress, api, tcp(3001)).allowed).toBe(false);
    expect(evaluate(policiesOf([or]), ingress, api, tcp(3001)).allowed).toBe(true);
  });

  it('matches ports by number, by container port name, by range, and by protocol', () => {
    const mk = (ports: object[]) => policiesOf([np('p', 'app', { podSelector: {}, ingress: [{ ports }] })]);
    expect(evaluate(mk([{ port: 3001 }]), web, api, tcp(3001)).allowed).toBe(true);
    expect(evaluate(mk([{ port: 3002 }]), web, api, tcp(3001)).allowed).toBe(false);
    expect(evaluate(mk([{ port: 'http' }]), web, api, tcp(3001)).allowed).toBe(true);
    expect(evaluate(mk([{ port: 'metrics' }]), web, api, tcp(3001)).allowed).toBe(false);
    expect(evaluate(mk([{ port: 3000, endPort: 3005 }]), web, api, tcp(3001)).allowed).toBe(true);
    expect(evaluate(mk([{ port: 3001, protocol: 'UDP' }]), web, api, tcp(3001)).allowed).toBe(false);
  });

  it('policyTypes defaults to Ingress, plus Egress when egress rules exist', () => {
    const ingressOnly = np('i', 'app', { podSelector: {}, ingress: [] });
    expect(evaluate(policiesOf([ingressOnly]), web, api, tcp(3001)).egress.isolatedBy).toEqual([]);
    const withEgress = np('e', 'app', { podSelector: {}, egress: [{ to: [{ podSelector: { matchLabels: { app: 'nothing' } } }] }] });
    expect(evaluate(policiesOf([withEgress]), web, api, tcp(3001)).egress.allowed).toBe(false);
  });

  it('ipBlock peers never match pods (documented approximation)', () => {
    const p = np('ip', 'app', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    expect(evaluate(policiesOf([p]), web, api, tcp(3001)).allowed).toBe(false);
  });

  it('matchExpressions selectors', () => {
    const p = np('x', 'app', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } }] }] });
    expect(evaluate(policiesOf([p]), web, api, tcp(3001)).allowed).toBe(false);
    expect(evaluate(policiesOf([p]), { ...web, podLabels: { app: 'worker' } }, api, tcp(3001)).allowed).toBe(true);
  });
});
