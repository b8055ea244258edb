import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { schemaProblems } from '../../validation/schema';
import { chartObjects, find, objectsOf, ofKind, settingsOf, synthObjects as synthObjectsOf, type KubeObject } from '../helpers';

const prodData = chartObjects('production', 'data');
const stagingData = chartObjects('staging', 'data');
const prodApps = chartObjects('production', 'apps');

const policy = (objs: readonly KubeObject[], name: string, ns: string) => find(objs, 'NetworkPolicy', name, ns);

/** app.kubernetes.io/name of the app Deployments whose containers get an env var (from the rendered apps). */
function credentialHolders(apps: readonly KubeObject[], envName: string): string[] {
  const names = ofKind(apps, 'Deployment')
    .filter((d) => d.spec.template.spec.containers.some((c: any) => (c.env ?? []).some((e: any) => e.name === envName)))
    .map((d) => d.spec.template.metadata.labels['app.kubernetes.io/name'] as string);
  return [...new Set(names)].sort();
}
const appPeer = (name: string) => ({
  namespaceSelector: { matchLabels: { name: settingsOf('production').platform.namespaces.app, 'finbot.io/environment': 'production' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
});
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));

// Values come from the settings (data.yaml): the design document's are asserted once, in
// test/conformance/design-document.test.ts, so a setting change fails only there when it departs from the design.
describe('data chart: Postgres from data.yaml (production)', () => {
  const cluster = find(prodData, 'Cluster', 'finbot-postgres-primary', 'database');
  const pg = () => settingsOf('production').data.postgres;

  it('is a postgresql.cnpg.io/v1 Cluster in the database namespace', () => {
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.metadata.namespace).toBe('database');
  });

  it('instances and primary update strategy from the settings', () => {
    expect(cluster.spec.instances).toBe(pg().instances);
    expect(cluster.spec.primaryUpdateStrategy).toBe(pg().primaryUpdateStrategy);
  });

  it('every postgresql parameter of the settings, plus archive_timeout for the RPO', () => {
    expect(cluster.spec.postgresql.parameters).toEqual({ ...pg().parameters, archive_timeout: `${pg().backup.archiveTimeoutMinutes}min` });
  });

  it('storage on the settings\' class, resources set, pinned image', () => {
    expect(cluster.spec.storage).toEqual({ size: pg().storageSize, storageClass: settingsOf('production').data.storageClass });
    expect(cluster.spec.resources).toEqual(pg().resources);
    expect(cluster.spec.imageName).toBe(`${pg().image.registry}/${pg().image.repository}:${pg().image.tag}`);
  });

  it('anti-affinity: never two instances on a node, spread over zones', () => {
    expect(cluster.spec.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' });
    expect(cluster.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 });
  });

  it('monitoring: a PodMonitor on the metrics port, selected by the design Prometheus (app: finbot)', () => {
    const pm = find(prodData, 'PodMonitor', 'finbot-postgres-primary', 'database');
    expect(pm.metadata.labels.app).toBe('finbot');
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'metrics' }]);
    expect(pm.spec.selector.matchLabels['cnpg.io/cluster']).toBe('finbot-postgres-primary');
  });
});

