/**
 * The `status.phase` values CloudNativePG v1.30.0 writes on a `postgresql.cnpg.io/v1` Cluster, and the phases a
 * cluster passes through in the routine operations a sync can start or overlap with. Read in
 * cloudnative-pg/cloudnative-pg at tag v1.30.0; the Argo CD health customisation for Cluster is tested against
 * every phase listed here (test/model/argocd-health-customizations.test.ts).
 */

/** Every phase constant of api/v1/cluster_types.go@v1.30.0 (the `Phase*` block). */
export const CNPG_PHASES = {
  switchover: 'Switchover in progress',
  failOver: 'Failing over',
  firstPrimary: 'Setting up primary',
  creatingReplica: 'Creating a new replica',
  upgrade: 'Upgrading cluster',
  majorUpgrade: 'Upgrading Postgres major version',
  upgradeDelayed: 'Cluster upgrade delayed',
  waitingForUser: 'Waiting for user action',
  inplacePrimaryRestart: 'Primary instance is being restarted in-place',
  inplaceDeletePrimaryRestart: 'Primary instance is being restarted without a switchover',
  healthy: 'Cluster in healthy state',
  unknownPlugin: 'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
  failurePlugin: 'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
  imageCatalogError: 'Cluster has incomplete or invalid image catalog',
  unrecoverable: 'Cluster is unrecoverable and needs manual intervention',
  architectureBinaryMissing: 'Cluster cannot execute instance online upgrade due to missing architecture binary',
  waitingForInstancesToBeActive: 'Waiting for the instances to become active',
  onlineUpgrading: 'Online upgrade in progress',
  applyingConfiguration: 'Applying configuration',
  replicaClusterPromotion: 'Promoting to primary cluster',
  cannotCreateClusterObjects: 'Unable to create required cluster objects',
  definitionInvalid: 'Invalid cluster definition',
} as const;

/** A CloudNativePG cluster phase. */
export type CnpgPhase = (typeof CNPG_PHASES)[keyof typeof CNPG_PHASES];

/**
 * Phases of routine operations that end in "Cluster in healthy state" without anyone acting: a sync that
 * overlaps them must wait, not fail.
 * - A restart-requiring parameter change: the instance manager sets "Applying configuration"
 *   (internal/management/controller/instance_controller.go@v1.30.0, `PhaseApplyingConfiguration` on
 *   `PendingRestart`); the operator rolls the replicas ("Upgrading cluster", internal/controller/cluster_upgrade.go)
 *   and, with `primaryUpdateStrategy: unsupervised` and the default `primaryUpdateMethod: restart`
 *   (api/v1/cluster_types.go `+kubebuilder:default:=restart`), restarts the primary in place
 *   ("Primary instance is being restarted in-place", or "... without a switchover" when the pod must be
 *   recreated; cluster_upgrade.go `updatePrimaryPod`); with `primaryUpdateMethod: switchover` it switches over.
 * - A node drain or an unhealthy target primary: "Switchover in progress" (internal/controller/replicas.go).
 * - New instances: "Creating a new replica", "Waiting for the instances to become active".
 * - An operator upgrade: "Online upgrade in progress".
 */
export const CNPG_TRANSIENT_PHASES: readonly CnpgPhase[] = [
  CNPG_PHASES.firstPrimary,
  CNPG_PHASES.creatingReplica,
  CNPG_PHASES.upgrade,
  CNPG_PHASES.waitingForInstancesToBeActive,
  CNPG_PHASES.replicaClusterPromotion,
  CNPG_PHASES.switchover,
  CNPG_PHASES.applyingConfiguration,
  CNPG_PHASES.inplacePrimaryRestart,
  CNPG_PHASES.inplaceDeletePrimaryRestart,
  CNPG_PHASES.onlineUpgrading,
  CNPG_PHASES.majorUpgrade,
];

/** Phases that need a person (or are a real failure): a sync must fail, not wait. */
export const CNPG_FAILED_PHASES: readonly CnpgPhase[] = [
  CNPG_PHASES.failOver,
  CNPG_PHASES.upgradeDelayed,
  CNPG_PHASES.waitingForUser,
  CNPG_PHASES.architectureBinaryMissing,
  CNPG_PHASES.unknownPlugin,
  CNPG_PHASES.failurePlugin,
  CNPG_PHASES.imageCatalogError,
  CNPG_PHASES.unrecoverable,
  CNPG_PHASES.cannotCreateClusterObjects,
  CNPG_PHASES.definitionInvalid,
];

/**
 * The phase sequences of the routine operations above, as a sync sees them (each ends healthy).
 * instance_controller.go, cluster_upgrade.go and replicas.go@v1.30.0.
 */
export const CNPG_ROUTINE_SEQUENCES: Readonly<Record<string, readonly CnpgPhase[]>> = {
  'restart-requiring parameter change (unsupervised, primaryUpdateMethod restart)': [
    CNPG_PHASES.applyingConfiguration, CNPG_PHASES.upgrade, CNPG_PHASES.inplacePrimaryRestart, CNPG_PHASES.waitingForInstancesToBeActive, CNPG_PHASES.healthy,
  ],
  'restart-requiring parameter change (unsupervised, primaryUpdateMethod switchover)': [
    CNPG_PHASES.applyingConfiguration, CNPG_PHASES.upgrade, CNPG_PHASES.switchover, CNPG_PHASES.waitingForInstancesToBeActive, CNPG_PHASES.healthy,
  ],
  'primary pod recreated for a change that cannot be applied in place': [CNPG_PHASES.upgrade, CNPG_PHASES.inplaceDeletePrimaryRestart, CNPG_PHASES.healthy],
  'node drain moves the primary': [CNPG_PHASES.switchover, CNPG_PHASES.waitingForInstancesToBeActive, CNPG_PHASES.healthy],
  'first creation': [CNPG_PHASES.firstPrimary, CNPG_PHASES.creatingReplica, CNPG_PHASES.waitingForInstancesToBeActive, CNPG_PHASES.healthy],
};
