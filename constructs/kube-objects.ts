/**
 * The classes the constructs create their Kubernetes objects with: cdk8s-plus-27's L1 classes
 * (`k8s.Kube*`), the classes `cdk8s import` generated for CRDs (imports/), and cdk8s' `ApiObject`, each
 * with the one-pass `toJson()` of lib/object-json.ts. Same constructors, props types, statics and output
 * as the classes they wrap (test/environments checks every object against cdk8s' own rendering).
 * Create objects with these, not with `k8s.Kube*` directly: a test fails on any object that does not
 * render through the one-pass path.
 * @see https://cdk8s.io/docs/latest/cli/import/
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { ObjectStore as ObjectStoreL1, toJson_ObjectStoreProps } from '../imports/barmancloud.cnpg.io';
import { Cluster as ClusterL1, ScheduledBackup as ScheduledBackupL1, toJson_ClusterProps, toJson_ScheduledBackupProps } from '../imports/postgresql.cnpg.io';
import { RedisCluster as RedisClusterL1, toJson_RedisClusterProps } from '../imports/redis.redis.opstreelabs.in';
import { withFastJson } from '../lib/object-json';

/** cdk8s' ApiObject, for objects typed elsewhere (kubernetes-models interfaces, CRDs without a class). */
export const PlainApiObject = withFastJson(ApiObject);
/** An instance of {@link PlainApiObject}. */
export type PlainApiObject = ApiObject;

/** v1 ConfigMap. */
export const KubeConfigMap = withFastJson(k8s.KubeConfigMap, k8s.toJson_KubeConfigMapProps);
/** An instance of {@link KubeConfigMap}. */
export type KubeConfigMap = k8s.KubeConfigMap;
/** v1 Namespace. */
export const KubeNamespace = withFastJson(k8s.KubeNamespace, k8s.toJson_KubeNamespaceProps);
/** An instance of {@link KubeNamespace}. */
export type KubeNamespace = k8s.KubeNamespace;
/** v1 Service. */
export const KubeService = withFastJson(k8s.KubeService, k8s.toJson_KubeServiceProps);
/** An instance of {@link KubeService}. */
export type KubeService = k8s.KubeService;
/** v1 ServiceAccount. */
export const KubeServiceAccount = withFastJson(k8s.KubeServiceAccount, k8s.toJson_KubeServiceAccountProps);
/** An instance of {@link KubeServiceAccount}. */
export type KubeServiceAccount = k8s.KubeServiceAccount;
/** apps/v1 Deployment. */
export const KubeDeployment = withFastJson(k8s.KubeDeployment, k8s.toJson_KubeDeploymentProps);
/** An instance of {@link KubeDeployment}. */
export type KubeDeployment = k8s.KubeDeployment;
/** autoscaling/v2 HorizontalPodAutoscaler. */
export const KubeHorizontalPodAutoscalerV2 = withFastJson(k8s.KubeHorizontalPodAutoscalerV2, k8s.toJson_KubeHorizontalPodAutoscalerV2Props);
/** An instance of {@link KubeHorizontalPodAutoscalerV2}. */
export type KubeHorizontalPodAutoscalerV2 = k8s.KubeHorizontalPodAutoscalerV2;
/** batch/v1 Job. */
export const KubeJob = withFastJson(k8s.KubeJob, k8s.toJson_KubeJobProps);
/** An instance of {@link KubeJob}. */
export type KubeJob = k8s.KubeJob;
/** networking.k8s.io/v1 NetworkPolicy. */
export const KubeNetworkPolicy = withFastJson(k8s.KubeNetworkPolicy, k8s.toJson_KubeNetworkPolicyProps);
/** An instance of {@link KubeNetworkPolicy}. */
export type KubeNetworkPolicy = k8s.KubeNetworkPolicy;
/** policy/v1 PodDisruptionBudget. */
export const KubePodDisruptionBudget = withFastJson(k8s.KubePodDisruptionBudget, k8s.toJson_KubePodDisruptionBudgetProps);
/** An instance of {@link KubePodDisruptionBudget}. */
export type KubePodDisruptionBudget = k8s.KubePodDisruptionBudget;
/** rbac.authorization.k8s.io/v1 ClusterRole. */
export const KubeClusterRole = withFastJson(k8s.KubeClusterRole, k8s.toJson_KubeClusterRoleProps);
/** An instance of {@link KubeClusterRole}. */
export type KubeClusterRole = k8s.KubeClusterRole;
/** rbac.authorization.k8s.io/v1 ClusterRoleBinding. */
export const KubeClusterRoleBinding = withFastJson(k8s.KubeClusterRoleBinding, k8s.toJson_KubeClusterRoleBindingProps);
/** An instance of {@link KubeClusterRoleBinding}. */
export type KubeClusterRoleBinding = k8s.KubeClusterRoleBinding;
/** rbac.authorization.k8s.io/v1 Role. */
export const KubeRole = withFastJson(k8s.KubeRole, k8s.toJson_KubeRoleProps);
/** An instance of {@link KubeRole}. */
export type KubeRole = k8s.KubeRole;
/** rbac.authorization.k8s.io/v1 RoleBinding. */
export const KubeRoleBinding = withFastJson(k8s.KubeRoleBinding, k8s.toJson_KubeRoleBindingProps);
/** An instance of {@link KubeRoleBinding}. */
export type KubeRoleBinding = k8s.KubeRoleBinding;
/** storage.k8s.io/v1 StorageClass. */
export const KubeStorageClass = withFastJson(k8s.KubeStorageClass, k8s.toJson_KubeStorageClassProps);
/** An instance of {@link KubeStorageClass}. */
export type KubeStorageClass = k8s.KubeStorageClass;

/** CloudNativePG Cluster (postgresql.cnpg.io/v1). */
export const Cluster = withFastJson(ClusterL1, toJson_ClusterProps);
/** An instance of {@link Cluster}. */
export type Cluster = ClusterL1;
/** CloudNativePG ScheduledBackup (postgresql.cnpg.io/v1). */
export const ScheduledBackup = withFastJson(ScheduledBackupL1, toJson_ScheduledBackupProps);
/** An instance of {@link ScheduledBackup}. */
export type ScheduledBackup = ScheduledBackupL1;
/** Barman Cloud plugin ObjectStore (barmancloud.cnpg.io/v1). */
export const ObjectStore = withFastJson(ObjectStoreL1, toJson_ObjectStoreProps);
/** An instance of {@link ObjectStore}. */
export type ObjectStore = ObjectStoreL1;
/** OpsTree RedisCluster (redis.redis.opstreelabs.in/v1beta2). */
export const RedisCluster = withFastJson(RedisClusterL1, toJson_RedisClusterProps);
/** An instance of {@link RedisCluster}. */
export type RedisCluster = RedisClusterL1;
