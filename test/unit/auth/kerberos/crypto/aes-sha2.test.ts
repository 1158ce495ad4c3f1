import { describe, expect, it } from 'vitest';
import {
  aes128CtsHmacSha256_128,
  aes256CtsHmacSha384_192,
  kdfHmacSha2,
} from '../../../../../auth/kerberos/crypto/aes-sha2.js';
import { KEY_PURPOSE, usageConstant } from '../../../../../auth/kerberos/crypto/derive-key.js';
import { KerberosCryptoError } from '../../../../../auth/kerberos/crypto/enctype.js';
import { hex } from './helpers.js';

/** RFC 8009 Appendix A, every sample except the PRF (the acceptor has no use for it). */
const BASE_128 = hex('3705d96080c17728a0e800eab6e0d23c');
const BASE_256 = hex('6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52');

describe('RFC 8009 A: string-to-key', () => {
  const salt = Buffer.concat([hex('10df9dd783e5bc8acea1730e74355f61'), Buffer.from('ATHENA.MIT.EDUraeburn')]);

  it('aes128-cts-hmac-sha256-128, 32768 iterations', () => {
    expect(aes128CtsHmacSha256_128.stringToKey('password', salt, 32768).toString('hex')).toBe('089bca48b105ea6ea77ca5d2f39dc5e7');
  });

  it('aes256-cts-hmac-sha384-192, 32768 iterations (the default)', () => {
    expect(aes256CtsHmacSha384_192.stringToKey('password', salt).toString('hex')).toBe(
      '45bd806dbf6a833a9cffc1c94589a222367a79bc21c413718906e9f578a78467',
    );
  });
});

describe('RFC 8009 A: key derivation for usage 2', () => {
  const derive = (hash: 'sha256' | 'sha384', base: Buffer, purpose: 0x99 | 0xaa | 0x55, bytes: number): string =>
    kdfHmacSha2(hash, base, usageConstant(2, purpose), bytes).toString('hex');

  it('aes128-cts-hmac-sha256-128 Kc, Ke, Ki', () => {
    expect(derive('sha256', BASE_128, KEY_PURPOSE.checksum, 16)).toBe('b31a018a48f54776f403e9a396325dc3');
    expect(derive('sha256', BASE_128, KEY_PURPOSE.encryption, 16)).toBe('9b197dd1e8c5609d6e67c3e37c62c72e');
    expect(derive('sha256', BASE_128, KEY_PURPOSE.integrity, 16)).toBe('9fda0e56ab2d85e1569a688696c26a6c');
  });

  it('aes256-cts-hmac-sha384-192 Kc (192 bits), Ke (256 bits), Ki (192 bits)', () => {
    expect(derive('sha384', BASE_256, KEY_PURPOSE.checksum, 24)).toBe('ef5718be86cc84963d8bbb5031e9f5c4ba41f28faf69e73d');
    expect(derive('sha384', BASE_256, KEY_PURPOSE.encryption, 32)).toBe(
      '56ab22bee63d82d7bc5227f6773f8ea7a5eb1c825160c38312980c442e5c7e49',
    );
    expect(derive('sha384', BASE_256, KEY_PURPOSE.integrity, 24)).toBe('69b16514e3cd8e56b82010d5c73012b622c4d00ffc23ed1f');
  });
});

