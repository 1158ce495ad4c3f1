/**
 * The groups Windows' default RootSDDL lets in: Administrators (BA) and, since Windows Server
 * 2012, Remote Management Users. Everyone else is refused after authenticating.
 */
const REMOTE_ACCESS_GROUPS = ['administrators', 'remote management users'];

export function mayUseRemoteManagement(groups: readonly string[]): boolean {
  return groups.some((g) => REMOTE_ACCESS_GROUPS.includes(g.toLowerCase()));
}

export function isAdministrator(groups: readonly string[]): boolean {
  return groups.some((g) => g.toLowerCase() === 'administrators');
}
