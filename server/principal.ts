/** An authenticated, authorised caller, as handlers see it. */
export interface Principal {
  /** The local account name as stored (its case), shown as a shell's Owner. */
  readonly name: string;
  readonly groups: readonly string[];
  /** The scheme that proved it: Basic for now, Negotiate and Kerberos later. */
  readonly authScheme: 'Basic';
}

/** Shells belong to an account; account names compare without case, as on Windows. */
export function sameAccount(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
