/**
 * Whether winrmd's own cgroup is delegated to it, so that winrmd may make cgroups under it and move
 * processes around in it (server/shell-cgroups.ts). Two cases count:
 *
 * - The root of a cgroup namespace other than the host's: a container started with its own cgroup
 *   namespace (podman's and Docker's default on cgroup v2) sees its cgroup as `/`, and with the
 *   cgroup filesystem mounted read-write the subtree is the container's to arrange.
 * - A systemd unit with Delegate=yes: systemd then leaves the unit's subtree alone (without it,
 *   systemd considers the unit's cgroup its own, and a process moved into a sub-cgroup there is a
 *   conflict: systemd-analyze and `systemctl status` show it, a daemon-reload may undo
 *   subtree_control).
 *
 * Anything else (the host's root cgroup, a cgroup another manager made) is not winrmd's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';

import { systemProgram } from '../shell/index.js';

/** The inode of the initial cgroup namespace (PROC_CGROUP_INIT_INO in the kernel's proc_ns.h). */
const INITIAL_CGROUP_NAMESPACE = 'cgroup:[4026531835]';

/** What the check reads of the system, so that a test can say what it finds. */
export interface DelegationProbe {
  /** The target of /proc/self/ns/cgroup, such as `cgroup:[4026531835]`; undefined when unreadable. */
  readonly cgroupNamespace: () => string | undefined;
  /** Whether systemd is the service manager (/run/systemd/system exists). */
  readonly systemdRunning: () => boolean;
  /** The unit's Delegate property as systemctl shows it ("yes", "no"); undefined when it cannot say. */
  readonly unitDelegate: (unit: string) => string | undefined;
}

/** Undefined when `own` (winrmd's cgroup, from /proc/self/cgroup) is delegated to winrmd; else why not. */
export function delegationOf(own: string, probe: DelegationProbe = systemProbe): string | undefined {
  if (own === '/') {
    const namespace = probe.cgroupNamespace();
    if (namespace !== undefined && namespace !== INITIAL_CGROUP_NAMESPACE) return undefined;
    return 'winrmd runs in the root cgroup of the host, which is no process\'s to rearrange';
  }
  const unit = own.slice(own.lastIndexOf('/') + 1);
  if (!probe.systemdRunning() || !/\.(service|scope)$/.test(unit)) {
    return `winrmd's cgroup ${own} is neither a systemd unit's nor the root of a container's cgroup namespace`;
  }
  const delegate = probe.unitDelegate(unit);
  if (delegate === 'yes') return undefined;
  return delegate === undefined ? `systemctl could not tell whether ${unit} has Delegate=yes` : `${unit} has no Delegate=yes`;
}

const systemProbe: DelegationProbe = {
  cgroupNamespace: () => {
    try {
      return readlinkSync('/proc/self/ns/cgroup');
    } catch {
      return undefined;
    }
  },
  systemdRunning: () => existsSync('/run/systemd/system'),
  unitDelegate: (unit) => {
    const systemctl = systemProgram('systemctl');
    if (systemctl === undefined) return undefined;
    try {
      // Once, at start; a few milliseconds over systemd's bus.
      return execFileSync(systemctl, ['show', '--property=Delegate', '--value', '--', unit], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  },
};