describe('data chart: backups and RPO (production)', () => {
  it('WAL archiving through the Barman Cloud plugin, not the deprecated in-tree barmanObjectStore', () => {
    const cluster = find(prodData, 'Cluster', 'finbot-postgres-primary', 'database');
    expect(cluster.spec.backup).toBeUndefined();
    expect(cluster.spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'finbot-postgres-primary-backup' } }]);
  });

  it('the ObjectStore: s3://finbot-backups/postgres, backup-creds keys, 30 days retention', () => {
    const store = find(prodData, 'ObjectStore', 'finbot-postgres-primary-backup', 'database');
    expect(store.apiVersion).toBe('barmancloud.cnpg.io/v1');
    expect(store.spec.retentionPolicy).toBe('30d');
    expect(store.spec.configuration.destinationPath).toBe('s3://finbot-backups/postgres');
    expect(store.spec.configuration.s3Credentials).toEqual({
      accessKeyId: { name: 'backup-creds', key: 'ACCESS_KEY_ID' },
      secretAccessKey: { name: 'backup-creds', key: 'SECRET_ACCESS_KEY' },
    });
  });

  it('a daily full backup through the plugin', () => {
    const b = find(prodData, 'ScheduledBackup', 'finbot-postgres-primary-daily', 'database');
    expect(b.spec.cluster).toEqual({ name: 'finbot-postgres-primary' });
    expect(b.spec.schedule).toBe('0 0 2 * * *');
    expect(b.spec.method).toBe('plugin');
    expect(b.spec.pluginConfiguration).toEqual({ name: 'barman-cloud.cloudnative-pg.io' });
  });

  it('archive_timeout is below the 1 h RPO', () => {
    const cluster = find(prodData, 'Cluster', 'finbot-postgres-primary', 'database');
    const minutes = Number(/^([0-9]+)min$/.exec(cluster.spec.postgresql.parameters.archive_timeout)![1]);
    expect(minutes).toBeLessThan(settingsOf('production').data.postgres.backup.rpoMinutes);
  });

  it('no Secret objects and no secret values in the data chart', () => {
    expect(ofKind(prodData, 'Secret')).toEqual([]);
    expect(ofKind(prodData, 'ExternalSecret')).toEqual([]);
  });
});

describe('data chart: Redis from data.yaml (production)', () => {
  const redis = find(prodData, 'RedisCluster', 'finbot-redis-cluster', 'cache');
  const rs = () => settingsOf('production').data.redis;

  it('v1beta2 in the cache namespace; clusterSize counts leaders, each gets one follower (no replicas override)', () => {
    expect(redis.apiVersion).toBe('redis.redis.opstreelabs.in/v1beta2');
    expect(redis.spec.clusterSize).toBe(rs().clusterSize);
    expect(redis.spec.redisLeader.replicas).toBeUndefined();
    expect(redis.spec.redisFollower.replicas).toBeUndefined();
  });

  it('version and image from the settings (the image of that major version), persistence ReadWriteOnce, exporter on', () => {
    expect(redis.spec.clusterVersion).toBe(rs().clusterVersion);
    expect(redis.spec.kubernetesConfig.image).toBe(`${rs().image.registry}/${rs().image.repository}:${rs().image.tag}`);
    expect(rs().image.tag.startsWith(`${rs().clusterVersion}.`)).toBe(true);
    expect(redis.spec.persistenceEnabled).toBe(true);
    expect(redis.spec.storage.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: settingsOf('production').data.storageClass, resources: { requests: { storage: rs().storageSize } } });
    expect(redis.spec.redisExporter.enabled).toBe(true);
  });

  it('password from the External Secrets-filled Secret; resources set', () => {
    expect(redis.spec.kubernetesConfig.redisSecret).toEqual({ name: 'finbot-redis-password', key: 'password' });
    expect(redis.spec.kubernetesConfig.resources).toEqual(rs().resources);
    expect(redis.spec.redisExporter.resources).toEqual(rs().exporterResources);
  });

  it('pods run as uid 1000 with seccomp RuntimeDefault', () => {
    expect(redis.spec.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
  });
});

