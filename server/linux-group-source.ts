/**
 * The groups authorization sees when Service.AdministratorsGroup or
 * Service.RemoteManagementUsersGroup name a Linux group: the store's, plus the well-known groups
 * whose Linux group holds the user's account. Read from the live configuration at each logon.
 */
import { groupsWithLinuxMembership, mapsAnyLinuxGroup, type GroupLookup } from '../accounts/index.js';
import type { Config } from '../config/index.js';
import type { GroupSource } from './auth-gate.js';
import type { Logger } from './logger.js';

export function linuxGroupSource(config: Config, lookup: GroupLookup, log: Logger): GroupSource {
  return async (user) => {
    const mapping = {
      administrators: config['Service.AdministratorsGroup'].trim(),
      remoteManagementUsers: config['Service.RemoteManagementUsersGroup'].trim(),
    };
    if (!mapsAnyLinuxGroup(mapping)) return user.groups;
    try {
      return await groupsWithLinuxMembership(user, mapping, lookup);
    } catch (error) {
      // The store's groups still decide; a lookup failure grants nothing.
      log.warn({ event: 'group-lookup-failed', user: user.name, error: error instanceof Error ? error.message : String(error) }, 'could not read Linux group membership');
      return user.groups;
    }
  };
}
