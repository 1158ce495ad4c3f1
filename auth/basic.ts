import { decodeStrictBase64 } from './base64.js';

/** RFC 7617 Basic credentials, as WinRM clients send them on every request. */
export interface BasicCredentials {
  readonly userName: string;
  readonly password: string;
}

/** Parses the value after `Basic `; undefined when it is not base64 of `user:password`. */
export function parseBasicCredentials(token: string): BasicCredentials | undefined {
  const decoded = decodeStrictBase64(token.trim())?.toString('utf8');
  if (decoded === undefined) return undefined;
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Maps the account names Windows accepts for a local account to the local name: `.\alice`,
 * `HOST\alice` and `alice@HOST` all mean the local user `alice`, since winrmd has no domain.
 */
export function localAccountName(userName: string): string {
  const backslash = userName.lastIndexOf('\\');
  if (backslash >= 0) return userName.slice(backslash + 1);
  const at = userName.indexOf('@');
  if (at > 0) return userName.slice(0, at);
  return userName;
}
