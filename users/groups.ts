import type { UserRecord } from './user-record.js';
import { sameName, validateGroupName } from './names.js';

/** BUILTIN\Administrators: full access under the default RootSDDL. */
export const ADMINISTRATORS = 'Administrators';
/** BUILTIN\Remote Management Users: may use WinRM without being an administrator. */
export const REMOTE_MANAGEMENT_USERS = 'Remote Management Users';

const WELL_KNOWN = [ADMINISTRATORS, REMOTE_MANAGEMENT_USERS];

/** Whether the user belongs to `group`, compared the way Windows compares names. */
export function isMemberOf(user: UserRecord, group: string): boolean {
  return user.groups.some((own) => sameName(own, group));
}

/**
 * Validates groups, spells the well-known ones canonically (`administrators` → `Administrators`) so
 * listings look like Windows, and drops case-insensitive duplicates keeping the first spelling.
 */
export function normalizeGroups(groups: readonly string[]): string[] {
  const result: string[] = [];
  for (const group of groups) {
    validateGroupName(group);
    const canonical = WELL_KNOWN.find((known) => sameName(known, group)) ?? group;
    if (!result.some((existing) => sameName(existing, canonical))) result.push(canonical);
  }
  return result;
}
