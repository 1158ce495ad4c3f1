import { pbkdf2Sync } from 'node:crypto';
import { AES_BLOCK, aesCtsDecryptPieces, aesCtsEncryptPieces } from './aes-cts.js';
import { piecesLength, type BytePieces } from './byte-pieces.js';
import { confounderOf, integrityFailure, macEquals, requireKeyLength, truncatedHmac } from './common.js';
import { aesDeriveKey, KEY_PURPOSE, UsageKeyCache, usageConstant, type KeyPurpose } from './derive-key.js';
import { KerberosCryptoError, type PiecewiseEncryptionType, type SplitCiphertext } from './enctype.js';

/**
 * aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18): RFC 3962 on top of the RFC 3961
 * simplified profile (section 5.3).
 *
 *   Ke = DK(base, usage ‖ 0xAA), Ki = DK(base, usage ‖ 0x55), Kc = DK(base, usage ‖ 0x99)
 *   encrypt: C = AES-CTS(Ke, IV 0, confounder(16) ‖ P); H = HMAC-SHA1(Ki, confounder ‖ P)[0..12)
 *            output C ‖ H (MAC over the plaintext, so decryption happens before verification)
 *   checksum: HMAC-SHA1(Kc, data)[0..12)
 */

/** The AES-SHA1 enctypes can also make keys from passwords (RFC 3962 section 4). */
export interface AesSha1EncryptionType extends PiecewiseEncryptionType {
  /**
   * RFC 3962 4 string-to-key: tkey = PBKDF2-HMAC-SHA1(password, salt, iterations, keyLength),
   * key = DK(tkey, "kerberos"). `iterations` is the s2kparams value, 4096 by default. AD salts are
   * `REALMuser` for users and `REALMhost<lower-case fqdn>` for computer accounts.
   */
  stringToKey(password: string | Buffer, salt: string | Buffer, iterations?: number): Buffer;
}

const HMAC_LENGTH = 12; // HMAC-SHA1-96
const KERBEROS = Buffer.from('kerberos', 'ascii');

function hmacSha1_96(key: Buffer, data: BytePieces): Buffer {
  return truncatedHmac('sha1', key, data, HMAC_LENGTH);
}

function makeAesSha1(etype: number, name: string, keyLength: number): AesSha1EncryptionType {
  const derived = new UsageKeyCache();
  const usageKey = (key: Buffer, usage: number, purpose: KeyPurpose): Buffer => {
    requireKeyLength(key, keyLength, name);
    return derived.get(key, usage, purpose, () => aesDeriveKey(key, usageConstant(usage, purpose)));
  };

  const encryptPieces = (key: Buffer, usage: number, plaintext: BytePieces, confounder?: Buffer): SplitCiphertext => {
    const ke = usageKey(key, usage, KEY_PURPOSE.encryption);
    const ki = usageKey(key, usage, KEY_PURPOSE.integrity);
    const data = [confounderOf(AES_BLOCK, confounder), ...plaintext];
    return { ciphertext: aesCtsEncryptPieces(ke, data), mac: hmacSha1_96(ki, data) };
  };

  const decryptPieces = (key: Buffer, usage: number, ciphertext: BytePieces, mac: Buffer): Buffer => {
    if (piecesLength(ciphertext) < AES_BLOCK || mac.length !== HMAC_LENGTH) {
      throw new KerberosCryptoError(`${name}: ciphertext is too short`);
    }
    const ke = usageKey(key, usage, KEY_PURPOSE.encryption);
    const ki = usageKey(key, usage, KEY_PURPOSE.integrity);
    const data = aesCtsDecryptPieces(ke, ciphertext);
    if (!macEquals(hmacSha1_96(ki, [data]), mac)) throw integrityFailure(name);
    return data.subarray(AES_BLOCK);
  };

  return {
    etype,
    name,
    keyLength,
    checksumLength: HMAC_LENGTH,
    encryptPieces,
    decryptPieces,

    encrypt(key, usage, plaintext, confounder) {
      const { ciphertext, mac } = encryptPieces(key, usage, [plaintext], confounder);
      return Buffer.concat([ciphertext, mac]);
    },

    decrypt(key, usage, ciphertext) {
      if (ciphertext.length < AES_BLOCK + HMAC_LENGTH) {
        throw new KerberosCryptoError(`${name}: ciphertext of ${ciphertext.length} bytes is too short`);
      }
      const split = ciphertext.length - HMAC_LENGTH;
      return decryptPieces(key, usage, [ciphertext.subarray(0, split)], ciphertext.subarray(split));
    },

    checksum(key, usage, data) {
      return hmacSha1_96(usageKey(key, usage, KEY_PURPOSE.checksum), [data]);
    },

    stringToKey(password, salt, iterations = 4096) {
      if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0xffffffff) {
        throw new RangeError(`iteration count must be 1 to 2^32-1, got ${iterations}`);
      }
      const tkey = pbkdf2Sync(password, salt, iterations, keyLength, 'sha1');
      return aesDeriveKey(tkey, KERBEROS);
    },
  };
}

export const aes128CtsHmacSha1_96: AesSha1EncryptionType = makeAesSha1(17, 'aes128-cts-hmac-sha1-96', 16);
export const aes256CtsHmacSha1_96: AesSha1EncryptionType = makeAesSha1(18, 'aes256-cts-hmac-sha1-96', 32);
