import { aes128CtsHmacSha1_96, aes256CtsHmacSha1_96 } from './aes-sha1.js';
import { aes128CtsHmacSha256_128, aes256CtsHmacSha384_192 } from './aes-sha2.js';
import { macEquals } from './common.js';
import type { EncryptionType } from './enctype.js';
import { rc4Hmac } from './rc4-hmac.js';

/**
 * The Kerberos encryption types the acceptor supports, by RFC 3961 etype number (IANA "Kerberos
 * Encryption Type Numbers"). DES, 3DES, the export RC4 (24) and Camellia are deliberately absent:
 * neither AD nor current MIT issue them by default.
 */

export const ETYPE = {
  aes128CtsHmacSha1_96: 17,
  aes256CtsHmacSha1_96: 18,
  aes128CtsHmacSha256_128: 19,
  aes256CtsHmacSha384_192: 20,
  rc4Hmac: 23,
} as const;

export type SupportedEtype = (typeof ETYPE)[keyof typeof ETYPE];

const BY_ID: ReadonlyMap<number, EncryptionType> = new Map<number, EncryptionType>([
  [ETYPE.aes128CtsHmacSha1_96, aes128CtsHmacSha1_96],
  [ETYPE.aes256CtsHmacSha1_96, aes256CtsHmacSha1_96],
  [ETYPE.aes128CtsHmacSha256_128, aes128CtsHmacSha256_128],
  [ETYPE.aes256CtsHmacSha384_192, aes256CtsHmacSha384_192],
  [ETYPE.rc4Hmac, rc4Hmac],
]);

/** The implementation of `etype`, or undefined for an unsupported or unknown number. */
export function enctypeById(etype: number): EncryptionType | undefined {
  return BY_ID.get(etype);
}

/**
 * Recomputes the etype's keyed checksum over `data` and compares it with `received` in constant
 * time (RFC 3961 verify_mic). Returns false, never throws, for a checksum of the wrong length; a
 * key of the wrong length throws KerberosCryptoError like the other operations.
 */
export function verifyChecksum(enctype: EncryptionType, key: Buffer, usage: number, data: Buffer, received: Buffer): boolean {
  return macEquals(enctype.checksum(key, usage, data), received);
}

export { aes128CtsHmacSha1_96, aes256CtsHmacSha1_96, type AesSha1EncryptionType } from './aes-sha1.js';
export { aes128CtsHmacSha256_128, aes256CtsHmacSha384_192, type AesSha2EncryptionType } from './aes-sha2.js';
export { rc4Hmac, type Rc4HmacEncryptionType } from './rc4-hmac.js';
export { KerberosCryptoError, type EncryptionType } from './enctype.js';
