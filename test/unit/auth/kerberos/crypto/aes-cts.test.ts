import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesCtsDecrypt, aesCtsEncrypt } from '../../../../../auth/kerberos/crypto/aes-cts.js';
import { KerberosCryptoError } from '../../../../../auth/kerberos/crypto/enctype.js';
import { hex, seeded } from './helpers.js';

describe('AES-CTS (RFC 3962 Appendix B, key "chicken teriyaki", IV 0)', () => {
  const key = Buffer.from('chicken teriyaki', 'ascii');
  const text = Buffer.from("I would like the General Gau's Chicken, please, and wonton soup.", 'ascii');
  const vectors: [number, string][] = [
    [17, 'c6353568f2bf8cb4d8a580362da7ff7f 97'],
    [31, 'fc00783e0efdb2c1d445d4c8eff7ed22 97687268d6ecccc0c07b25e25ecfe5'],
    [32, '39312523a78662d5be7fcbcc98ebf5a8 97687268d6ecccc0c07b25e25ecfe584'],
    [47, '97687268d6ecccc0c07b25e25ecfe584 b3fffd940c16a18c1b5549d2f838029e 39312523a78662d5be7fcbcc98ebf5'],
    [48, '97687268d6ecccc0c07b25e25ecfe584 9dad8bbb96c4cdc03bc103e1a194bbd8 39312523a78662d5be7fcbcc98ebf5a8'],
    [
      64,
      '97687268d6ecccc0c07b25e25ecfe584 39312523a78662d5be7fcbcc98ebf5a8' +
        '4807efe836ee89a526730dbc2f7bc840 9dad8bbb96c4cdc03bc103e1a194bbd8',
    ],
  ];
  for (const [length, expected] of vectors) {
    it(`encrypts and decrypts the ${length}-byte vector`, () => {
      const plain = text.subarray(0, length);
      const cipher = aesCtsEncrypt(key, plain);
      expect(cipher.toString('hex')).toBe(hex(expected).toString('hex'));
      expect(aesCtsDecrypt(key, cipher)).toEqual(plain);
    });
  }

  it('treats exactly one block as plain CBC (= ECB with a zero IV)', () => {
    const block = text.subarray(0, 16);
    const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(block);
    expect(aesCtsEncrypt(key, block)).toEqual(ecb);
    expect(aesCtsDecrypt(key, ecb)).toEqual(block);
  });
});

/** CBC-CS3 written out block by block from SP 800-38A Addendum, as an independent reference. */
function referenceCts(key: Buffer, plain: Buffer): Buffer {
  const encryptBlock = (block: Buffer): Buffer =>
    createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false).update(block);
  const blocks: Buffer[] = [];
  let previous: Buffer = Buffer.alloc(16);
  for (let at = 0; at < plain.length; at += 16) {
    const chunk = Buffer.alloc(16);
    plain.copy(chunk, 0, at, Math.min(at + 16, plain.length));
    const mixed = Buffer.from(chunk.map((byte, i) => byte ^ (previous[i] ?? 0)));
    previous = encryptBlock(mixed);
    blocks.push(previous);
  }
  if (blocks.length === 1) return blocks[0] ?? Buffer.alloc(0);
  const d = plain.length - (blocks.length - 1) * 16;
  const last = blocks.pop() ?? Buffer.alloc(0);
  const beforeLast = blocks.pop() ?? Buffer.alloc(0);
  return Buffer.concat([...blocks, last, beforeLast.subarray(0, d)]);
}

describe('AES-CTS against a block-by-block reference', () => {
  it('agrees for AES-128 and AES-256 on every length from 16 to 100 bytes', () => {
    const random = seeded(3962);
    for (const keyLength of [16, 32]) {
      const key = random.bytes(keyLength);
      for (let length = 16; length <= 100; length++) {
        const plain = random.bytes(length);
        const cipher = aesCtsEncrypt(key, plain);
        expect(cipher.length, `length ${length}`).toBe(length);
        expect(cipher, `length ${length}`).toEqual(referenceCts(key, plain));
        expect(aesCtsDecrypt(key, cipher), `length ${length}`).toEqual(plain);
      }
    }
  });

  it('rejects inputs shorter than a block and keys of the wrong size', () => {
    const key = Buffer.alloc(16);
    expect(() => aesCtsEncrypt(key, Buffer.alloc(15))).toThrow(KerberosCryptoError);
    expect(() => aesCtsDecrypt(key, Buffer.alloc(0))).toThrow(KerberosCryptoError);
    expect(() => aesCtsEncrypt(Buffer.alloc(24), Buffer.alloc(16))).toThrow(KerberosCryptoError);
  });
});
