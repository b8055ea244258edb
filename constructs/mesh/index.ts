/** Istio building blocks of the app namespace. */
export * from './authorization';
export * from './identity';
export * from './mesh-telemetry';
export * from './mesh-traffic';
export * from './strict-mtls';
