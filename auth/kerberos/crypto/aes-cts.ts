import { createCipheriv, createDecipheriv } from 'node:crypto';
import { bufferOfPieces, copyPieces, piecesLength, slicePieces, type BytePieces } from './byte-pieces.js';
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

/**
 * The input of one CBC run is built here and used again: the cipher copies it into its output, so
 * it is free as soon as update() returns. Half a megabyte of fresh memory per sealed reply is what
 * drove the listener's garbage collection (bench/README.md, eighth run). Above the cap a run is
 * rare (MaxEnvelopeSize raised) and gets its own memory. Encryption zeroes it after use.
 */
const SCRATCH_CAP = 1024 * 1024;
let scratch = Buffer.alloc(0);

function cbcInput(size: number): Buffer {
  if (size > SCRATCH_CAP) return Buffer.allocUnsafe(size);
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, Math.min(SCRATCH_CAP, scratch.length * 2)));
  return scratch.subarray(0, size);
}

/**
 * Raw CBC over whole blocks, no padding (OpenSSL would otherwise add PKCS#7 padding). With whole
 * blocks and no padding final() has nothing left to give, so update()'s output is the whole result.
 */
function cbc(encrypt: boolean, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = encrypt ? createCipheriv(algorithm(key, 'cbc'), key, iv) : createDecipheriv(algorithm(key, 'cbc'), key, iv);
  cipher.setAutoPadding(false);
  const out = cipher.update(data);
  const rest = cipher.final();
  return rest.length === 0 ? out : Buffer.concat([out, rest]);
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
  return aesCtsEncryptPieces(key, [plaintext], iv);
}

/**
 * aesCtsEncrypt of the pieces' concatenation. Two buffers are made, the padded input and the
 * cipher's output; the last two blocks are swapped in place and the output cut to length.
 */
export function aesCtsEncryptPieces(key: Buffer, plaintext: BytePieces, iv: Buffer = ZERO_IV): Buffer {
  checkIv(iv);
  const length = piecesLength(plaintext);
  if (length < AES_BLOCK) throw new KerberosCryptoError('AES-CTS input must be at least one block');
  const blocks = Math.ceil(length / AES_BLOCK);
  const padded = cbcInput(blocks * AES_BLOCK);
  padded.fill(0, copyPieces(plaintext, padded, 0));
  const c = cbc(true, key, iv, padded);
  // The scratch held plaintext (an AP-REP's part carries the acceptor subkey): it keeps none.
  padded.fill(0);
  if (blocks === 1) return c;
  const penultimate = (blocks - 2) * AES_BLOCK;
  const previous = Buffer.from(c.subarray(penultimate, penultimate + AES_BLOCK)); // C(n-1)
  c.copy(c, penultimate, penultimate + AES_BLOCK, penultimate + 2 * AES_BLOCK);
  previous.copy(c, penultimate + AES_BLOCK);
  return c.subarray(0, length);
}

/** RFC 3962 5 decryption; see aesCtsDecryptPieces. */
export function aesCtsDecrypt(key: Buffer, ciphertext: Buffer, iv: Buffer = ZERO_IV): Buffer {
  return aesCtsDecryptPieces(key, [ciphertext], iv);
}

/**
 * RFC 3962 5 decryption of the pieces' concatenation T1..Tn (Tn of d bytes). X = D(T(n-1))
 * equals C(n-1) xor (Pn ‖ zeros), so C(n-1) = Tn ‖ X[d..16); plain CBC decryption of
 * T1..T(n-2) ‖ C(n-1) ‖ T(n-1) then yields P1..P(n-1) ‖ (Pn ‖ zeros), since the last block
 * decrypts to X xor C(n-1). Two buffers are made: that sequence and the cipher's output.
 */
export function aesCtsDecryptPieces(key: Buffer, ciphertext: BytePieces, iv: Buffer = ZERO_IV): Buffer {
  checkIv(iv);
  const length = piecesLength(ciphertext);
  if (length < AES_BLOCK) throw new KerberosCryptoError('AES-CTS input must be at least one block');
  const blocks = Math.ceil(length / AES_BLOCK);
  const sequence = cbcInput(blocks * AES_BLOCK);
  if (blocks === 1) {
    copyPieces(ciphertext, sequence, 0);
    return cbc(false, key, iv, sequence);
  }
  const penultimate = (blocks - 2) * AES_BLOCK;
  const lastLength = length - (blocks - 1) * AES_BLOCK;
  copyPieces(slicePieces(ciphertext, 0, penultimate), sequence, 0);
  const stolen = bufferOfPieces(ciphertext, penultimate, penultimate + AES_BLOCK); // Cn
  const x = aesDecryptBlock(key, stolen);
  copyPieces(slicePieces(ciphertext, penultimate + AES_BLOCK, length), sequence, penultimate);
  x.copy(sequence, penultimate + lastLength, lastLength);
  stolen.copy(sequence, penultimate + AES_BLOCK);
  return cbc(false, key, iv, sequence).subarray(0, length);
}
