/** ECK and Jaeger facts the constructs and tools read (model/operators/eck.ts, jaeger.ts). */
import { describe, expect, it } from 'vitest';
import { esCreatedSecrets, esDataClaimPattern, esNames, esPodLabels } from '../../../model/operators/eck';
import { jaegerIndexPattern, jaegerToolsVersion } from '../../../model/operators/jaeger';
import { buildClusterModel } from '../../../model/cluster-model';

describe('ECK (7b93383d8ec1)', () => {
  it('names: <c>-es-http, <c>-es-elastic-user, <c>-es-http-certs-public, StatefulSet <c>-es-<nodeSet>', () => {
    const n = esNames('t');
    expect(n.httpService).toBe('t-es-http');
    expect(n.elasticUserSecret).toEqual({ name: 't-es-elastic-user', key: 'elastic' });
    expect(n.httpCaSecret).toEqual({ name: 't-es-http-certs-public', key: 'ca.crt' });
    expect(n.statefulSet('default')).toBe('t-es-default');
    expect(new RegExp(`^${esDataClaimPattern('t')}$`).test('elasticsearch-data-t-es-default-2')).toBe(true);
  });
  it('the cluster model derives pods, Services and Secrets from the same facts', () => {
    const m = buildClusterModel([{ object: { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 't', namespace: 'n' }, spec: {} }, file: 'x' }]);
    expect(m.pods.find((p) => p.description.includes('Elasticsearch'))?.labels).toEqual(esPodLabels('t'));
    expect(m.service('n', 't-es-http')).toBeDefined();
    for (const s of esCreatedSecrets('t')) expect(m.secrets.has(`n/${s}`)).toBe(true);
  });
});

describe('Jaeger (v2.10.0)', () => {
  it('tools carry the v1 number of the release (v2.8.0=v1.71.0 ... v2.11.0=v1.74.0 share commits)', () => {
    expect(jaegerToolsVersion('2.10.0')).toBe('1.73.0');
    expect(jaegerToolsVersion('v2.8.0')).toBe('1.71.0');
    expect(jaegerToolsVersion('2.11.0')).toBe('1.74.0');
    expect(() => jaegerToolsVersion('1.65.0')).toThrow('not a Jaeger v2 release');
  });
  it('index names join the prefix with "-" (IndexPrefix.Apply)', () => {
    expect(jaegerIndexPattern('jaeger')).toBe('jaeger-jaeger-*');
    expect(jaegerIndexPattern('x-')).toBe('x-jaeger-*');
    expect(jaegerIndexPattern('')).toBe('jaeger-*');
  });
});
