import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesCtsDecrypt } from '../../../../../auth/kerberos/crypto/aes-cts.js';
import { aes128CtsHmacSha1_96, aes256CtsHmacSha1_96 } from '../../../../../auth/kerberos/crypto/aes-sha1.js';
import { aesDeriveKey, KEY_PURPOSE, usageConstant } from '../../../../../auth/kerberos/crypto/derive-key.js';
import { KerberosCryptoError } from '../../../../../auth/kerberos/crypto/enctype.js';
import { hex } from './helpers.js';

describe('AES string-to-key (RFC 3962 Appendix B)', () => {
  const gClef = hex('f09d849e'); // U+1D11E MUSICAL SYMBOL G CLEF in UTF-8
  const vectors: { iterations: number; password: string | Buffer; salt: string | Buffer; aes128: string; aes256: string }[] = [
    {
      iterations: 1,
      password: 'password',
      salt: 'ATHENA.MIT.EDUraeburn',
      aes128: '42263c6e89f4fc28b8df68ee09799f15',
      aes256: 'fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161',
    },
    {
      iterations: 2,
      password: 'password',
      salt: 'ATHENA.MIT.EDUraeburn',
      aes128: 'c651bf29e2300ac27fa469d693bdda13',
      aes256: 'a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff',
    },
    {
      iterations: 1200,
      password: 'password',
      salt: 'ATHENA.MIT.EDUraeburn',
      aes128: '4c01cd46d632d01e6dbe230a01ed642a',
      aes256: '55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a',
    },
    {
      iterations: 5,
      password: 'password',
      salt: hex('1234567878563412'),
      aes128: 'e9b23d52273747dd5c35cb55be619d8e',
      aes256: '97a4e786be20d81a382d5ebc96d5909cabcdadc87ca48f574504159f16c36e31',
    },
    {
      iterations: 1200,
      password: 'X'.repeat(64),
      salt: 'pass phrase equals block size',
      aes128: '59d1bb789a828b1aa54ef9c2883f69ed',
      aes256: '89adee3608db8bc71f1bfbfe459486b05618b70cbae22092534e56c553ba4b34',
    },
    {
      iterations: 1200,
      password: 'X'.repeat(65),
      salt: 'pass phrase exceeds block size',
      aes128: 'cb8005dc5f90179a7f02104c0018751d',
      aes256: 'd78c5c9cb872a8c9dad4697f0bb5b2d21496c82beb2caeda2112fceea057401b',
    },
    {
      iterations: 50,
      password: gClef,
      salt: 'EXAMPLE.COMpianist',
      aes128: 'f149c1f2e154a73452d43e7fe62a56e5',
      aes256: '4b6d9839f84406df1f09cc166db4b83c571848b784a3d6bdc346589a3e393f9e',
    },
  ];
  for (const vector of vectors) {
    const label = `${vector.iterations} iterations, salt ${Buffer.isBuffer(vector.salt) ? vector.salt.toString('hex') : vector.salt}`;
    it(label, () => {
      expect(aes128CtsHmacSha1_96.stringToKey(vector.password, vector.salt, vector.iterations).toString('hex')).toBe(vector.aes128);
      expect(aes256CtsHmacSha1_96.stringToKey(vector.password, vector.salt, vector.iterations).toString('hex')).toBe(vector.aes256);
    });
  }

  it('defaults to 4096 iterations and accepts the password as a string', () => {
    expect(aes128CtsHmacSha1_96.stringToKey('password', 'ATHENA.MIT.EDUraeburn')).toEqual(
      aes128CtsHmacSha1_96.stringToKey(Buffer.from('password'), Buffer.from('ATHENA.MIT.EDUraeburn'), 4096),
    );
    expect(() => aes128CtsHmacSha1_96.stringToKey('p', 's', 0)).toThrow(RangeError);
  });
});

