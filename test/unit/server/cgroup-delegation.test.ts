/**
 * Which cgroups winrmd takes as its own to arrange (server/cgroup-delegation.ts), with the system's
 * answers (cgroup namespace, systemd, the unit's Delegate) given by the test.
 */
import { describe, expect, it } from 'vitest';
import { delegationOf, type DelegationProbe } from '../../../server/cgroup-delegation.js';

const HOST_NAMESPACE = 'cgroup:[4026531835]';

function probe(overrides: Partial<DelegationProbe> & { asked?: string[] } = {}): DelegationProbe {
  return {
    cgroupNamespace: () => HOST_NAMESPACE,
    systemdRunning: () => true,
    unitDelegate: (unit) => {
      overrides.asked?.push(unit);
      return 'no';
    },
    ...overrides,
  };
}

describe('delegationOf', () => {
  it('takes the root of a container’s own cgroup namespace, never the host’s root cgroup', () => {
    expect(delegationOf('/', probe({ cgroupNamespace: () => 'cgroup:[4026532601]' }))).toBeUndefined();
    expect(delegationOf('/', probe())).toMatch(/root cgroup of the host/);
    expect(delegationOf('/', probe({ cgroupNamespace: () => undefined }))).toMatch(/root cgroup of the host/);
  });

  it('takes a systemd unit’s cgroup only with Delegate=yes, asking about that very unit', () => {
    const asked: string[] = [];
    expect(delegationOf('/system.slice/winrmd.service', probe({ unitDelegate: (unit) => (asked.push(unit), 'yes') }))).toBeUndefined();
    expect(delegationOf('/system.slice/run-r1.scope', probe({ unitDelegate: (unit) => (asked.push(unit), 'yes') }))).toBeUndefined();
    expect(asked).toEqual(['winrmd.service', 'run-r1.scope']);
    expect(delegationOf('/system.slice/winrmd.service', probe())).toBe('winrmd.service has no Delegate=yes');
    expect(delegationOf('/system.slice/winrmd.service', probe({ unitDelegate: () => undefined }))).toMatch(/could not tell whether winrmd.service has Delegate=yes/);
  });

  it('takes no other cgroup: a slice, a sub-cgroup, or any cgroup without systemd', () => {
    const asked: string[] = [];
    expect(delegationOf('/system.slice', probe({ asked }))).toMatch(/neither a systemd unit's nor the root of a container's cgroup namespace/);
    expect(delegationOf('/system.slice/winrmd.service/winrmd', probe({ asked }))).toMatch(/neither/);
    expect(delegationOf('/docker/0123abcd', probe({ asked, systemdRunning: () => false }))).toMatch(/neither/);
    expect(delegationOf('/system.slice/winrmd.service', probe({ asked, systemdRunning: () => false }))).toMatch(/neither/);
    expect(asked).toEqual([]);
  });
});
