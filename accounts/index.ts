/**
 * Linux accounts: the accounts winrmd users map to, looked up through NSS (getent, id), the
 * environment a login gives them, their profile, Linux groups standing for Windows' well-known
 * groups, and creating an account. The only folder that asks the system about accounts.
 */
export { AccountLookupError, AccountResolver, ACCOUNT_CACHE_MS, runLookup, type LookupResult, type LookupRunner } from './account-resolver.js';
export { createOsAccount, CreateAccountError } from './create-account.js';
export { groupsWithLinuxMembership, mapsAnyLinuxGroup, type GroupLookup, type LinuxGroupMapping } from './linux-groups.js';
export { LOGIN_PATH, LOGIN_SUPATH, loginEnvironment } from './login-environment.js';
export { isPosixShellInterpreter, profilePrelude } from './login-profile.js';
export { isValidOsAccountName, osAccountNameProblem, type OsAccount } from './os-account.js';
