import { timingSafeEqual } from 'node:crypto';
import { AES_BLOCK, aesEncryptBlock } from './aes-cts.js';
import { nfold } from './nfold.js';

/**
 * Key derivation of the RFC 3961 simplified profile (section 5.1):
 *
 *   DR(Key, Constant) = k-truncate(K1 ‖ K2 ‖ …), K1 = E(Key, n-fold(Constant), initial-cipher-state),
 *                        K(i+1) = E(Key, Ki, initial-cipher-state)
 *   DK(Key, Constant) = random-to-key(DR(Key, Constant))
 *
 * and the per-usage constants of section 5.3 / RFC 3962 / RFC 8009 (four-byte big-endian usage
 * number followed by 0x99 for Kc, 0xAA for Ke, 0x55 for Ki).
 */

/** The last byte of a derivation constant: which of the three usage keys it produces. */
export const KEY_PURPOSE = { checksum: 0x99, encryption: 0xaa, integrity: 0x55 } as const;
export type KeyPurpose = (typeof KEY_PURPOSE)[keyof typeof KEY_PURPOSE];

/** BE32(usage) ‖ purpose, the constant from which Kc/Ke/Ki for `usage` are derived. */
export function usageConstant(usage: number, purpose: KeyPurpose): Buffer {
  if (!Number.isInteger(usage) || usage < 0 || usage > 0xffffffff) {
    throw new RangeError(`key usage must be an unsigned 32-bit integer, got ${usage}`);
  }
  const constant = Buffer.alloc(5);
  constant.writeUInt32BE(usage, 0);
  constant[4] = purpose;
  return constant;
}

/**
 * DR with an arbitrary block cipher: `encryptBlock` is E(Key, ·, initial state) on exactly one
 * block. For the CBC-based profiles the initial state is a zero IV, so encrypting a single block is
 * plain ECB, and for AES-CTS one block is also plain CBC, i.e. no stealing happens.
 */
export function deriveRandom(
  encryptBlock: (block: Buffer) => Buffer,
  blockBytes: number,
  constant: Buffer,
  outputBytes: number,
): Buffer {
  const parts: Buffer[] = [];
  let produced = 0;
  let block = nfold(constant, blockBytes * 8); // the identity when the constant is one block
  while (produced < outputBytes) {
    block = encryptBlock(block);
    parts.push(block);
    produced += block.length;
  }
  return Buffer.concat(parts).subarray(0, outputBytes);
}

/**
 * DK for the AES enctypes of RFC 3962: random-to-key is the identity, so DK = DR, producing a key of
 * the base key's own length (16 or 32 bytes).
 */
export function aesDeriveKey(baseKey: Buffer, constant: Buffer): Buffer {
  return deriveRandom((block) => aesEncryptBlock(baseKey, block), AES_BLOCK, constant, baseKey.length);
}

interface DerivedKeys {
  /** The base key's bytes when its keys were derived: a base key changed in place starts afresh. */
  readonly base: Buffer;
  readonly byConstant: Map<number, Buffer>;
}

/**
 * Ke, Ki and Kc of base keys, derived once per base key. A session seals every message with the
 * same usage, and each derivation costs several block encryptions (or HMACs) and their cipher
 * objects: two of them per message otherwise. One cache per enctype: the RFC 3962 and RFC 8009
 * enctypes derive different keys from the same bytes.
 */
export class UsageKeyCache {
  /** Per base key object; entries go with their key. */
  readonly #byBaseKey = new WeakMap<Buffer, DerivedKeys>();

  get(baseKey: Buffer, usage: number, purpose: KeyPurpose, derive: () => Buffer): Buffer {
    let entry = this.#byBaseKey.get(baseKey);
    if (entry === undefined || !(entry.base.length === baseKey.length && timingSafeEqual(entry.base, baseKey))) {
      entry = { base: Buffer.from(baseKey), byConstant: new Map() };
      this.#byBaseKey.set(baseKey, entry);
    }
    const id = usage * 256 + purpose;
    let key = entry.byConstant.get(id);
    if (key === undefined) {
      key = derive();
      entry.byConstant.set(id, key);
    }
    return key;
  }
}
