/**
 * A user-store failure worth showing to the person at the command line. `code` lets the CLI tell a
 * bad argument (exit 2) from a state problem such as a duplicate or a damaged file (exit 1).
 */
export type UserStoreErrorCode = 'invalid-name' | 'invalid-group' | 'invalid-os-user' | 'exists' | 'corrupt';

export class UserStoreError extends Error {
  override readonly name = 'UserStoreError';

  constructor(
    readonly code: UserStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
