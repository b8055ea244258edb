/**
 * The vocabulary of the validation: objects with the file they came from, findings of rules and the
 * violations a report shows.
 */
import type { KubeObject, SourcedObject } from '../model/kube-object';

export type { KubeObject, SourcedObject };

/** One problem a rule found, before the engine names the rule. */
export interface Finding {
  /** The object at fault. */
  readonly source: SourcedObject;
  /** JSON path inside the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** What is wrong, with the values involved. */
  readonly message: string;
  /** How to fix this occurrence; the rule's general advice when absent. */
  readonly fix?: string;
}

/** A finding with its rule: what reports and `--json` show. */
export interface Violation {
  /** Stable rule id, e.g. `xref/service-selector`. */
  readonly rule: string;
  /** `Kind namespace/name` of the object at fault. */
  readonly object: string;
  /** Manifest file of the object. */
  readonly file: string;
  /** JSON path inside the object. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `namespace/name` of a Secret, connection end or exemption target. */
export type NamespacedName = string;

/** A connection the output does not show by itself (declared in settings `validation.connections`). */
export interface DeclaredConnection {
  /** Source: `namespace/workload` (pods of a workload of the output) or `peer:<name>` (see external-peers.ts). */
  readonly from: string;
  /** Destination Service: `namespace/service`. */
  readonly to: NamespacedName;
  /** Service port number or name. */
  readonly port: number | string;
}

/** A rule switched off for one object, with the reason (settings `validation.exemptions`). */
export interface Exemption {
  /** Rule id, or a family prefix such as `pss/`. */
  readonly rule: string;
  /** `Kind namespace/name` (cluster-scoped: `Kind name`). */
  readonly object: string;
  /** Why this is acceptable; shown in reviews. */
  readonly reason: string;
}

/** Facts about an environment that are not in its output. */
export interface ValidationOptions {
  /** Secrets made outside the output (by hand or another system), as `namespace/name`. */
  readonly externalSecrets?: readonly NamespacedName[];
  /** Connections to check for NetworkPolicy reachability in addition to the ones derived from the output. */
  readonly connections?: readonly DeclaredConnection[];
  /** Rules switched off for single objects. */
  readonly exemptions?: readonly Exemption[];
  /** Namespaces where NodePort/LoadBalancer Services are allowed, in addition to the detected ingress namespace. */
  readonly edgeNamespaces?: readonly string[];
  /** Namespaces that exist outside the output (installed with their tools). */
  readonly externalNamespaces?: readonly string[];
  /** Every other environment's own backup bucket (its settings data.yaml `backups.bucket`), by environment. */
  readonly otherBackupBuckets?: Readonly<Record<string, string>>;
  /** The environment being validated (its folder name). */
  readonly environment?: string;
  /** The other environment of a disaster-recovery pair (settings platform.yaml `dr.peer`) and its output, when available. */
  readonly peer?: { readonly environment: string; readonly objects: readonly SourcedObject[] };
}
