/** An authenticated, authorised caller, as handlers see it. */
export interface Principal {
  /** The local account name as stored (its case), shown as a shell's Owner. */
  readonly name: string;
  readonly groups: readonly string[];
  /** The HTTP scheme that proved it. */
  readonly authScheme: 'Basic' | 'Negotiate' | 'NTLM' | 'Kerberos';
}

/** Shells belong to an account; account names compare without case, as on Windows. */
export function sameAccount(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
