/**
 * Who may use WinRM: the users Service.RootSDDL's DACL gives Execute (access-check.ts). Windows'
 * default lets in Administrators (BA) and Remote Management Users (RM); everyone else is refused
 * after authenticating.
 */
import { mayConnect } from './access-check.js';
import { parseSddl, type SecurityDescriptor } from './sddl.js';

/** The last RootSDDL parsed: it changes only with a Put of the configuration, so one entry is enough. */
let cached: { readonly text: string; readonly descriptor: SecurityDescriptor } | undefined;

/** `rootSddl` has been checked when the configuration was loaded or Put (config/validators.ts). */
export function mayUseRemoteManagement(rootSddl: string, name: string, groups: readonly string[]): boolean {
  if (cached?.text !== rootSddl) cached = { text: rootSddl, descriptor: parseSddl(rootSddl) };
  return mayConnect(cached.descriptor, { name, groups });
}

export function isAdministrator(groups: readonly string[]): boolean {
  return groups.some((g) => g.toLowerCase() === 'administrators');
}
