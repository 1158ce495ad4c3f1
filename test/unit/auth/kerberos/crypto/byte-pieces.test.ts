import { describe, expect, it } from 'vitest';
import { aesCtsDecrypt, aesCtsDecryptPieces, aesCtsEncrypt, aesCtsEncryptPieces } from '../../../../../auth/kerberos/crypto/aes-cts.js';
import { aes128CtsHmacSha1_96, aes256CtsHmacSha1_96 } from '../../../../../auth/kerberos/crypto/aes-sha1.js';
import { aes128CtsHmacSha256_128, aes256CtsHmacSha384_192 } from '../../../../../auth/kerberos/crypto/aes-sha2.js';
import { bufferOfPieces, piecesLength, rotatePiecesRight, slicePieces } from '../../../../../auth/kerberos/crypto/byte-pieces.js';
import { seeded } from './helpers.js';

/** `whole` cut at random places into pieces (some empty), all views of it. */
function cut(whole: Buffer, random: ReturnType<typeof seeded>): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  while (at < whole.length) {
    const size = Math.min(whole.length - at, random.int(3) === 0 ? 0 : 1 + random.int(40));
    pieces.push(whole.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

const join = (pieces: readonly Uint8Array[]): Buffer => Buffer.concat(pieces);

describe('byte pieces', () => {
  it('slices and rotates as the joined bytes would be', () => {
    const random = seeded(7);
    for (let round = 0; round < 200; round++) {
      const whole = random.bytes(1 + random.int(120));
      const pieces = cut(whole, random);
      expect(piecesLength(pieces)).toBe(whole.length);
      const start = random.int(whole.length + 1);
      const end = start + random.int(whole.length - start + 1);
      expect(join(slicePieces(pieces, start, end))).toEqual(whole.subarray(start, end));
      expect(bufferOfPieces(pieces, start, end)).toEqual(whole.subarray(start, end));
      const count = random.int(3 * whole.length);
      const shift = count % whole.length;
      const rotated = Buffer.concat([whole.subarray(whole.length - shift), whole.subarray(0, whole.length - shift)]);
      expect(join(rotatePiecesRight(pieces, count))).toEqual(rotated);
    }
  });

  it('gives a view, not a copy, of a range inside one piece', () => {
    const piece = Buffer.from('0123456789');
    const view = bufferOfPieces([Buffer.from('ab'), piece], 4, 9);
    expect(view.toString()).toBe('23456');
    piece[2] = 0x78;
    expect(view.toString()).toBe('x3456');
  });
});

describe('AES-CTS and the AES enctypes on pieces', () => {
  const random = seeded(11);
  const key = random.bytes(32);

  it('encrypt and decrypt pieces exactly as their concatenation', () => {
    for (const length of [16, 17, 31, 32, 33, 48, 100, 1000, 4099]) {
      const plain = random.bytes(length);
      const cipher = aesCtsEncrypt(key, plain);
      expect(aesCtsEncryptPieces(key, cut(plain, random)), `length ${length}`).toEqual(cipher);
      expect(aesCtsDecryptPieces(key, cut(cipher, random)), `length ${length}`).toEqual(plain);
      expect(aesCtsDecrypt(key, cipher)).toEqual(plain);
    }
  });

  it('keep the results of earlier calls intact when called again (their working memory is reused)', () => {
    const first = random.bytes(5000);
    const second = random.bytes(5000);
    const firstCipher = aesCtsEncrypt(key, first);
    const copy = Buffer.from(firstCipher);
    aesCtsEncrypt(key, second);
    const firstPlain = aesCtsDecrypt(key, firstCipher);
    aesCtsDecrypt(key, aesCtsEncrypt(key, second));
    expect(firstCipher).toEqual(copy);
    expect(firstPlain).toEqual(first);
  });

  for (const enctype of [aes256CtsHmacSha1_96, aes256CtsHmacSha384_192]) {
    it(`${enctype.name}: encryptPieces is encrypt() with its parts apart, decryptPieces undoes it`, () => {
      const plain = random.bytes(777);
      const confounder = random.bytes(16);
      const { ciphertext, mac } = enctype.encryptPieces(key, 22, cut(plain, random), confounder);
      expect(Buffer.concat([ciphertext, mac])).toEqual(enctype.encrypt(key, 22, plain, confounder));
      expect(enctype.decryptPieces(key, 22, cut(ciphertext, random), mac)).toEqual(plain);
      const tampered = Buffer.from(mac);
      tampered[0] = (tampered[0] ?? 0) ^ 1;
      expect(() => enctype.decryptPieces(key, 22, [ciphertext], tampered)).toThrow(/integrity/);
    });

    it(`${enctype.name}: derives afresh when a base key is changed in place`, () => {
      const base = random.bytes(32);
      const plain = random.bytes(64);
      const before = enctype.encrypt(base, 22, plain, Buffer.alloc(16));
      const other = random.bytes(32);
      other.copy(base);
      expect(enctype.encrypt(base, 22, plain, Buffer.alloc(16))).toEqual(enctype.encrypt(Buffer.from(other), 22, plain, Buffer.alloc(16)));
      expect(enctype.encrypt(base, 22, plain, Buffer.alloc(16))).not.toEqual(before);
    });
  }

  it('keeps the keys derived from one base key apart per enctype (RFC 3962 and RFC 8009 derive differently)', () => {
    for (const [sha1, sha2] of [
      [aes128CtsHmacSha1_96, aes128CtsHmacSha256_128],
      [aes256CtsHmacSha1_96, aes256CtsHmacSha384_192],
    ] as const) {
      const shared = random.bytes(sha1.keyLength);
      const plain = random.bytes(100);
      const confounder = random.bytes(16);
      const viaSha1First = [sha1.encrypt(shared, 22, plain, confounder), sha2.encrypt(shared, 22, plain, confounder)];
      expect(viaSha1First[1]).toEqual(sha2.encrypt(Buffer.from(shared), 22, plain, confounder));
      expect(viaSha1First[0]).toEqual(sha1.encrypt(Buffer.from(shared), 22, plain, confounder));
      expect(sha2.decrypt(shared, 22, sha2.encrypt(Buffer.from(shared), 22, plain))).toEqual(plain);
    }
  });
});