describe('data chart: NetworkPolicies of the database namespace (production)', () => {
  const ns = 'database';
  const pg = { 'cnpg.io/cluster': 'finbot-postgres-primary' };

  it('exactly these policies', () => {
    expect(ofKind(prodData, 'NetworkPolicy').filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name).sort()).toEqual([
      'allow-dns-egress',
      'allow-postgres-from-app',
      'allow-postgres-from-cnpg-operator',
      'allow-postgres-replication',
      'allow-postgres-to-kube-api-and-s3',
      'allow-prometheus-scrape-postgres',
      'default-deny-all',
    ]);
    expect(policy(prodData, 'default-deny-all', ns).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('admits on 5432 exactly the app pods that hold the database credentials (never finbot-web)', () => {
    const p = policy(prodData, 'allow-postgres-from-app', ns).spec;
    expect(p.podSelector).toEqual({ matchLabels: pg });
    expect(p.ingress).toEqual([{ from: credentialHolders(prodApps, 'DATABASE_URL').map(appPeer), ports: tcp(5432) }]);
  });

  it('the CNPG operator (cnpg-system) reaches status 8000 and 5432', () => {
    const p = policy(prodData, 'allow-postgres-from-cnpg-operator', ns).spec;
    expect(p.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }], ports: tcp(8000, 5432) }]);
  });

  it('instances replicate among themselves, both directions', () => {
    const p = policy(prodData, 'allow-postgres-replication', ns).spec;
    expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.ingress).toEqual([{ from: [{ podSelector: { matchLabels: pg } }], ports: tcp(5432, 8000) }]);
    expect(p.egress).toEqual([{ to: [{ podSelector: { matchLabels: pg } }], ports: tcp(5432, 8000) }]);
  });

  it('Prometheus pods of the monitoring namespace scrape 9187', () => {
    const p = policy(prodData, 'allow-prometheus-scrape-postgres', ns).spec;
    expect(p.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { name: 'monitoring', 'finbot.io/environment': 'production' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: tcp(9187),
    }]);
  });

  it('egress to the Kubernetes API (443, 6443) and S3 (443), and DNS', () => {
    expect(policy(prodData, 'allow-postgres-to-kube-api-and-s3', ns).spec.egress).toEqual([{ to: [], ports: tcp(443, 6443) }]);
    expect(policy(prodData, 'allow-dns-egress', ns).spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });
});

describe('data chart: NetworkPolicies of the cache namespace (production)', () => {
  const ns = 'cache';
  const redis = { redis_setup_type: 'cluster' };

  it('exactly these policies', () => {
    expect(ofKind(prodData, 'NetworkPolicy').filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name).sort()).toEqual([
      'allow-dns-egress',
      'allow-prometheus-scrape-redis',
      'allow-redis-backup-egress',
      'allow-redis-cluster-bus',
      'allow-redis-from-app',
      'allow-redis-from-backup',
      'allow-redis-from-operator',
      'default-deny-all',
    ]);
  });

  it('admits on 6379 exactly the app pods that hold the Redis password (never finbot-web)', () => {
    const p = policy(prodData, 'allow-redis-from-app', ns).spec;
    expect(p.podSelector).toEqual({ matchLabels: redis });
    expect(p.ingress).toEqual([{ from: credentialHolders(prodApps, 'REDIS_PASSWORD').map(appPeer), ports: tcp(6379) }]);
  });

  it('the redis operator (redis-operator) reaches 6379', () => {
    expect(policy(prodData, 'allow-redis-from-operator', ns).spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'redis-operator' } } }], ports: tcp(6379) }]);
  });

  it('nodes talk on 6379 and the cluster bus 16379, both directions', () => {
    const p = policy(prodData, 'allow-redis-cluster-bus', ns).spec;
    expect(p.ingress).toEqual([{ from: [{ podSelector: { matchLabels: redis } }], ports: tcp(6379, 16379) }]);
    expect(p.egress).toEqual([{ to: [{ podSelector: { matchLabels: redis } }], ports: tcp(6379, 16379) }]);
  });

  it('Prometheus scrapes the exporter on 9121', () => {
    expect(policy(prodData, 'allow-prometheus-scrape-redis', ns).spec.ingress[0].ports).toEqual(tcp(9121));
  });
});