describe('RFC 8009 A: encryption (usage 2, given confounders)', () => {
  const vectors: { etype: 19 | 20; plain: string; confounder: string; cipher: string }[] = [
    { etype: 19, plain: '', confounder: '7e5895eaf2672435bad817f545a37148', cipher: 'ef85fb890bb8472f4dab20394dca781dad877eda39d50c870c0d5a0a8e48c718' },
    {
      etype: 19,
      plain: '000102030405',
      confounder: '7bca285e2fd4130fb55b1a5c83bc5b24',
      cipher: '84d7f30754ed987bab0bf3506beb09cfb55402cef7e6877ce99e247e52d16ed4421dfdf8976c',
    },
    {
      etype: 19,
      plain: '000102030405060708090a0b0c0d0e0f',
      confounder: '56ab21713ff62c0a1457200f6fa9948f',
      cipher: '3517d640f50ddc8ad3628722b3569d2ae07493fa8263254080ea65c1008e8fc295fb4852e7d83e1e7c48c37eebe6b0d3',
    },
    {
      etype: 19,
      plain: '000102030405060708090a0b0c0d0e0f1011121314',
      confounder: 'a7a4e29a4728ce10664fb64e49ad3fac',
      cipher: '720f73b18d9859cd6ccb4346115cd336c70f58edc0c4437c5573544c31c813bce1e6d072c186b39a413c2f92ca9b8334a287ffcbfc',
    },
    {
      etype: 20,
      plain: '',
      confounder: 'f764e9fa15c276478b2c7d0c4e5f58e4',
      cipher: '41f53fa5bfe7026d91faf9be959195a058707273a96a40f0a01960621ac612748b9bbfbe7eb4ce3c',
    },
    {
      etype: 20,
      plain: '000102030405',
      confounder: 'b80d3251c1f6471494256ffe712d0b9a',
      cipher: '4ed7b37c2bcac8f74f23c1cf07e62bc7b75fb3f637b9f559c7f664f69eab7b6092237526ea0d1f61cb20d69d10f2',
    },
    {
      etype: 20,
      plain: '000102030405060708090a0b0c0d0e0f',
      confounder: '53bf8a0d105265d4e276428624ce5e63',
      cipher: 'bc47ffec7998eb91e8115cf8d19dac4bbbe2e163e87dd37f49beca92027764f68cf51f14d798c2273f35df574d1f932e40c4ff255b36a266',
    },
    {
      etype: 20,
      plain: '000102030405060708090a0b0c0d0e0f1011121314',
      confounder: '763e65367e864f02f55153c7e3b58af1',
      cipher: '40013e2df58e8751957d2878bcd2d6fe101ccfd556cb1eae79db3c3ee86429f2b2a602ac86fef6ecb647d6295fae077a1feb517508d2c16b4192e01f62',
    },
  ];
  for (const vector of vectors) {
    it(`etype ${vector.etype}, ${vector.plain.length / 2}-byte plaintext`, () => {
      const [enctype, base] = vector.etype === 19 ? [aes128CtsHmacSha256_128, BASE_128] : [aes256CtsHmacSha384_192, BASE_256];
      const cipher = enctype.encrypt(base, 2, hex(vector.plain), hex(vector.confounder));
      expect(cipher.toString('hex')).toBe(vector.cipher);
      expect(enctype.decrypt(base, 2, cipher).toString('hex')).toBe(vector.plain);
    });
  }
});

describe('RFC 8009 A: checksums (usage 2)', () => {
  const data = hex('000102030405060708090a0b0c0d0e0f1011121314');

  it('hmac-sha256-128-aes128 and hmac-sha384-192-aes256', () => {
    expect(aes128CtsHmacSha256_128.checksum(BASE_128, 2, data).toString('hex')).toBe('d78367186643d67b411cba9139fc1dee');
    expect(aes256CtsHmacSha384_192.checksum(BASE_256, 2, data).toString('hex')).toBe('45ee791567eefca37f4ac1e0222de80d43c3bfa06699672a');
  });

  it('reports the truncated MAC sizes as checksumLength', () => {
    expect(aes128CtsHmacSha256_128.checksumLength).toBe(16);
    expect(aes256CtsHmacSha384_192.checksumLength).toBe(24);
  });
});

describe('RFC 8009 encrypt-then-MAC', () => {
  it('checks the MAC over IV ‖ C before decrypting, and rejects short input and wrong keys', () => {
    const cipher = aes256CtsHmacSha384_192.encrypt(BASE_256, 12, Buffer.from('EncAPRepPart'));
    const flipped = Buffer.from(cipher);
    flipped[0] = (flipped[0] ?? 0) ^ 0x80;
    expect(() => aes256CtsHmacSha384_192.decrypt(BASE_256, 12, flipped)).toThrow(KerberosCryptoError);
    expect(() => aes256CtsHmacSha384_192.decrypt(BASE_256, 12, cipher.subarray(0, 39))).toThrow(KerberosCryptoError);
    expect(() => aes128CtsHmacSha256_128.decrypt(BASE_256, 12, cipher)).toThrow(KerberosCryptoError);
  });
});
