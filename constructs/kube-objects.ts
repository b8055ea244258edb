/**
 * The classes the constructs create their Kubernetes objects with, in one place: cdk8s-plus-27's L1 classes
 * (`k8s.Kube*`), the classes `cdk8s import` generated for CRDs (imports/) and cdk8s' `ApiObject`. They render
 * through cdk8s' own `toJson()`.
 * @see https://cdk8s.io/docs/latest/cli/import/
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { ObjectStore as ObjectStoreL1 } from '../imports/barmancloud.cnpg.io';
import { Cluster as ClusterL1, ScheduledBackup as ScheduledBackupL1 } from '../imports/postgresql.cnpg.io';
import { RedisCluster as RedisClusterL1 } from '../imports/redis.redis.opstreelabs.in';

/** cdk8s' ApiObject, for objects typed elsewhere (kubernetes-models interfaces, CRDs without a class). */
export const PlainApiObject = ApiObject;
/** An instance of {@link PlainApiObject}. */
export type PlainApiObject = ApiObject;

/** v1 ConfigMap. */
export const KubeConfigMap = k8s.KubeConfigMap;
/** An instance of {@link KubeConfigMap}. */
export type KubeConfigMap = k8s.KubeConfigMap;
/** v1 Namespace. */
export const KubeNamespace = k8s.KubeNamespace;
/** An instance of {@link KubeNamespace}. */
export type KubeNamespace = k8s.KubeNamespace;
/** v1 Service. */
export const KubeService = k8s.KubeService;
/** An instance of {@link KubeService}. */
export type KubeService = k8s.KubeService;
/** v1 ServiceAccount. */
export const KubeServiceAccount = k8s.KubeServiceAccount;
/** An instance of {@link KubeServiceAccount}. */
export type KubeServiceAccount = k8s.KubeServiceAccount;
/** apps/v1 Deployment. */
export const KubeDeployment = k8s.KubeDeployment;
/** An instance of {@link KubeDeployment}. */
export type KubeDeployment = k8s.KubeDeployment;
/** autoscaling/v2 HorizontalPodAutoscaler. */
export const KubeHorizontalPodAutoscalerV2 = k8s.KubeHorizontalPodAutoscalerV2;
/** An instance of {@link KubeHorizontalPodAutoscalerV2}. */
export type KubeHorizontalPodAutoscalerV2 = k8s.KubeHorizontalPodAutoscalerV2;
/** batch/v1 Job. */
export const KubeJob = k8s.KubeJob;
/** An instance of {@link KubeJob}. */
export type KubeJob = k8s.KubeJob;
/** networking.k8s.io/v1 NetworkPolicy. */
export const KubeNetworkPolicy = k8s.KubeNetworkPolicy;
/** An instance of {@link KubeNetworkPolicy}. */
export type KubeNetworkPolicy = k8s.KubeNetworkPolicy;
/** policy/v1 PodDisruptionBudget. */
export const KubePodDisruptionBudget = k8s.KubePodDisruptionBudget;
/** An instance of {@link KubePodDisruptionBudget}. */
export type KubePodDisruptionBudget = k8s.KubePodDisruptionBudget;
/** rbac.authorization.k8s.io/v1 ClusterRole. */
export const KubeClusterRole = k8s.KubeClusterRole;
/** An instance of {@link KubeClusterRole}. */
export type KubeClusterRole = k8s.KubeClusterRole;
/** rbac.authorization.k8s.io/v1 ClusterRoleBinding. */
export const KubeClusterRoleBinding = k8s.KubeClusterRoleBinding;
/** An instance of {@link KubeClusterRoleBinding}. */
export type KubeClusterRoleBinding = k8s.KubeClusterRoleBinding;
/** rbac.authorization.k8s.io/v1 Role. */
export const KubeRole = k8s.KubeRole;
/** An instance of {@link KubeRole}. */
export type KubeRole = k8s.KubeRole;
/** rbac.authorization.k8s.io/v1 RoleBinding. */
export const KubeRoleBinding = k8s.KubeRoleBinding;
/** An instance of {@link KubeRoleBinding}. */
export type KubeRoleBinding = k8s.KubeRoleBinding;
/** storage.k8s.io/v1 StorageClass. */
export const KubeStorageClass = k8s.KubeStorageClass;
/** An instance of {@link KubeStorageClass}. */
export type KubeStorageClass = k8s.KubeStorageClass;

/** CloudNativePG Cluster (postgresql.cnpg.io/v1). */
export const Cluster = ClusterL1;
/** An instance of {@link Cluster}. */
export type Cluster = ClusterL1;
/** CloudNativePG ScheduledBackup (postgresql.cnpg.io/v1). */
export const ScheduledBackup = ScheduledBackupL1;
/** An instance of {@link ScheduledBackup}. */
export type ScheduledBackup = ScheduledBackupL1;
/** Barman Cloud plugin ObjectStore (barmancloud.cnpg.io/v1). */
export const ObjectStore = ObjectStoreL1;
/** An instance of {@link ObjectStore}. */
export type ObjectStore = ObjectStoreL1;
/** OpsTree RedisCluster (redis.redis.opstreelabs.in/v1beta2). */
export const RedisCluster = RedisClusterL1;
/** An instance of {@link RedisCluster}. */
export type RedisCluster = RedisClusterL1;
