/**
 * Traffic that is safe for a financial service: a mesh retry never replays a write, and autoscaling measures
 * the app, not the app averaged with its sidecar. Istio's behaviour is read from model/operators/istio.ts.
 */
import { arr } from '../../model/shape';
import { effectiveRetryOn, HTTP_METHODS, IDEMPOTENT_METHODS, NEVER_REACHED_APP_RETRY_ON, SIDECAR_CONTAINER, sidecarInjected } from '../../model/operators/istio';
import { podTemplateOf } from '../../model/workloads';
import { finding, type Rule, type RuleContext } from '../rule';
import type { Finding } from '../types';

interface StringMatch { exact?: string; prefix?: string; regex?: string }

/** The methods one HTTP match entry lets through (all of them when it says nothing about the method). */
function methodsOf(match: { method?: StringMatch } | undefined): string[] {
  const m = match?.method;
  if (!m) return [...HTTP_METHODS];
  if (m.exact !== undefined) return HTTP_METHODS.filter((x) => x === m.exact);
  if (m.prefix !== undefined) return HTTP_METHODS.filter((x) => x.startsWith(m.prefix!));
  if (m.regex !== undefined) {
    try {
      // Envoy uses RE2 full-match semantics; anchoring makes JavaScript's RegExp agree for these patterns.
      const re = new RegExp(`^(?:${m.regex})$`);
      return HTTP_METHODS.filter((x) => re.test(x));
    } catch {
      return [...HTTP_METHODS];
    }
  }
  return [...HTTP_METHODS];
}

/** A VirtualService HTTP route never retries a non-idempotent request after it may have reached the app. */
const noReplayedWrites: Rule = {
  id: 'traffic/no-replayed-writes',
  description: 'A VirtualService route that can carry POST/PATCH retries only where the request never reached the app (connect-failure, refused-stream)',
  fix: 'Split the route: match idempotent methods (GET, HEAD, OPTIONS, ...) for 5xx/reset retries, and give the catch-all route retries with retryOn "connect-failure,refused-stream" (or attempts 0). Never leave retries out: Istio then retries a 503.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const source of ctx.objects) {
      const o = source.object as { kind: string; apiVersion: string; spec?: { http?: unknown } };
      if (o.kind !== 'VirtualService' || !o.apiVersion.startsWith('networking.istio.io/')) continue;
      arr(o.spec?.http as Array<{ name?: string; match?: Array<{ method?: StringMatch }>; retries?: { attempts?: number; retryOn?: string } }>).forEach((route, i) => {
        const matches = arr(route.match);
        const methods = new Set((matches.length === 0 ? [undefined] : matches).flatMap(methodsOf));
        const writes = [...methods].filter((m) => !IDEMPOTENT_METHODS.includes(m));
        if (writes.length === 0) return;
        const unsafe = effectiveRetryOn(route.retries).filter((c) => !NEVER_REACHED_APP_RETRY_ON.includes(c));
        if (unsafe.length === 0) return;
        const how = route.retries === undefined ? 'has no retries block, so Istio retries with its default policy' : 'retries';
        out.push(finding(source, `spec.http[${i}]${route.retries === undefined ? '' : '.retries'}`,
          `route ${route.name ?? i} carries ${writes.join(', ')} and ${how} on ${unsafe.join(',')}: a request the app already acted on (a payment) would be sent again`));
      });
    }
    return out;
  },
};

/** An HPA's utilisation target measures the app container when the pod has another one (a sidecar). */
const containerUtilisation: Rule = {
  id: 'traffic/hpa-measures-the-app',
  description: 'An HPA scaling pods with more than one container (an injected Istio sidecar counts) uses ContainerResource metrics for the app container',
  fix: 'Use type: ContainerResource with containerResource.container set to the app container, so the utilisation target means the app\'s CPU/memory, not the average with istio-proxy.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const byName = new Map(ctx.objects.map((s) => [`${s.object.kind}/${s.object.metadata.namespace ?? ''}/${s.object.metadata.name ?? ''}`, s]));
    for (const source of ctx.objects) {
      const o = source.object as { kind: string; metadata: { namespace?: string }; spec?: { scaleTargetRef?: { kind?: string; name?: string }; metrics?: unknown } };
      if (o.kind !== 'HorizontalPodAutoscaler') continue;
      const ref = o.spec?.scaleTargetRef;
      const target = byName.get(`${ref?.kind ?? ''}/${o.metadata.namespace ?? ''}/${ref?.name ?? ''}`);
      const t = target && podTemplateOf(target);
      if (!t) continue;
      const sidecar = sidecarInjected(ctx.cluster.namespaces.get(o.metadata.namespace ?? ''), t.labels, t.annotations);
      const containers = arr(t.spec.containers).length + (sidecar ? 1 : 0);
      if (containers < 2) continue;
      arr(o.spec?.metrics as Array<{ type?: string; resource?: { name?: string } }>).forEach((m, i) => {
        if (m.type !== 'Resource') return;
        out.push(finding(source, `spec.metrics[${i}]`,
          `a Resource ${m.resource?.name ?? ''} target averages all ${containers} containers of each pod${sidecar ? ` (incl. the injected ${SIDECAR_CONTAINER})` : ''}, so the utilisation target does not mean the app's`));
      });
    }
    return out;
  },
};

/** Rules of this family. */
export const trafficSafetyRules: readonly Rule[] = [noReplayedWrites, containerUtilisation];
