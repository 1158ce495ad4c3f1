/**
 * A user as the rest of winrmd sees it. It deliberately has no password hash: verification happens
 * inside UserStore, so the hash cannot end up in a log line or a response by accident.
 */
export interface UserRecord {
  readonly name: string;
  readonly groups: readonly string[];
}
