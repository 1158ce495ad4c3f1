/**
 * The acceptor side of a connection-oriented authentication mechanism (NTLM, Kerberos, SPNEGO
 * over either), as the HTTP layer drives it: feed each token from `Authorization`, send back
 * what `step` returns in `WWW-Authenticate`, and once complete, wrap and unwrap WinRM messages.
 * Implementations are pure: credentials come through an injected lookup, time and randomness too.
 */
export type StepResult =
  | { readonly kind: 'continue'; readonly token: Buffer }
  | { readonly kind: 'complete'; readonly token: Buffer | undefined; readonly identity: AuthenticatedIdentity }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      /** Who the client said it was, when the token got that far: for the failed-logon log. */
      readonly clientUserName?: string | undefined;
    };

export interface AuthenticatedIdentity {
  /** The local account name as the credential lookup returned it. */
  readonly accountName: string;
  /** The user and domain names exactly as the client sent them, for the log. */
  readonly clientUserName: string;
  readonly clientDomain: string;
  readonly mechanism: 'NTLM' | 'Kerberos';
}

/** A signed-and-sealed WinRM message part: the security header (signature or token header) and the sealed data. */
export interface WrappedMessage {
  readonly header: Buffer;
  readonly data: Buffer;
}

export interface SecurityContext {
  step(token: Buffer): Promise<StepResult>;
  /** Seals a message to the client (server-to-client keys and sequence). Only after completion. */
  wrap(plaintext: Buffer): WrappedMessage;
  /**
   * Verifies and unseals a message from the client; throws MessageSecurityError if it does not
   * verify. A mechanism that can write the plaintext into memory from `allocate` does (NTLM: the
   * listener's pooled memory for large requests); others allocate their own.
   */
  unwrap(message: WrappedMessage, allocate?: (size: number) => Buffer): Buffer;
  /**
   * Uses otherwise idle time to get ready for the next messages (NTLM: RC4 key stream made ahead,
   * as much as the last large message took). Optional; never throws; a no-op when there is nothing
   * to do or the context is not established.
   */
  prepare?(): void;
}

/** A message that failed its signature, sequence or framing check; the context must then be dropped. */
export class MessageSecurityError extends Error {
  override readonly name = 'MessageSecurityError';
}
