import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { CNPG_RECOVERY_APP_DEFAULT } from '../../model/operators/cloudnative-pg';
import { schemaProblems } from '../../validation/schema';
import { chartObjects, ENVIRONMENTS, find, objectsOf, ofKind, settingsOf, synthObjects as synthObjectsOf, type KubeObject } from '../helpers';

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

  it('single-region: no distributed topology, no peer store', () => {
    const c = find(stagingData, 'Cluster', settingsOf('staging').data.postgres.name);
    expect(settingsOf('staging').data.postgres.replication).toBeUndefined();
    expect(c.spec.replica).toBeUndefined();
    expect(c.spec.externalClusters).toBeUndefined();
    expect(c.spec.bootstrap.initdb).toBeDefined();
  });
});

// Every environment of a disaster-recovery pair, read from the settings (docs/disaster-recovery.md).
const PAIRED = ENVIRONMENTS.filter((e) => settingsOf(e).data.postgres.replication);

describe.each(PAIRED)('data chart (%s): CloudNativePG distributed topology with the DR peer', (env) => {
  const s = settingsOf(env);
  const pg = s.data.postgres;
  const rep = pg.replication!;
  const data = chartObjects(env, 'data');
  const ns = s.platform.namespaces.database;
  const c = find(data, 'Cluster', pg.name, ns);

  it('names the same primary as the settings, itself as self, the peer as source (replica.enabled unset)', () => {
    expect(c.spec.replica).toEqual({ primary: rep.primary, source: rep.peer.name, self: pg.name, ...(rep.promotionToken ? { promotionToken: rep.promotionToken } : {}) });
    expect(c.spec.replica.enabled).toBeUndefined();
  });

  it('lists itself and the peer as external clusters, each with an explicit serverName', () => {
    expect(c.spec.externalClusters).toEqual([
      { name: pg.name, plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: `${pg.name}-backup`, serverName: pg.name } } },
      { name: rep.peer.name, plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: `${rep.peer.name}-peer`, serverName: rep.peer.name } } },
    ].sort((a, b) => (a.name < b.name ? -1 : 1)));
  });

  it('reads the peer\'s archive without pruning it, in the peer\'s region; archives to its own path', () => {
    const peer = find(data, 'ObjectStore', `${rep.peer.name}-peer`, ns);
    expect(peer.spec.configuration.destinationPath).toBe(rep.peer.destinationPath);
    expect(peer.spec.retentionPolicy).toBeUndefined();
    expect(peer.spec.instanceSidecarConfiguration.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: rep.peer.region }]);
    expect(find(data, 'ObjectStore', `${pg.name}-backup`, ns).spec.configuration.destinationPath).toBe(pg.backup.destinationPath);
    expect(c.spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: `${pg.name}-backup` } }]);
  });

  it('bootstraps by initdb or by recovery from the peer, as set', () => {
    const app = { database: pg.database.name, owner: pg.database.owner };
    expect(c.spec.bootstrap).toEqual(rep.bootstrap === 'peer' ? { recovery: { source: rep.peer.name, ...app } } : { initdb: app });
    // Not CNPG's recovery default (app/app): the -app Secret the apps read must be the database owner's.
    expect(pg.database.name).not.toBe(CNPG_RECOVERY_APP_DEFAULT.database);
  });

  it('fenced exactly when the settings say so', () => {
    expect((c.metadata.annotations ?? {})['cnpg.io/fencedInstances']).toBe(rep.fenced ? '["*"]' : undefined);
  });

  it('the other settings of the pair: promote, fence and token map to the Cluster', () => {
    const other = rep.primary === pg.name ? rep.peer.name : pg.name;
    const flipped = { ...s, data: { ...s.data, postgres: { ...pg, replication: { ...rep, primary: other, fenced: other !== pg.name } } } };
    const f = find(objectsOf(buildEnvironment(flipped)), 'Cluster', pg.name, ns);
    expect(f.spec.replica.primary).toBe(other);
    expect((f.metadata.annotations ?? {})['cnpg.io/fencedInstances']).toBe(other !== pg.name ? '["*"]' : undefined);
  });
});

describe('data chart: CRD schema validation catches invalid custom resources', () => {
  const clone = <T>(o: T): any => JSON.parse(JSON.stringify(o));

  it('the committed objects are valid', async () => {
    for (const o of [...prodData, ...PAIRED.flatMap((e) => chartObjects(e, 'data')), ...stagingData]) {
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

describe.each(ENVIRONMENTS)('data chart (%s): Redis snapshot backups', (env) => {
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
