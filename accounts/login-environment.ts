/**
 * The environment a login gives an account, built from nothing: winrmd's own variables (its
 * configuration, a password in WINRMD_ADMIN_PASSWORD, a root PATH) must not reach a user's commands.
 */
import type { OsAccount } from './os-account.js';

/** Debian's /etc/login.defs ENV_PATH: the PATH login(1) gives an ordinary account. */
export const LOGIN_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games';
/** Debian's /etc/login.defs ENV_SUPATH: the PATH login(1) gives root. */
export const LOGIN_SUPATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** HOME, USER, LOGNAME, SHELL and PATH, as login(1) sets them. */
export function loginEnvironment(account: OsAccount): Record<string, string> {
  return {
    HOME: account.home,
    USER: account.name,
    LOGNAME: account.name,
    SHELL: account.shell,
    PATH: account.uid === 0 ? LOGIN_SUPATH : LOGIN_PATH,
  };
}
