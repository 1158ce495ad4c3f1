import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KerberosCryptoError } from '../../../../../auth/kerberos/crypto/enctype.js';
import { rc4Hmac, rc4MessageType } from '../../../../../auth/kerberos/crypto/rc4-hmac.js';
import { Rc4 } from '../../../../../auth/ntlm/rc4.js';
import { hex } from './helpers.js';

/**
 * RFC 4757 publishes no test vectors. These known answers are MIT krb5's
 * (src/lib/crypto/crypto_tests/t_decrypt.c and t_cksums.c); usage 3 exercises the 3 -> 8 mapping.
 */
const MIT_DECRYPT: { plain: string; usage: number; key: string; cipher: string }[] = [
  { plain: '', usage: 0, key: 'f81fec39255f5784e850c4377c88bd85', cipher: '02c1eb15586144122ec717763dd348bf00434ddc6585954c' },
  { plain: '1', usage: 1, key: '67d1300d281223867f9647ff48721273', cipher: '6156e0cc04e0a0874f9fda008f498a7adbbc80b70b14dddbc0' },
  {
    plain: '9 bytesss',
    usage: 2,
    key: '3e40ab6093695281b3ac1a9304224d98',
    cipher: '0f9ad121d99d4a09448e4f1f718c4f5cbe6096262c66f29df232a87c9f98755d55',
  },
  {
    plain: '13 bytes byte',
    usage: 3,
    key: '4ba2fbf0379faed87a254d3b353d5a7e',
    cipher: '612c57568b17a70352bae8cf26fb9459a6f3353cd35fd439db3107cbec765d326dfc04c1dd',
  },
  {
    plain: '30 bytes bytes bytes bytes byt',
    usage: 4,
    key: '68f263db3fce15d031c9eab02d67107a',
    cipher: '95f9047c3ad75891c2e9b04b16566dc8b6eb9ce4231afb2542ef87a7b5a0f260a99f0460508de0cecc632d07c354124e46c5d2234eb8',
  },
];

/** RFC 4757 section 4 written out step by step, as an independent check of the layout. */
function referenceEncrypt(key: Buffer, messageType: number, confounder: Buffer, plain: Buffer): Buffer {
  const t = Buffer.alloc(4);
  t.writeUInt32LE(messageType, 0);
  const k1 = createHmac('md5', key).update(t).digest();
  const checksum = createHmac('md5', k1).update(confounder).update(plain).digest();
  const k3 = createHmac('md5', k1).update(checksum).digest();
  return Buffer.concat([checksum, new Rc4(k3).process(Buffer.concat([confounder, plain]))]);
}

describe('rc4-hmac (RFC 4757) against MIT krb5 known answers', () => {
  for (const vector of MIT_DECRYPT) {
    it(`decrypts "${vector.plain}" with usage ${vector.usage} and re-encrypts it identically`, () => {
      const key = hex(vector.key);
      const cipher = hex(vector.cipher);
      expect(rc4Hmac.decrypt(key, vector.usage, cipher).toString('ascii')).toBe(vector.plain);
      // The confounder is the first 8 decrypted bytes; recover it through the reference.
      const t = Buffer.alloc(4);
      t.writeUInt32LE(rc4MessageType(vector.usage), 0);
      const k1 = createHmac('md5', key).update(t).digest();
      const k3 = createHmac('md5', k1).update(cipher.subarray(0, 16)).digest();
      const confounder = new Rc4(k3).process(cipher.subarray(16)).subarray(0, 8);
      expect(rc4Hmac.encrypt(key, vector.usage, Buffer.from(vector.plain), confounder)).toEqual(cipher);
    });
  }

  it('computes the MIT t_cksums.c hmac-md5-rc4 checksum (cksumtype -138)', () => {
    const key = hex('f7d3a155af5e238a0b7a871a96ba2ab2');
    expect(rc4Hmac.checksum(key, 6, Buffer.from('seventeen eighteen nineteen twenty')).toString('hex')).toBe(
      'eb38cc97e2230f59da4117dc5859d7ec',
    );
  });
});

describe('rc4-hmac construction', () => {
  const key = hex('000102030405060708090a0b0c0d0e0f');
  const confounder = hex('a1a2a3a4a5a6a7a8');

  it('matches the RFC 4757 formula for the acceptor usages (2 ticket, 11 authenticator, 12 AP-REP)', () => {
    for (const usage of [2, 11, 12]) {
      const plain = Buffer.from(`usage ${usage} plaintext`);
      expect(rc4Hmac.encrypt(key, usage, plain, confounder)).toEqual(referenceEncrypt(key, usage, confounder, plain));
    }
  });

  it('translates usages like MIT and Windows: 3 -> 8, 23 -> 13, others unchanged', () => {
    expect([1, 2, 3, 9, 11, 12, 23, 24].map(rc4MessageType)).toEqual([1, 2, 8, 9, 11, 12, 13, 24]);
    const plain = Buffer.from('as-rep');
    expect(rc4Hmac.encrypt(key, 3, plain, confounder)).toEqual(referenceEncrypt(key, 8, confounder, plain));
  });

  it('accepts usage 9 sealed with the RFC 4757 message type 8 as well as with 9', () => {
    const plain = Buffer.from('tgs-rep in subkey');
    expect(rc4Hmac.decrypt(key, 9, referenceEncrypt(key, 9, confounder, plain))).toEqual(plain);
    expect(rc4Hmac.decrypt(key, 9, referenceEncrypt(key, 8, confounder, plain))).toEqual(plain);
    expect(() => rc4Hmac.decrypt(key, 11, referenceEncrypt(key, 8, confounder, plain))).toThrow(KerberosCryptoError);
  });

  it('checksum = HMAC-MD5(HMAC-MD5(K, "signaturekey\\0"), MD5(LE32(T) ‖ data))', () => {
    const data = Buffer.from('checksummed');
    const ksign = createHmac('md5', key).update(Buffer.from('signaturekey\0')).digest();
    const inner = createHash('md5').update(hex('0a000000')).update(data).digest();
    expect(rc4Hmac.checksum(key, 10, data)).toEqual(createHmac('md5', ksign).update(inner).digest());
  });

  it('derives the key from a password as the NT hash', () => {
    expect(rc4Hmac.stringToKey('password').toString('hex')).toBe('8846f7eaee8fb117ad06bdd830b7586c');
  });

  it('rejects short ciphertexts and keys that are not 16 bytes', () => {
    expect(() => rc4Hmac.decrypt(key, 2, Buffer.alloc(23))).toThrow(KerberosCryptoError);
    expect(() => rc4Hmac.decrypt(Buffer.alloc(32), 2, Buffer.alloc(40))).toThrow(KerberosCryptoError);
    expect(() => rc4Hmac.checksum(Buffer.alloc(15), 2, Buffer.alloc(1))).toThrow(KerberosCryptoError);
  });
});
