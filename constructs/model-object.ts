/**
 * Bridges typed `kubernetes-models` / `@kubernetes-models/*` objects (cert-manager, prometheus-operator,
 * Istio, External Secrets, Argo CD, ...) into cdk8s: the model is validated against its schema when the
 * construct is created (fail at synth, not at sync), then emitted as an ApiObject.
 */
import type { Construct } from 'constructs';
import { PlainApiObject } from './kube-objects';

/** Any kubernetes-models model instance. */
export interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  validate(): void;
  toJSON(): unknown;
}

/** Emits a validated kubernetes-models object. */
export class ModelObject extends PlainApiObject {
  constructor(scope: Construct, id: string, model: KubernetesModel) {
    try {
      model.validate();
    } catch (err) {
      const name = `${model.kind} ${model.metadata?.namespace ?? ''}/${model.metadata?.name ?? '?'}`;
      throw new Error(`${name} is invalid: ${(err as Error).message}`);
    }
    const { apiVersion, kind, metadata, ...rest } = model.toJSON() as { apiVersion: string; kind: string; metadata: Record<string, unknown> };
    super(scope, id, { apiVersion, kind, metadata, ...rest });
  }
}
