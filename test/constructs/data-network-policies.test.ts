import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PostgresNetworkPolicies, RedisNetworkPolicies } from '../../constructs/data-network-policies';
import { PostgresCluster } from '../../constructs/postgres-cluster';
import { RedisCluster } from '../../constructs/redis-cluster';
import { chart, pgProps, redisProps } from './data-fixtures';

const clients = [{ namespaceLabels: { name: 'app' }, podLabels: { 'app.kubernetes.io/name': 'api' } }];
const common = { clients, prometheus: { namespaceLabels: { name: 'mon' }, podLabels: { p: 'q' } } };
const policies = (c: ReturnType<typeof chart>) => Testing.synth(c).filter((o: any) => o.kind === 'NetworkPolicy');
const byName = (c: ReturnType<typeof chart>, name: string) => policies(c).find((p: any) => p.metadata.name === name)?.spec;

describe('PostgresNetworkPolicies', () => {
  it('default deny, DNS, and the cluster\'s own rules in its namespace', () => {
    const c = chart();
    new PostgresNetworkPolicies(c, 'p', { ...common, cluster: new PostgresCluster(c, 'pg', pgProps), operatorNamespace: 'cnpg-system' });
    expect(policies(c).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual([
      'db/allow-dns-egress', 'db/allow-postgres-from-app', 'db/allow-postgres-from-cnpg-operator', 'db/allow-postgres-replication',
      'db/allow-postgres-to-kube-api-and-s3', 'db/allow-prometheus-scrape-postgres', 'db/default-deny-all',
    ]);
    expect(byName(c, 'allow-postgres-from-app').podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'pg' } });
    // Only the named client pods, never the whole app namespace (finbot-web must not reach Postgres).
    expect(byName(c, 'allow-postgres-from-app').ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { name: 'app' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }]);
    expect(byName(c, 'allow-prometheus-scrape-postgres').ingress[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { name: 'mon' } }, podSelector: { matchLabels: { p: 'q' } } }],
      ports: [{ protocol: 'TCP', port: 9187 }],
    });
    // 443 appears once although both the API and S3 use it.
    expect(byName(c, 'allow-postgres-to-kube-api-and-s3').egress).toEqual([{ to: [], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }]);
  });

  it('namePrefix prefixes every policy (a second cluster\'s set)', () => {
    const c = chart();
    new PostgresNetworkPolicies(c, 'p', { ...common, cluster: new PostgresCluster(c, 'pg', pgProps), operatorNamespace: 'cnpg-system', namePrefix: 'dr-' });
    expect(policies(c).every((p: any) => p.metadata.name.startsWith('dr-'))).toBe(true);
    expect(byName(c, 'dr-default-deny-all')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });
});

describe('RedisNetworkPolicies', () => {
  it('clients on 6379, operator on 6379, members on 6379 and 16379, Prometheus on 9121', () => {
    const c = chart();
    new RedisNetworkPolicies(c, 'r', { ...common, cluster: new RedisCluster(c, 'rc', redisProps), operatorNamespace: 'redis-operator' });
    expect(policies(c).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual([
      'cache/allow-dns-egress', 'cache/allow-prometheus-scrape-redis', 'cache/allow-redis-cluster-bus', 'cache/allow-redis-from-app',
      'cache/allow-redis-from-operator', 'cache/default-deny-all',
    ]);
    expect(byName(c, 'allow-redis-from-operator').ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'redis-operator' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
    expect(byName(c, 'allow-redis-cluster-bus').egress[0].ports).toEqual([{ protocol: 'TCP', port: 6379 }, { protocol: 'TCP', port: 16379 }]);
    expect(byName(c, 'allow-prometheus-scrape-redis').ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9121 }]);
    expect(byName(c, 'allow-redis-from-app').ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { name: 'app' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }]);
  });

  it('the snapshot job: Redis admits it on 6379; it may reach Redis on 6379 and S3 on 443, nothing else', () => {
    const c = chart();
    new RedisNetworkPolicies(c, 'r', { ...common, cluster: new RedisCluster(c, 'rc', redisProps), operatorNamespace: 'redis-operator', backupPods: { job: 'backup' } });
    expect(byName(c, 'allow-redis-from-backup').ingress).toEqual([{ from: [{ podSelector: { matchLabels: { job: 'backup' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
    expect(byName(c, 'allow-redis-backup-egress')).toEqual({
      podSelector: { matchLabels: { job: 'backup' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { redis_setup_type: 'cluster' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
        { to: [], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    });
  });

  it('refuses a client peer that names a whole namespace', () => {
    const c = chart();
    expect(() => new RedisNetworkPolicies(c, 'r', { ...common, clients: [{ namespaceLabels: { name: 'app' } }], cluster: new RedisCluster(c, 'rc', redisProps), operatorNamespace: 'redis-operator' }))
      .toThrow('selects every pod of a namespace');
  });
});
