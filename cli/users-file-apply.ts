/** Makes the user store hold what WINRMD_USERS_FILE declares, at each start of `winrmd serve`. */
import { normalizeGroups } from '../users/groups.js';
import { sameName, validateOsUserName, validateUserName } from '../users/names.js';
import { osAccountOf, type UserRecord } from '../users/user-record.js';
import type { UserStore } from '../users/user-store.js';
import type { CliIo } from './io.js';
import { prepareOsAccount } from './os-account-setup.js';
import type { DeclaredUser } from './users-file.js';

export interface UsersFileOutcome {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

function sameGroups(stored: readonly string[], declared: readonly string[]): boolean {
  const wanted = normalizeGroups(declared);
  return stored.length === wanted.length && wanted.every((group) => stored.some((own) => sameName(own, group)));
}

async function matches(store: UserStore, existing: UserRecord, user: DeclaredUser): Promise<boolean> {
  if (existing.name !== user.name || existing.osUser !== user.osUser || !sameGroups(existing.groups, user.groups)) return false;
  // The password last: checking it costs a scrypt.
  return (await store.verify(user.name, user.password)) !== undefined;
}

/**
 * Adds each declared user that is missing and replaces each whose password, groups or account
 * mapping differ from the file (the file is the truth for the users it names; users it does not
 * name, the first-start Administrator among them, are left alone). Each user's Linux account is
 * created first when `createOsUser` and missing (a container's /etc/passwd does not survive the
 * container; the state volume does, so this runs at every start). Everything is checked before
 * anything changes.
 */
export async function applyUsersFile(store: UserStore, users: readonly DeclaredUser[], io: CliIo): Promise<UsersFileOutcome> {
  for (const user of users) {
    validateUserName(user.name);
    validateOsUserName(osAccountOf(user));
    normalizeGroups(user.groups);
  }
  const added: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  for (const user of users) {
    await prepareOsAccount(osAccountOf(user), user.name, user.createOsUser, io, false);
    const existing = await store.find(user.name);
    if (existing !== undefined && (await matches(store, existing, user))) {
      unchanged.push(user.name);
      continue;
    }
    if (existing !== undefined) await store.remove(existing.name);
    await store.add(user.name, user.password, user.groups, user.osUser);
    (existing === undefined ? added : updated).push(user.name);
  }
  return { added, updated, unchanged };
}
