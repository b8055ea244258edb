/** Requests and limits of a container, as Kubernetes quantities (flat construct props, no settings types). */

/** CPU and memory quantities, e.g. `{ cpu: '250m', memory: '512Mi' }`. */
export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}
