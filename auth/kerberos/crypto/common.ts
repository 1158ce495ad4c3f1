import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BytePieces } from './byte-pieces.js';
import { KerberosCryptoError } from './enctype.js';

/** Checks shared by the enctypes: key sizes, confounders and MAC comparison. */

/**
 * Keys come from keytabs and from decrypted tickets (the session key and subkeys are attacker-
 * influenced bytes), so a wrong length is a malformed-input error rather than a programming error.
 */
export function requireKeyLength(key: Buffer, length: number, name: string): void {
  if (key.length !== length) {
    throw new KerberosCryptoError(`${name} key must be ${length} bytes, got ${key.length}`);
  }
}

/** A fresh random confounder, or the caller's (test vectors) after checking its size. */
export function confounderOf(length: number, given: Buffer | undefined): Buffer {
  if (given === undefined) return randomBytes(length);
  if (given.length !== length) throw new RangeError(`confounder must be ${length} bytes, got ${given.length}`);
  return given;
}

/** Constant-time MAC comparison; the lengths are public (fixed per enctype). */
export function macEquals(expected: Buffer, received: Buffer): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}

export function integrityFailure(name: string): KerberosCryptoError {
  return new KerberosCryptoError(`${name}: integrity check failed`);
}

/** HMAC over the pieces' concatenation (byte-pieces.ts), cut to `length` bytes. */
export function truncatedHmac(hash: string, key: Buffer, data: BytePieces, length: number): Buffer {
  const hmac = createHmac(hash, key);
  for (const piece of data) hmac.update(piece);
  return hmac.digest().subarray(0, length);
}
