/** The shape in which an operator model states what it makes from one custom resource. */

/** A port a derived pod listens on. */
export interface DerivedPort {
  readonly port: number;
  readonly name?: string;
  readonly protocol?: string;
}

/** What an operator (or a chart an Argo CD Application installs) creates from one object. */
export interface DerivedObjects {
  /** Pods (one entry per pod template or, where pods differ in labels, per pod). */
  readonly pods: ReadonlyArray<{
    readonly what: string;
    readonly labels: Record<string, string>;
    readonly ports: readonly DerivedPort[];
    /** How many pods run with these labels, where the model knows it (absent: not stated). */
    readonly replicas?: number;
  }>;
  /** Services with their selectors and ports (targetPort defaults to the port). */
  readonly services: ReadonlyArray<{ readonly name: string; readonly selector: Record<string, string>; readonly ports: ReadonlyArray<DerivedPort & { readonly targetPort?: number | string }> }>;
  /** Names of Secrets it creates (same namespace). */
  readonly secrets: readonly string[];
}

export const NOTHING_DERIVED: DerivedObjects = { pods: [], services: [], secrets: [] };
