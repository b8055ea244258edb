import { describe, expect, it } from 'vitest';
import { plainResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../constructs/security-context';

describe('security contexts', () => {
  it('pod: non-root uid/gid/fsGroup with RuntimeDefault seccomp (the design document values for 1000)', () => {
    expect(restrictedPodSecurityContext(1000)).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(restrictedPodSecurityContext(1000, 2000)).toMatchObject({ runAsGroup: 2000, fsGroup: 2000 });
    expect(restrictedPodSecurityContext(65534, 65534, null)).not.toHaveProperty('fsGroup');
  });

  it('pod: refuses root', () => {
    expect(() => restrictedPodSecurityContext(0)).toThrow('user 0 is root');
  });

  it('container: no escalation, read-only root, all capabilities dropped', () => {
    expect(restrictedContainerSecurityContext()).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
  });

  it('resources as plain quantities', () => {
    expect(plainResources({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } })).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  });
});
