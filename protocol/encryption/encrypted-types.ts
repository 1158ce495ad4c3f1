/**
 * Shared vocabulary of WinRM message encryption [MS-WSMV 2.2.9.1]: the protocol strings that name
 * the security mechanism, one encrypted MIME part, and the error every parse failure raises.
 */

/** The `protocol=` values of [MS-WSMV 2.2.9.1.1–2.2.9.1.3]; SPNEGO covers NTLM and Kerberos under `Negotiate`. */
export const ENCRYPTION_PROTOCOL = {
  spnego: 'application/HTTP-SPNEGO-session-encrypted',
  kerberos: 'application/HTTP-Kerberos-session-encrypted',
  credssp: 'application/HTTP-CredSSP-session-encrypted',
} as const;

export type EncryptionProtocol = (typeof ENCRYPTION_PROTOCOL)[keyof typeof ENCRYPTION_PROTOCOL];

/** The only boundary any client or Windows uses; it is still read from the Content-Type header. */
export const DEFAULT_BOUNDARY = 'Encrypted Boundary';

/**
 * One encrypted message part [MS-WSMV 2.2.9.1.1]. The binary payload after the octet-stream line is
 * `LE32(header.length) ‖ header ‖ data`. For NTLM the header is the 16-byte signature and data the
 * sealed message; for Kerberos the header is the wrap-token head. For CredSSP the 4-byte field holds
 * the TLS trailer length instead, and `header ‖ data` together are the TLS records: concatenate them.
 */
export interface EncryptedPart {
  /** The part's `Content-Type` value, e.g. `application/HTTP-SPNEGO-session-encrypted`. */
  readonly protocol: string;
  /** The `type=` of `OriginalContent` with its other parameters, e.g. `application/soap+xml;charset=UTF-8`. */
  readonly originalContentType: string;
  /** The `Length=` of `OriginalContent`: plaintext length (plus GSS padding for RC4 Kerberos clients). */
  readonly originalLength: number;
  readonly header: Buffer;
  readonly data: Buffer;
}

/** A multipart/encrypted body that cannot be taken apart. The only error `unframeEncrypted` throws. */
export class EncryptedBodyError extends Error {
  override readonly name = 'EncryptedBodyError';
}

/** Returns the canonical spelling when `value` names a known protocol in any letter case. */
export function canonicalProtocol(value: string): string {
  const lower = value.toLowerCase();
  for (const known of Object.values(ENCRYPTION_PROTOCOL)) {
    if (known.toLowerCase() === lower) return known;
  }
  return value;
}
