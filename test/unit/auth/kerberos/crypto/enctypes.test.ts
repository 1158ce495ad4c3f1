import { describe, expect, it } from 'vitest';
import {
  enctypeById,
  ETYPE,
  KerberosCryptoError,
  verifyChecksum,
  type EncryptionType,
} from '../../../../../auth/kerberos/crypto/index.js';
import { seeded } from './helpers.js';

const LENGTHS = [0, 1, 15, 16, 17, 31, 32, 33, 1000];
const USAGES = [2, 11, 12, 22, 24];

/** Bytes added by encrypt: confounder + MAC (16 + 12, 16 + 16, 16 + 24, 8 + 16). */
const OVERHEAD: Record<number, number> = { 17: 28, 18: 28, 19: 32, 20: 40, 23: 24 };

const all = Object.values(ETYPE).map((etype) => {
  const enctype = enctypeById(etype);
  if (enctype === undefined) throw new Error(`etype ${etype} missing`);
  return enctype;
});

function expectCryptoError(run: () => unknown): void {
  expect(run).toThrow(KerberosCryptoError);
}

describe('enctypeById', () => {
  it('knows the five supported etypes with their sizes', () => {
    expect(all.map((e) => [e.etype, e.name, e.keyLength, e.checksumLength])).toEqual([
      [17, 'aes128-cts-hmac-sha1-96', 16, 12],
      [18, 'aes256-cts-hmac-sha1-96', 32, 12],
      [19, 'aes128-cts-hmac-sha256-128', 16, 16],
      [20, 'aes256-cts-hmac-sha384-192', 32, 24],
      [23, 'rc4-hmac', 16, 16],
    ]);
  });

  it('returns undefined for DES, 3DES, export RC4, Camellia and nonsense', () => {
    for (const etype of [0, 1, 3, 16, 24, 25, 26, -128, 1.5, Number.NaN]) expect(enctypeById(etype)).toBeUndefined();
  });
});

describe.each(all.map((enctype) => [enctype.name, enctype] as const))('%s', (_name, enctype: EncryptionType) => {
  const random = seeded(enctype.etype * 7919);
  const key = random.bytes(enctype.keyLength);

  it('round-trips random plaintexts of every length with every acceptor usage', () => {
    for (const length of LENGTHS) {
      for (const usage of USAGES) {
        const plain = random.bytes(length);
        const cipher = enctype.encrypt(key, usage, plain);
        expect(cipher.length, `length ${length}`).toBe(length + (OVERHEAD[enctype.etype] ?? 0));
        expect(enctype.decrypt(key, usage, cipher), `length ${length}, usage ${usage}`).toEqual(plain);
      }
    }
  });

  it('uses a fresh confounder each time', () => {
    const plain = Buffer.from('same plaintext');
    expect(enctype.encrypt(key, 2, plain)).not.toEqual(enctype.encrypt(key, 2, plain));
  });

  it('rejects every single-byte change of short ciphertexts and sampled changes of long ones', () => {
    for (const length of LENGTHS) {
      const cipher = enctype.encrypt(key, 11, random.bytes(length));
      const positions = cipher.length <= 80 ? cipher.keys() : [0, 15, 16, 17, cipher.length - 13, cipher.length - 1].values();
      for (const position of positions) {
        const tampered = Buffer.from(cipher);
        tampered[position] = (tampered[position] ?? 0) ^ (1 << random.int(8));
        expectCryptoError(() => enctype.decrypt(key, 11, tampered));
      }
    }
  });

  it('rejects truncation, extension, the wrong usage and the wrong key', () => {
    const cipher = enctype.encrypt(key, 2, Buffer.from('EncTicketPart'));
    expectCryptoError(() => enctype.decrypt(key, 2, cipher.subarray(0, cipher.length - 1)));
    expectCryptoError(() => enctype.decrypt(key, 2, Buffer.concat([cipher, Buffer.of(0)])));
    expectCryptoError(() => enctype.decrypt(key, 2, Buffer.alloc(0)));
    expectCryptoError(() => enctype.decrypt(key, 3, cipher));
    const otherKey = Buffer.from(key);
    otherKey[0] = (otherKey[0] ?? 0) ^ 1;
    expectCryptoError(() => enctype.decrypt(otherKey, 2, cipher));
  });

  it('rejects keys of the wrong length with KerberosCryptoError', () => {
    for (const length of [0, enctype.keyLength - 1, enctype.keyLength + 1]) {
      const bad = Buffer.alloc(length);
      expectCryptoError(() => enctype.encrypt(bad, 2, Buffer.from('x')));
      expectCryptoError(() => enctype.decrypt(bad, 2, Buffer.alloc(64)));
      expectCryptoError(() => enctype.checksum(bad, 2, Buffer.from('x')));
    }
  });

  it('makes checksums of checksumLength that depend on key, usage and data', () => {
    const data = random.bytes(100);
    const mic = enctype.checksum(key, 25, data);
    expect(mic.length).toBe(enctype.checksumLength);
    expect(verifyChecksum(enctype, key, 25, data, mic)).toBe(true);
    expect(verifyChecksum(enctype, key, 23, data, mic)).toBe(false);
    expect(verifyChecksum(enctype, key, 25, Buffer.concat([data, Buffer.of(0)]), mic)).toBe(false);
    expect(verifyChecksum(enctype, key, 25, data, mic.subarray(1))).toBe(false);
    expect(verifyChecksum(enctype, key, 25, data, Buffer.alloc(mic.length))).toBe(false);
  });
});