/** MIT krb5 src/lib/crypto/crypto_tests/t_decrypt.c: known ciphertexts for the AES-SHA1 pair. */
const MIT_DECRYPT: { etype: 17 | 18; plain: string; usage: number; key: string; cipher: string }[] = [
  { etype: 17, plain: '', usage: 0, key: '5a5c0f0ba54f3828b2195e66ca24a289', cipher: '49ff8e11c173d9583a3254fbe7b1f1df36c538e8416784a1672e6676' },
  { etype: 17, plain: '1', usage: 1, key: '98450e3f3baa13f5c99beb936981b06f', cipher: 'f86742f537b35dc2174a4dbaa920faf9042090b065e1ebb1cad9a65394' },
  { etype: 17, plain: '9 bytesss', usage: 2, key: '9062430c8cda3388922e6d6a509f5b7a', cipher: '68fb9679601f45c78857b2bf820fd6e53eca8d42fd4b1d7024a09205abb7cd2ec26c355d2f' },
  { etype: 17, plain: '13 bytes byte', usage: 3, key: '033ee6502c54fd23e27791e987983827', cipher: 'ec366d0327a933bf49330e650e49bc6b974637fe80bf532fe51795b4809718e6194724db948d1fd637' },
  {
    etype: 17,
    plain: '30 bytes bytes bytes bytes byt',
    usage: 4,
    key: 'dceeb70b3de76562e689226c76429148',
    cipher: 'c96081032d5d8eeb7e32b4089f789d0faa481dea74c0f97cbf3146ddfcf8e800156ecb532fc203e30ff600b63b350939fece510f02d7ff1e7bac',
  },
  {
    etype: 18,
    plain: '',
    usage: 0,
    key: '17f275f2954f2ed1f90c377ba7f4d6a369aa0136e0bf0c927ad6133c693759a9',
    cipher: 'e5094c55ee7b38262e2b044280b069379a95bf95bd8376fb3281b435',
  },
  {
    etype: 18,
    plain: '1',
    usage: 1,
    key: 'b9477e1ff0329c0050e20ce6c72d2dff27e8fe541ab0954429a9cb5b4f7b1e2a',
    cipher: '406150b97aeb76d43b36b62cc1ecdfbe6f40e95755e0beb5c27825f3a4',
  },
  {
    etype: 18,
    plain: '9 bytesss',
    usage: 2,
    key: 'b1ae4cd8462aff1677053cc9279aac30b796fb81ce21474dd3ddbcfea4ec76d7',
    cipher: '09957aa25fcaf88f7b39e4406e633012d5fea21853f6478da7065caef41fd454a40824eec5',
  },
  {
    etype: 18,
    plain: '13 bytes byte',
    usage: 3,
    key: 'e5a72be9b7926c1225bafef9c1872e7ba4cdb2b17893d84abd90acdd8764d966',
    cipher: 'd8f1aafeec84587cc3e700a774e56651a6d693e174ec4473b5e6d96f80297a653fb818ad893e719f96',
  },
  {
    etype: 18,
    plain: '30 bytes bytes bytes bytes byt',
    usage: 4,
    key: 'f1c795e9248a09338d82c3f8d5b567040b0110736845041347235b1404231398',
    cipher: 'd1137a4d634cfece924dbc3bf6790648bd5cff7de0e7b99460211d0daef3d79a295c688858f3b34b9cbd6eebae81daf6b734d4d498b6714f1c1d',
  },
];

const byEtype = (etype: 17 | 18) => (etype === 17 ? aes128CtsHmacSha1_96 : aes256CtsHmacSha1_96);

describe('aes-cts-hmac-sha1-96 against MIT krb5 known answers', () => {
  for (const vector of MIT_DECRYPT) {
    it(`etype ${vector.etype} decrypts "${vector.plain}" (usage ${vector.usage})`, () => {
      const enctype = byEtype(vector.etype);
      const cipher = hex(vector.cipher);
      expect(enctype.decrypt(hex(vector.key), vector.usage, cipher).toString('ascii')).toBe(vector.plain);
      // Re-encrypting with the recovered confounder must give the same bytes back.
      const ke = aesDeriveKey(hex(vector.key), usageConstant(vector.usage, KEY_PURPOSE.encryption));
      const confounder = aesCtsDecrypt(ke, cipher.subarray(0, cipher.length - 12)).subarray(0, 16);
      expect(enctype.encrypt(hex(vector.key), vector.usage, Buffer.from(vector.plain), confounder)).toEqual(cipher);
    });
  }

  it('computes the MIT t_cksums.c hmac-sha1-96-aes128/aes256 checksums', () => {
    const data128 = Buffer.from('eight nine ten eleven twelve thirteen');
    expect(aes128CtsHmacSha1_96.checksum(hex('9062430c8cda3388922e6d6a509f5b7a'), 3, data128).toString('hex')).toBe(
      '01a4b088d45628f6946614e3',
    );
    const key256 = hex('b1ae4cd8462aff1677053cc9279aac30b796fb81ce21474dd3ddbcfea4ec76d7');
    expect(aes256CtsHmacSha1_96.checksum(key256, 4, Buffer.from('fourteen')).toString('hex')).toBe('e08739e3279e2903ec8e3836');
  });

  it('checksum is HMAC-SHA1(Kc, data) truncated to 96 bits', () => {
    const key = hex('9062430c8cda3388922e6d6a509f5b7a');
    const kc = aesDeriveKey(key, usageConstant(23, KEY_PURPOSE.checksum));
    const data = Buffer.from('wrap token');
    const full = createHmac('sha1', kc).update(data).digest();
    expect(aes128CtsHmacSha1_96.checksum(key, 23, data)).toEqual(full.subarray(0, 12));
  });

  it('rejects a key of the wrong length and a ciphertext shorter than confounder + MAC', () => {
    expect(() => aes256CtsHmacSha1_96.decrypt(Buffer.alloc(16), 2, Buffer.alloc(40))).toThrow(KerberosCryptoError);
    expect(() => aes128CtsHmacSha1_96.decrypt(Buffer.alloc(16), 2, Buffer.alloc(27))).toThrow(KerberosCryptoError);
    expect(() => aes128CtsHmacSha1_96.encrypt(Buffer.alloc(16), 2, Buffer.alloc(1), Buffer.alloc(8))).toThrow(RangeError);
  });
});
