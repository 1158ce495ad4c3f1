/**
 * Administrators and Remote Management Users from Linux groups (Service.AdministratorsGroup,
 * Service.RemoteManagementUsersGroup), so that a lab manages who may connect with usermod and
 * gpasswd as it manages sudo. They add to the user store's groups; they never take one away.
 */
import { ADMINISTRATORS, REMOTE_MANAGEMENT_USERS } from '../users/groups.js';
import { osAccountOf, type UserRecord } from '../users/user-record.js';
import type { OsAccount } from './os-account.js';

export interface LinuxGroupMapping {
  /** A Linux group whose members are Administrators; empty for none. */
  readonly administrators: string;
  /** A Linux group whose members are Remote Management Users; empty for none. */
  readonly remoteManagementUsers: string;
}

/** The lookups this needs (AccountResolver has them). */
export interface GroupLookup {
  account(name: string): Promise<OsAccount | undefined>;
  groupId(name: string): Promise<number | undefined>;
}

export function mapsAnyLinuxGroup(mapping: LinuxGroupMapping): boolean {
  return mapping.administrators !== '' || mapping.remoteManagementUsers !== '';
}

/**
 * The user's groups from the store, plus each well-known group whose Linux group holds the user's
 * Linux account (as primary or supplementary group). A user without a Linux account gains nothing.
 */
export async function groupsWithLinuxMembership(user: UserRecord, mapping: LinuxGroupMapping, lookup: GroupLookup): Promise<string[]> {
  const groups = [...user.groups];
  const has = (group: string): boolean => groups.some((own) => own.toLowerCase() === group.toLowerCase());
  const wanted = ([[ADMINISTRATORS, mapping.administrators], [REMOTE_MANAGEMENT_USERS, mapping.remoteManagementUsers]] as const).filter(
    ([wellKnown, linuxGroup]) => linuxGroup !== '' && !has(wellKnown),
  );
  if (wanted.length === 0) return groups;
  const account = await lookup.account(osAccountOf(user));
  if (account === undefined) return groups;
  for (const [wellKnown, linuxGroup] of wanted) {
    const gid = await lookup.groupId(linuxGroup);
    if (gid !== undefined && account.groupIds.includes(gid)) groups.push(wellKnown);
  }
  return groups;
}