describe('data chart: the app tier reaches what the data tier admits', () => {
  it('the app policy egress (5432 to database, 6379 to cache) matches the data namespaces\' ingress', () => {
    const app = policy(prodApps, 'finbot-network-policy', 'production').spec;
    const db = policy(prodData, 'allow-postgres-from-app', 'database').spec.ingress[0];
    const cache = policy(prodData, 'allow-redis-from-app', 'cache').spec.ingress[0];
    expect(app.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { name: 'database', 'finbot.io/environment': 'production' } } }], ports: db.ports });
    expect(app.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { name: 'cache', 'finbot.io/environment': 'production' } } }], ports: cache.ports });
  });

  // finbot-api-blue / finbot-api-green: both colours of the blue-green api.
  it.each(['finbot-api-blue', 'finbot-api-green', 'finbot-worker'])('%s gets DATABASE_URL/REDIS_PASSWORD from finbot-app-secrets and plain hosts/ports', (name) => {
    const env = find(prodApps, 'Deployment', name, 'production').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'finbot-app-secrets', key: 'database-url' } } });
    expect(env).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'finbot-app-secrets', key: 'redis-password' } } });
    expect(env).toContainEqual({ name: 'DATABASE_HOST', value: 'finbot-postgres-primary-rw.database.svc.cluster.local' });
    expect(env).toContainEqual({ name: 'DATABASE_PORT', value: '5432' });
    expect(env).toContainEqual({ name: 'REDIS_HOST', value: 'finbot-redis-cluster-leader.cache.svc.cluster.local' });
    expect(env).toContainEqual({ name: 'REDIS_PORT', value: '6379' });
  });

  it('finbot-web gets no data credentials', () => {
    const env = find(prodApps, 'Deployment', 'finbot-web', 'production').spec.template.spec.containers[0].env;
    expect(env.map((e: { name: string }) => e.name)).not.toContain('DATABASE_URL');
  });

  it('staging apps point at the staging data namespaces', () => {
    const env = find(chartObjects('staging', 'apps'), 'Deployment', 'finbot-api-blue', 'staging').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'DATABASE_HOST', value: 'finbot-postgres-primary-rw.staging-database.svc.cluster.local' });
    expect(env).toContainEqual({ name: 'REDIS_HOST', value: 'finbot-redis-cluster-leader.staging-cache.svc.cluster.local' });
  });
});

