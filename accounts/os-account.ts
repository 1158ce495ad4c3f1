/**
 * A Linux account as winrmd needs it to run a user's commands: who to become (uid, gid, every group
 * the account is in) and what a login would set up (home, shell).
 */
export interface OsAccount {
  readonly name: string;
  readonly uid: number;
  /** The primary group, from the passwd entry. */
  readonly gid: number;
  /**
   * Every group id the account is in, the primary one included, as initgroups(3) computes them:
   * what the supplementary group list of its processes must be.
   */
  readonly groupIds: readonly number[];
  readonly home: string;
  /** The login shell from the passwd entry; /bin/sh when the entry leaves it empty, as login(1) does. */
  readonly shell: string;
}

// The characters useradd and the NSS modules accept in practice (including Samba's and SSSD's
// machine accounts ending in $). Anything else cannot name a Linux account and is refused before it
// reaches getent or id as an argument.
const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@-]*\$?$/;

/** The longest name glibc's lookups handle without trouble (LOGIN_NAME_MAX is 256 with the NUL). */
const MAX_LENGTH = 255;

/**
 * Why `name` cannot name a Linux account, or undefined when it can. An all-digit name is refused
 * because getent and id read it as a uid: `getent passwd 0` is root whatever the name was meant to be.
 */
export function osAccountNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.length > MAX_LENGTH) return `it is longer than ${MAX_LENGTH} characters`;
  if (/^\d+$/.test(name)) return 'it is all digits (getent and id would read it as a uid)';
  if (!ACCOUNT_NAME.test(name)) return 'only letters, digits, _ . @ - and a final $ are allowed, and it must not start with - . or @';
  return undefined;
}

export function isValidOsAccountName(name: string): boolean {
  return osAccountNameProblem(name) === undefined;
}
