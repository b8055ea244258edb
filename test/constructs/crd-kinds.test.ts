import { describe, expect, it } from 'vitest';
import { ELASTICSEARCH, GRAFANA, GRAFANA_DASHBOARD, JAEGER, OPENTELEMETRY_COLLECTOR } from '../../constructs/crd-kinds';
import { Elasticsearch } from '../../imports/elasticsearch.k8s.elastic.co';
import { Grafana, GrafanaDashboard } from '../../imports/grafana.integreatly.org';
import { Jaeger } from '../../imports/jaegertracing.io';
import { OpenTelemetryCollectorV1Beta1 } from '../../imports/opentelemetry.io';

describe('CRD kinds', () => {
  it.each([
    ['ELASTICSEARCH', ELASTICSEARCH, Elasticsearch.GVK],
    ['GRAFANA', GRAFANA, Grafana.GVK],
    ['GRAFANA_DASHBOARD', GRAFANA_DASHBOARD, GrafanaDashboard.GVK],
    ['JAEGER', JAEGER, Jaeger.GVK],
    ['OPENTELEMETRY_COLLECTOR', OPENTELEMETRY_COLLECTOR, OpenTelemetryCollectorV1Beta1.GVK],
  ])('%s is the GVK of the class cdk8s import generated', (_name, constant, generated) => {
    expect(constant).toEqual(generated);
  });
});
