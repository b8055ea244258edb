/** Exemptions (settings and annotation), the API-token allow-list, and the small helpers of the rules. */
import { describe, expect, it } from 'vitest';
import { EXEMPT_ANNOTATION } from '../../validation/exemptions';
import { credentialReason, imageTagProblem, NEEDS_API_TOKEN_ANNOTATION } from '../../validation/rules/workload-policy';
import { formatSelector, matchesSelector } from '../../model/selectors';
import { apiPod, fullProduction, get, LIVE_API, PRODUCTION_OPTIONS, violationsOf } from './fixtures';

describe('exemptions', () => {
  it('settings exemptions switch a rule off for one object only (rule id or family prefix)', async () => {
    const o = fullProduction();
    delete apiPod(o).containers[0].readinessProbe;
    delete get(o, 'Deployment', 'finbot-web').spec.template.spec.containers[0].readinessProbe;
    expect(await violationsOf('policy/probes', o)).toHaveLength(2);
    const byId = await violationsOf('policy/probes', o, { exemptions: [{ rule: 'policy/probes', object: `Deployment production/${LIVE_API}`, reason: 'drains a queue, no HTTP' }] });
    expect(byId.map((v) => v.object)).toEqual(['Deployment production/finbot-web']);
    const byFamily = await violationsOf('policy/probes', o, { exemptions: [{ rule: 'policy/', object: 'Deployment production/finbot-web', reason: 'test' }] });
    expect(byFamily.map((v) => v.object)).toEqual([`Deployment production/${LIVE_API}`]);
  });

  it(`the ${EXEMPT_ANNOTATION} annotation on the pod template exempts the workload ("ids: reason")`, async () => {
    const o = fullProduction();
    const d = get(o, 'Deployment', 'finbot-api');
    d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    d.spec.template.metadata.annotations = { [EXEMPT_ANNOTATION]: 'policy/read-only-root-fs: writes its cache to /' };
    expect(await violationsOf('policy/read-only-root-fs', o)).toEqual([]);
    d.spec.template.metadata.annotations = { [EXEMPT_ANNOTATION]: 'policy/read-only-root-fs' };
    expect(await violationsOf('policy/read-only-root-fs', o), 'an annotation without a reason exempts nothing').toHaveLength(1);
  });

  it(`${NEEDS_API_TOKEN_ANNOTATION} on the ServiceAccount or pod template allows a mounted token`, async () => {
    const o = fullProduction();
    apiPod(o).automountServiceAccountToken = true;
    expect(await violationsOf('policy/sa-token', o)).toHaveLength(1);
    get(o, 'ServiceAccount', 'finbot-api').metadata.annotations = { [NEEDS_API_TOKEN_ANNOTATION]: 'reads ConfigMaps' };
    expect(await violationsOf('policy/sa-token', o)).toEqual([]);
  });

  it('settings externalSecrets satisfy xref/secret-ref', async () => {
    const o = fullProduction();
    apiPod(o).containers[0].env.push({ name: 'X', valueFrom: { secretKeyRef: { name: 'legacy', key: 'x' } } });
    expect(await violationsOf('xref/secret-ref', o)).toHaveLength(1);
    expect(await violationsOf('xref/secret-ref', o, { externalSecrets: ['production/legacy'] })).toEqual([]);
  });

  it('settings edgeNamespaces allow a LoadBalancer there', async () => {
    const o = fullProduction();
    get(o, 'Service', 'finbot-web').spec.type = 'LoadBalancer';
    expect(await violationsOf('policy/service-type', o, { edgeNamespaces: ['production'] })).toEqual([]);
  });

  it('settings externalNamespaces exist for xref/namespace', async () => {
    const o = fullProduction();
    // The gitops and argocd-admin charts put the Argo CD objects into argocd, which the output does not create.
    const withoutArgocd = (PRODUCTION_OPTIONS.externalNamespaces ?? []).filter((n) => n !== 'argocd');
    const found = await violationsOf('xref/namespace', o, { externalNamespaces: withoutArgocd });
    const inArgocd = o.filter((s) => s.object.metadata.namespace === 'argocd').map((s) => `${s.object.kind} argocd/${s.object.metadata.name}`);
    expect(inArgocd.length).toBeGreaterThan(0);
    expect(found.map((v) => v.object).sort()).toEqual(inArgocd.sort());
    expect(await violationsOf('xref/namespace', o, { externalNamespaces: [...withoutArgocd, 'argocd'] })).toEqual([]);
  });

  it('a Job needs no probes (PostSync hooks)', async () => {
    const o = fullProduction();
    const d = get(o, 'Deployment', 'finbot-worker');
    d.kind = 'Job';
    delete d.spec.template.spec.containers[0].livenessProbe;
    delete d.spec.template.spec.containers[0].readinessProbe;
    expect(await violationsOf('policy/probes', o)).toEqual([]);
  });
});

describe('helpers', () => {
  it('imageTagProblem', () => {
    expect(imageTagProblem('docker.io/finbot/api:v4.0.0')).toBeUndefined();
    expect(imageTagProblem(`docker.io/finbot/api@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(imageTagProblem('finbot/api')).toContain('no tag');
    expect(imageTagProblem('registry:5000/finbot/api')).toContain('no tag');
    expect(imageTagProblem('finbot/api:LATEST')).toContain('latest');
  });

  it('credentialReason', () => {
    expect(credentialReason('NODE_ENV', 'production')).toBeUndefined();
    expect(credentialReason('API_URL', 'http://finbot-api.production.svc.cluster.local:3001')).toBeUndefined();
    expect(credentialReason('DB_PASSWORD', 'x')).toContain('DB_PASSWORD');
    expect(credentialReason('DB_PASSWORD', '$(FROM_SECRET)')).toBeUndefined();
    expect(credentialReason('CONFIG', 'AKIAABCDEFGHIJKLMNOP')).toContain('AWS');
    for (const [name, value] of [['JWT_SECRET_FILE', '/var/run/secrets/jwt'], ['TOKEN_TTL', '3600'], ['DB_PASSWORD', '${DB_PASSWORD}'], ['API_KEY_HEADER', 'X-Api-Key'], ['SECRET_NAME', 'finbot-secrets']]) {
      expect(credentialReason(name, value), name).toBeUndefined();
    }
  });

  it('selectors', () => {
    expect(matchesSelector({}, { a: 'b' })).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {})).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {})).toBe(true);
    expect(formatSelector({ matchLabels: { a: 'b' } })).toBe('a=b');
  });
});
