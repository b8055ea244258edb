/** Small props shared by the data-tier construct tests. */
import { Chart, Testing } from 'cdk8s';
import { BarmanObjectStore } from '../../constructs/barman-object-store';
import type { PostgresClusterProps } from '../../constructs/postgres-cluster';
import type { RedisClusterProps } from '../../constructs/redis-cluster';

export const chart = (): Chart => new Chart(Testing.app(), 't');

export const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };

export function store(scope: Chart, name = 'store', destinationPath = 's3://bucket/pg', namespace = 'db'): BarmanObjectStore {
  return new BarmanObjectStore(scope, name, { name, namespace, environment: 'test', destinationPath });
}

export const pgProps: PostgresClusterProps = {
  name: 'pg',
  namespace: 'db',
  environment: 'test',
  imageName: 'ghcr.io/cloudnative-pg/postgresql:16.6',
  instances: 3,
  storageSize: '10Gi',
  storageClass: 'fast-ssd',
  resources,
};

export const redisProps: RedisClusterProps = {
  name: 'rc',
  namespace: 'cache',
  environment: 'test',
  clusterSize: 3,
  image: 'quay.io/opstree/redis:v7.0.15',
  exporterImage: 'quay.io/opstree/redis-exporter:v1.44.0',
  storageSize: '1Gi',
  storageClass: 'fast-ssd',
  resources,
  exporterResources: resources,
  operatorImage: 'quay.io/opstree/redis-operator:v0.26.0',
};

/** The synthesized object of a kind. */
export function objectOf(c: Chart, kind: string): any {
  const found = Testing.synth(c).filter((o: any) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}
