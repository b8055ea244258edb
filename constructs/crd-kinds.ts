/**
 * apiVersion and kind of the CRDs whose objects the constructs write as plain data (their specs are checked
 * against the CRD schemas by validation/, not typed by the generated classes). They equal the `GVK` of the
 * classes `cdk8s import` generated in imports/ (test/constructs/crd-kinds.test.ts checks it); they are
 * repeated here because importing a generated class for its GVK alone brings its whole module into the synth
 * bundle: its `toJson()` reaches every converter of the CRD, about 2,500 functions for these four CRDs, which
 * made the startup snapshot 1.4 MB larger and every synth about 6 ms slower.
 */
import type { GroupVersionKind } from 'cdk8s';

/** Elastic ECK Elasticsearch (imports/elasticsearch.k8s.elastic.co.ts). */
export const ELASTICSEARCH: GroupVersionKind = { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch' };
/** grafana-operator v5 Grafana (imports/grafana.integreatly.org.ts). */
export const GRAFANA: GroupVersionKind = { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'Grafana' };
/** grafana-operator v5 GrafanaDashboard (imports/grafana.integreatly.org.ts). */
export const GRAFANA_DASHBOARD: GroupVersionKind = { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard' };
/** Legacy Jaeger operator Jaeger (imports/jaegertracing.io.ts). */
export const JAEGER: GroupVersionKind = { apiVersion: 'jaegertracing.io/v1', kind: 'Jaeger' };
/** OpenTelemetry operator OpenTelemetryCollector v1beta1 (imports/opentelemetry.io.ts). */
export const OPENTELEMETRY_COLLECTOR: GroupVersionKind = { apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector' };
