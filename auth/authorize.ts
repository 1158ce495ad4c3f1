/**
 * Who may use WinRM: the users Service.RootSDDL's DACL gives Execute (access-check.ts). Windows'
 * default lets in Administrators (BA) and Remote Management Users (RM); everyone else is refused
 * after authenticating.
 */
import { mayConnect } from './access-check.js';
import { parseSddl, type SecurityDescriptor } from './sddl.js';

/**
 * The last RootSDDL parsed, and its answers so far: it changes only with a Put of the
 * configuration, so one entry is enough. The answers spare each request of an authenticated
 * connection the access check's sets of SIDs and names.
 */
let cached: { readonly text: string; readonly descriptor: SecurityDescriptor; readonly answers: Map<string, boolean> } | undefined;

/** Requesters remembered per RootSDDL; past this the answers start over. */
const MAX_ANSWERS = 1000;

/** `rootSddl` has been checked when the configuration was loaded or Put (config/validators.ts). */
export function mayUseRemoteManagement(rootSddl: string, name: string, groups: readonly string[]): boolean {
  if (cached?.text !== rootSddl) cached = { text: rootSddl, descriptor: parseSddl(rootSddl), answers: new Map() };
  // NUL cannot occur in a user or group name, so the key names one requester.
  const key = `${name}\0${groups.join('\0')}`;
  let answer = cached.answers.get(key);
  if (answer === undefined) {
    answer = mayConnect(cached.descriptor, { name, groups });
    if (cached.answers.size >= MAX_ANSWERS) cached.answers.clear();
    cached.answers.set(key, answer);
  }
  return answer;
}

export function isAdministrator(groups: readonly string[]): boolean {
  return groups.some((g) => g.toLowerCase() === 'administrators');
}
