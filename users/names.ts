import { osAccountNameProblem } from '../accounts/os-account.js';
import { UserStoreError } from './user-store-error.js';

// The characters Windows refuses in local account and group names.
const FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/u;
const CONTROL = /\p{Cc}/u;

/** Windows compares account and group names without regard to case. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function problemWith(name: string, maxLength: number): string | undefined {
  // UTF-16 code units, the unit Windows' own length limits count.
  const length = name.length;
  if (length === 0) return 'it is empty';
  if (length > maxLength) return `it is longer than ${maxLength} characters`;
  if (CONTROL.test(name)) return 'it contains a control character';
  const forbidden = FORBIDDEN.exec(name);
  if (forbidden !== null) return `it contains '${forbidden[0]}' (not allowed: " / \\ [ ] : ; | = , + * ? < > @)`;
  // Leading or trailing blanks survive in a file but not in most clients' credential prompts.
  if (name.trim() !== name) return 'it starts or ends with white space';
  if (/^[. ]+$/u.test(name)) return 'it consists only of dots and spaces';
  return undefined;
}

/** Throws unless `name` is a valid account name: 1–64 characters Windows would also accept. */
export function validateUserName(name: string): void {
  const problem = problemWith(name, 64);
  if (problem !== undefined) throw new UserStoreError('invalid-name', `invalid user name '${name}': ${problem}`);
}

/** Throws unless `group` is a valid group name (same character rules as accounts, up to 256). */
export function validateGroupName(group: string): void {
  const problem = problemWith(group, 256);
  if (problem !== undefined) throw new UserStoreError('invalid-group', `invalid group name '${group}': ${problem}`);
}

/** Throws unless `name` can name a Linux account (see accounts/os-account.ts). */
export function validateOsUserName(name: string): void {
  const problem = osAccountNameProblem(name);
  if (problem !== undefined) throw new UserStoreError('invalid-os-user', `invalid Linux account name '${name}': ${problem}`);
}
