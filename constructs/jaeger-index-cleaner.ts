/**
 * Trace retention: a CronJob running Jaeger's `es-index-cleaner`, which deletes Jaeger's daily indices older
 * than the days kept, so Elasticsearch never fills its disks and turns read-only. It logs in as a user whose
 * role may only list and delete Jaeger's indices.
 * @see https://www.jaegertracing.io/docs/latest/storage/elasticsearch/#index-cleaner
 */
import { Construct } from 'constructs';
import { labels, selectorLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { KubeServiceAccount, PlainApiObject } from './kube-objects';
import type { JaegerElasticsearch, JaegerElasticsearchUser } from './jaeger-v2';
import { DEFAULT_INDEX_PREFIX } from './jaeger-v2';
import { INDEX_CLEANER_IMAGE, JAEGER_UID, jaegerToolsVersion } from '../model/operators/jaeger';

/** Props of {@link JaegerIndexCleaner}. */
export interface JaegerIndexCleanerProps {
  readonly namespace: string;
  /** Environment name (labels). */
  readonly environment: string;
  /** The Jaeger v2 release (2.x); the cleaner image carries the release's v1 number. */
  readonly jaegerVersion: string;
  /** Days of traces kept (today included). */
  readonly retentionDays: number;
  readonly elasticsearch: JaegerElasticsearch;
  /** A user allowed to list and delete Jaeger's indices. */
  readonly user: JaegerElasticsearchUser;
  /** @default 'jaeger-index-cleaner' */
  readonly name?: string;
  /** Cron schedule (UTC). @default '55 23 * * *' (just before the day's new index) */
  readonly schedule?: string;
  /** Prefix of Jaeger's index names. @default 'jaeger' */
  readonly indexPrefix?: string;
}

const ES_CA_DIR = '/etc/es-ca';

/** The index-cleaner CronJob and its ServiceAccount (no API token). */
export class JaegerIndexCleaner extends Construct {
  readonly name: string;
  /** Labels of the cleaner's pods (for NetworkPolicies). */
  readonly podLabels: Record<string, string>;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: JaegerIndexCleanerProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`JaegerIndexCleaner: retentionDays must be a whole number of at least 1, got ${props.retentionDays}`);
    }
    this.name = props.name ?? 'jaeger-index-cleaner';
    this.retentionDays = props.retentionDays;
    const image = `${INDEX_CLEANER_IMAGE}:${jaegerToolsVersion(props.jaegerVersion)}`;
    const labelProps = { name: this.name, component: 'tracing', environment: props.environment, finbotApp: false };
    this.podLabels = selectorLabels(labelProps);
    const metadata = { name: this.name, namespace: props.namespace, labels: labels(labelProps) };
    new KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const es = props.elasticsearch;
    new PlainApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata,
      spec: {
        schedule: props.schedule ?? '55 23 * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 3,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 86400,
            template: {
              metadata: { labels: labels(labelProps) },
              spec: {
                restartPolicy: 'OnFailure',
                serviceAccountName: this.name,
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: restrictedPodSecurityContext(JAEGER_UID),
                containers: [{
                  name: 'index-cleaner',
                  image,
                  imagePullPolicy: 'IfNotPresent',
                  args: [String(props.retentionDays), es.url],
                  env: [
                    { name: 'INDEX_PREFIX', value: props.indexPrefix ?? DEFAULT_INDEX_PREFIX },
                    { name: 'ES_USERNAME', value: props.user.username },
                    { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: props.user.secretName, key: props.user.passwordKey } } },
                    { name: 'ES_TLS_ENABLED', value: 'true' },
                    { name: 'ES_TLS_CA', value: `${ES_CA_DIR}/ca.crt` },
                  ],
                  resources: {
                    requests: { cpu: '10m', memory: '32Mi' },
                    limits: { cpu: '200m', memory: '128Mi' },
                  },
                  securityContext: restrictedContainerSecurityContext(),
                  volumeMounts: [{ name: 'es-ca', mountPath: ES_CA_DIR, readOnly: true }],
                }],
                volumes: [{ name: 'es-ca', secret: { secretName: es.caSecret.name, items: [{ key: es.caSecret.key, path: 'ca.crt' }] } }],
              },
            },
          },
        },
      },
    });
  }
}
