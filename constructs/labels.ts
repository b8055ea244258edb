/**
 * The one place that makes labels. Every object gets the recommended `app.kubernetes.io/*` labels plus the
 * design document's `app: finbot`; selectors use only the stable subset (never a version).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
import { compareText } from '../model/text-order';

/** Label key of the design document's app label; its NetworkPolicy selects `app: finbot`. */
export const APP_LABEL = 'app';
/** Value of {@link APP_LABEL} on every FinBot workload. */
export const APP_LABEL_VALUE = 'finbot';
/** Namespace label naming the environment, so policies never match another environment's namespaces. */
export const ENVIRONMENT_LABEL = 'finbot.io/environment';
/**
 * Blue-green colour of a workload (`blue`/`green`). Stable for the life of a Deployment, so selectors,
 * Services and Istio subsets may use it (unlike `version`, which changes every release).
 */
export const COLOUR_LABEL = 'finbot.io/colour';

/** What identifies a component; `version` is informational only. */
export interface LabelProps {
  /** Object name of the component, e.g. `finbot-api`. */
  readonly name: string;
  /** Role inside the system, e.g. `api`, `web`, `worker`, `database`. */
  readonly component: string;
  /** Environment, e.g. `production` (becomes `app.kubernetes.io/instance`). */
  readonly environment: string;
  /**
   * Release version (image tag), never part of a selector.
   * @default - no version label
   */
  readonly version?: string;
  /**
   * Blue-green colour of the workload; part of the selector (see {@link COLOUR_LABEL}).
   * @default - no colour label (the component has one Deployment)
   */
  readonly colour?: string;
  /**
   * Set `app: finbot`. Third-party components (operators' CRs) may leave it off.
   * @default true
   */
  readonly finbotApp?: boolean;
}

/** The stable labels a selector may use: they never change between releases. */
export function selectorLabels(props: LabelProps): Record<string, string> {
  return {
    'app.kubernetes.io/name': props.name,
    'app.kubernetes.io/instance': props.environment,
    ...(props.colour !== undefined ? { [COLOUR_LABEL]: props.colour } : {}),
  };
}

/** All labels of an object of the component. Keys are sorted so output is stable. */
export function labels(props: LabelProps): Record<string, string> {
  const all: Record<string, string> = {
    ...((props.finbotApp ?? true) ? { [APP_LABEL]: APP_LABEL_VALUE } : {}),
    ...selectorLabels(props),
    'app.kubernetes.io/component': props.component,
    'app.kubernetes.io/part-of': 'finbot',
    'app.kubernetes.io/managed-by': 'cdk8s',
    ...(props.version !== undefined ? { 'app.kubernetes.io/version': props.version } : {}),
  };
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => compareText(a, b)));
}
