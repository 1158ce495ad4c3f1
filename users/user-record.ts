/**
 * A user as the rest of winrmd sees it. It deliberately has no password hash: verification happens
 * inside UserStore, so the hash cannot end up in a log line or a response by accident.
 */
export interface UserRecord {
  readonly name: string;
  readonly groups: readonly string[];
  /** The Linux account the user's commands run as, when it is not the one named like the user. */
  readonly osUser?: string;
}

/**
 * The Linux account a user maps to: the stored one, else the account of the same name, spelled as
 * stored (Linux names are case-sensitive, so `Alice` does not map to `alice`).
 */
export function osAccountOf(user: { readonly name: string; readonly osUser?: string | undefined }): string {
  return user.osUser ?? user.name;
}
