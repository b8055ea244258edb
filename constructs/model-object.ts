/**
 * Objects typed by the interfaces of `kubernetes-models` / `@kubernetes-models/*` (cert-manager,
 * prometheus-operator, Istio, External Secrets, Argo CD, ...), emitted as plain ApiObjects.
 *
 * Types only: the packages' classes are not used at run time. Their `validate()` was a second schema check,
 * against the packages' own copies of the CRDs (releases other than the ones the project pins), with
 * validators of their own in every bundle and startup snapshot (about 640 files: more than half of what the
 * synth's startup check hashes). The output is checked once, against the pinned CRDs and Kubernetes
 * versions, by the synth's validation before anything is written (validation/schema.ts).
 */
import type { Construct } from 'constructs';
import { PlainApiObject } from './kube-objects';

/** What every kubernetes-models interface has: apiVersion and kind as literal types, and metadata. */
export interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/**
 * Emits `object`, checked by TypeScript against the interface given as `T`, e.g.
 * `new ModelObject<ICertificate>(this, 'Certificate', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', ... })`.
 * `T` must be given: without it the object would be typed by itself (the default, `never`, refuses it).
 */
export class ModelObject<T extends KubernetesModel = never> extends PlainApiObject {
  constructor(scope: Construct, id: string, object: NoInfer<T>) {
    super(scope, id, object as never);
  }
}
