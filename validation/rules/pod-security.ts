/**
 * The restricted Pod Security Standard (all controls of the baseline and restricted profiles), for every
 * pod template of the output, init and ephemeral containers included.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import { arr } from '../../model/shape';
import { finding, type Rule, type RuleContext } from '../rule';
import type { Finding } from '../types';
import { containersOf, type ContainerRef, type PodTemplate } from '../../model/workloads';

type SC = Record<string, any>;

/** Sysctls the baseline profile allows. */
export const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
/** Volume types the restricted profile allows. */
export const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

type PodCheck = (t: PodTemplate, pod: SC) => Array<[string, string]>;
type ContainerCheck = (c: ContainerRef, sc: SC, pod: SC, t: PodTemplate) => Array<[string, string]>;

function perPod(check: PodCheck) {
  return (ctx: RuleContext): Finding[] =>
    ctx.pods.flatMap((t) => check(t, t.spec.securityContext ?? {}).map(([path, msg]) => finding(t.source, path, msg)));
}

function perContainer(check: ContainerCheck) {
  return (ctx: RuleContext): Finding[] =>
    ctx.pods.flatMap((t) =>
      containersOf(t).flatMap((c) => check(c, (c.container.securityContext ?? {}) as SC, t.spec.securityContext ?? {}, t).map(([path, msg]) => finding(t.source, path, `container "${c.container.name}": ${msg}`))),
    );
}

const scPath = (c: ContainerRef, field: string) => `${c.path}.securityContext.${field}`;

