import type { BytePieces } from './byte-pieces.js';

/**
 * One Kerberos encryption type (RFC 3961 section 3): the operations the acceptor needs, with the
 * key usage numbers of RFC 4120 section 7.5.1 and RFC 4121 passed by the caller.
 */
export interface EncryptionType {
  /** RFC 3961/3962/4757/8009 etype number: 17, 18, 23, 20. */
  readonly etype: number;
  readonly name: string;
  /** Protocol key length in bytes. */
  readonly keyLength: number;
  /** Length of the etype's keyed checksum (HMAC output as truncated): 12 for aes-sha1, 16 for rc4-hmac. */
  readonly checksumLength: number;
  /** RFC 3961 encrypt: confounder, plaintext, integrity check; `confounder` only for test vectors. */
  encrypt(key: Buffer, usage: number, plaintext: Buffer, confounder?: Buffer): Buffer;
  /** RFC 3961 decrypt; throws KerberosCryptoError when the integrity check fails or the input is malformed. */
  decrypt(key: Buffer, usage: number, ciphertext: Buffer): Buffer;
  /** The etype's keyed checksum (RFC 3961 get_mic), e.g. hmac-sha1-96-aes256 with Kc for the usage. */
  checksum(key: Buffer, usage: number, data: Buffer): Buffer;
}

/** An RFC 3961 encryption's output, C ‖ H, with its two parts kept apart. */
export interface SplitCiphertext {
  readonly ciphertext: Buffer;
  readonly mac: Buffer;
}

/**
 * The AES enctypes, whose output is ciphertext ‖ MAC, also take and give their bytes in pieces
 * (byte-pieces.ts), so that a Wrap token of half a megabyte is laid out without joining copies.
 */
export interface PiecewiseEncryptionType extends EncryptionType {
  /** encrypt() of the pieces' concatenation, its two parts apart. */
  encryptPieces(key: Buffer, usage: number, plaintext: BytePieces, confounder?: Buffer): SplitCiphertext;
  /** decrypt() of `ciphertext` (in pieces) ‖ `mac`; throws KerberosCryptoError likewise. */
  decryptPieces(key: Buffer, usage: number, ciphertext: BytePieces, mac: Buffer): Buffer;
}

export function isPiecewise(enctype: EncryptionType): enctype is PiecewiseEncryptionType {
  return 'encryptPieces' in enctype && 'decryptPieces' in enctype;
}

export class KerberosCryptoError extends Error {
  override readonly name = 'KerberosCryptoError';
}