describe('data chart: staging is smaller and has no second region', () => {
  // staging's own values, read from its settings; "smaller" is checked against production's settings.
  const stg = () => settingsOf('staging').data;
  const prd = () => settingsOf('production').data;

  it('Postgres: instances, storage, resources and anti-affinity from its settings, in its database namespace', () => {
    const c = find(stagingData, 'Cluster', 'finbot-postgres-primary', settingsOf('staging').platform.namespaces.database);
    expect(c.spec.instances).toBe(stg().postgres.instances);
    expect(c.spec.instances).toBeLessThanOrEqual(prd().postgres.instances);
    expect(c.spec.storage).toEqual({ size: stg().postgres.storageSize, storageClass: stg().storageClass });
    expect(c.spec.resources).toEqual(stg().postgres.resources);
    expect(c.spec.affinity.podAntiAffinityType).toBe(stg().postgres.antiAffinity);
  });

  it('Redis: resources and storage from its settings, in its cache namespace', () => {
    const r = find(stagingData, 'RedisCluster', 'finbot-redis-cluster', settingsOf('staging').platform.namespaces.cache);
    expect(r.spec.kubernetesConfig.resources).toEqual(stg().redis.resources);
    expect(r.spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe(stg().redis.storageSize);
  });

  it('policies admit the staging app pods, never production\'s', () => {
    const p = policy(stagingData, 'allow-postgres-from-app', 'staging-database').spec;
    for (const peer of p.ingress[0].from) expect(peer.namespaceSelector.matchLabels).toEqual({ name: 'staging', 'finbot.io/environment': 'staging' });
  });

  it('no data-dr output', () => {
    const env = buildEnvironment(settingsOf('staging'));
    expect(Object.keys(env.charts)).not.toContain('data-dr');
  });
});

describe('data-dr chart: the replica cluster for the second region (production)', () => {
  const dr = chartObjects('production', 'data-dr');

  it('a replica cluster following finbot-postgres-primary from its object store', () => {
    const c = find(dr, 'Cluster', 'finbot-postgres-dr', 'database');
    expect(c.spec.instances).toBe(2);
    expect(c.spec.replica).toEqual({ enabled: true, source: 'finbot-postgres-primary' });
    expect(c.spec.bootstrap).toEqual({ recovery: { source: 'finbot-postgres-primary' } });
    expect(c.spec.externalClusters).toEqual([{
      name: 'finbot-postgres-primary',
      plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'finbot-postgres-primary-origin', serverName: 'finbot-postgres-primary' } },
    }]);
    // Same parameters as the primary: a standby needs max_connections etc. at least as high.
    expect(c.spec.postgresql.parameters).toEqual(find(prodData, 'Cluster', 'finbot-postgres-primary').spec.postgresql.parameters);
  });

  it('reads the primary\'s archive without pruning it, and archives to its own path after promotion', () => {
    const origin = find(dr, 'ObjectStore', 'finbot-postgres-primary-origin', 'database');
    expect(origin.spec.configuration.destinationPath).toBe('s3://finbot-backups/postgres');
    expect(origin.spec.retentionPolicy).toBeUndefined();
    const own = find(dr, 'ObjectStore', 'finbot-postgres-dr-backup', 'database');
    expect(own.spec.configuration.destinationPath).toBe('s3://finbot-backups-dr/postgres');
    expect(own.spec.instanceSidecarConfiguration.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'us-east-1' }]);
    expect(find(dr, 'Cluster', 'finbot-postgres-dr').spec.plugins[0].parameters).toEqual({ barmanObjectName: 'finbot-postgres-dr-backup' });
  });

  it('the DR cluster\'s database namespace gets the same policies, prefixed, for the replica\'s pods', () => {
    const names = ofKind(dr, 'NetworkPolicy').map((p) => p.metadata.name).sort();
    expect(names).toEqual([
      'finbot-postgres-dr-allow-dns-egress',
      'finbot-postgres-dr-allow-postgres-from-app',
      'finbot-postgres-dr-allow-postgres-from-cnpg-operator',
      'finbot-postgres-dr-allow-postgres-replication',
      'finbot-postgres-dr-allow-postgres-to-kube-api-and-s3',
      'finbot-postgres-dr-allow-prometheus-scrape-postgres',
      'finbot-postgres-dr-default-deny-all',
    ]);
    const repl = policy(dr, 'finbot-postgres-dr-allow-postgres-replication', 'database').spec;
    expect(repl.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'finbot-postgres-dr' } });
  });

  it('promote: true (failover) turns replica mode off', () => {
    const s = settingsOf('production');
    const promoted = { ...s, data: { ...s.data, postgres: { ...s.data.postgres, disasterRecovery: { ...s.data.postgres.disasterRecovery, promote: true } } } };
    const c = find(objectsOf(buildEnvironment(promoted)), 'Cluster', 'finbot-postgres-dr');
    expect(c.spec.replica).toEqual({ enabled: false, source: 'finbot-postgres-primary' });
  });

  it('switched by the setting', () => {
    const s = settingsOf('production');
    const off = { ...s, data: { ...s.data, postgres: { ...s.data.postgres, disasterRecovery: { ...s.data.postgres.disasterRecovery, enabled: false } } } };
    const env = buildEnvironment(off);
    expect(Object.keys(env.charts)).not.toContain('data-dr');
    expect(buildEnvironment(s).charts['data-dr']).toBeDefined();
    expect(objectsOf(env).filter((o) => o.metadata.name === 'finbot-postgres-dr')).toEqual([]);
  });
});