/** Pod Security Standard rules (ids `pss/*`). */
export const podSecurityRules: readonly Rule[] = [
  {
    id: 'pss/host-process',
    description: 'No Windows HostProcess containers (windowsOptions.hostProcess).',
    fix: 'Remove securityContext.windowsOptions.hostProcess.',
    check: (ctx) => [
      ...perPod((t, pod) => (pod.windowsOptions?.hostProcess ? [[`${t.specPath}.securityContext.windowsOptions.hostProcess`, 'hostProcess is true']] : []))(ctx),
      ...perContainer((c, sc) => (sc.windowsOptions?.hostProcess ? [[scPath(c, 'windowsOptions.hostProcess'), 'hostProcess is true']] : []))(ctx),
    ],
  },
  {
    id: 'pss/host-namespaces',
    description: 'No sharing of host namespaces (hostNetwork, hostPID, hostIPC).',
    fix: 'Remove hostNetwork/hostPID/hostIPC from the pod spec (or set them to false).',
    check: perPod((t) => (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => t.spec[f] === true).map((f) => [`${t.specPath}.${f}`, `${f} is true`])),
  },
  {
    id: 'pss/privileged',
    description: 'No privileged containers.',
    fix: 'Remove securityContext.privileged (or set it to false).',
    check: perContainer((c, sc) => (sc.privileged === true ? [[scPath(c, 'privileged'), 'privileged is true']] : [])),
  },
  {
    id: 'pss/capabilities',
    description: 'Containers drop ALL capabilities and add at most NET_BIND_SERVICE.',
    fix: 'Set securityContext.capabilities: { drop: [ALL] } and add nothing but NET_BIND_SERVICE.',
    check: perContainer((c, sc) => {
      const out: Array<[string, string]> = [];
      const drop: unknown[] = arr(sc.capabilities?.drop as unknown[] | undefined);
      if (!drop.includes('ALL')) out.push([scPath(c, 'capabilities.drop'), `capabilities.drop is ${JSON.stringify(drop)}, must contain "ALL"`]);
      const extra = arr(sc.capabilities?.add as string[] | undefined).filter((a) => a !== 'NET_BIND_SERVICE');
      if (extra.length > 0) out.push([scPath(c, 'capabilities.add'), `adds ${extra.join(', ')}; only NET_BIND_SERVICE may be added`]);
      return out;
    }),
  },
  {
    id: 'pss/host-path',
    description: 'No hostPath volumes.',
    fix: 'Use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of hostPath.',
    check: perPod((t) => arr(t.spec.volumes).flatMap((v, i) => (v.hostPath ? [[`${t.specPath}.volumes[${i}].hostPath`, `volume "${v.name}" is a hostPath`] as [string, string]] : []))),
  },
  {
    id: 'pss/host-ports',
    description: 'No container port is bound to a host port.',
    fix: 'Remove hostPort; expose the port through a Service.',
    check: perContainer((c) => arr(c.container.ports).flatMap((p, i) => (p.hostPort ? [[`${c.path}.ports[${i}].hostPort`, `hostPort ${p.hostPort}`] as [string, string]] : []))),
  },
  {
    id: 'pss/apparmor',
    description: 'AppArmor profile, if set, is RuntimeDefault or Localhost (field or legacy annotation).',
    fix: 'Set appArmorProfile.type to RuntimeDefault (or Localhost with a profile), never Unconfined.',
    check: (ctx) => [
      ...perPod((t, pod) => {
        const out: Array<[string, string]> = [];
        if (pod.appArmorProfile?.type && !['RuntimeDefault', 'Localhost'].includes(pod.appArmorProfile.type)) out.push([`${t.specPath}.securityContext.appArmorProfile.type`, `AppArmor profile ${pod.appArmorProfile.type}`]);
        for (const [k, v] of Object.entries(t.annotations)) {
          if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'runtime/default' && !v.startsWith('localhost/')) out.push([`metadata.annotations.${k}`, `AppArmor annotation ${v}`]);
        }
        return out;
      })(ctx),
      ...perContainer((c, sc) => (sc.appArmorProfile?.type && !['RuntimeDefault', 'Localhost'].includes(sc.appArmorProfile.type) ? [[scPath(c, 'appArmorProfile.type'), `AppArmor profile ${sc.appArmorProfile.type}`]] : []))(ctx),
    ],
  },
  {
    id: 'pss/selinux',
    description: 'SELinux: type is empty or a container type; user and role are not set.',
    fix: 'Remove seLinuxOptions.user/role and use type container_t (or leave seLinuxOptions out).',
    check: (ctx) => {
      const bad = (o: SC | undefined): string | undefined => {
        if (!o) return undefined;
        if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) return `seLinuxOptions.type ${o.type}`;
        if (o.user) return `seLinuxOptions.user ${o.user}`;
        if (o.role) return `seLinuxOptions.role ${o.role}`;
        return undefined;
      };
      return [
        ...perPod((t, pod) => { const b = bad(pod.seLinuxOptions); return b ? [[`${t.specPath}.securityContext.seLinuxOptions`, b]] : []; })(ctx),
        ...perContainer((c, sc) => { const b = bad(sc.seLinuxOptions); return b ? [[scPath(c, 'seLinuxOptions'), b]] : []; })(ctx),
      ];
    },
  },
  {
    id: 'pss/proc-mount',
    description: 'procMount is Default (or unset).',
    fix: 'Remove securityContext.procMount.',
    check: perContainer((c, sc) => (sc.procMount !== undefined && sc.procMount !== 'Default' ? [[scPath(c, 'procMount'), `procMount ${sc.procMount}`]] : [])),
  },
  {
    id: 'pss/seccomp',
    description: 'Seccomp profile RuntimeDefault or Localhost is set on the pod or on every container; never Unconfined.',
    fix: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod.',
    check: (ctx) => [
      ...perPod((t, pod) => (pod.seccompProfile?.type !== undefined && !['RuntimeDefault', 'Localhost'].includes(pod.seccompProfile.type) ? [[`${t.specPath}.securityContext.seccompProfile.type`, `pod seccomp profile ${pod.seccompProfile.type}`]] : []))(ctx),
      ...perContainer((c, sc, pod) => {
      const type = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
      if (sc.seccompProfile?.type === 'Unconfined') return [[scPath(c, 'seccompProfile.type'), 'seccomp Unconfined']];
      return type === 'RuntimeDefault' || type === 'Localhost' ? [] : [[scPath(c, 'seccompProfile'), `seccomp profile is ${type ?? 'not set'} (pod and container)`]];
      })(ctx),
    ],
  },
  {
    id: 'pss/sysctls',
    description: 'Only the safe sysctls of the baseline profile.',
    fix: 'Remove the sysctl from spec.securityContext.sysctls or tune the node instead.',
    check: perPod((t, pod) => (arr(pod.sysctls) as Array<{ name: string }>).flatMap((s, i) => (SAFE_SYSCTLS.has(s.name) ? [] : [[`${t.specPath}.securityContext.sysctls[${i}]`, `unsafe sysctl ${s.name}`] as [string, string]]))),
  },
  {
    id: 'pss/volume-types',
    description: 'Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret (and image) volumes.',
    fix: 'Use an allowed volume type (a PersistentVolumeClaim for storage).',
    check: perPod((t) =>
      arr(t.spec.volumes).flatMap((v, i) => {
        const types = Object.keys(v).filter((k) => k !== 'name');
        const bad = types.filter((k) => !ALLOWED_VOLUME_TYPES.has(k));
        return bad.length ? [[`${t.specPath}.volumes[${i}]`, `volume "${v.name}" has type ${bad.join(', ')}`] as [string, string]] : [];
      }),
    ),
  },
  {
    id: 'pss/privilege-escalation',
    description: 'allowPrivilegeEscalation is false on every container.',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on the container.',
    check: perContainer((c, sc) => (sc.allowPrivilegeEscalation === false ? [] : [[scPath(c, 'allowPrivilegeEscalation'), `allowPrivilegeEscalation is ${sc.allowPrivilegeEscalation ?? 'not set'}`]])),
  },
  {
    id: 'pss/run-as-non-root',
    description: 'runAsNonRoot is true on the pod or on every container (and not false on any).',
    fix: 'Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser).',
    check: perContainer((c, sc, pod) => ((sc.runAsNonRoot ?? pod.runAsNonRoot) === true ? [] : [[scPath(c, 'runAsNonRoot'), `runAsNonRoot is ${sc.runAsNonRoot ?? pod.runAsNonRoot ?? 'not set'}`]])),
  },
  {
    id: 'pss/run-as-user',
    description: 'runAsUser is not 0 (root) on the pod or any container.',
    fix: 'Use a non-zero UID, e.g. runAsUser: 1000.',
    check: (ctx) => [
      ...perPod((t, pod) => (pod.runAsUser === 0 ? [[`${t.specPath}.securityContext.runAsUser`, 'runAsUser is 0']] : []))(ctx),
      ...perContainer((c, sc) => (sc.runAsUser === 0 ? [[scPath(c, 'runAsUser'), 'runAsUser is 0']] : []))(ctx),
    ],
  },
];
