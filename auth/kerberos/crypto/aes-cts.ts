import { createCipheriv, createDecipheriv } from 'node:crypto';
import { KerberosCryptoError } from './enctype.js';

/**
 * AES in CBC mode with ciphertext stealing as RFC 3962 section 5 defines it for Kerberos: the
 * CBC-CS3 variant of NIST SP 800-38A Addendum, where the last two ciphertext blocks are always
 * swapped (even when the input is a whole number of blocks) and the last one is truncated to the
 * length of the final partial plaintext block. One block of input is plain CBC. Inputs shorter than
 * one block are rejected: Kerberos never produces them (the confounder alone is a block).
 */

export const AES_BLOCK = 16;
const ZERO_IV = Buffer.alloc(AES_BLOCK);

function algorithm(key: Buffer, mode: 'cbc' | 'ecb'): string {
  if (key.length === 16) return `aes-128-${mode}`;
  if (key.length === 32) return `aes-256-${mode}`;
  throw new KerberosCryptoError(`AES key must be 16 or 32 bytes, got ${key.length}`);
}

/** Raw CBC over whole blocks, no padding (OpenSSL would otherwise add PKCS#7 padding). */
function cbc(encrypt: boolean, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = encrypt ? createCipheriv(algorithm(key, 'cbc'), key, iv) : createDecipheriv(algorithm(key, 'cbc'), key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** AES on one 16-byte block (ECB), the "E" of RFC 3961 DR for AES. */
export function aesEncryptBlock(key: Buffer, block: Buffer): Buffer {
  if (block.length !== AES_BLOCK) throw new RangeError('AES block must be 16 bytes');
  const cipher = createCipheriv(algorithm(key, 'ecb'), key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function aesDecryptBlock(key: Buffer, block: Buffer): Buffer {
  const decipher = createDecipheriv(algorithm(key, 'ecb'), key, null);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(block), decipher.final()]);
}

function checkIv(iv: Buffer): void {
  if (iv.length !== AES_BLOCK) throw new RangeError('AES-CTS IV must be 16 bytes');
}

/**
 * RFC 3962 5 encryption. Zero-pads to whole blocks and runs CBC, giving C1..Cn; the output is
 * C1..C(n-2) ‖ Cn ‖ C(n-1) truncated to the length d of the last plaintext block. Cn is the CBC
 * encryption of the zero-padded last block, which is exactly what ciphertext stealing produces.
 */
export function aesCtsEncrypt(key: Buffer, plaintext: Buffer, iv: Buffer = ZERO_IV): Buffer {
  checkIv(iv);
  if (plaintext.length < AES_BLOCK) throw new KerberosCryptoError('AES-CTS input must be at least one block');
  const blocks = Math.ceil(plaintext.length / AES_BLOCK);
  const padded = Buffer.alloc(blocks * AES_BLOCK);
  plaintext.copy(padded);
  const c = cbc(true, key, iv, padded);
  if (blocks === 1) return c;
  const lastLength = plaintext.length - (blocks - 1) * AES_BLOCK; // d, 1..16
  const penultimate = (blocks - 2) * AES_BLOCK;
  return Buffer.concat([
    c.subarray(0, penultimate),
    c.subarray(penultimate + AES_BLOCK),
    c.subarray(penultimate, penultimate + lastLength),
  ]);
}

/**
 * RFC 3962 5 decryption. With transmitted T1..Tn (Tn of d bytes): X = D(T(n-1)) equals
 * C(n-1) xor (Pn ‖ zeros), so Pn = X[0..d) xor Tn and C(n-1) = Tn ‖ X[d..16); ordinary CBC
 * decryption of T1..T(n-2) ‖ C(n-1) then yields P1..P(n-1).
 */
export function aesCtsDecrypt(key: Buffer, ciphertext: Buffer, iv: Buffer = ZERO_IV): Buffer {
  checkIv(iv);
  if (ciphertext.length < AES_BLOCK) throw new KerberosCryptoError('AES-CTS input must be at least one block');
  const blocks = Math.ceil(ciphertext.length / AES_BLOCK);
  if (blocks === 1) return cbc(false, key, iv, ciphertext);
  const penultimate = (blocks - 2) * AES_BLOCK;
  const lastLength = ciphertext.length - (blocks - 1) * AES_BLOCK;
  const stolen = ciphertext.subarray(penultimate, penultimate + AES_BLOCK); // Cn
  const tail = ciphertext.subarray(penultimate + AES_BLOCK); // first d bytes of C(n-1)
  const x = aesDecryptBlock(key, stolen);
  const lastPlain = Buffer.alloc(lastLength);
  for (let i = 0; i < lastLength; i++) lastPlain[i] = (x[i] ?? 0) ^ (tail[i] ?? 0);
  const previousCipher = Buffer.concat([tail, x.subarray(lastLength)]);
  const head = cbc(false, key, iv, Buffer.concat([ciphertext.subarray(0, penultimate), previousCipher]));
  return Buffer.concat([head, lastPlain]);
}