describe('data chart: CRD schema validation catches invalid custom resources', () => {
  const clone = <T>(o: T): any => JSON.parse(JSON.stringify(o));

  it('the committed objects are valid', async () => {
    for (const o of [...prodData, ...chartObjects('production', 'data-dr'), ...stagingData]) {
      expect(await schemaProblems(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    }
  });

  it('a Cluster with instances as a string is caught', async () => {
    const bad = clone(find(prodData, 'Cluster', 'finbot-postgres-primary'));
    bad.spec.instances = 'three';
    expect((await schemaProblems(bad)).join('\n')).toContain('spec.instances: must be integer');
  });

  it('a ScheduledBackup with an unknown method is caught', async () => {
    const bad = clone(find(prodData, 'ScheduledBackup', 'finbot-postgres-primary-daily'));
    bad.spec.method = 'barmanCloud';
    expect((await schemaProblems(bad)).join('\n')).toContain('spec.method: must be equal to one of the allowed values');
  });

  it('an ObjectStore without a destinationPath is caught', async () => {
    const bad = clone(find(prodData, 'ObjectStore', 'finbot-postgres-primary-backup'));
    delete bad.spec.configuration.destinationPath;
    expect((await schemaProblems(bad)).join('\n')).toContain("must have required property 'destinationPath'");
  });

  it('a RedisCluster without kubernetesConfig is caught', async () => {
    const bad = clone(find(prodData, 'RedisCluster', 'finbot-redis-cluster'));
    delete bad.spec.kubernetesConfig;
    expect((await schemaProblems(bad)).join('\n')).toContain("must have required property 'kubernetesConfig'");
  });

  it('a PodMonitor with a wrong type is caught', async () => {
    const bad = clone(find(prodData, 'PodMonitor', 'finbot-redis-cluster'));
    bad.spec.podMetricsEndpoints = 'redis-exporter';
    expect(await schemaProblems(bad)).not.toEqual([]);
  });
});

describe.each(['production', 'staging'])('data chart (%s): Redis snapshot backups', (env) => {
  const s = settingsOf(env);
  const objs = synthObjectsOf(env);
  const cache = s.platform.namespaces.cache;
  const cj = find(objs, 'CronJob', `${s.data.redis.name}-backup`, cache);
  const pod = cj.spec.jobTemplate.spec.template.spec;

  it('runs on the settings\' schedule, uploads to the environment\'s own bucket with SSE-KMS', () => {
    expect(cj.spec.schedule).toBe(s.data.backups.redis.schedule);
    const upload = pod.containers[0];
    expect(upload.env).toContainEqual({ name: 'BUCKET', value: s.data.backups.bucket });
    expect(upload.env).toContainEqual({ name: 'KMS_KEY_ID', value: s.data.backups.kmsKeyId });
    expect(upload.command.join(' ')).toContain('--sse aws:kms');
  });

  it('takes the snapshot with redis-cli against every master, password from the Redis Secret (never on the command line)', () => {
    const snap = pod.initContainers[0];
    expect(snap.image).toBe(`${s.data.redis.image.registry}/${s.data.redis.image.repository}:${s.data.redis.image.tag}`);
    expect(snap.command.join(' ')).toContain('--rdb');
    expect(snap.env).toContainEqual({ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'finbot-redis-password', key: 'password' } } });
  });

  it('restricted, no API token; its S3 keys come from an ExternalSecret', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    const credsSecret = pod.containers[0].env.find((e: any) => e.name === 'AWS_ACCESS_KEY_ID').valueFrom.secretKeyRef.name;
    expect(find(objs, 'ExternalSecret', credsSecret, cache).spec.target.name).toBe(credsSecret);
  });

  it('the backup alerts watch both snapshot CronJobs with an absence guard', () => {
    const rules = ofKind(objs, 'PrometheusRule').flatMap((r: any) => r.spec.groups).flatMap((g: any) => g.rules);
    for (const [alert, ns, cronJob, hours] of [
      ['RedisBackupTooOld', cache, `${s.data.redis.name}-backup`, s.data.backups.redis.maxAgeHours],
      ['VaultBackupTooOld', s.platform.namespaces.vault, `${s.secrets.vault.helm.releaseName}-backup`, s.data.backups.vault.maxAgeHours],
    ] as const) {
      const r = rules.find((x: any) => x.alert === alert);
      expect(r.expr).toContain(`namespace="${ns}",job_name=~"${cronJob}-[0-9]+"`);
      expect(r.expr).toContain(`> ${hours * 3600}`);
      expect(r.expr).toContain('absent(');
      expect(() => find(objs, 'CronJob', cronJob, ns)).not.toThrow();
    }
  });
});
