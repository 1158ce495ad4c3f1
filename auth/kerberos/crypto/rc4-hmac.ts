import { createHash, createHmac } from 'node:crypto';
import { ntHash } from '../../ntlm/nt-hash.js';
import { Rc4 } from '../../ntlm/rc4.js';
import { confounderOf, integrityFailure, macEquals, requireKeyLength } from './common.js';
import { KerberosCryptoError, type EncryptionType } from './enctype.js';

/**
 * rc4-hmac (23), RFC 4757 "Encryption Types" (the Windows 2000 encryption type, key = NT hash).
 * Only the RFC 3961-style operations for tickets, authenticators and AP-REP are here; RFC 4757's GSS
 * tokens (its GSS-API section) are a different format and RFC 4121 wrap tokens never use this etype.
 *
 *   K1 = HMAC-MD5(K, LE32(T));  confounder = 8 random bytes
 *   checksum = HMAC-MD5(K1, confounder ‖ P);  K3 = HMAC-MD5(K1, checksum)
 *   output checksum(16) ‖ RC4(K3, confounder ‖ P)
 *
 * The keyed checksum is RFC 4757's hmac-md5 ("Checksum Types", cksumtype -138):
 *   Ksign = HMAC-MD5(K, "signaturekey\0");  HMAC-MD5(Ksign, MD5(LE32(T) ‖ data))
 */

const KEY_LENGTH = 16;
const CHECKSUM_LENGTH = 16;
const CONFOUNDER_LENGTH = 8;
const NAME = 'rc4-hmac';
const SIGNATURE_KEY = Buffer.from('signaturekey\0', 'ascii');

/**
 * Maps an RFC 4120 key usage to the message type T that RFC 4757 feeds to the HMAC.
 * T equals the usage except that the AS-REP encrypted part (3) uses 8 like the TGS-REP part, and
 * 23 (MIT's KG_USAGE_SIGN for RFC 4757 GSS tokens) becomes 13, as in MIT krb5's
 * krb5int_arcfour_translate_usage. Usage 9 is discussed in `decrypt`. The acceptor's usages
 * (2 ticket, 11 authenticator, 12 AP-REP) are unchanged.
 */
export function rc4MessageType(usage: number): number {
  if (!Number.isInteger(usage) || usage < 0 || usage > 0xffffffff) {
    throw new RangeError(`key usage must be an unsigned 32-bit integer, got ${usage}`);
  }
  if (usage === 3) return 8;
  if (usage === 23) return 13;
  return usage;
}

function le32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
}

const hmacMd5 = (key: Buffer, data: Buffer): Buffer => createHmac('md5', key).update(data).digest();

/** K1 for message type T. */
function usageKey(key: Buffer, messageType: number): Buffer {
  requireKeyLength(key, KEY_LENGTH, NAME);
  return hmacMd5(key, le32(messageType));
}

/** Decrypts with one message type; undefined when the checksum does not match. */
function tryDecrypt(key: Buffer, messageType: number, ciphertext: Buffer): Buffer | undefined {
  const k1 = usageKey(key, messageType);
  const checksum = ciphertext.subarray(0, CHECKSUM_LENGTH);
  const data = new Rc4(hmacMd5(k1, checksum)).process(ciphertext.subarray(CHECKSUM_LENGTH));
  return macEquals(hmacMd5(k1, data), checksum) ? data.subarray(CONFOUNDER_LENGTH) : undefined;
}

/** rc4-hmac also offers the RC4 string-to-key: the NT hash of the password (RFC 4757 "Key Generation"). */
export interface Rc4HmacEncryptionType extends EncryptionType {
  stringToKey(password: string): Buffer;
}

export const rc4Hmac: Rc4HmacEncryptionType = {
  etype: 23,
  name: NAME,
  keyLength: KEY_LENGTH,
  checksumLength: CHECKSUM_LENGTH,

  encrypt(key, usage, plaintext, confounder) {
    const k1 = usageKey(key, rc4MessageType(usage));
    const data = Buffer.concat([confounderOf(CONFOUNDER_LENGTH, confounder), plaintext]);
    const checksum = hmacMd5(k1, data);
    return Buffer.concat([checksum, new Rc4(hmacMd5(k1, checksum)).process(data)]);
  },

  decrypt(key, usage, ciphertext) {
    if (ciphertext.length < CHECKSUM_LENGTH + CONFOUNDER_LENGTH) {
      throw new KerberosCryptoError(`${NAME}: ciphertext of ${ciphertext.length} bytes is too short`);
    }
    const plain = tryDecrypt(key, rc4MessageType(usage), ciphertext);
    if (plain !== undefined) return plain;
    // RFC 4757 says T = 8 for the TGS-REP part encrypted in the subkey (usage 9), but Windows uses 9;
    // MIT tries 9 and then 8, and so does this.
    if (usage === 9) {
      const legacy = tryDecrypt(key, 8, ciphertext);
      if (legacy !== undefined) return legacy;
    }
    throw integrityFailure(NAME);
  },

  checksum(key, usage, data) {
    requireKeyLength(key, KEY_LENGTH, NAME);
    const ksign = hmacMd5(key, SIGNATURE_KEY);
    const digest = createHash('md5').update(le32(rc4MessageType(usage))).update(data).digest();
    return hmacMd5(ksign, digest);
  },

  stringToKey(password) {
    return ntHash(password);
  },
};
