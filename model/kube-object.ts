/** Kubernetes objects as plain JSON: what synth writes to dist/ and what validation and the tools read back. */

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** A Kubernetes object of the output and the manifest file it is written in. */
export interface SourcedObject {
  /** The object as plain JSON. */
  readonly object: KubeObject;
  /** Manifest file, e.g. `dist/production/apps.yaml` (or any label for in-memory fixtures). */
  readonly file: string;
}
