import { createHmac, pbkdf2Sync } from 'node:crypto';
import { AES_BLOCK, aesCtsDecryptPieces, aesCtsEncryptPieces } from './aes-cts.js';
import { piecesLength, type BytePieces } from './byte-pieces.js';
import { confounderOf, integrityFailure, macEquals, requireKeyLength, truncatedHmac } from './common.js';
import { KEY_PURPOSE, UsageKeyCache, usageConstant } from './derive-key.js';
import { KerberosCryptoError, type PiecewiseEncryptionType, type SplitCiphertext } from './enctype.js';

/**
 * aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20), RFC 8009. Unlike RFC 3962
 * they derive keys with an HMAC-based KDF (SP 800-108 counter mode) and MAC the ciphertext:
 *
 *   KDF-HMAC-SHA2(key, label, k) = k-truncate(HMAC(key, BE32(1) ‖ label ‖ 0x00 ‖ BE32(k)))
 *   Kc/Ke/Ki = KDF(base, usage ‖ 0x99/0xAA/0x55, 128/128/128 bits or 192/256/192 bits)
 *   encrypt: C = AES-CTS(Ke, IV 0, N(16) ‖ P); H = HMAC(Ki, IV ‖ C)[0..h); output C ‖ H
 *   checksum: HMAC(Kc, data)[0..h)
 *
 * (RFC 8009 "Key Derivation Function" and "Kerberos Algorithm Protocol Parameters"; h is 128 bits
 * with SHA-256 and 192 bits with SHA-384.)
 */

/** RFC 8009 string-to-key ("Key Generation from Pass Phrases"): PBKDF2-HMAC-SHA2 and the KDF. */
export interface AesSha2EncryptionType extends PiecewiseEncryptionType {
  /** saltp = enctype name ‖ 0x00 ‖ salt; tkey = PBKDF2(password, saltp, iterations, keyLength);
   *  key = KDF-HMAC-SHA2(tkey, "kerberos", keyLength). `iterations` defaults to 32768. */
  stringToKey(password: string | Buffer, salt: string | Buffer, iterations?: number): Buffer;
}

interface Sha2Params {
  readonly etype: number;
  readonly name: string;
  readonly hash: 'sha256' | 'sha384';
  readonly keyLength: number;
  /** Length of Kc and Ki, and of the truncated MAC (h), in bytes. */
  readonly macLength: number;
}

const ZERO_IV = Buffer.alloc(AES_BLOCK);
const KERBEROS = Buffer.from('kerberos', 'ascii');

/** RFC 8009 KDF-HMAC-SHA2 (SP 800-108 counter mode, empty context); `bytes` ≤ one HMAC output. */
export function kdfHmacSha2(hash: 'sha256' | 'sha384', key: Buffer, label: Buffer, bytes: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(1, 0);
  const bits = Buffer.alloc(4);
  bits.writeUInt32BE(bytes * 8, 0);
  const mac = createHmac(hash, key).update(Buffer.concat([prefix, label, Buffer.of(0), bits])).digest();
  return mac.subarray(0, bytes);
}

function makeAesSha2(params: Sha2Params): AesSha2EncryptionType {
  const { etype, name, hash, keyLength, macLength } = params;
  const mac = (key: Buffer, data: BytePieces): Buffer => truncatedHmac(hash, key, data, macLength);
  const derived = new UsageKeyCache();
  const ke = (key: Buffer, usage: number): Buffer => {
    requireKeyLength(key, keyLength, name);
    return derived.get(key, usage, KEY_PURPOSE.encryption, () => kdfHmacSha2(hash, key, usageConstant(usage, KEY_PURPOSE.encryption), keyLength));
  };
  const ki = (key: Buffer, usage: number): Buffer =>
    derived.get(key, usage, KEY_PURPOSE.integrity, () => kdfHmacSha2(hash, key, usageConstant(usage, KEY_PURPOSE.integrity), macLength));

  const encryptPieces = (key: Buffer, usage: number, plaintext: BytePieces, confounder?: Buffer): SplitCiphertext => {
    const encryptionKey = ke(key, usage);
    const c = aesCtsEncryptPieces(encryptionKey, [confounderOf(AES_BLOCK, confounder), ...plaintext], ZERO_IV);
    return { ciphertext: c, mac: mac(ki(key, usage), [ZERO_IV, c]) };
  };

  const decryptPieces = (key: Buffer, usage: number, ciphertext: BytePieces, received: Buffer): Buffer => {
    const encryptionKey = ke(key, usage);
    if (piecesLength(ciphertext) < AES_BLOCK || received.length !== macLength) {
      throw new KerberosCryptoError(`${name}: ciphertext is too short`);
    }
    if (!macEquals(mac(ki(key, usage), [ZERO_IV, ...ciphertext]), received)) throw integrityFailure(name);
    return aesCtsDecryptPieces(encryptionKey, ciphertext, ZERO_IV).subarray(AES_BLOCK);
  };

  return {
    etype,
    name,
    keyLength,
    checksumLength: macLength,

    encryptPieces,
    decryptPieces,

    encrypt(key, usage, plaintext, confounder) {
      const { ciphertext, mac: check } = encryptPieces(key, usage, [plaintext], confounder);
      return Buffer.concat([ciphertext, check]);
    },

    decrypt(key, usage, ciphertext) {
      if (ciphertext.length < AES_BLOCK + macLength) {
        throw new KerberosCryptoError(`${name}: ciphertext of ${ciphertext.length} bytes is too short`);
      }
      // Encrypt-then-MAC: decryptPieces verifies before touching the cipher.
      const split = ciphertext.length - macLength;
      return decryptPieces(key, usage, [ciphertext.subarray(0, split)], ciphertext.subarray(split));
    },

    checksum(key, usage, data) {
      requireKeyLength(key, keyLength, name);
      return mac(kdfHmacSha2(hash, key, usageConstant(usage, KEY_PURPOSE.checksum), macLength), [data]);
    },

    stringToKey(password, salt, iterations = 32768) {
      if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0xffffffff) {
        throw new RangeError(`iteration count must be 1 to 2^32-1, got ${iterations}`);
      }
      const saltBytes = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : salt;
      const saltp = Buffer.concat([Buffer.from(name, 'ascii'), Buffer.of(0), saltBytes]);
      const tkey = pbkdf2Sync(password, saltp, iterations, keyLength, hash);
      return kdfHmacSha2(hash, tkey, KERBEROS, keyLength);
    },
  };
}

export const aes128CtsHmacSha256_128: AesSha2EncryptionType = makeAesSha2({
  etype: 19,
  name: 'aes128-cts-hmac-sha256-128',
  hash: 'sha256',
  keyLength: 16,
  macLength: 16,
});

export const aes256CtsHmacSha384_192: AesSha2EncryptionType = makeAesSha2({
  etype: 20,
  name: 'aes256-cts-hmac-sha384-192',
  hash: 'sha384',
  keyLength: 32,
  macLength: 24,
});
